/**
 * Many claims of one template in one transaction (group commit). The template row is locked
 * first — as on every claim path — so the stock and the per-user counts read under that lock
 * cannot move until the transaction ends; each claim is then decided in arrival order, exactly as
 * if they had run one after another, and everything is written with a handful of multi-row
 * statements. Each caller gets its own answer: a coupon, or its own refusal.
 */
import type { Actor } from '../../domain/catalog.ts';
import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { claimRefusal, type Template } from '../../domain/template.ts';
import { CodeTakenError } from '../../store/queries/claims.ts';
import type { Queries, Store } from '../../store/store.ts';
import { ONE_STATEMENT, type Ids } from '../ports.ts';
import { forgetTemplate, templateLastSeen } from '../templates/template-cache.ts';
import { issuedEvents, outOfStock, userCoupons } from './issue.ts';

export interface BatchClaim {
  tenantId: string;
  templateId: string;
  userId: string;
  actor: Actor;
}

export type BatchRefusal = { ok: false; error: DomainError };
export type BatchOutcome = { ok: true; coupon: Coupon } | BatchRefusal;

/** What the decisions of a batch came to (see decideBatchInTransaction). */
export interface BatchDecision {
  /** The template, as locked (null when it does not exist or cannot be claimed). */
  template: Template | null;
  /** Per claim, in order: null when granted, else its refusal. */
  outcomes: Array<BatchRefusal | null>;
  /** The granted claims, in order. */
  granted: BatchClaim[];
}

/**
 * Decides every claim of the batch (all of one tenant and template) in order and writes all that
 * the grants change except the coupons themselves: the stock taken, the per-user counts and the
 * users. The caller writes one coupon for each granted claim in the same transaction.
 */
export async function decideBatchInTransaction(q: Queries, claims: readonly BatchClaim[], now: number): Promise<BatchDecision> {
  const first = claims[0];
  if (!first) return { template: null, outcomes: [], granted: [] };
  const { tenantId, templateId } = first;
  const t = await q.templates.lockForClaim(tenantId, templateId);
  if (!t) return { template: null, outcomes: claims.map(() => ({ ok: false, error: DomainError.notFound('template', templateId) })), granted: [] };
  const why = claimRefusal(t, now);
  if (why) return { template: null, outcomes: claims.map(() => ({ ok: false, error: new DomainError(ErrorCode.not_claimable, why, { templateId }) })), granted: [] };

  // Counters exist only under a limit (see user-counts.ts).
  const limited = t.perUserLimit !== null;
  const limit = t.perUserLimit ?? Number.POSITIVE_INFINITY;
  const counts = limited ? await q.templates.userCounts('template_claims', tenantId, templateId, [...new Set(claims.map((c) => c.userId))]) : new Map<string, number>();
  const changed = new Map<string, number>();
  let remaining = t.stock === null ? Number.POSITIVE_INFINITY : t.stock - t.claimed;
  const outcomes: Array<BatchRefusal | null> = [];
  const granted: BatchClaim[] = [];
  for (const c of claims) {
    const had = changed.get(c.userId) ?? counts.get(c.userId) ?? 0;
    if (had + 1 > limit) {
      outcomes.push({ ok: false, error: new DomainError(ErrorCode.limit_reached, `user ${c.userId} has claimed template ${t.id} the most times allowed (${t.perUserLimit})`, { templateId: t.id, limit: t.perUserLimit }) });
    } else if (remaining < 1) {
      outcomes.push({ ok: false, error: outOfStock(t, 1) });
    } else {
      remaining--;
      if (limited) changed.set(c.userId, had + 1);
      outcomes.push(null);
      granted.push(c);
    }
  }
  if (granted.length === 0) return { template: t, outcomes, granted };

  // Conditional even under the lock: a belt to the braces above.
  if (!(await q.templates.takeStock(tenantId, t.id, granted.length))) throw new Error(`stock of template ${t.id} moved under its lock`);
  if (limited) await q.templates.writeUserCounts('template_claims', tenantId, t.id, changed);
  await q.catalog.ensureUsers(tenantId, granted.map((c) => c.userId), now);
  return { template: t, outcomes, granted };
}

/**
 * Decides and writes every claim of the batch (all of one tenant and template). `via` is recorded
 * in each coupon's issue event (claim, bulk issue job…).
 */
