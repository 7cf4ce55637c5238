import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { Redemption } from '../../domain/redemption.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';

/** 冲正: undoes a redemption; the coupon is usable again (expired if its validity has passed meanwhile). */
export async function reverseRedemption({ store, clock }: Deps, input: TenantInput & { redemptionId: string; reason?: string | null | undefined }): Promise<Redemption> {
  return store.transaction(async (q) => {
    const now = clock.now();
    const r = await q.redemptions.get(input.tenantId, input.redemptionId);
    if (!r) throw DomainError.notFound('redemption', input.redemptionId);
    if (!(await q.redemptions.reverse(input.tenantId, r.id, now))) {
      // Re-read: a reversal racing this one may have committed after the first read (PostgreSQL).
      const reversedAt = (await q.redemptions.get(input.tenantId, r.id))?.reversedAt ?? r.reversedAt;
      throw new DomainError(ErrorCode.already_reversed, `redemption ${r.id} was reversed already`, { reversedAt });
    }
    if (!(await q.coupons.setStatus(input.tenantId, r.couponId, 'used', 'usable', now))) {
      throw new DomainError(ErrorCode.illegal_transition, `coupon ${r.couponId} is no longer used; the redemption cannot be reversed`);
    }
    await q.events.append([
      { tenantId: input.tenantId, at: now, actor: input.actor, action: 'coupon.redemption_reversed', subjectType: 'coupon', subjectId: r.couponId, data: { redemptionId: r.id, orderId: r.orderId, reason: input.reason ?? null } },
    ]);
    return { ...r, status: 'reversed', reversedAt: now };
  });
}

export async function getRedemption({ store }: { store: Deps['store'] }, tenantId: string, id: string): Promise<Redemption> {
  const r = await store.q.redemptions.get(tenantId, id);
  if (!r) throw DomainError.notFound('redemption', id);
  return r;
}

export async function listRedemptions({ store }: { store: Deps['store'] }, tenantId: string, filter: { orderId?: string | undefined; code?: string | undefined }, page: { limit: number; offset: number }): Promise<Redemption[]> {
  return store.q.redemptions.list(tenantId, filter, page.limit, page.offset);
}
