/**
 * Engine coupons → the CRM open API's list items, with exactly the fields and value types of the
 * seed's example (seed 002), in its order.
 */
import type { MemberCoupon } from '../../app/wallets/member-coupons.ts';
import type { CouponState } from '../../app/wallets/wallet.ts';
import type { CouponStatus } from '../../domain/coupon.ts';
import { FOREVER, type Template, type TemplateKind } from '../../domain/template.ts';
import { formatLocalDate, formatLocalDateTime } from '../../domain/time.ts';

export interface CrmItem {
  begDate: string;
  cacStatus: number;
  content: string;
  cpnCode: string;
  cpnId: string;
  cpnName: string;
  cpnType: string;
  cpnid: string;
  cpnids: string[];
  endDate: string;
  id: string;
  mmbid: string;
  openid: string;
  orgName: string;
  orgUse: number;
  orgcode: string;
  picUrl: string;
  sellScene: string;
  status: number;
  timeLimit: string;
  useTime: string;
  weekLimit: string;
}

/** SPEC §5: 0 not used (usable, frozen or not yet effective), 1 used, 2 expired or closed. */
export const CRM_STATUS = {
  usable: 0,
  not_yet_effective: 0,
  frozen: 0,
  used: 1,
  expired: 2,
  closed: 2,
} as const satisfies Record<Exclude<CouponState, 'deleted'>, number>;

/** Deleted coupons are not listed (SPEC §5). */
export const LISTED_STATUSES: readonly CouponStatus[] = ['usable', 'frozen', 'used', 'expired', 'closed'];

/**
 * 券类别: the seed shows only "0" (its cash coupons). Ours: "0" money off, "1" a percentage off,
 * "2" goods or a service exchanged for the coupon.
 */
export const CPN_TYPE = {
  cash: '0',
  general: '0',
  free_order: '0',
  free_shipping: '0',
  parking: '0',
  skip_queue: '0',
  discount: '1',
  member_card: '1',
  gift: '2',
  exchange: '2',
  product: '2',
  groupon: '2',
  buy_m_get_n: '2',
} as const satisfies Record<TemplateKind, string>;

/** Merchant-set display text (template `display`), or "" when absent or not text. */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `HH:mm-HH:mm` per time window, comma-separated; "" when the coupon works all day. */
export const timeLimit = (t: Template): string => t.rule.timeWindows.map((w) => `${w.from}-${w.to}`).join(',');

/** The weekdays `1,2,…` (1 = Monday) in order; "" when every day is allowed. */
export const weekLimit = (t: Template): string => [...t.rule.weekdays].sort((a, b) => a - b).join(',');

/** A coupon without an end is valid "forever": its last day is written 9999-12-31, not year 10000. */
const lastDay = (ms: number, tz: string): string => (ms >= FOREVER ? '9999-12-31' : formatLocalDate(ms, tz));

/** One list item. `openid` is the platform id the member was asked by, or its first one. */
export function toItem(mc: MemberCoupon, memberId: string, openid: string, tz: string): CrmItem {
  const { coupon: c, template: t } = mc;
  const d = t.display;
  return {
    begDate: formatLocalDate(c.validFrom, tz),
    // The seed's values match "can be spent right now" (its 11:00-14:00 coupons read -1 at 15:28).
    cacStatus: mc.usableNow ? 0 : -1,
    content: text(d.content),
    cpnCode: c.code,
    cpnId: '',
    cpnName: t.name,
    cpnType: CPN_TYPE[t.kind],
    cpnid: t.id,
    cpnids: [],
    endDate: lastDay(c.validTo, tz),
    id: c.id,
    mmbid: memberId,
    openid,
    orgName: text(d.orgName),
    orgUse: typeof d.orgUse === 'number' && Number.isInteger(d.orgUse) ? d.orgUse : 0,
    orgcode: text(d.orgcode),
    picUrl: text(d.picUrl),
    sellScene: text(d.sellScene),
    status: mc.state === 'deleted' ? CRM_STATUS.closed : CRM_STATUS[mc.state],
    timeLimit: timeLimit(t),
    useTime: mc.usedAt === null ? '' : formatLocalDateTime(mc.usedAt, tz),
    weekLimit: weekLimit(t),
  };
}
