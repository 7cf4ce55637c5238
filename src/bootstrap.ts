/** The composition root: config → store (migrated) → the ports every use case takes. */
import { cryptoIds, systemClock, type Clock, type Deps, type Ids } from './app/ports.ts';
import type { Config } from './config.ts';
import { openStore, type Store, type StoreOptions } from './store/store.ts';

export interface Runtime {
  deps: Deps;
  store: Store;
  /** Migrations applied by this start (empty when the schema was current). */
  migrated: string[];
}

export async function openRuntime(
  config: Pick<Config, 'databaseUrl' | 'sqliteSynchronous' | 'busyTimeoutMs' | 'poolSize'> & Partial<Pick<Config, 'sqliteWriterThread'>>,
  overrides: { clock?: Clock; ids?: Ids; pgSchema?: string; store?: Pick<StoreOptions, 'writerLink' | 'checkpoints' | 'writerThread'> } = {},
): Promise<Runtime> {
  const store = openStore({
    url: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
    busyTimeoutMs: config.busyTimeoutMs,
    poolSize: config.poolSize,
    writerThread: config.sqliteWriterThread ?? true,
    ...(overrides.pgSchema ? { pgSchema: overrides.pgSchema } : {}),
    ...overrides.store,
  });
  try {
    const migrated = await store.migrate();
    return { deps: { store, clock: overrides.clock ?? systemClock, ids: overrides.ids ?? cryptoIds }, store, migrated };
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}
