/**
 * A fresh, migrated store for one test file: SQLite in a temporary file by default, or a new
 * schema in PostgreSQL when COUPONHUB_DATABASE_URL is a postgres:// URL (CI runs the store and
 * HTTP suites both ways). Call `done()` to close and clean up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openRuntime, type Runtime } from '../../src/bootstrap.ts';
import type { Clock, Ids } from '../../src/app/ports.ts';
import { isPostgresUrl, type Store } from '../../src/store/store.ts';

export const DATABASE_URL = process.env.COUPONHUB_DATABASE_URL ?? '';
export const ON_POSTGRES = isPostgresUrl(DATABASE_URL);

export interface TestRuntime extends Runtime {
  url: string;
  pgSchema: string | null;
  done(): Promise<void>;
}

/** One statement on PostgreSQL on a connection of its own, outside any test schema (creating and dropping them, or writing into one by its qualified names). */
export async function pgAdmin(text: string, values: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    await c.query(text, values);
  } finally {
    await c.end();
  }
}

export async function testRuntime(overrides: { clock?: Clock; ids?: Ids; synchronous?: 'NORMAL' | 'FULL' } = {}): Promise<TestRuntime> {
  if (ON_POSTGRES) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await pgAdmin(`create schema ${schema}`);
    const rt = await openRuntime({ databaseUrl: DATABASE_URL, sqliteSynchronous: 'NORMAL', busyTimeoutMs: 5000, poolSize: 10 }, { ...overrides, pgSchema: schema });
    return {
      ...rt,
      url: DATABASE_URL,
      pgSchema: schema,
      async done() {
        await rt.store.close();
        await pgAdmin(`drop schema ${schema} cascade`);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'couponhub-test-'));
  const url = join(dir, 'test.db');
  const rt = await openRuntime({ databaseUrl: url, sqliteSynchronous: overrides.synchronous ?? 'NORMAL', busyTimeoutMs: 5000, poolSize: 1 }, overrides);
  return {
    ...rt,
    url,
    pgSchema: null,
    async done() {
      await rt.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The store with some members replaced (a fault injected, transactions counted); everything else
 * goes to `inner`.
 */
export function storeWith(inner: Store, over: Partial<Store>): Store {
  return {
    kind: inner.kind,
    q: inner.q,
    transaction: (fn, options) => inner.transaction(fn, options),
    migrate: () => inner.migrate(),
    describe: () => inner.describe(),
    tuneForBulk: () => inner.tuneForBulk(),
    refreshStatistics: () => inner.refreshStatistics(),
    threadTransaction: (fn, input) => inner.threadTransaction(fn, input),
    linkWriter: () => inner.linkWriter(),
    close: () => inner.close(),
    ...over,
  };
}
