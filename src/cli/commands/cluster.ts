/**
 * `couponhub serve --workers N`: N server processes on one port (node:cluster hands connections
 * out). The primary migrates once, then forks; a worker that dies is replaced. Every limit is a
 * conditional write in the database and nonces / idempotency keys are rows, so the workers need
 * nothing from each other. Made for PostgreSQL; on SQLite the workers take turns writing.
 */
import cluster from 'node:cluster';
import { openRuntime } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import { serve, type ServeOptions } from './serve.ts';

export async function serveWorkers(config: Config, workers: number, options: ServeOptions): Promise<void> {
  if (!cluster.isPrimary) {
    await serve(config, options);
    return;
  }
  const rt = await openRuntime(config);
  console.log(`couponhub: ${workers} workers on ${config.host}:${options.port ?? config.port}; store: ${rt.store.describe()}${rt.migrated.length > 0 ? `; migrations applied: ${rt.migrated.join(', ')}` : ''}`);
  if (rt.store.kind === 'sqlite') console.log('couponhub: several workers on SQLite share one writer; use PostgreSQL to scale out');
  await rt.store.close();
  let stopping = false;
  const fork = (index: number) => {
    // One worker sweeps expiries; the others leave it to that one.
    const w = cluster.fork({ COUPONHUB_WORKER_INDEX: String(index), ...(index > 0 ? { COUPONHUB_EXPIRE_INTERVAL_MS: '0' } : {}) });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`couponhub: worker ${index} exited (${signal ?? code}); starting another`);
      setTimeout(() => fork(index), 500);
    });
  };
  for (let i = 0; i < workers; i++) fork(i);
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
