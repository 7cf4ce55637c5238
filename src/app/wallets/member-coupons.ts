/**
 * A member's coupons as partner CRMs read them (CRM open API, V3 CRM coupon): the member found by
 * its id or by a platform id (a WeChat openid), each coupon with its template, its state by the
 * clock, whether it could be spent at this very moment, and when it was spent.
 */
import type { User } from '../../domain/catalog.ts';
import type { Coupon, CouponStatus } from '../../domain/coupon.ts';
import { DomainError, ErrorCode, ReasonCode } from '../../domain/errors.ts';
import { evaluate } from '../../domain/redemption.ts';
import type { Template } from '../../domain/template.ts';
import type { Deps } from '../ports.ts';
import { couponState, type CouponState } from './wallet.ts';

export interface MemberRef {
  memberId: string | null;
  platformId: string | null;
}

/**
 * The member a partner means. With both ids given they must designate the same member, so a
 * partner never reads someone else's coupons through a stale link.
 */
export async function findMember({ store }: Deps, tenantId: string, ref: MemberRef): Promise<User> {
  if (!ref.memberId && !ref.platformId) throw DomainError.field('memberId', 'memberId or platformId is required');
  let id = ref.memberId;
  if (ref.platformId) {
    const linked = await store.q.catalog.userByPlatformId(tenantId, ref.platformId);
    if (!linked) throw new DomainError(ErrorCode.not_found, `no member has platform id ${JSON.stringify(ref.platformId)}`, { resource: 'member', id: ref.platformId });
    if (id && id !== linked) throw DomainError.field('platformId', `${ref.platformId} belongs to member ${linked}, not to ${id}`);
    id = linked;
  }
  const user = await store.q.catalog.getUser(tenantId, id as string);
  if (!user) throw DomainError.notFound('member', id as string);
  return user;
}

export interface MemberCoupon {
  coupon: Coupon;
  template: Template;
  state: CouponState;
  /** Could be spent right now: usable, inside its validity, on an allowed weekday and time. */
  usableNow: boolean;
  /** When its live redemption happened (used coupons), else null. */
  usedAt: number | null;
}

export interface MemberCouponQuery {
  tenantId: string;
  timezone: string;
  userId: string;
  /** Effective statuses to include; all when absent. */
  statuses?: readonly CouponStatus[] | undefined;
  /** Only the coupon with this code. */
  code?: string | undefined;
}

/** Reasons that depend on an order, not on the moment: ignored when asking "usable now?". */
const ORDER_REASONS: ReadonlySet<string> = new Set<string>([ReasonCode.below_min_order_amount, ReasonCode.product_kind_not_allowed, ReasonCode.channel_not_allowed]);

/** Whether the coupon could be spent at `now` on some order (the template's own rules decide). */
export function usableAt(coupon: Coupon, template: Template, now: number, timezone: string): boolean {
  const { reasons } = evaluate(coupon, template, { id: '', amount: 0, productKindIds: [], channelId: null }, now, timezone);
  return reasons.every((r) => ORDER_REASONS.has(r.code));
}

/** The member's coupons, newest first: one query for coupons, one for templates, one for redemptions. */
export async function memberCoupons({ store, clock }: Deps, m: MemberCouponQuery): Promise<MemberCoupon[]> {
  const now = clock.now();
  const coupons = await store.q.coupons.all(m.tenantId, { ownerType: 'user', ownerId: m.userId, status: m.statuses, code: m.code }, now);
  const templates = new Map((await store.q.templates.getMany(m.tenantId, [...new Set(coupons.map((c) => c.templateId))])).map((t) => [t.id, t]));
  const used = coupons.filter((c) => c.status === 'used').map((c) => c.id);
  const usedAt = new Map((await store.q.redemptions.activeForCoupons(m.tenantId, used)).map((r) => [r.couponId, r.createdAt]));
  return coupons.map((coupon) => {
    const template = templates.get(coupon.templateId) as Template;
    return { coupon, template, state: couponState(coupon, now), usableNow: usableAt(coupon, template, now, m.timezone), usedAt: usedAt.get(coupon.id) ?? null };
  });
}

/** One coupon of the member by its code (filtered by status when asked); not_found otherwise. */
export async function memberCouponByCode(deps: Deps, m: MemberCouponQuery & { code: string }): Promise<MemberCoupon> {
  if (m.code === '') throw DomainError.field('code', 'must not be empty');
  const [found] = await memberCoupons(deps, m);
  if (!found) throw DomainError.notFound('coupon', m.code);
  return found;
}
