import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { evaluate, type Order, type Redemption } from '../../domain/redemption.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { checkOrder, loadForOrder } from './validate-order.ts';

export interface RedeemInput extends TenantInput {
  code: string;
  order: Order;
}

/**
 * Spends a coupon on an order. Redeeming the same code for the same order again returns the
 * first redemption. The coupon moves usable → used by a conditional write, so of many
 * concurrent redemptions exactly one wins; the others see coupon_not_usable with the reason.
 */
export async function redeemCoupon(deps: Deps, input: RedeemInput): Promise<{ redemption: Redemption; replayed: boolean }> {
  checkOrder(input.order);
  const { store, clock, ids } = deps;
  return store.transaction(async (q) => {
    const now = clock.now();
    const { coupon, template, timezone } = await loadForOrder(q, input.tenantId, input.code);
    // A live redemption means a used coupon: only then can this be a repeat of the same order.
    const earlierFor = async () => (await q.redemptions.activeFor(input.tenantId, coupon.id, input.order.id)) ?? null;
    const earlier = coupon.status === 'used' ? await earlierFor() : null;
    if (earlier) return { redemption: earlier, replayed: true };
    const verdict = evaluate(coupon, template, input.order, now, timezone);
    const refuse = (reasons = verdict.reasons) =>
      new DomainError(ErrorCode.coupon_not_usable, `coupon ${coupon.code} cannot be used on order ${input.order.id}: ${reasons.map((r) => r.message).join('; ')}`, { reasons });
    if (!verdict.valid) throw refuse();
    if (!(await q.coupons.markUsed(input.tenantId, coupon.id, now))) {
      // Someone else got there first; if it was the same order, that is this redemption.
      const same = await earlierFor();
      if (same) return { redemption: same, replayed: true };
      const fresh = await loadForOrder(q, input.tenantId, input.code);
      throw refuse(evaluate(fresh.coupon, template, input.order, now, timezone).reasons);
    }
    const redemption: Redemption = {
      tenantId: input.tenantId,
      id: ids.id(),
      couponId: coupon.id,
      code: coupon.code,
      orderId: input.order.id,
      orderAmount: input.order.amount,
      discountAmount: verdict.discountAmount,
      status: 'active',
      createdAt: now,
      reversedAt: null,
    };
    await q.redemptions.insert(redemption);
    await q.events.append([
      {
        tenantId: input.tenantId,
        at: now,
        actor: input.actor,
        action: 'coupon.redeemed',
        subjectType: 'coupon',
        subjectId: coupon.id,
        data: { redemptionId: redemption.id, orderId: input.order.id, orderAmount: input.order.amount, discountAmount: redemption.discountAmount },
      },
    ]);
    return { redemption, replayed: false };
  });
}
