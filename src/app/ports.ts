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
function poolBytes(n: number): Buffer {
  if (pool.at + n > pool.buf.length) {
    pool.buf = randomBytes(8192);
    pool.at = 0;
  }
  const out = pool.buf.subarray(pool.at, pool.at + n);
  pool.at += n;
  return out;
}

/** n decimal digits, uniformly random: 32-bit draws above the largest multiple of 10^6 are rejected (no modulo bias). */
export function randomDigits(n: number): string {
  const LIMIT = 4_294_000_000; // 4294 × 10^6, the largest multiple of 10^6 below 2^32
  let out = '';
  while (out.length < n) {
    const v = poolBytes(4).readUInt32BE(0);
    if (v < LIMIT) out += String(v % 1_000_000).padStart(6, '0');
  }
  return out.slice(0, n);
}

/** UUIDv7 without dashes: 48 bits of milliseconds, version 7, 74 random bits. */
export function uuidV7Hex(now = Date.now()): string {
  const r = poolBytes(10);
  const time = now.toString(16).padStart(12, '0').slice(-12);
  const randA = ((r[0] as number) & 0x0f).toString(16) + (r[1] as number).toString(16).padStart(2, '0');
  const variant = (((r[2] as number) & 0x3f) | 0x80).toString(16).padStart(2, '0');
  return `${time}7${randA}${variant}${r.subarray(3).toString('hex')}`;
}

export const cryptoIds: Ids = {
  id: () => uuidV7Hex(),
  templateCode: () => randomDigits(12),
  packageCode: () => randomDigits(10),
  apiKey: () => `sk_live_${randomBytes(24).toString('base64url')}`,
  secret: (bytes = 24) => randomBytes(bytes).toString('base64url'),
};
