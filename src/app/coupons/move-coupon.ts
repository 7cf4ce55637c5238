import { applyMove, type Coupon, type CouponMove } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';

export interface MoveCouponInput extends TenantInput {
  couponId: string;
  move: CouponMove;
  reason?: string | null | undefined;
}

/** Freezes, unfreezes, closes (OP后台 force-close) or deletes a coupon; illegal moves are refused. */
export async function moveCoupon({ store, clock }: Deps, input: MoveCouponInput): Promise<Coupon> {
  return store.transaction(async (q) => {
    const now = clock.now();
    const c = await q.coupons.get(input.tenantId, input.couponId);
    if (!c) throw DomainError.notFound('coupon', input.couponId);
    const to = applyMove(c, input.move, now);
    if (!(await q.coupons.setStatus(input.tenantId, c.id, c.status, to, now))) {
      throw new DomainError(ErrorCode.illegal_transition, `coupon ${c.id} changed while this ${input.move} was in progress; read it again`);
    }
    await q.events.append([
      { tenantId: input.tenantId, at: now, actor: input.actor, action: `coupon.${input.move}`, subjectType: 'coupon', subjectId: c.id, data: { from: c.status, to, reason: input.reason ?? null } },
    ]);
    return { ...c, status: to, updatedAt: now };
  });
}
