/**
 * The store port: typed queries (queries/, shared by both databases) and transaction(fn).
 * Use cases receive a Store and never see Kysely or SQL.
 */
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import { createQueries, type Queries, type StoreDialect } from './queries/index.ts';
import type { Database } from './schema.ts';
import { runDirectly } from './sqlite/direct.ts';
import { openSqlite, setBusyTimeout, type NodeSqliteDatabase, type SqliteSettings, type SqliteSynchronous } from './sqlite/connect.ts';
import * as sqliteErrors from './sqlite/errors.ts';
import { tuneForBulk } from './sqlite/bulk-tuning.ts';
import { startCheckpointer, type Checkpointer } from './sqlite/checkpointer.ts';
import { OutsideTransactionGuard, insideSqliteTransaction, markOutside } from './sqlite/tx-guard.ts';
import type { MessagePort } from 'node:worker_threads';
import type { StatementSync } from 'node:sqlite';
import { WriterThread } from './sqlite/writer-thread.ts';
import type { ThreadTransaction } from './thread-transaction.ts';
import { openPostgres } from './postgres/connect.ts';
import * as pgErrors from './postgres/errors.ts';
import { KeyTakenError as KeyTaken } from './queries/redemptions.ts';
import { CodeSource } from './queries/coupon-codes.ts';
import { isDomainError } from '../domain/errors.ts';

export type { Queries } from './queries/index.ts';
export { threadTransaction, type ThreadTransaction } from './thread-transaction.ts';
export { WriterThreadLostError } from './sqlite/writer-thread.ts';
export { KeyTakenError } from './queries/redemptions.ts';
export { UnstorableInputError } from './postgres/errors.ts';

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Queries outside any transaction (each statement on its own). */
  readonly q: Queries;
  /** Runs fn in one transaction: all its writes commit together or none do. */
  transaction<T>(fn: (q: Queries) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs a module's transaction function (see thread-transaction.ts) in one transaction, as
   * transaction() does. On a SQLite file it runs on the store's writer thread, so its statements
   * and its commit do not hold up this thread's event loop; input and output are plain data.
   * Rejects with WriterThreadLostError if the thread stopped while it had the transaction (its
   * outcome is unknown: do not run it again).
   */
  threadTransaction<I, O>(fn: ThreadTransaction<I, O>, input: I): Promise<O>;
  migrate(): Promise<string[]>;
  /** One line for the start-up log: which database, and how it is set. */
  describe(): string;
  /**
   * Sets this process's connection up for a long bulk write (SQLite: page cache and checkpointing,
   * never durability; PostgreSQL: nothing) and returns a function that puts it back.
   */
  tuneForBulk(): () => void;
  /**
   * After a bulk write (an import, a bulk issue), lets the query planner see what was written.
   * PostgreSQL: ANALYZE of the tables hot queries read (autovacuum may be minutes away, or off);
   * SQLite: nothing (its plans here come from the indexes alone).
   */
  refreshStatistics(): Promise<void>;
  /**
   * For a store of the same SQLite file on another thread of this process (StoreOptions.writerLink):
   * a port to this store's writer thread, which then runs that store's thread transactions too,
   * in turn with this one's. Null without a writer thread of this store's own (PostgreSQL, a
   * memory database, the thread off, a store that is itself linked).
   */
  linkWriter(): MessagePort | null;
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
  /**
   * SQLite: how long a transaction waits for another process's write lock (a CLI import beside
   * the server) before it fails with DatabaseBusyError. The wait never blocks the event loop.
   */
  busyTimeoutMs?: number;
  poolSize?: number;
  /** PostgreSQL schema to use instead of public (tests). */
  pgSchema?: string;
  /** SQLite file: run threadTransaction() on a writer thread (default true; the thread itself says false). */
  writerThread?: boolean;
  /** SQLite file: checkpoint the WAL on a background thread (default true; a writer thread's store says false). */
  checkpoints?: boolean;
  /**
   * SQLite file: run threadTransaction() on the writer thread of another thread's store of the
   * same file, through this port (that store's linkWriter()), instead of starting one.
   */
  writerLink?: MessagePort;
  /** SQLite: page cache of the connection in KiB (default 64 MiB). */
  sqliteCacheKiB?: number;
  /** SQLite: WAL frames after which a commit on this connection checkpoints (default 50,000). */
  sqliteAutocheckpointFrames?: number;
}

