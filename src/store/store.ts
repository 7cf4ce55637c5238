/**
 * The store port: typed queries (queries/, shared by both databases) and transaction(fn).
 * Use cases receive a Store and never see Kysely or SQL.
 */
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import { createQueries, type Queries, type StoreDialect } from './queries/index.ts';
import type { Database } from './schema.ts';
import { openSqlite, type NodeSqliteDatabase, type SqliteSettings, type SqliteSynchronous } from './sqlite/connect.ts';
import * as sqliteErrors from './sqlite/errors.ts';
import { startCheckpointer, type Checkpointer } from './sqlite/checkpointer.ts';
import { OutsideTransactionGuard, insideSqliteTransaction, markOutside } from './sqlite/tx-guard.ts';
import { openPostgres } from './postgres/connect.ts';
import * as pgErrors from './postgres/errors.ts';

export type { Queries } from './queries/index.ts';

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Queries outside any transaction (each statement on its own). */
  readonly q: Queries;
  /** Runs fn in one transaction: all its writes commit together or none do. */
  transaction<T>(fn: (q: Queries) => Promise<T>, options?: TransactionOptions): Promise<T>;
  migrate(): Promise<string[]>;
  /** One line for the start-up log: which database, and how it is set. */
  describe(): string;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * The function runs a single statement (atomic by itself): under group commit it needs no
   * savepoint of its own.
   */
  singleStatement?: boolean;
}

export interface StoreOptions {
  /** A file path, ':memory:', or a postgres:// URL. */
  url: string;
  sqliteSynchronous?: SqliteSynchronous;
  busyTimeoutMs?: number;
  poolSize?: number;
  /** PostgreSQL schema to use instead of public (tests). */
  pgSchema?: string;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

const RETRYABLE_PG = new Set(['40001', '40P01']);

abstract class KyselyStore implements Store {
  abstract readonly kind: 'sqlite' | 'postgres';
  protected readonly db: Kysely<Database>;
  protected readonly dialect: StoreDialect;
  readonly q: Queries;

  constructor(db: Kysely<Database>, dialect: StoreDialect, outside: Kysely<Database> = db) {
    this.db = db;
    this.dialect = dialect;
    this.q = createQueries(outside, dialect);
  }

  abstract transaction<T>(fn: (q: Queries) => Promise<T>, options?: TransactionOptions): Promise<T>;
  abstract describe(): string;

  /** The schema Kysely keeps its migration tables in (PostgreSQL: the current schema). */
  protected async migrationSchema(): Promise<string | undefined> {
    return undefined;
  }

