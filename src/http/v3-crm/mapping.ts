/**
 * Engine coupons → the V3 CRM coupon API's card objects: the fields of seed 003's example, in
 * its order, every value a string as the example has them (`templateId` "951", `useStatus` "0").
 */
import type { MemberCoupon } from '../../app/wallets/member-coupons.ts';
import type { CouponState } from '../../app/wallets/wallet.ts';
import type { CouponStatus } from '../../domain/coupon.ts';
import { FOREVER, type TemplateKind } from '../../domain/template.ts';
import { formatLocalDateTime } from '../../domain/time.ts';

export interface V3Card {
  beginAt: string;
  cardId: string;
  channel: string;
  couponId: string;
  couponType: string;
  createdAt: string;
  customerId: string;
  title: string;
  updatedAt: string;
  useStatus: string;
  templateId: string;
  endAt: string;
  extra: string;
}

/** SPEC §6 useStatus: 0 not used (also reversed, not yet effective), 1 redeemed, 2 frozen, 6 expired or closed, 7 deleted. */
export const USE_STATUS = {
  usable: '0',
  not_yet_effective: '0',
  used: '1',
  frozen: '2',
  expired: '6',
  closed: '6',
  deleted: '7',
} as const satisfies Record<CouponState, string>;

/** The `useStatus` filter → effective engine statuses (the clock decides expiry). */
export const USE_STATUS_FILTER: Readonly<Record<number, readonly CouponStatus[]>> = {
  0: ['usable'],
  1: ['used'],
  2: ['frozen'],
  6: ['expired', 'closed'],
  7: ['deleted'],
};

/**
 * SPEC §6 couponType: 0 cash or discount, 2 free order, 3 ERP exchange, 4 buy M get N, 5 product,
 * 6 free shipping, 7 skip the queue, 8 parking. Kinds the seed does not name take the nearest:
 * general and member-card coupons take money off (0), a gift is exchanged offline (3), a groupon
 * is a set product (5).
 */
export const COUPON_TYPE = {
  cash: '0',
  discount: '0',
  general: '0',
  member_card: '0',
  free_order: '2',
  exchange: '3',
  gift: '3',
  buy_m_get_n: '4',
  product: '5',
  groupon: '5',
  free_shipping: '6',
  skip_queue: '7',
  parking: '8',
} as const satisfies Record<TemplateKind, string>;

/** `yyyy-MM-dd HH:mm:ss` in the tenant's zone; a coupon without an end ends 9999-12-31 23:59:59. */
const dateTime = (ms: number, tz: string): string => (ms >= FOREVER ? '9999-12-31 23:59:59' : formatLocalDateTime(ms, tz));

/** One card; `channel` is the credential's merchant account name. */
export function toCard(mc: MemberCoupon, channel: string, tz: string): V3Card {
  const { coupon: c, template: t } = mc;
  return {
    beginAt: dateTime(c.validFrom, tz),
    cardId: c.code,
    channel,
    couponId: c.id,
    couponType: COUPON_TYPE[t.kind],
    createdAt: dateTime(c.issuedAt, tz),
    customerId: c.ownerId,
    title: t.name,
    updatedAt: dateTime(c.updatedAt, tz),
    useStatus: USE_STATUS[mc.state],
    templateId: String(t.number),
    endAt: dateTime(c.validTo, tz),
    extra: typeof t.display.extra === 'string' ? t.display.extra : '',
  };
}
