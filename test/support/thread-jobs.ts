/** Thread transactions for the store tests (the writer thread imports this module by its URL). */
import { threadId } from 'node:worker_threads';
import { threadTransaction } from '../../src/store/store.ts';

/** Creates a tenant and says which thread did it. */
export const createTenantJob = threadTransaction(import.meta.url, 'createTenantJob', async (q, input: { id: string; failAfter?: boolean }) => {
  await q.tenants.insert({ id: input.id, name: 'Threaded', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  if (input.failAfter) throw new Error(`refused after writing ${input.id}`);
  return { threadId };
});
