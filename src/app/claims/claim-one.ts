import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { Queries } from '../../store/store.ts';
import type { Ids } from '../ports.ts';
import type { ClaimTemplateInput } from './claim-template.ts';
import { checkClaimChat, issuedEvents, newCoupons, outOfStock, refuseUnlessClaimable } from './issue.ts';

/**
 * One claim inside an open transaction: the template row is locked first (as on every claim
 * path), then the user's counter moves under the per-user limit, then the stock, then the coupon
 * is written. Any refusal throws and the transaction undoes the rest.
 */
export async function claimInTransaction(q: Queries, ids: Ids, input: ClaimTemplateInput, now: number): Promise<Coupon> {
  const t = await q.templates.lockForClaim(input.tenantId, input.templateId);
  if (!t) throw DomainError.notFound('template', input.templateId);
  refuseUnlessClaimable(t, now);
  const chatId = input.chatId ?? null;
  await checkClaimChat(q, input.tenantId, chatId, input.userId);
  if (t.perUserLimit !== null && !(await q.templates.bumpUserCount('template_claims', input.tenantId, t.id, input.userId, t.perUserLimit))) {
    throw new DomainError(ErrorCode.limit_reached, `user ${input.userId} has claimed template ${t.id} the most times allowed (${t.perUserLimit})`, { templateId: t.id, limit: t.perUserLimit });
  }
  if (!(await q.templates.takeStock(input.tenantId, t.id, 1))) throw outOfStock(t, 1);
  await q.catalog.ensureUser(input.tenantId, input.userId, now);
  const coupons = newCoupons(ids, t, { tenantId: input.tenantId, ownerType: 'user', ownerId: input.userId, chatId, senderId: null, packageId: null }, await q.coupons.drawCodes(1), now);
  await q.coupons.insertNew(coupons);
  await q.events.append(issuedEvents(coupons, input.actor, { via: 'claim' }));
  return coupons[0] as Coupon;
}
