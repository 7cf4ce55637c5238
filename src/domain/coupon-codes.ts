/**
 * The codes couponhub gives coupons: 12 decimal digits that look random to anyone without the
 * store's secret key, drawn from a counter. code = permute(seq) for a sequence number seq from a
 * counter that only goes up, and seq = unpermute(code) for every 12-digit code.
 *
 * Why not random digits (as before): a random code lands on a random page of the code index, so a
 * claim batch of k coupons dirtied k index pages (and, with a page cache smaller than the index,
 * read them first) — a third of a claim's write cost on SQLite. Coupons are now found by seq
 * (store: `code_seq`), whose index only grows at its end; the code column is kept for display and
 * search. The codes stay as hard to guess: without the key, the permutation is indistinguishable
 * from a random one, so a guess hits a live code with the same odds as with random codes.
 *
 * The permutation is a Feistel network on two 6-digit halves with addition mod 10^6 (the FF1 /
 * FF3 construction of NIST SP 800-38G, so the domain is exactly the 10^12 codes, no cycle
 * walking) in 10 rounds. Its round function is Speck64/128 (Beaulieu et al., 2013) under the key,
 * written out here (30 lines): node:crypto's AES would do, but each call across the binding costs
 * ~1 µs, and a lookup needs 10 calls in sequence; this costs ~1 µs for all 10.
 */

const HALF = 1_000_000;
const ROUNDS = 10;
const SPECK_ROUNDS = 27;

/** The 27 round keys of Speck64/128 for a 128-bit key given as four 32-bit words (k0 first). */
function speckSchedule(words: readonly [number, number, number, number]): Uint32Array {
  const [k0, l0, l1, l2] = words;
  const k = new Uint32Array(SPECK_ROUNDS);
  const l = [l0, l1, l2];
  k[0] = k0;
  for (let i = 0; i < SPECK_ROUNDS - 1; i++) {
    const li = l[i] as number;
    const next = (((k[i] as number) + ((li >>> 8) | (li << 24))) >>> 0) ^ i;
    l.push(next >>> 0);
    const ki = k[i] as number;
    k[i + 1] = (((ki << 3) | (ki >>> 29)) ^ next) >>> 0;
  }
  return k;
}

/** Speck64/128 encryption of the block (x, y); returns the pair through `out`. */
function speck(rk: Uint32Array, x: number, y: number, out: Uint32Array): void {
  for (let i = 0; i < SPECK_ROUNDS; i++) {
    x = ((((x >>> 8) | (x << 24)) + y) >>> 0) ^ (rk[i] as number);
    y = ((y << 3) | (y >>> 29)) ^ x;
  }
  out[0] = x >>> 0;
  out[1] = y >>> 0;
}

/** Speck64/128 of one block, for checking the implementation against the published test vector. */
export function speck64(key: readonly [number, number, number, number], x: number, y: number): [number, number] {
  const out = new Uint32Array(2);
  speck(speckSchedule(key), x, y, out);
  return [out[0] as number, out[1] as number];
}

/** How many distinct codes there are: 12 digits. */
export const CODE_SPACE = HALF * HALF;

const TWELVE_DIGITS = /^\d{12}$/;

/** Whether a code has the form couponhub draws (and finds by its sequence number). */
export const isDrawnForm = (code: string): boolean => TWELVE_DIGITS.test(code);

/** A keyed permutation of the 10^12 twelve-digit codes. */
export class CodePermutation {
  readonly #rk: Uint32Array;
  readonly #out = new Uint32Array(2);

  /** `keyHex`: the store's secret, 32 hex digits (128 bits). */
  constructor(keyHex: string) {
    if (!/^[0-9a-f]{32}$/.test(keyHex)) throw new Error('a coupon code key is 32 lowercase hex digits');
    const w = (i: number) => Number.parseInt(keyHex.slice(i * 8, i * 8 + 8), 16);
    this.#rk = speckSchedule([w(0), w(1), w(2), w(3)]);
  }

  /** The round function: Speck of (round, half), reduced to a half. */
  #f(round: number, half: number): number {
    speck(this.#rk, round, half, this.#out);
    return (this.#out[1] as number) % HALF;
  }

  /** The code of sequence number `seq` (0 ≤ seq < 10^12), zero-padded to 12 digits. */
  code(seq: number): string {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= CODE_SPACE) throw new RangeError(`a code sequence number is an integer in [0, 10^12), got ${seq}`);
    let a = Math.floor(seq / HALF);
    let b = seq % HALF;
    for (let i = 0; i < ROUNDS; i++) {
      const c = (a + this.#f(i, b)) % HALF;
      a = b;
      b = c;
    }
    return String(a).padStart(6, '0') + String(b).padStart(6, '0');
  }

  /** The sequence number of a 12-digit code, or null for a code of any other form. */
  seq(code: string): number | null {
    if (!isDrawnForm(code)) return null;
    let a = Number(code.slice(0, 6));
    let b = Number(code.slice(6));
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const prev = (b - this.#f(i, a) + HALF) % HALF;
      b = a;
      a = prev;
    }
    return a * HALF + b;
  }
}
