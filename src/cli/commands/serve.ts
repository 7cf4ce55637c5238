import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
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
 * (SO_REUSEPORT). A memory database belongs to one connection: always one thread.
 */
export function httpThreadCount(config: Pick<Config, 'httpThreads' | 'databaseUrl'>, store: { kind: 'sqlite' | 'postgres'; writerThread: boolean }): number {
  if (store.kind === 'sqlite' && config.databaseUrl === ':memory:') return 1;
  if (config.httpThreads !== 'auto') return config.httpThreads;
  return store.kind === 'sqlite' && store.writerThread && process.platform === 'linux' ? Math.min(availableParallelism(), 4) : 1;
}

/** Migrates, then serves every API until SIGINT/SIGTERM; says which database and settings it runs on. */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const runtime = await openRuntime(config);
  const app = await buildServer(runtime.deps, config);
  app.log.info(`store: ${runtime.store.describe()}`);
  if (runtime.migrated.length > 0) app.log.info(`migrations applied: ${runtime.migrated.join(', ')}`);
  const threads = httpThreadCount(config, { kind: runtime.store.kind, writerThread: config.sqliteWriterThread });
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
  await app.listen(sharedPort(port, config.host));
  const bound = (app.server.address() as AddressInfo).port;
  others = await startHttpThreads(threads - 1, bound, () => runtime.store.linkWriter(), (m) => app.log.warn(m));
  app.log.info(`${threads} HTTP threads on port ${bound}, sharing one SQLite writer thread`);
}
