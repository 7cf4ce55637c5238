/** A thread transaction whose module takes a while to load (top-level await), for ordering tests. */
import { threadTransaction } from '../../src/store/store.ts';

await new Promise((r) => setTimeout(r, 80));

/** Creates a tenant and says how many tenants whose id starts with `rankOf` existed before it. */
export const slowModuleJob = threadTransaction(import.meta.url, 'slowModuleJob', async (q, input: { id: string; rankOf: string }) => {
  const rank = (await q.tenants.list(1000, input.rankOf)).filter((t) => t.id.startsWith(input.rankOf)).length;
  await q.tenants.insert({ id: input.id, name: 'Slow module', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });
  return { rank };
});