/**
 * A transaction waited its whole allowance for another process's write lock and did not run.
 * Nothing was written: the same request can simply be made again (the native API says 503).
 */
export class DatabaseBusyError extends Error {
  readonly waitedMs: number;

  constructor(waitedMs: number) {
    super(`the database is busy: another process has held its write lock for more than ${waitedMs} ms (an import or a bulk issue?); nothing was written, try again shortly`);
    this.name = 'DatabaseBusyError';
    this.waitedMs = waitedMs;
  }
}

/** The database was locked by another process: the transaction's wait ran out, or a statement's did. */
export function isDatabaseBusy(e: unknown): boolean {
  return e instanceof DatabaseBusyError || sqliteErrors.isBusy(e);
}

/**
 * A statement failed because of what it was given — text it cannot store, a constraint (a taken
 * key, a unique index), a deadlock or serialization failure with another writer — not because the
 * database is unavailable: running its parts one by one can succeed, or fail only for the part at
 * fault. Anything else (a lost connection, a full pool, a server shutting down) would fail the
 * parts too, so a caller had better not multiply it.
 */
export function isInputFailure(e: unknown): boolean {
  if (e instanceof KeyTaken || isDomainError(e) || sqliteErrors.isUniqueViolation(e)) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '40P01' || code === '40001');
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

  threadTransaction<I, O>(fn: ThreadTransaction<I, O>, input: I): Promise<O> {
    return this.transaction((q) => fn.run(q, input));
  }

  linkWriter(): MessagePort | null {
    return null;
  }

  /** The schema Kysely keeps its migration tables in (PostgreSQL: the current schema). */
  protected async migrationSchema(): Promise<string | undefined> {
    return undefined;
  }

  async migrate(): Promise<string[]> {
    return this.migrateOn(this.db, false);
  }

  /** Applies the pending migrations through `db`; `ownTransaction`: the caller holds one around them all. */
  protected async migrateOn(db: Kysely<Database>, ownTransaction: boolean): Promise<string[]> {
    const schema = await this.migrationSchema();
    const migrator = new Migrator({ db, provider: migrationProvider, disableTransactions: ownTransaction, ...(schema ? { migrationTableSchema: schema } : {}) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  tuneForBulk(): () => void {
    return () => {};
  }

  async refreshStatistics(): Promise<void> {}

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

interface TransactionJob {
  fn: (q: Queries) => Promise<unknown>;
  single: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /**
   * performance.now() after which it stops waiting for the write lock; set at its first try, so
   * time spent queued behind this process's own batches does not count against its wait.
   */
  deadline: number | null;
  /** Set for a threadTransaction: it runs alone, on the writer thread (fn is its fallback here). */
  thread?: { fn: ThreadTransaction<unknown, unknown>; input: unknown };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Transactions per commit: enough to amortise the fsync, few enough to keep latency flat. */
const MAX_TRANSACTIONS_PER_COMMIT = 256;

/**
 * Claim batches of one store with the writer thread at once (the claim batcher keeps to it): one
 * running, one waiting there to start the moment it commits (claims +8 %, median of paired rounds
 * in `npm run bench:ab`; more in flight would only make the batches smaller).
 */
export const THREAD_PIPELINE = 2;

/**
 * Thread transactions of one store with the writer thread at once. Redemptions are one each:
 * those sent together wait there and commit together (the thread's own group commit), so
 * many in flight is one commit for many (redeems +30 % against two in flight, 2026-12-04).
 */
export const THREAD_JOBS_IN_FLIGHT = 64;

/** Longest pause between two tries for a write lock held by another process. */
const MAX_LOCK_RETRY_MS = 50;

/** Pause before try `attempt + 1`: doubling from 1 ms up to the maximum, jittered so processes do not retry in step. */
function lockRetryDelay(attempt: number): number {
  const ceiling = Math.min(MAX_LOCK_RETRY_MS, 2 ** attempt);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SAVEPOINT, RELEASE and ROLLBACK TO of one name, run straight on the connection. */
interface Savepoints {
  open(): void;
  release(): void;
  rollback(): void;
}

/**
 * Runs one transaction's function of a batch. A lone transaction needs no savepoint: if it throws,
 * the whole transaction rolls back. In a shared batch each runs in a savepoint, so a failure
 * undoes only its own writes — except a single statement, which SQLite already undoes by itself.
 */
async function runJob(q: Queries, job: TransactionJob, lone: boolean, savepoints: Savepoints): Promise<Outcome> {
  if (lone) return { ok: true, value: await job.fn(q) };
  if (job.single) {
    try {
      return { ok: true, value: await job.fn(q) };
    } catch (error) {
      return { ok: false, error };
    }
  }
  savepoints.open();
  try {
    const value = await job.fn(q);
    savepoints.release();
    return { ok: true, value };
  } catch (error) {
    savepoints.rollback();
    savepoints.release();
    return { ok: false, error };
  }
}

class SqliteStore extends KyselyStore {
  readonly kind = 'sqlite' as const;
  readonly #settings: SqliteSettings;
  readonly #path: string;
  readonly #checkpointer: Checkpointer | null;

  readonly #raw: NodeSqliteDatabase;
  readonly #writer: WriterThread | null;
  /**
   * Prepared once and run on the raw connection (the one Kysely's single connection wraps): a
   * group commit of many transactions opens a savepoint for each, and building and compiling
   * the statement through Kysely every time cost ~20 µs each on the writer thread.
   */
  #savepoints: Savepoints | null = null;

  constructor(path: string, db: Kysely<Database>, raw: NodeSqliteDatabase, settings: SqliteSettings, threads: { writer: boolean; checkpoints: boolean; writerLink?: MessagePort | undefined }) {
    super(db, { kind: 'sqlite', isUniqueViolation: sqliteErrors.isUniqueViolation, codes: new CodeSource('sqlite') }, runDirectly(markOutside(db.withPlugin(new OutsideTransactionGuard())), raw, false));
    this.#path = path;
    this.#raw = raw;
    this.#settings = settings;
    const file = path !== ':memory:';
    this.#checkpointer = file && threads.checkpoints ? startCheckpointer(path) : null;
    this.#writer = !file || !threads.writer ? null : new WriterThread(threads.writerLink ? { link: threads.writerLink } : { path, synchronous: settings.synchronous, lockWaitMs: settings.lockWaitMs });
  }

  /**
   * A port for a store of the same file on another thread (StoreOptions.writerLink): its thread
   * transactions then run on this store's writer thread, in turn with this store's own. Null
   * when this store has no writer thread of its own.
   */
  override linkWriter(): MessagePort | null {
    return this.#writer?.link() ?? null;
  }

  override tuneForBulk(): () => void {
    return tuneForBulk(this.#raw.raw);
  }

  /**
   * Transactions asked for before close() run to their end first (on the thread or here), so no
   * batch runs on a connection being closed and nothing queued is left unanswered.
   */
  override async close(): Promise<void> {
    // Bounded: a transaction may wait its allowance for another process's lock, not forever.
    const until = performance.now() + this.#settings.lockWaitMs + 2000;
    while ((this.#queue.length > 0 || this.#mainRunning || this.#onThread > 0 || this.#kickScheduled) && performance.now() < until) await sleep(1);
    await this.#writer?.close();
    await this.#checkpointer?.stop();
    await super.close();
  }

  /**
   * Queued like any transaction, so it runs in this process's turn to write: while the thread
   * has it, only other thread transactions are sent (see #dispatch), nothing runs on the main
   * connection, and the two connections never contend for SQLite's write lock (another process's
   * lock is waited for on the thread, as here).
   */
  override threadTransaction<I, O>(fn: ThreadTransaction<I, O>, input: I): Promise<O> {
    if (!this.#writer?.usable) return super.threadTransaction(fn, input);
    if (insideSqliteTransaction.getStore()) throw new Error('store.threadTransaction was called inside a transaction');
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({
        fn: (q) => fn.run(q, input),
        single: false,
        resolve: resolve as (v: unknown) => void,
        reject,
        deadline: null,
        thread: { fn: fn as ThreadTransaction<unknown, unknown>, input },
      });
      // With nothing queued before it and nothing on the main connection, it goes to the thread
      // now: waiting for the end of the turn would leave the thread idle meanwhile (those sent
      // together still commit together there).
      if (this.#queue.length === 1 && !this.#mainRunning && !this.#kickScheduled) this.#dispatch();
      else this.#kick();
    });
  }

  /** A threadTransaction on the writer thread; back here if the thread stopped before it was sent. */
  async #runOnThread(job: TransactionJob): Promise<void> {
    const writer = this.#writer;
    const thread = job.thread;
    if (!writer?.usable || !thread) return this.#runBatch([job]);
    try {
      const a = await writer.run(thread.fn, thread.input);
      if (a.ok) job.resolve(a.value);
      else if (a.busyMs !== null) job.reject(new DatabaseBusyError(a.busyMs));
      else if (a.name === 'KeyTakenError') job.reject(new KeyTaken());
      else job.reject(Object.assign(new Error(a.message), { stack: a.stack }));
    } catch (e) {
      // WriterThreadLostError (outcome unknown), or an input that could not be sent (nothing ran).
      job.reject(e);
    }
  }

  /**
   * Migrations run before anything is served, so they may wait on SQLite's own (blocking) busy
   * handler. They run in one IMMEDIATE transaction, all of them or none: Kysely runs SQLite's
   * migrations outside any transaction (its SQLite adapter says DDL is not transactional, which
   * SQLite's is), so a start stopped or failing mid-migration left it half applied — 0009 with its
   * index dropped and not yet rebuilt, 0005 with its table half rebuilt — and the next start
   * failing on it. IMMEDIATE takes the write lock first: a second process starting beside it
   * waits for it instead of failing on a snapshot that moved. (Comments in shipped migrations —
   * 0006, 0010 — still say SQLite runs them outside a transaction: their `if exists` / `if not
   * exists` guards are harmless now. A migration's console.warn is said again at the next start
   * when a later migration failed and rolled it back.) Everything inside runs on `conn`: code
   * here that used this.db would wait forever for the connection this transaction holds.
   */
  override async migrate(): Promise<string[]> {
    setBusyTimeout(this.#raw.raw, this.#settings.lockWaitMs);
    try {
      return await this.db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const applied = await this.migrateOn(conn, true);
          await sql`commit`.execute(conn);
          return applied;
        } catch (e) {
          // The migration's own error is the one to tell, whatever the rollback says.
          if (this.#raw.raw.isTransaction) await sql`rollback`.execute(conn).catch(() => {});
          throw e;
        }
      });
    } finally {
      setBusyTimeout(this.#raw.raw, this.#settings.busyTimeoutMs);
    }
  }

  /**
   * Group commit: transactions asked for while one runs wait and then run together in the next
   * one, each inside its own savepoint (so each still commits or rolls back on its own), with one
   * BEGIN and one COMMIT — one fsync — for all of them. A caller hears back only after that COMMIT.
   * BEGIN IMMEDIATE takes the write lock up front, so a batch never fails half-way when another
   * process (a CLI import beside the server) wrote in between; while that process holds the lock
   * the batch waits for it without blocking the event loop, up to the store's lock wait.
   */
  async transaction<T>(fn: (q: Queries) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (insideSqliteTransaction.getStore()) throw new Error('store.transaction was called inside a transaction: pass the open transaction\'s queries instead');
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        fn: fn as (q: Queries) => Promise<unknown>,
        single: options.singleStatement === true,
        resolve: resolve as (v: unknown) => void,
        reject,
        deadline: null,
      });
      this.#kick();
    });
  }

  readonly #queue: TransactionJob[] = [];
  /** A batch runs on the main connection (nothing is on the thread meanwhile). */
  #mainRunning = false;
  /** Thread transactions sent to the writer thread and not yet answered. */
  #onThread = 0;
  #kickScheduled = false;

  #kick(): void {
    if (this.#kickScheduled || this.#queue.length === 0) return;
    this.#kickScheduled = true;
    // setImmediate lets the requests read in the same I/O turn join this batch.
    setImmediate(() => {
      this.#kickScheduled = false;
      this.#dispatch();
    });
  }

  /**
   * Starts what the queue's order allows, first come first served. Thread transactions go to the
   * writer thread as they come, up to THREAD_JOBS_IN_FLIGHT at once: the thread runs them in
   * order on its connection (those waiting there together in one commit), and the next one is
   * already there when one commits, instead of waiting for its answer to reach this thread and a
   * new job to come back. A batch for the main connection waits until the thread has answered
   * everything sent, and nothing is sent while it runs: the two connections never hold or wait
   * for the write lock at the same time.
   */
  #dispatch(): void {
    if (this.#mainRunning) return;
    while (this.#queue[0]?.thread && this.#writer?.usable && this.#onThread < THREAD_JOBS_IN_FLIGHT) {
      this.#onThread++;
      void this.#runOnThread(this.#queue.shift() as TransactionJob).finally(() => {
        this.#onThread--;
        this.#kick();
      });
    }
    if (this.#queue.length === 0 || this.#onThread > 0) return;
    const first = this.#queue[0] as TransactionJob;
    // A thread transaction whose thread has stopped runs here, alone (#runOnThread falls back).
    const run = first.thread ? this.#runOnThread(this.#queue.shift() as TransactionJob) : this.#runBatch(this.#queue.splice(0, this.#batchable(0)));
    this.#mainRunning = true;
    void run.finally(() => {
      this.#mainRunning = false;
      this.#kick();
    });
  }

  /** How many queued jobs can join a batch that has `has` already: up to the next thread job, within the limit. */
  #batchable(has: number): number {
    let n = 0;
    while (n < this.#queue.length && has + n < MAX_TRANSACTIONS_PER_COMMIT && !this.#queue[n]?.thread) n++;
    return n;
  }

  /**
   * Runs a batch as soon as it gets the write lock. While another process holds it, the batch
   * waits on a timer with the connection free (reads go on under WAL); transactions asked for
   * meanwhile join it, and each is refused with DatabaseBusyError once its own wait runs out.
   */
  async #runBatch(jobs: TransactionJob[]): Promise<void> {
    // Other threads' stores write through the writer thread too, and this store cannot see their
    // transactions: the thread holds them off while this batch has the write lock.
    const release = this.#writer?.shared ? await this.#writer.turn() : null;
    try {
      await this.#runBatchAlone(jobs);
    } finally {
      release?.();
    }
  }

  async #runBatchAlone(jobs: TransactionJob[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const tried = performance.now();
      for (const job of jobs) job.deadline ??= tried + this.#settings.lockWaitMs;
      if (await this.#tryBatch(jobs)) return;
      const now = performance.now();
      // The lock was found held by another process: that is a first try for every transaction
      // queued behind this batch too, so none waits longer than its allowance, however many queue.
      const stillWaiting = (job: TransactionJob): boolean => {
        job.deadline ??= tried + this.#settings.lockWaitMs;
        if (now < job.deadline) return true;
        job.reject(new DatabaseBusyError(this.#settings.lockWaitMs));
        return false;
      };
      const waiting = jobs.filter(stillWaiting);
      const queued = this.#queue.filter(stillWaiting);
      this.#queue.length = 0;
      this.#queue.push(...queued);
      waiting.push(...this.#queue.splice(0, this.#batchable(waiting.length)));
      if (waiting.length === 0) return;
      jobs = waiting;
      // Wake up for the first deadline at the latest, so a job past it is answered on time (jobs
      // asked for since have none yet: they get theirs at the next try).
      const firstDeadline = Math.min(...jobs.map((j) => j.deadline ?? Number.POSITIVE_INFINITY));
      await sleep(Math.min(lockRetryDelay(attempt), Math.max(0, firstDeadline - now)));
    }
  }

  /**
   * BEGIN IMMEDIATE with SQLite's busy handler off (it would wait on the event loop's thread):
   * false at once when another connection holds the write lock.
   */
  #beginImmediate(): boolean {
    const raw = this.#raw.raw;
    setBusyTimeout(raw, 0);
    try {
      raw.exec('BEGIN IMMEDIATE');
      return true;
    } catch (e) {
      if (sqliteErrors.isBusy(e)) return false;
      throw e;
    } finally {
      setBusyTimeout(raw, this.#settings.busyTimeoutMs);
    }
  }

  /** One try at the batch: false when the write lock was taken (nothing ran), else every job is answered. */
  async #tryBatch(jobs: TransactionJob[]): Promise<boolean> {
    const outcomes: Outcome[] = [];
    let began: boolean;
    try {
      began = await this.db.connection().execute((conn) =>
        insideSqliteTransaction.run(true, async () => {
          if (!this.#beginImmediate()) return false;
          try {
            const q = createQueries(runDirectly(conn, this.#raw, true), this.dialect);
            for (const job of jobs) {
              const outcome = await runJob(q, job, jobs.length === 1, this.#savepointStatements());
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
          return true;
        }),
      );
    } catch (e) {
      // BEGIN or COMMIT failed (or a lone transaction threw): nothing of the batch is committed.
      jobs.forEach((job, i) => {
        const o = outcomes[i];
        job.reject(o && !o.ok ? o.error : e);
      });
      return true;
    }
    if (!began) return false;
    jobs.forEach((job, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
    return true;
  }

  #savepointStatements(): Savepoints {
    if (this.#savepoints) return this.#savepoints;
    const raw = this.#raw.raw;
    const [open, release, rollback] = ['SAVEPOINT tx', 'RELEASE tx', 'ROLLBACK TO tx'].map((text) => raw.prepare(text)) as [StatementSync, StatementSync, StatementSync];
    this.#savepoints = { open: () => void open.run(), release: () => void release.run(), rollback: () => void rollback.run() };
    return this.#savepoints;
  }

  describe(): string {
    const s = this.#settings;
    return `SQLite ${this.#path} (journal_mode=${s.journalMode}, synchronous=${s.synchronous}, foreign_keys=${s.foreignKeys ? 'ON' : 'OFF'}, busy_timeout=${s.busyTimeoutMs}ms, writes wait up to ${s.lockWaitMs}ms for another process's lock without blocking, checkpoints on a background thread${this.#writer ? ', hot transactions on a writer thread' : ''})`;
  }
}

class PostgresStore extends KyselyStore {
  readonly kind = 'postgres' as const;
  readonly #where: string;

  constructor(where: string, db: Kysely<Database>) {
    super(db, { kind: 'postgres', isUniqueViolation: pgErrors.isUniqueViolation, codes: new CodeSource('postgres') });
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
        if (attempt >= 5 || !code || !(RETRYABLE_PG.has(code) || pgErrors.isStalePreparedStatement(e))) throw e;
        await new Promise((r) => setTimeout(r, attempt * 5 + Math.random() * 10));
      }
    }
  }

  describe(): string {
    return `PostgreSQL ${this.#where}`;
  }

  /**
   * Without statistics the planner guesses, and for a freshly imported table it can guess badly:
   * measured, a coupon's redemption by primary key planned as a bitmap AND with the status index
   * (reading every usable coupon's index entry: 13 ms instead of 0.2 ms).
   */
  override async refreshStatistics(): Promise<void> {
    await sql`analyze coupons, templates, packages, package_receipts, template_claims, package_claims, redemptions, users, events`.execute(this.db);
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
    lockWaitMs: options.busyTimeoutMs ?? 5000,
    ...(options.sqliteCacheKiB ? { cacheKiB: options.sqliteCacheKiB } : {}),
    ...(options.sqliteAutocheckpointFrames ? { autocheckpointFrames: options.sqliteAutocheckpointFrames } : {}),
  });
  return new SqliteStore(options.url, db, raw, settings, { writer: options.writerThread ?? true, checkpoints: options.checkpoints ?? true, writerLink: options.writerLink });
}
