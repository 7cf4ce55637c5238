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
import { claimRefusal } from '../../domain/template.ts';
import type { Queries } from '../../store/store.ts';
import type { Ids } from '../ports.ts';
import { issuedEvents, newCoupons, outOfStock } from './issue.ts';

export interface BatchClaim {
  tenantId: string;
  templateId: string;
  userId: string;
  actor: Actor;
}

export type BatchOutcome = { ok: true; coupon: Coupon } | { ok: false; error: DomainError };

/**
 * Decides and writes every claim of the batch (all of one tenant and template). `via` is recorded
 * in each coupon's issue event (claim, bulk issue job…).
 */
export async function claimBatchInTransaction(q: Queries, ids: Ids, claims: readonly BatchClaim[], now: number, via: Record<string, unknown> = { via: 'claim' }): Promise<BatchOutcome[]> {
  const first = claims[0];
  if (!first) return [];
  const { tenantId, templateId } = first;
  const t = await q.templates.lockForClaim(tenantId, templateId);
  if (!t) return claims.map(() => ({ ok: false, error: DomainError.notFound('template', templateId) }));
  const why = claimRefusal(t, now);
  if (why) return claims.map(() => ({ ok: false, error: new DomainError(ErrorCode.not_claimable, why, { templateId }) }));

  // Counters exist only under a limit (see user-counts.ts).
  const limited = t.perUserLimit !== null;
  const limit = t.perUserLimit ?? Number.POSITIVE_INFINITY;
  const counts = limited ? await q.templates.userCounts('template_claims', tenantId, templateId, [...new Set(claims.map((c) => c.userId))]) : new Map<string, number>();
  const changed = new Map<string, number>();
  let remaining = t.stock === null ? Number.POSITIVE_INFINITY : t.stock - t.claimed;
  const outcomes: Array<BatchOutcome | null> = claims.map((c) => {
    const had = changed.get(c.userId) ?? counts.get(c.userId) ?? 0;
    if (had + 1 > limit) {
      return { ok: false, error: new DomainError(ErrorCode.limit_reached, `user ${c.userId} has claimed template ${t.id} the most times allowed (${t.perUserLimit})`, { templateId: t.id, limit: t.perUserLimit }) };
    }
    if (remaining < 1) return { ok: false, error: outOfStock(t, 1) };
    remaining--;
    changed.set(c.userId, had + 1);
    return null;
  });
  const granted = claims.filter((_, i) => outcomes[i] === null);
  if (granted.length === 0) return outcomes as BatchOutcome[];

  // Conditional even under the lock: a belt to the braces above.
  if (!(await q.templates.takeStock(tenantId, t.id, granted.length))) throw new Error(`stock of template ${t.id} moved under its lock`);
  if (limited) await q.templates.writeUserCounts('template_claims', tenantId, t.id, changed);
  await q.catalog.ensureUsers(tenantId, granted.map((c) => c.userId), now);
  const coupons = granted.map((c) => newCoupons(ids, t, { tenantId, ownerType: 'user', ownerId: c.userId, chatId: null, senderId: null, packageId: null }, 1, now)[0] as Coupon);
  await q.coupons.insertNew(coupons, ids.couponCode);
  await q.events.append(coupons.flatMap((c, i) => issuedEvents([c], (granted[i] as BatchClaim).actor, via)));
  let next = 0;
  return outcomes.map((o) => o ?? { ok: true, coupon: coupons[next++] as Coupon });
}
