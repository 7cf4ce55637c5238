/** A thread transaction whose module takes a while to load (top-level await), for ordering tests. */
import { threadTransaction } from '../../src/store/store.ts';
import { rankAmong } from './thread-jobs.ts';

await new Promise((r) => setTimeout(r, 80));

/** Creates a tenant and says its rank among the tenants whose id starts with `rankOf`. */
export const slowModuleJob = threadTransaction(import.meta.url, 'slowModuleJob', async (q, input: { id: string; rankOf: string }) => {
  const rank = await rankAmong(q, input.rankOf);
  await q.tenants.insert({ id: input.id, name: 'Slow module', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  return { rank };
});
