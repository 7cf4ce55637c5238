/** Data set tests: fresh stores closed after the file, exports as text, and small building blocks. */
import { after } from 'node:test';
import { exportDataset } from '../../src/app/data/export-dataset.ts';
import type { Clock } from '../../src/app/ports.ts';
import { testRuntime, type TestRuntime } from './store.ts';

/** `fresh()` opens a new empty store on `clock`; every one is closed after the file's tests. */
export function freshStores(clock: Clock): () => Promise<TestRuntime> {
  const runtimes: TestRuntime[] = [];
  after(async () => Promise.all(runtimes.map((r) => r.done())));
  return async () => {
    const rt = await testRuntime({ clock });
    runtimes.push(rt);
    return rt;
  };
}

/** The export as the pieces it is written in (`pageSize` rows read at a time). */
export async function exportChunks(rt: TestRuntime, pageSize?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of exportDataset(rt.deps, pageSize === undefined ? {} : { pageSize })) out.push(chunk);
  return out;
}

export const exportText = async (rt: TestRuntime, pageSize?: number): Promise<string> => (await exportChunks(rt, pageSize)).join('');

/** Valid all through 2026–2027. */
export const LIVE = { validFrom: '2026-01-01', validTo: '2027-12-31' };

/** A cash template `live`, claimable now. */
export const liveTemplate = (over: Record<string, unknown> = {}) => ({ id: 'live', name: '满30减10', kind: 'cash', amount: 1000, rule: LIVE, ...over });

/** A published package `pack` of one `live` coupon, receivable now. */
export const livePackage = (rule: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  id: 'pack',
  name: '礼包',
  alias: '礼包',
  aliasCodeType: 'shared',
  status: 'published',
  rule: { receiveFrom: '2026-01-01', receiveTo: '2027-12-31', ...rule },
  items: [{ templateId: 'live', count: 1 }],
  ...over,
});
