import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { startBackground } from '../../background.ts';
import { openRuntime } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import { buildServer } from '../../http/server.ts';
import { startWechatSync } from '../../wechat/worker.ts';
import { sharedPort, startHttpThreads, type HttpThreads } from './http-threads.ts';

export interface ServeOptions {
  port?: number;
}

/**
 * How many threads serve HTTP (COUPONHUB_HTTP_THREADS). 'auto' uses more than one only where it
 * pays and works: a SQLite file with its writer thread (the threads share it), on Linux
 * (SO_REUSEPORT). A memory database belongs to one connection, and a `serve --workers` process
 * is one of several already: one thread for both, whatever the setting.
 */
export function httpThreadCount(config: Pick<Config, 'httpThreads' | 'databaseUrl'>, store: { kind: 'sqlite' | 'postgres'; writerThread: boolean }): number {
  if (store.kind === 'sqlite' && config.databaseUrl === ':memory:') return 1;
  // A worker of `serve --workers` is one of several processes already (and its sockets are the
  // cluster's, which a thread cannot share).
  if (cluster.isWorker) return 1;
  if (config.httpThreads !== 'auto') return config.httpThreads;
  return store.kind === 'sqlite' && store.writerThread && process.platform === 'linux' ? Math.min(availableParallelism(), 4) : 1;
}

/** Migrates, then serves every API until SIGINT/SIGTERM; says which database and settings it runs on. */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const runtime = await openRuntime(config);
  const threads = httpThreadCount(config, { kind: runtime.store.kind, writerThread: config.sqliteWriterThread });
  // With other threads, /health says 503 until every one of them listens.
  let ready = threads === 1;
  const app = await buildServer(runtime.deps, config, { ready: () => ready });
  app.log.info(`store: ${runtime.store.describe()}`);
  if (runtime.migrated.length > 0) app.log.info(`migrations applied: ${runtime.migrated.join(', ')}`);
  const stopBackground = startBackground(runtime.deps, config.expireIntervalMs, app.log);
  const stopSync = startWechatSync(runtime.deps, { baseUrl: config.wechatBaseUrl, intervalMs: config.wechatSyncIntervalMs, log: app.log });
  let others: HttpThreads | null = null;
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    stopBackground();
    await stopSync();
    // The other threads first: what they sent to the writer thread is answered before it stops.
    await others?.stop();
    await app.close();
    await runtime.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const port = options.port ?? config.port;
  if (threads === 1) {
    await app.listen({ port, host: config.host });
    return;
  }
  // Shared sockets do not fail on a port in use: another server there (another database, an
  // old copy still running) would silently get half the connections. Asked once, alone, first.
  if (port !== 0) await portIsFree(port, config.host);
  // The other threads first (the first one picks the port when it is 0), this one last.
  others = await startHttpThreads(threads - 1, port, () => runtime.store.linkWriter(), (m) => app.log.warn(m));
  try {
    await app.listen(sharedPort(others.port, config.host));
  } catch (e) {
    await others.stop();
    throw e;
  }
  ready = true;
  others.serving();
  app.log.info(`${threads} HTTP threads on port ${others.port}, sharing one SQLite writer thread`);
}

/** Rejects with the listen error (EADDRINUSE…) when the port cannot be had by one socket alone. */
async function portIsFree(port: number, host: string): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
