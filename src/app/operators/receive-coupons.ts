import type { Coupon } from '../../domain/coupon.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { issuedEvents, newCoupons, outOfStock, refuseUnlessClaimable } from '../claims/issue.ts';

export interface ReceiveCouponsInput extends TenantInput {
  operatorId: string;
  templateId: string;
  count: number;
}

const MAX_RECEIVE = 10_000;

/**
 * An operator (OP) takes coupons of a template into their holdings, to send to users in chats
 * later. Stock applies; per-user limits do not (they are the users').
 */
export async function receiveCoupons({ store, clock, ids }: Deps, input: ReceiveCouponsInput): Promise<Coupon[]> {
  if (!Number.isSafeInteger(input.count) || input.count < 1 || input.count > MAX_RECEIVE) throw DomainError.field('count', `must be an integer from 1 to ${MAX_RECEIVE}`);
  return store.transaction(async (q) => {
    const now = clock.now();
    const t = await q.templates.get(input.tenantId, input.templateId);
    if (!t) throw DomainError.field('templateId', `template ${input.templateId} does not exist`);
    refuseUnlessClaimable(t, now);
    if (!(await q.templates.takeStock(input.tenantId, t.id, input.count))) throw outOfStock(t, input.count);
    await q.catalog.ensureNamed('operators', input.tenantId, { id: input.operatorId, name: input.operatorId }, now);
    const coupons = newCoupons(ids, t, { tenantId: input.tenantId, ownerType: 'operator', ownerId: input.operatorId, chatId: null, senderId: null, packageId: null }, await q.coupons.drawCodes(input.count), now);
    await q.coupons.insertNew(coupons);
    await q.events.append(issuedEvents(coupons, input.actor, { via: 'operator' }));
    return coupons;
  });
}
