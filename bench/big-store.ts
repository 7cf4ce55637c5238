/**
 * Big SQLite stores (10,000 and 5,000,000 coupons) for the growth and wallet rows. Seeding
 * millions of rows takes a minute or more, so the seeded file is kept in the bench cache folder,
 * keyed by size, seed version, migrations and year (the live templates' window), and each run
 * works on a copy: the claims of one run never leak into the next.
 */
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrationProvider } from '../src/store/migrations/index.ts';
import { openSqliteDb } from './db.ts';
import { growTo, importIntoSqlite, sqliteHandle, type BenchStore, type Log } from './stores.ts';

/** Bump when what a cached store holds changes. */
const SEED_VERSION = 'v1';

async function cacheKey(size: number): Promise<string> {
  const migrations = Object.keys(await migrationProvider.getMigrations()).join(',');
  const year = new Date().getUTCFullYear();
  const hash = createHash('sha256').update(`${SEED_VERSION}|${migrations}|${year}`).digest('hex').slice(0, 10);
  return `big-${size}-${hash}.db`;
}

async function seedBig(path: string, size: number, log: Log): Promise<void> {
  const partial = `${path}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  await importIntoSqlite(partial);
  const db = openSqliteDb(partial);
  try {
    // Seeding only: a big page cache; durability does not matter until the file is renamed.
    db.raw.exec('PRAGMA cache_size = -1000000; PRAGMA synchronous = OFF');
    const now = Date.now();
    await growTo(db, size, now, log, `cache ${size.toLocaleString('en-US')}`);
    db.raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await db.close();
  }
  renameSync(partial, path);
  rmSync(`${partial}-wal`, { force: true });
  rmSync(`${partial}-shm`, { force: true });
}

/**
 * A working copy of the cached store of `size` coupons (seeded first if missing). The copy is
 * a reflink where the file system can, a plain copy elsewhere.
 */
export async function bigSqliteStore(cacheDir: string, workDir: string, name: string, size: number, log: Log): Promise<BenchStore> {
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, await cacheKey(size));
  if (!existsSync(cached)) {
    // Stores of this size seeded for an older schema or year are of no further use: gigabytes.
    for (const f of readdirSync(cacheDir)) if (f.startsWith(`big-${size}-`) && f !== `${cached.slice(cacheDir.length + 1)}`) rmSync(join(cacheDir, f), { force: true });
    log(`  seeding ${cached} (${size.toLocaleString('en-US')} coupons; cached for later runs)`);
    const started = Date.now();
    await seedBig(cached, size, log);
    log(`  seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const path = join(workDir, `${name}.db`);
  copyFileSync(cached, path, constants.COPYFILE_FICLONE);
  log(`  ${name}: copy of ${cached}`);
  return sqliteHandle(path, name, `SQLite ${size.toLocaleString('en-US')} coupons`, 'NORMAL', 0);
}
