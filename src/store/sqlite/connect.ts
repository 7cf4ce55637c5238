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
  /**
   * How long a write may wait for another process's lock. Opening waits that long on SQLite's
   * own busy handler (nothing else runs yet); afterwards the store waits for it asynchronously.
   */
  lockWaitMs: number;
  /** Page cache in KiB (default 65,536: 64 MiB). */
  cacheKiB?: number;
  /** WAL frames after which a commit on this connection checkpoints (default 50,000: a fallback only). */
  autocheckpointFrames?: number;
}

export interface SqliteSettings {
  journalMode: string;
  synchronous: SqliteSynchronous;
  foreignKeys: boolean;
  /** The connection's busy_timeout once open (see BUSY_TIMEOUT_MS). */
  busyTimeoutMs: number;
  lockWaitMs: number;
}

/**
 * SQLite's busy handler sleeps on the calling thread, which in the server is the event loop, so
 * once open the connection waits for a lock this long at most by itself: enough to ride out
 * another process's commit for a statement outside a transaction, short enough not to stall
 * every other request. Transactions wait for the write lock asynchronously (store.ts).
 */
export const BUSY_TIMEOUT_MS = 50;

/** Sets how long SQLite itself waits (synchronously) for a lock on this connection. */
export function setBusyTimeout(raw: DatabaseSync, ms: number): void {
  raw.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
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
  // Switching a new file to WAL takes a lock: at open the full wait applies (nothing else runs yet).
  const raw = new DatabaseSync(options.path, { enableForeignKeyConstraints: true, timeout: options.lockWaitMs });
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec(`PRAGMA synchronous = ${options.synchronous}`);
  raw.exec('PRAGMA foreign_keys = ON');
  const busyTimeoutMs = Math.min(BUSY_TIMEOUT_MS, options.lockWaitMs);
  setBusyTimeout(raw, busyTimeoutMs);
  // A bigger page cache (64 MiB) keeps large indexes (millions of coupons) in memory. The writer
  // thread asks for less (see WRITER_CACHE_KIB in writer-worker.ts).
  raw.exec(`PRAGMA cache_size = -${Math.trunc(options.cacheKiB ?? 65_536)}`);
  // Memory-mapped I/O stays off: with it an I/O error on the file (a full disk, a file truncated
  // under us) arrives as a SIGBUS that kills the process, instead of an SQLite error the store
  // can refuse a batch with; reads go through the page cache above.
  raw.exec('PRAGMA mmap_size = 0');
  raw.exec('PRAGMA temp_store = MEMORY');
  if (options.path !== ':memory:') {
    // Checkpoints run on a background thread (checkpointer.ts); by default this high mark is only
    // a fallback should that thread be gone (the writer thread's connection sets a low one:
    // writer-worker.ts). The WAL file is trimmed back after each reset.
    raw.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(options.autocheckpointFrames ?? 50_000)}`);
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
      busyTimeoutMs,
      lockWaitMs: options.lockWaitMs,
    },
  };
}