export async function claimBatchInTransaction(q: Queries, ids: Ids, claims: readonly BatchClaim[], now: number, via: Record<string, unknown> = { via: 'claim' }): Promise<BatchOutcome[]> {
  const { template: t, outcomes, granted } = await decideBatchInTransaction(q, claims, now);
  if (!t || granted.length === 0) return outcomes as BatchOutcome[];
  const codes = await q.coupons.drawCodes(granted.length);
  const coupons = userCoupons(ids, t, granted.map((c) => c.userId), codes, now);
  await q.coupons.insertNew(coupons);
  await q.events.append(coupons.flatMap((c, i) => issuedEvents([c], (granted[i] as BatchClaim).actor, via)));
  let next = 0;
  return outcomes.map((o) => o ?? { ok: true, coupon: coupons[next++] as Coupon });
}

const CODE_ATTEMPTS = 8;

/** Rolls back an as-read write that did not hold (see claimBatchAsRead). */
class NotAsRead extends Error {
  readonly why: 'stale' | 'over-limit';
  constructor(why: 'stale' | 'over-limit') {
    super(`the batch could not be written as read (${why})`);
    this.why = why;
  }
}

/**
 * PostgreSQL: a batch with nothing to decide — its template, as this process last read it, is
 * claimable now and has stock for every claim, and no user claims more than a per-user limit
 * allows in it — is written by one statement (q.claims.issueAsRead) instead of a transaction of
 * seven round trips holding the template's lock: on its own without a per-user limit (one round
 * trip, its own commit), in a transaction with one (three: a user already at the limit rolls it
 * back). The statement takes the stock only while the template is still as read and has it, and
 * moves each user's counter only within the limit. When it does not hold (another process changed
 * the template, the stock ran low, a user is at the limit) nothing stays written, the cached
 * template is dropped if it may be behind, and null says: decide the batch under the lock
 * (claimBatchInTransaction), which answers each claim exactly.
 */
export async function claimBatchAsRead(store: Store, ids: Ids, claims: readonly BatchClaim[], now: number, via: Record<string, unknown> = { via: 'claim' }): Promise<BatchOutcome[] | null> {
  const first = claims[0];
  if (!first) return [];
  const t = await templateLastSeen(store.q, first.tenantId, first.templateId);
  if (!t) return null;
  if (claimRefusal(t, now) || (t.stock !== null && t.stock - t.claimed < claims.length)) {
    // Perhaps only the copy is behind (stock counted since, a status changed elsewhere): the next
    // batch reads the template again.
    forgetTemplate(t.tenantId, t.id);
    return null;
  }
  const limit = t.perUserLimit;
  if (limit !== null && !withinLimit(claims, limit)) return null;
  const codes = await store.q.coupons.drawCodes(claims.length);
  const coupons = userCoupons(ids, t, claims.map((c) => c.userId), codes, now);
  for (let attempt = 1; ; attempt++) {
    const events = coupons.flatMap((c, i) => issuedEvents([c], (claims[i] as BatchClaim).actor, via));
    const write = async (q: Queries) => {
      const r = await q.claims.issueAsRead({ tenantId: t.tenantId, templateId: t.id, seenUpdatedAt: t.updatedAt, coupons, events, now, perUserLimit: limit });
      if (r !== 'issued') throw new NotAsRead(r);
    };
    try {
      await store.transaction(write, limit === null ? ONE_STATEMENT : undefined);
      return coupons.map((coupon) => ({ ok: true, coupon }));
    } catch (e) {
      if (e instanceof NotAsRead) {
        if (e.why === 'stale') forgetTemplate(t.tenantId, t.id);
        return null;
      }
      if (!(e instanceof CodeTakenError) || attempt >= CODE_ATTEMPTS) throw e;
      const fresh = await store.q.coupons.drawCodes(coupons.length);
      coupons.forEach((c, i) => (c.code = fresh[i] as string));
    }
  }
}

/** No user has more claims in the batch than the limit allows in all. */
function withinLimit(claims: readonly BatchClaim[], limit: number): boolean {
  const n = new Map<string, number>();
  for (const c of claims) {
    const had = (n.get(c.userId) ?? 0) + 1;
    if (had > limit) return false;
    n.set(c.userId, had);
  }
  return true;
}
