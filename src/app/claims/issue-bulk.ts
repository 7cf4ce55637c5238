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
import type { Template } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';
import type { Deps, Ids } from '../ports.ts';
import { decideBatchInTransaction, type BatchClaim } from './claim-batch.ts';
import { issuedEvents, userCoupons } from './issue.ts';

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

/**
 * Lines per group inside a chunk's transaction: a chunk (one commit) is decided and written this
 * many lines at a time, so it never holds all its rows at once. At 1,000 a group's parameter
 * arrays stay under V8's large-object size (2,000 allocated two large objects per statement).
 */
const GROUP = 1000;

const INVALID_ID = 'not a valid user id (1-64 of A-Z a-z 0-9 _ . : @ -)';

/**
 * Issues one chunk of lines starting at `from` (the job's position); users are the lines' ids.
 * One transaction: the lines are decided in order, a group at a time, exactly as claims are (each
 * group sees the stock and per-user counts the groups before it took), then the chunk's coupons
 * are written in the order of their codes (see writeCoupons).
 */
export async function issueChunk(deps: Deps, input: { job: IssueJob; from: number; userIds: readonly string[]; actor: Actor }): Promise<ChunkResult> {
  const { job, userIds, actor } = input;
  return deps.store.transaction(async (q) => {
    const now = deps.clock.now();
    const refused: ChunkResult['refused'] = [];
    const granted: string[] = [];
    let template: Template | null = null;
    const claims: BatchClaim[] = [];
    for (let i = 0; i < userIds.length; i += GROUP) {
      claims.length = 0;
      for (let j = i; j < Math.min(userIds.length, i + GROUP); j++) {
        const userId = userIds[j] as string;
        if (ID.test(userId)) claims.push({ tenantId: job.tenantId, templateId: job.templateId, userId, actor });
        else refused.push({ userId, code: 'validation_failed', message: INVALID_ID });
      }
      const d = await decideBatchInTransaction(q, claims, now);
      template = d.template ?? template;
      d.outcomes.forEach((o, k) => {
        const { userId } = claims[k] as BatchClaim;
        if (o === null) granted.push(userId);
        else refused.push({ userId, code: o.error.code, message: o.error.message });
      });
    }
    if (template && granted.length > 0) await writeCoupons(q, deps.ids, template, granted, now, actor, { via: 'bulk', jobId: job.id });
    // Taking the lines is the last write: if another run took them first, all of this rolls back.
    if (!(await q.issueJobs.advance(job.id, input.from, userIds.length, granted.length, refused.length, now))) throw new ChunkAlreadyDone();
    return { applied: true, issued: granted.length, refused };
  }).catch((e) => {
    if (e instanceof ChunkAlreadyDone) return { applied: false, issued: 0, refused: [] };
    throw e;
  });
}

/**
 * One coupon for each granted user, with its issue event. The chunk's codes are drawn together
 * (one move of the counter); being drawn in order, they land at the end of the code index.
 */
async function writeCoupons(q: Queries, ids: Ids, t: Template, users: readonly string[], now: number, actor: Actor, via: Record<string, unknown>): Promise<void> {
  const codes = await q.coupons.drawCodes(users.length);
  for (let i = 0; i < users.length; i += GROUP) {
    const coupons = userCoupons(ids, t, users.slice(i, i + GROUP), codes.slice(i, i + GROUP), now);
    await q.coupons.insertNew(coupons);
    await q.events.append(issuedEvents(coupons, actor, via));
  }
}

class ChunkAlreadyDone extends Error {}

export async function finishIssueJob(deps: Deps, job: IssueJob, actor: Actor): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (q) => {
    await q.issueJobs.finish(job.id, now);
    await q.events.append([{ tenantId: job.tenantId, at: now, actor, action: 'issue_job.finished', subjectType: 'template', subjectId: job.templateId, data: { jobId: job.id } }]);
  });
  await deps.store.refreshStatistics();
}

/**
 * Sets the store's connection up for a bulk run (SQLite: page cache and checkpointing, never
 * durability) and returns a function that puts it back as it was.
 */
export function tuneStoreForBulk(deps: Deps): () => void {
  return deps.store.tuneForBulk();
}

/** Tenants holding a template with this id (to find the tenant when the CLI is not told). */
export async function tenantsWithTemplate(deps: Deps, templateId: string): Promise<string[]> {
  return deps.store.q.templates.tenantsWithId(templateId);
}

