import { SqliteAdapter, sql, type Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { Executor } from './index.ts';

export interface IssueJob {
  id: string;
  tenantId: string;
  templateId: string;
  fingerprint: string;
  source: string;
  total: number;
  /** Lines of the file handled so far (issued or refused). */
  done: number;
  issued: number;
  refused: number;
  status: 'running' | 'done';
  createdAt: number;
  updatedAt: number;
}

function toJob(r: Selectable<Database['issue_jobs']>): IssueJob {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    templateId: r.template_id,
    fingerprint: r.fingerprint,
    source: r.source,
    total: r.total,
    done: r.done,
    issued: r.issued,
    refused: r.refused,
    status: r.status as IssueJob['status'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class IssueJobQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** The job for this file and template, created if new (the same file resumes its job). */
  async open(job: IssueJob): Promise<IssueJob> {
    await this.#db
      .insertInto('issue_jobs')
      .values({
        id: job.id,
        tenant_id: job.tenantId,
        template_id: job.templateId,
        fingerprint: job.fingerprint,
        source: job.source,
        total: job.total,
        done: 0,
        issued: 0,
        refused: 0,
        status: 'running',
        created_at: job.createdAt,
        updated_at: job.createdAt,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'template_id', 'fingerprint']).doNothing())
      .execute();
    const r = await this.#db
      .selectFrom('issue_jobs')
      .selectAll()
      .where('tenant_id', '=', job.tenantId)
      .where('template_id', '=', job.templateId)
      .where('fingerprint', '=', job.fingerprint)
      .executeTakeFirstOrThrow();
    return toJob(r);
  }

  async get(id: string): Promise<IssueJob | null> {
    const r = await this.#db.selectFrom('issue_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  /**
   * Moves the job from `from` to `from + lines` if it is still at `from`: the chunk's claim on
   * those lines. False when another run already did them.
   */
  async advance(id: string, from: number, lines: number, issued: number, refused: number, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('issue_jobs')
      .set((eb) => ({ done: from + lines, issued: eb('issued', '+', issued), refused: eb('refused', '+', refused), updated_at: now }))
      .where('id', '=', id)
      .where('done', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async finish(id: string, now: number): Promise<void> {
    await this.#db.updateTable('issue_jobs').set({ status: 'done', updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * SQLite: sets this connection up for a bulk run (BULK_CONNECTION) and returns the settings it
   * replaced, for restoreConnection. PostgreSQL has nothing to set: null.
   */
  async tuneConnectionForBulk(): Promise<ConnectionSettings | null> {
    if (!(this.#db.getExecutor().adapter instanceof SqliteAdapter)) return null;
    const before: ConnectionSettings = { ...BULK_CONNECTION };
    for (const key of Object.keys(PRAGMAS) as Array<keyof ConnectionSettings>) {
      const r = await sql.raw<Record<string, number>>(`pragma ${PRAGMAS[key]}`).execute(this.#db);
      before[key] = Number(Object.values(r.rows[0] ?? {})[0]);
    }
    await this.restoreConnection(BULK_CONNECTION);
    return before;
  }

  /** SQLite: puts connection settings back (what tuneConnectionForBulk returned). */
  async restoreConnection(settings: ConnectionSettings): Promise<void> {
    for (const key of Object.keys(PRAGMAS) as Array<keyof ConnectionSettings>) {
      await sql.raw(`pragma ${PRAGMAS[key]} = ${Math.trunc(settings[key])}`).execute(this.#db);
    }
  }
}

/**
 * SQLite settings of one connection. None touches durability: journal mode and synchronous stay
 * as the store set them, so a committed chunk survives a crash as any commit does.
 */
export interface ConnectionSettings {
  /** PRAGMA cache_size: the page cache, in pages or (negative) KiB. */
  cacheSize: number;
  /** PRAGMA wal_autocheckpoint: WAL pages past which a commit on this connection checkpoints by itself. */
  walAutocheckpoint: number;
  /** PRAGMA journal_size_limit: bytes the WAL file is cut back to when it restarts (-1: kept). */
  journalSizeLimit: number;
}

const PRAGMAS: Record<keyof ConnectionSettings, string> = { cacheSize: 'cache_size', walAutocheckpoint: 'wal_autocheckpoint', journalSizeLimit: 'journal_size_limit' };

/**
 * A bulk run's connection, as measured issuing 1,000,000 coupons:
 * - a 16 MiB page cache instead of 64: a chunk's coupons are written in code order, so the cache
 *   only needs the stretch of each index being written; 64 MiB bought no speed and ~50 MB of RSS;
 * - commits checkpoint by themselves past 100,000 WAL pages instead of 50,000: the checkpoint
 *   thread does that copying off the event loop, while each checkpoint on this connection held a
 *   commit up for 0.4-0.6 s (the WAL file grows to ~500 MB instead of ~300 during the run);
 * - the WAL file is not cut back to 64 MB at each restart: cutting it and growing it again held
 *   the next commit up for ~0.2 s. The store's close truncates it as usual.
 */
const BULK_CONNECTION: ConnectionSettings = Object.freeze({ cacheSize: -16_384, walAutocheckpoint: 100_000, journalSizeLimit: -1 });
