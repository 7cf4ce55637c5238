/**
 * Bulk issuing (发券): a merchant hands one coupon of a template to each user of a list. The list
 * is worked through in chunks; each chunk is one transaction that issues its coupons with the same
 * group-commit logic as claims (stock and per-user limits hold exactly) and moves the job's
 * position past its lines, so a run that stops half-way resumes where it left off, without
 * issuing any line twice.
 */

import type { Actor } from '../../domain/catalog.ts';
import { DomainError } from '../../domain/errors.ts';
import type { IssueJob } from '../../store/queries/issue-jobs.ts';
import type { Deps } from '../ports.ts';
import { claimBatchInTransaction } from './claim-batch.ts';

export type { IssueJob };

export interface ChunkResult {
  /** false when another run had already done these lines (nothing was written). */
  applied: boolean;
  issued: number;
  refused: Array<{ userId: string; code: string; message: string }>;
}

const ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** Opens (or resumes) the job for a file: same tenant, template and content → same job. */
export async function openIssueJob(deps: Deps, input: { tenantId: string; templateId: string; fingerprint: string; source: string; total: number; actor: Actor }): Promise<IssueJob> {
  const t = await deps.store.q.templates.get(input.tenantId, input.templateId);
  if (!t) throw DomainError.notFound('template', input.templateId);
  const now = deps.clock.now();
  // In a transaction (not store.q) so that, on SQLite, it waits for another process's write lock
  // on a timer like every other write; and the job and its event are written together.
  return deps.store.transaction(async (q) => {
    const job = await q.issueJobs.open({ id: deps.ids.id(), ...input, done: 0, issued: 0, refused: 0, status: 'running', createdAt: now, updatedAt: now });
    if (job.createdAt === now && job.done === 0) {
      await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'issue_job.started', subjectType: 'template', subjectId: input.templateId, data: { jobId: job.id, source: input.source, total: input.total } }]);
    }
    return job;
  });
}

/** Issues one chunk of lines starting at `from` (the job's position); users are the lines' ids. */
export async function issueChunk(deps: Deps, input: { job: IssueJob; from: number; userIds: string[]; actor: Actor }): Promise<ChunkResult> {
  const { job } = input;
  return deps.store.transaction(async (q) => {
    const now = deps.clock.now();
    const valid = input.userIds.filter((u) => ID.test(u));
    const refused = input.userIds.filter((u) => !ID.test(u)).map((userId) => ({ userId, code: 'validation_failed', message: 'not a valid user id (1-64 of A-Z a-z 0-9 _ . : @ -)' }));
    const outcomes = await claimBatchInTransaction(
      q,
      deps.ids,
      valid.map((userId) => ({ tenantId: job.tenantId, templateId: job.templateId, userId, actor: input.actor })),
      now,
      { via: 'bulk', jobId: job.id },
    );
    outcomes.forEach((o, i) => {
      if (!o.ok) refused.push({ userId: valid[i] as string, code: o.error.code, message: o.error.message });
    });
    const issued = outcomes.filter((o) => o.ok).length;
    // Taking the lines is the last write: if another run took them first, all of this rolls back.
    if (!(await q.issueJobs.advance(job.id, input.from, input.userIds.length, issued, refused.length, now))) throw new ChunkAlreadyDone();
    return { applied: true, issued, refused };
  }).catch((e) => {
    if (e instanceof ChunkAlreadyDone) return { applied: false, issued: 0, refused: [] };
    throw e;
  });
}

class ChunkAlreadyDone extends Error {}

export async function finishIssueJob(deps: Deps, job: IssueJob, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (q) => {
    await q.issueJobs.finish(job.id, now);
    await q.events.append([{ tenantId: job.tenantId, at: now, actor, action: 'issue_job.finished', subjectType: 'template', subjectId: job.templateId, data: { jobId: job.id } }]);
  });
}

/** Tenants holding a template with this id (to find the tenant when the CLI is not told). */
export async function tenantsWithTemplate(deps: Deps, templateId: string): Promise<string[]> {
  return deps.store.q.templates.tenantsWithId(templateId);
}

