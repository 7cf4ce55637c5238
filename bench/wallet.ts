/**
 * Wallet query time as the server sees it: the Server-Timing header (onRequest → onSend) of
 * requests sent one at a time, so the number is the query and its mapping, not queueing behind
 * other connections. The client-side percentiles are reported beside it. Bounded in count and
 * time: a slow query plan must not turn this into an hour.
 */
import { runLoad } from './load.ts';
import { walletSpec } from './scenarios.ts';

export interface WalletResult {
  store: string;
  label: string;
  requests: number;
  serverP50: number;
  serverP99: number;
  clientP50: number;
  clientP99: number;
  non2xx: number;
  errors: number;
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export async function measureWallet(url: string, store: string, label: string, requests: number, seconds: number): Promise<WalletResult> {
  // A short warm-up first: compiled statements, caches and the JIT are part of steady state.
  await runLoad(url, walletSpec([]), { connections: 1, maxRequests: Math.min(200, requests), duration: Math.max(1, Math.round(seconds / 10)) });
  const timings: number[] = [];
  const r = await runLoad(url, walletSpec(timings), { connections: 1, maxRequests: requests, duration: seconds });
  return {
    store,
    label,
    requests: timings.length,
    serverP50: percentile(timings, 50),
    serverP99: percentile(timings, 99),
    clientP50: r.p50,
    clientP99: r.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}
