/**
 * The ports every use case takes: ({ store, clock, ids }, input). Tests inject a fixed clock and
 * deterministic ids; the server injects the real ones.
 */
import { randomBytes } from 'node:crypto';
import type { Store, TransactionOptions } from '../store/store.ts';

/**
 * Whether a failure was another process holding the database's write lock past the wait (nothing
 * was written). Re-exported so callers of use cases (http, cli) need not reach into the store.
 */
export { DatabaseBusyError, isDatabaseBusy } from '../store/store.ts';

/**
 * For store.transaction around one write statement that needs no transaction of its own: on SQLite
 * it still goes through the transaction queue, so it waits for another process's write lock on a
 * timer instead of failing after the short busy_timeout of statements run outside transactions.
 */
export const ONE_STATEMENT: TransactionOptions = { singleStatement: true };

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Ids {
  /**
   * Opaque id: 32 lowercase hex like the seeds' ids, time-ordered (UUIDv7 layout) so new rows
   * land at the end of primary-key indexes instead of on random pages. Codes, not ids, are secrets.
   */
  id(): string;
  /** 12-digit template code. */
  templateCode(): string;
  /** 10-digit package code. */
  packageCode(): string;
  /** A new secret API key with its prefix (`sk_live_…`). */
  apiKey(): string;
  /** A random secret for partner credentials. */
  secret(bytes?: number): string;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Cryptographic random bytes drawn from a pool refilled 8 KiB at a time: one system call serves
 * hundreds of ids and codes instead of one each.
 */
const pool = { buf: Buffer.alloc(0), at: 0 };
/** Where `n` fresh bytes start in pool.buf, which this may replace: read pool.buf after calling it, before the next call. */
function poolOffset(n: number): number {
  if (pool.at + n > pool.buf.length) {
    pool.buf = randomBytes(8192);
    pool.at = 0;
  }
  const at = pool.at;
  pool.at += n;
  return at;
}

/** n decimal digits, uniformly random: 32-bit draws above the largest multiple of 10^6 are rejected (no modulo bias). */
export function randomDigits(n: number): string {
  const LIMIT = 4_294_000_000; // 4294 × 10^6, the largest multiple of 10^6 below 2^32
  let out = '';
  while (out.length < n) {
    const at = poolOffset(4);
    const v = pool.buf.readUInt32BE(at);
    if (v < LIMIT) out += String(v % 1_000_000).padStart(6, '0');
  }
  return out.slice(0, n);
}

/** Two hex digits per byte value: ids are made on every write, and Buffer's own hex is a call into C++. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** UUIDv7 without dashes: 48 bits of milliseconds, version 7, 74 random bits. */
export function uuidV7Hex(now = Date.now()): string {
  const at = poolOffset(10);
  const b = pool.buf;
  let out = `${now.toString(16).padStart(12, '0').slice(-12)}7${((b[at] as number) & 0x0f).toString(16)}${HEX[b[at + 1] as number]}${HEX[((b[at + 2] as number) & 0x3f) | 0x80]}`;
  for (let i = at + 3; i < at + 10; i++) out += HEX[b[i] as number];
  return out;
}

export const cryptoIds: Ids = {
  id: () => uuidV7Hex(),
  templateCode: () => randomDigits(12),
  packageCode: () => randomDigits(10),
  apiKey: () => `sk_live_${randomBytes(24).toString('base64url')}`,
  secret: (bytes = 24) => randomBytes(bytes).toString('base64url'),
};
