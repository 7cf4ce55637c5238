/**
 * Housekeeping deletes (old Idempotency-Keys, spent nonces) in chunks, each its own short
 * transaction through the store's queue: rows with random keys cost a page each to delete
 * (~45 µs here), so a day's worth in one statement would hold the write lock for seconds, and
 * on SQLite every claim and redemption waits behind it.
 */
import type { Queries } from '../../store/store.ts';
import { ONE_STATEMENT, type Deps } from '../ports.ts';

/** Rows per transaction: 250 hold the write lock ~10 ms here. */
export const PURGE_CHUNK = 250;

/** Runs `deleteChunk` (which deletes at most `limit` rows and says how many) until a chunk comes back short; returns the total. */
export async function purgeInChunks({ store }: Deps, deleteChunk: (q: Queries, limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.transaction((q) => deleteChunk(q, PURGE_CHUNK), ONE_STATEMENT);
    total += n;
    if (n < PURGE_CHUNK) return total;
  }
}
