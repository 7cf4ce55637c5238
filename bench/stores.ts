/**
 * The databases a run measures, each seeded before its server starts: the bench data set
 * imported by `couponhub import` (the engine's own import, in its own process, so the rows are
 * exactly what the engine writes and the bench process never mixes two databases' engine
 * state), then bulk coupons written by SQL. PostgreSQL gets a fresh database, dropped at the end: a
 * database rather than a schema, so nothing schema-scoped (migration tables, search_path) can
 * leak between a run and other users of the server (test schemas, a leftover schema).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { benchDataset, BENCH } from './bench-data.ts';
import { runCommand } from './processes.ts';
import { openPgDb, openSqliteDb, type BenchDb } from './db.ts';
import { countCoupons, fillCoupons, type FillSpec } from './seed-sql.ts';

export interface BenchStore {
  /** Short name used in scenario ids: sqlite, sqlite-full, pg, small, big. */
  name: string;
  /** What the table says about it. */
  label: string;
  kind: 'sqlite' | 'postgres';
  /** Environment for the server process (database URL and durability). */
  serverEnv: Record<string, string>;
  /** Coupons R0000000000… of the redeem template, usable, spent in order by the redeem scenario. */
  redeemPool: number;
  /** PostgreSQL: the database's name on its server. */
  database?: string;
  openDb(): Promise<BenchDb>;
  cleanup(): Promise<void>;
}

export type Log = (line: string) => void;

const DAY = 86_400_000;

export function redeemSpec(count: number, now: number): FillSpec {
  return { tenantId: BENCH.tenantId, templateId: BENCH.redeemTemplateId, from: 0, to: count, idPrefix: 'bench-r', codePrefix: 'R', ownerPrefix: 'bench-redeem-user-', owners: 10_000, validFrom: now - DAY, validTo: now + 365 * DAY, issuedAt: now - DAY };
}

/** Coupons of the fill template held by 1,000,000 users; numbered from `from` so a store can grow. */
export function fillSpec(from: number, to: number, now: number): FillSpec {
  return { tenantId: BENCH.tenantId, templateId: BENCH.fillTemplateId, from, to, idPrefix: 'bench-f', codePrefix: 'F', ownerPrefix: 'bench-fill-user-', owners: 1_000_000, validFrom: now - DAY, validTo: now + 365 * DAY, issuedAt: now - 30 * DAY };
}

/** Migrates the database and imports the bench data set with `couponhub import` (file written beside it). */
/** `root`: the checkout whose CLI imports (default this one). */
export async function importBenchData(databaseUrl: string, dir: string, root?: string): Promise<void> {
  const file = join(dir, `bench-dataset-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(benchDataset(Date.now())));
  const r = await runCommand(['bin/couponhub.js', 'import', file], { COUPONHUB_DATABASE_URL: databaseUrl, COUPONHUB_LOG_LEVEL: 'warn' }, 5 * 60_000, root);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`couponhub import into ${databaseUrl} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
}

export const importIntoSqlite = (path: string): Promise<void> => importBenchData(path, dirname(path));

/** Brings a store to `total` coupons with fill coupons (the imported ones count). */
export async function growTo(db: BenchDb, total: number, now: number, log: Log, label: string): Promise<void> {
  const have = await countCoupons(db);
  if (have >= total) return;
  const started = Date.now();
  let last = 0;
  await fillCoupons(db, fillSpec(0, total - have, now), (done, all) => {
    if (Date.now() - last > 5000 || done === all) {
      last = Date.now();
      log(`  ${label}: ${done.toLocaleString('en-US')}/${all.toLocaleString('en-US')} fill coupons (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  });
}

/** `extraEnv`: more server settings (e.g. the writer thread off), said in the label. */
export async function sqliteStore(dir: string, name: string, synchronous: 'NORMAL' | 'FULL', redeemPool: number, log: Log, extraEnv: Record<string, string> = {}): Promise<BenchStore> {
  const path = join(dir, `${name}.db`);
  await importIntoSqlite(path);
  const db = openSqliteDb(path);
  try {
    await fillCoupons(db, redeemSpec(redeemPool, Date.now()));
  } finally {
    await db.close();
  }
  log(`  ${name}: ${path} seeded (demo + bench data set, ${redeemPool.toLocaleString('en-US')} redeemable coupons)`);
  const handle = sqliteHandle(path, name, `SQLite synchronous=${synchronous}`, synchronous, redeemPool);
  const extra = Object.entries(extraEnv);
  if (extra.length === 0) return handle;
  return { ...handle, label: `${handle.label}, ${extra.map(([k, v]) => `${k}=${v}`).join(', ')}`, serverEnv: { ...handle.serverEnv, ...extraEnv } };
}

export function sqliteHandle(path: string, name: string, label: string, synchronous: 'NORMAL' | 'FULL', redeemPool: number): BenchStore {
  return {
    name,
    label,
    kind: 'sqlite',
    serverEnv: { COUPONHUB_DATABASE_URL: path, COUPONHUB_SQLITE_SYNCHRONOUS: synchronous },
    redeemPool,
    openDb: async () => openSqliteDb(path),
    cleanup: async () => {},
  };
}

/** One statement on the server `url` names, on a connection of its own (CREATE/DROP DATABASE). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The URL of database `name` on the server `url` names. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops database `name` on the server `url` names, closing its connections. */
export const dropDatabase = (url: string, name: string): Promise<void> => adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

/** A fresh database on the PostgreSQL server that `url` names, seeded like the SQLite stores (`root`: the checkout whose CLI imports). */
export async function postgresStore(url: string, workDir: string, name: string, redeemPool: number, fillTo: number, log: Log, root?: string): Promise<BenchStore & { database: string }> {
  const database = `couponhub_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE ${database}`);
  const dbUrl = databaseUrl(url, database);
  const drop = () => dropDatabase(url, database);
  try {
    await importBenchData(dbUrl, workDir, root);
    const db = await openPgDb(dbUrl);
    try {
      if (redeemPool > 0) await fillCoupons(db, redeemSpec(redeemPool, Date.now()));
      if (fillTo > 0) await growTo(db, fillTo, Date.now(), log, name);
      await db.run('ANALYZE');
    } finally {
      await db.close();
    }
  } catch (e) {
    await drop().catch(() => {});
    throw e;
  }
  log(`  ${name}: PostgreSQL database ${database} seeded`);
  return {
    database,
    name,
    label: `PostgreSQL${fillTo > 0 ? ` ${fillTo.toLocaleString('en-US')} coupons` : ''}`,
    kind: 'postgres',
    serverEnv: { COUPONHUB_DATABASE_URL: dbUrl },
    redeemPool,
    openDb: () => openPgDb(dbUrl),
    cleanup: drop,
  };
}
