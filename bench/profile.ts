/**
 * `--profile`: the SQLite server under one scenario's load (claims by default) with
 * `node --cpu-prof`, summarised as the functions and the places (package, source folder,
 * runtime) with the most self time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from './load.ts';
import { startNode, stop } from './processes.ts';
import { newLedger, specFor, type Counters, type Shape } from './scenarios.ts';
import type { BenchStore } from './stores.ts';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  shape: Shape;
  requestsPerSecond: number;
  functions: ProfileEntry[];
  places: ProfileEntry[];
  file: string;
}

/** Where a function lives, coarse enough to add up: a package, a src/ folder, or the runtime. */
function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const src = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (src) return src[1] as string;
  if (url.startsWith('node:')) return 'node: internals';
  return url.replace(/^file:\/\/.*\//, '');
}

function top(map: Map<string, number>, total: number, n: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: Math.round((us / total) * 1000) / 10 }));
}

/** Self time per function and per place; samples in the first `skipUs` (start-up, warm-up) are left out. */
export function summarise(profile: CpuProfile, n = 15, skipUs = 0): Omit<ProfileSummary, 'shape' | 'requestsPerSecond' | 'file'> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const fns = new Map<string, number>();
  const places = new Map<string, number>();
  let total = 0;
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    elapsed += us;
    const f = byId.get(id);
    if (!f || elapsed < skipUs) return;
    total += us;
    const file = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const place = placeOf(f.url, f.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
  });
  return { totalMs: Math.round(total / 1000), functions: top(fns, total, n), places: top(places, total, n) };
}

/** Runs one shape's load against a profiled server; stops it with SIGTERM so the profile is written. */
export async function profileShape(shape: Shape, store: BenchStore, dir: string, seconds: number, connections: number): Promise<ProfileSummary> {
  const spawned = performance.now();
  const proc = await startNode(`${store.name} (profiled)`, 'src/main.ts', {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    env: { ...store.serverEnv, COUPONHUB_LOG_LEVEL: 'warn', COUPONHUB_EXPIRE_INTERVAL_MS: '0' },
  });
  const counters: Counters = { tag: 'prof', claims: 0, redeems: 0 };
  try {
    const spec = () => specFor(shape, counters, store.redeemPool, newLedger());
    await runLoad(proc.url, spec(), { connections, duration: 1 });
    // Only the measured run counts: start-up (module compilation) and warm-up are skipped.
    const skipUs = (performance.now() - spawned) * 1000;
    const r = await runLoad(proc.url, spec(), { connections, duration: seconds });
    await stop(proc, 'SIGTERM');
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    const path = join(dir, file);
    return { ...summarise(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, 15, skipUs), shape, requestsPerSecond: r.rps, file: path };
  } finally {
    await stop(proc);
  }
}
