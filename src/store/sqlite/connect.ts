/**
 * node:sqlite under Kysely. Kysely's SQLite driver expects a better-sqlite3-like database:
 * prepare(sql) → statement with a `reader` flag and all/run/iterate taking an array of parameters.
 * This adapter provides that over DatabaseSync, caching prepared statements by SQL text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from '../schema.ts';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteOptions {
  /** File path or ':memory:'. */
  path: string;
  synchronous: SqliteSynchronous;
  busyTimeoutMs: number;
}

export interface SqliteSettings {
  journalMode: string;
  synchronous: SqliteSynchronous;
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

const SYNC_NAMES: SqliteSynchronous[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/**
 * node:sqlite binds every JS number as REAL; integers go in as BigInt so SQL integer arithmetic
 * (day buckets, counters) behaves as on PostgreSQL. Results still come back as numbers.
 */
function bind(params: ReadonlyArray<unknown>): SQLInputValue[] {
  return params.map((p) => {
    if (typeof p === 'number') return Number.isSafeInteger(p) ? BigInt(p) : p;
    if (typeof p === 'boolean') return p ? 1n : 0n;
    return p as SQLInputValue;
  });
}

type RowMaker = (values: unknown[]) => Record<string, unknown>;

/**
 * Rows come back from node:sqlite as arrays and are turned into objects by a function compiled
 * for the statement's columns: half the cost of node:sqlite's own null-prototype objects, and the
 * objects have one shape, so reading them later is fast too (wallets map hundreds of rows).
 */
function rowMaker(names: string[]): RowMaker {
  const body = `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`;
  return new Function('v', body) as RowMaker;
}

class Statement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  readonly #row: RowMaker | null;

  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    const columns = stmt.columns();
    this.reader = columns.length > 0;
    this.#row = this.reader ? rowMaker(columns.map((c) => c.name)) : null;
    if (this.reader) stmt.setReturnArrays(true);
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const rows = this.#stmt.all(...bind(parameters)) as unknown as unknown[][];
    return this.#row ? rows.map(this.#row) : rows;
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#stmt.run(...bind(parameters));
  }

  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    const make = this.#row;
    for (const v of this.#stmt.iterate(...bind(parameters)) as Iterable<unknown[]>) yield make ? make(v) : v;
  }
}

/** The DatabaseSync with a statement cache, shaped as Kysely's SqliteDatabase. */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  readonly #cache = new Map<string, Statement>();

  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  prepare(sql: string): SqliteStatement {
    let s = this.#cache.get(sql);
    if (!s) {
      s = new Statement(this.raw.prepare(sql));
      if (this.#cache.size > 2000) this.#cache.clear();
      this.#cache.set(sql, s);
    }
    return s;
  }

  close(): void {
    this.#cache.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}

export function openSqlite(options: SqliteOptions): { db: Kysely<Database>; raw: NodeSqliteDatabase; settings: SqliteSettings } {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const raw = new DatabaseSync(options.path, { enableForeignKeyConstraints: true, timeout: options.busyTimeoutMs });
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec(`PRAGMA synchronous = ${options.synchronous}`);
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
  // A bigger page cache and memory-mapped reads keep large indexes (millions of coupons) cheap.
  raw.exec('PRAGMA cache_size = -65536');
  raw.exec('PRAGMA mmap_size = 0');
  raw.exec('PRAGMA temp_store = MEMORY');
  if (options.path !== ':memory:') {
    // Checkpoints run on a background thread (checkpointer.ts); this high mark is only a fallback
    // should that thread be gone. The WAL file is trimmed back after each reset.
    raw.exec('PRAGMA wal_autocheckpoint = 50000');
    raw.exec('PRAGMA journal_size_limit = 67108864');
  }
  const journal = raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
  const sync = raw.prepare('PRAGMA synchronous').get() as { synchronous: number };
  const fk = raw.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number };
  const wrapped = new NodeSqliteDatabase(raw);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: wrapped }) });
  return {
    db,
    raw: wrapped,
    settings: {
      journalMode: journal.journal_mode,
      synchronous: SYNC_NAMES[sync.synchronous] ?? options.synchronous,
      foreignKeys: fk.foreign_keys === 1,
      busyTimeoutMs: options.busyTimeoutMs,
    },
  };
}
