import type { Selectable } from 'kysely';
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
}