  async migrate(): Promise<string[]> {
    const schema = await this.migrationSchema();
    const migrator = new Migrator({ db: this.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

interface TransactionJob {
  fn: (q: Queries) => Promise<unknown>;
  single: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Transactions per commit: enough to amortise the fsync, few enough to keep latency flat. */
const MAX_TRANSACTIONS_PER_COMMIT = 256;

/**
 * Runs one transaction's function of a batch. A lone transaction needs no savepoint: if it throws,
 * the whole transaction rolls back. In a shared batch each runs in a savepoint, so a failure
 * undoes only its own writes — except a single statement, which SQLite already undoes by itself.
 */
async function runJob(conn: Kysely<Database>, q: Queries, job: TransactionJob, lone: boolean): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  if (lone) return { ok: true, value: await job.fn(q) };
  if (job.single) {
    try {
      return { ok: true, value: await job.fn(q) };
    } catch (error) {
      return { ok: false, error };
    }
  }
  await sql`savepoint tx`.execute(conn);
  try {
    const value = await job.fn(q);
    await sql`release tx`.execute(conn);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to tx`.execute(conn);
    await sql`release tx`.execute(conn);
    return { ok: false, error };
  }
}

class SqliteStore extends KyselyStore {
  readonly kind = 'sqlite' as const;
  readonly #settings: SqliteSettings;
  readonly #path: string;
  readonly #checkpointer: Checkpointer | null;

  readonly #raw: NodeSqliteDatabase;

  constructor(path: string, db: Kysely<Database>, raw: NodeSqliteDatabase, settings: SqliteSettings) {
    super(db, { kind: 'sqlite', isUniqueViolation: sqliteErrors.isUniqueViolation }, markOutside(db.withPlugin(new OutsideTransactionGuard())));
    this.#path = path;
    this.#raw = raw;
    this.#settings = settings;
    this.#checkpointer = path === ':memory:' ? null : startCheckpointer(path);
  }

  override async close(): Promise<void> {
    await this.#checkpointer?.stop();
    await super.close();
  }

  /**
   * Group commit: transactions asked for while one runs wait and then run together in the next
   * one, each inside its own savepoint (so each still commits or rolls back on its own), with one
   * BEGIN and one COMMIT — one fsync — for all of them. A caller hears back only after that COMMIT.
   * BEGIN IMMEDIATE takes the write lock up front, so a batch never fails half-way when another
   * process (a CLI import beside the server) wrote in between.
   */
  async transaction<T>(fn: (q: Queries) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (insideSqliteTransaction.getStore()) throw new Error('store.transaction was called inside a transaction: pass the open transaction\'s queries instead');
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn: fn as (q: Queries) => Promise<unknown>, single: options.singleStatement === true, resolve: resolve as (v: unknown) => void, reject });
      this.#kick();
    });
  }

  readonly #queue: TransactionJob[] = [];
  #running = false;

  #kick(): void {
    if (this.#running || this.#queue.length === 0) return;
    this.#running = true;
    // setImmediate lets the requests read in the same I/O turn join this batch.
    setImmediate(() => {
      const jobs = this.#queue.splice(0, MAX_TRANSACTIONS_PER_COMMIT);
      void this.#runBatch(jobs).finally(() => {
        this.#running = false;
        this.#kick();
      });
    });
  }

  async #runBatch(jobs: TransactionJob[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.db.connection().execute((conn) =>
        insideSqliteTransaction.run(true, async () => {
          await sql`begin immediate`.execute(conn);
          try {
            const q = createQueries(conn, this.dialect);
            for (const job of jobs) {
              const outcome = await runJob(conn, q, job, jobs.length === 1);
              // Some failures (a full disk, an I/O error) end the whole transaction in SQLite, not
              // just the statement: then nothing of the batch can commit, and every job is refused.
              if (!outcome.ok && !this.#raw.raw.isTransaction) throw outcome.error;
              outcomes.push(outcome);
            }
            await sql`commit`.execute(conn);
          } catch (e) {
            await sql`rollback`.execute(conn).catch(() => {});
            throw e;
          }
        }),
      );
    } catch (e) {
      // BEGIN or COMMIT failed (or a lone transaction threw): nothing of the batch is committed.
      jobs.forEach((job, i) => {
        const o = outcomes[i];
        job.reject(o && !o.ok ? o.error : e);
      });
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i] as { ok: true; value: unknown } | { ok: false; error: unknown };
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  describe(): string {
    const s = this.#settings;
    return `SQLite ${this.#path} (journal_mode=${s.journalMode}, synchronous=${s.synchronous}, foreign_keys=${s.foreignKeys ? 'ON' : 'OFF'}, busy_timeout=${s.busyTimeoutMs}ms, checkpoints on a background thread)`;
  }
}

class PostgresStore extends KyselyStore {
  readonly kind = 'postgres' as const;
  readonly #where: string;

  constructor(where: string, db: Kysely<Database>) {
    super(db, { kind: 'postgres', isUniqueViolation: pgErrors.isUniqueViolation });
    this.#where = where;
  }

  /**
   * Without it Kysely looks for its migration tables in any schema and, finding another schema's,
   * would skip creating its own (several couponhub schemas can share a database).
   */
  protected override async migrationSchema(): Promise<string | undefined> {
    const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    return r.rows[0]?.schema;
  }

  /** Read committed; limits hold through conditional writes. Deadlocks and serialization failures are retried. */
  async transaction<T>(fn: (q: Queries) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    // One statement is atomic by itself: no BEGIN and COMMIT round trips for it.
    if (options.singleStatement) return fn(this.q);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx: Transaction<Database>) => fn(createQueries(trx, this.dialect)));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt >= 5 || !code || !RETRYABLE_PG.has(code)) throw e;
        await new Promise((r) => setTimeout(r, attempt * 5 + Math.random() * 10));
      }
    }
  }

  describe(): string {
    return `PostgreSQL ${this.#where}`;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Opens the store named by the URL (not yet migrated). */
export function openStore(options: StoreOptions): Store {
  if (isPostgresUrl(options.url)) {
    const { db } = openPostgres({ url: options.url, poolSize: options.poolSize ?? 10, ...(options.pgSchema ? { schema: options.pgSchema } : {}) });
    return new PostgresStore(redact(options.url) + (options.pgSchema ? ` schema ${options.pgSchema}` : ''), db);
  }
  const { db, raw, settings } = openSqlite({
    path: options.url,
    synchronous: options.sqliteSynchronous ?? 'NORMAL',
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
  });
  return new SqliteStore(options.url, db, raw, settings);
}
