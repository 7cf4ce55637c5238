import { startBackground } from '../../background.ts';
import { openRuntime } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import { buildServer } from '../../http/server.ts';
import { startWechatSync } from '../../wechat/worker.ts';

export interface ServeOptions {
  port?: number;
}

/** Migrates, then serves every API until SIGINT/SIGTERM; says which database and settings it runs on. */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const runtime = await openRuntime(config);
  const app = await buildServer(runtime.deps, config);
  app.log.info(`store: ${runtime.store.describe()}`);
  if (runtime.migrated.length > 0) app.log.info(`migrations applied: ${runtime.migrated.join(', ')}`);
  const stopBackground = startBackground(runtime.deps, config.expireIntervalMs, app.log);
  const stopSync = startWechatSync(runtime.deps, { baseUrl: config.wechatBaseUrl, intervalMs: config.wechatSyncIntervalMs, log: app.log });
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    stopBackground();
    await stopSync();
    await app.close();
    await runtime.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: options.port ?? config.port, host: config.host });
}
