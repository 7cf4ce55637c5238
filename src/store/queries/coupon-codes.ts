/**
 * Drawing coupon codes and finding coupons by code (src/domain/coupon-codes.ts): the store's
 * secret key, read once per store, and the counter codes are drawn from.
 */
import { sql } from 'kysely';
import { CodePermutation } from '../../domain/coupon-codes.ts';
import type { Executor } from './index.ts';

/** Sequence numbers per block on PostgreSQL: one nextval for this many codes of this process. */
export const CODE_BLOCK = 1000;

/** How a coupon with a given code is found: by the sequence number of a 12-digit code, else by the code itself. */
export type CodeLookup = { seq: number } | { code: string };

/** One per store (it lives in the store's dialect): the permutation, and PostgreSQL's block in hand. */
export class CodeSource {
  readonly #kind: 'sqlite' | 'postgres';
  #permutation: CodePermutation | null = null;
  /** PostgreSQL: sequence numbers this process holds and has not handed out, as [next, end) ranges. */
  readonly #ranges: Array<{ next: number; end: number }> = [];

  constructor(kind: 'sqlite' | 'postgres') {
    this.#kind = kind;
  }

  async permutation(db: Executor): Promise<CodePermutation> {
    if (this.#permutation) return this.#permutation;
    const row = await db.selectFrom('coupon_code_key').select('key').where('id', '=', 1).executeTakeFirst();
    if (!row) throw new Error('the coupon code key is missing: run the migrations (couponhub migrate)');
    this.#permutation = new CodePermutation(row.key);
    return this.#permutation;
  }

  /** How to find the coupon with this code. */
  async lookup(db: Executor, code: string): Promise<CodeLookup> {
    const seq = (await this.permutation(db)).seq(code);
    return seq === null ? { code } : { seq };
  }

  /**
   * `n` codes nobody has been given: the next numbers of the counter, permuted. SQLite: the
   * counter moves inside the caller's transaction (under the write lock, so processes sharing the
   * file never draw the same numbers; a rollback gives them back). PostgreSQL: from blocks of
   * CODE_BLOCK numbers taken from a sequence, which no rollback gives back: concurrent claims
   * never wait for each other here.
   */
  async draw(db: Executor, n: number): Promise<string[]> {
    if (n === 0) return [];
    const p = await this.permutation(db);
    return (this.#kind === 'sqlite' ? await this.#counter(db, n) : await this.#fromBlocks(db, n)).map((s) => p.code(s));
  }

  async #counter(db: Executor, n: number): Promise<number[]> {
    const { rows } = await sql<{ next: number }>`update coupon_code_counter set next = next + ${n} where id = 1 returning next`.execute(db);
    const end = Number(rows[0]?.next);
    if (!Number.isSafeInteger(end)) throw new Error('the coupon code counter is missing: run the migrations (couponhub migrate)');
    return Array.from({ length: n }, (_, i) => end - n + i);
  }

  async #fromBlocks(db: Executor, n: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < n) {
      const r = this.#ranges[0];
      if (!r) {
        const { rows } = await sql<{ block: string }>`select nextval('coupon_code_blocks') as block`.execute(db);
        const block = Number(rows[0]?.block);
        // Taken after the await, in one synchronous step: concurrent draws never share a number.
        this.#ranges.push({ next: block * CODE_BLOCK, end: (block + 1) * CODE_BLOCK });
        continue;
      }
      const take = Math.min(n - out.length, r.end - r.next);
      for (let i = 0; i < take; i++) out.push(r.next + i);
      r.next += take;
      if (r.next >= r.end) this.#ranges.shift();
    }
    return out;
  }
}
