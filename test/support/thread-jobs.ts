/** Thread transactions for the store tests (the writer thread imports this module by its URL). */
import { threadId } from 'node:worker_threads';
import { threadTransaction, type Queries } from '../../src/store/store.ts';

/** How many tenants whose id starts with `prefix` exist: a job's rank in commit order. */
export async function rankAmong(q: Queries, prefix: string): Promise<number> {
  return (await q.tenants.list(1000, prefix)).filter((t) => t.id.startsWith(prefix)).length;
}

/**
 * Creates a tenant and says which thread did it; with `rankOf`, also its rank among the tenants
 * whose id starts so (rankAmong, read before it writes).
 */
export const createTenantJob = threadTransaction(import.meta.url, 'createTenantJob', async (q, input: { id: string; failAfter?: boolean; rankOf?: string }) => {
  const rank = input.rankOf === undefined ? null : await rankAmong(q, input.rankOf);
  await q.tenants.insert({ id: input.id, name: 'Threaded', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  if (input.failAfter) throw new Error(`refused after writing ${input.id}`);
  return { threadId, rank };
});

/** Ends the writer thread it runs on (process.exit in a worker stops only that thread), before committing. */
export const stopThreadJob = threadTransaction(import.meta.url, 'stopThreadJob', async (q, input: { id: string }) => {
  await q.tenants.insert({ id: input.id, name: 'Never committed', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  process.exit(7);
});

/** Creates a tenant and keeps its transaction (and SQLite's write lock) open for `ms` before committing. */
export const holdLockJob = threadTransaction(import.meta.url, 'holdLockJob', async (q, input: { id: string; ms: number }) => {
  await q.tenants.insert({ id: input.id, name: 'Held', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  await new Promise((r) => setTimeout(r, input.ms));
  return { threadId };
});
