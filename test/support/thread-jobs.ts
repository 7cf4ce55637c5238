/** Thread transactions for the store tests (the writer thread imports this module by its URL). */
import { threadId } from 'node:worker_threads';
import { threadTransaction } from '../../src/store/store.ts';

/**
 * Creates a tenant and says which thread did it; with `rankOf`, also how many tenants whose id
 * starts so existed before it (its rank in commit order).
 */
export const createTenantJob = threadTransaction(import.meta.url, 'createTenantJob', async (q, input: { id: string; failAfter?: boolean; rankOf?: string }) => {
  const rank = input.rankOf === undefined ? null : (await q.tenants.list(1000, input.rankOf)).filter((t) => t.id.startsWith(input.rankOf as string)).length;
  await q.tenants.insert({ id: input.id, name: 'Threaded', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  if (input.failAfter) throw new Error(`refused after writing ${input.id}`);
  return { threadId, rank };
});

/** Ends the writer thread it runs on (process.exit in a worker stops only that thread), before committing. */
export const stopThreadJob = threadTransaction(import.meta.url, 'stopThreadJob', async (q, input: { id: string }) => {
  await q.tenants.insert({ id: input.id, name: 'Never committed', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  process.exit(7);
});
