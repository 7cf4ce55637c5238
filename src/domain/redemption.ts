/**
 * Deciding whether a coupon may take money off an order, and how much. Pure: the caller gives
 * the coupon, its template, the order, the instant and the tenant's timezone.
 */
import { effectiveStatus, type Coupon } from './coupon.ts';
import { ReasonCode, type Reason } from './errors.ts';
import { capDiscount, discountOff } from './money.ts';
import { TemplateKind, type TemplateData } from './template.ts';
import { localParts, parseClock } from './time.ts';

export interface Order {
  id: string;
  amount: number;
  productKindIds: string[];
  channelId: string | null;
}

export interface Evaluation {
  valid: boolean;
  discountAmount: number;
  reasons: Reason[];
}

export interface Redemption {
  tenantId: string;
  id: string;
  couponId: string;
  code: string;
  orderId: string;
  orderAmount: number;
  discountAmount: number;
  status: 'active' | 'reversed';
  createdAt: number;
  reversedAt: number | null;
}

const STATUS_REASONS = {
  frozen: { code: ReasonCode.coupon_frozen, message: 'the coupon is frozen' },
  used: { code: ReasonCode.coupon_used, message: 'the coupon has already been used' },
  expired: { code: ReasonCode.coupon_expired, message: 'the coupon has expired' },
  closed: { code: ReasonCode.coupon_closed, message: 'the coupon was closed' },
  deleted: { code: ReasonCode.coupon_deleted, message: 'the coupon was deleted' },
} as const;

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Money a coupon of this template takes off an order of `orderAmount`, before any rule check. */
export function discountFor(t: Pick<TemplateData, 'kind' | 'amount' | 'discount' | 'rule'>, orderAmount: number): number {
  let raw: number;
  switch (t.kind) {
    case TemplateKind.discount:
    case TemplateKind.member_card:
      raw = t.discount === null ? 0 : discountOff(orderAmount, t.discount);
      break;
    case TemplateKind.free_order:
      raw = orderAmount;
      break;
    case TemplateKind.skip_queue:
      raw = 0;
      break;
    default:
      raw = t.amount ?? 0;
  }
  return capDiscount(raw, t.rule.maxDiscountAmount, orderAmount);
}

function ruleReasons(t: TemplateData, order: Order, now: number, timeZone: string): Reason[] {
  const reasons: Reason[] = [];
  const rule = t.rule;
  if (rule.weekdays.length > 0 || rule.timeWindows.length > 0) {
    const local = localParts(now, timeZone);
    if (rule.weekdays.length > 0 && !rule.weekdays.includes(local.weekday)) {
      const names = [...rule.weekdays].sort().map((d) => WEEKDAY_NAMES[d]).join(', ');
      reasons.push({ code: ReasonCode.wrong_weekday, message: `the coupon can be used on ${names} only; today is ${WEEKDAY_NAMES[local.weekday]}` });
    }
    if (rule.timeWindows.length > 0) {
      const minute = local.hour * 60 + local.minute;
      const inside = rule.timeWindows.some((w) => minute >= (parseClock(w.from) ?? 0) && minute < (parseClock(w.to) ?? 0));
      if (!inside) {
        const spans = rule.timeWindows.map((w) => `${w.from}-${w.to}`).join(', ');
        reasons.push({ code: ReasonCode.outside_time_window, message: `the coupon can be used during ${spans} only` });
      }
    }
  }
  if (order.amount < rule.minOrderAmount) {
    reasons.push({
      code: ReasonCode.below_min_order_amount,
      message: `the order amount ${order.amount} fen is below the minimum of ${rule.minOrderAmount} fen`,
    });
  }
  if (rule.productKindIds.length > 0 && !order.productKindIds.some((k) => rule.productKindIds.includes(k))) {
    reasons.push({ code: ReasonCode.product_kind_not_allowed, message: `the order holds none of the product kinds ${rule.productKindIds.join(', ')}` });
  }
  if (rule.channelIds.length > 0 && (order.channelId === null || !rule.channelIds.includes(order.channelId))) {
    reasons.push({
      code: ReasonCode.channel_not_allowed,
      message: order.channelId === null ? `the coupon needs one of the channels ${rule.channelIds.join(', ')}` : `channel ${order.channelId} is not one of ${rule.channelIds.join(', ')}`,
    });
  }
  return reasons;
}

/** Every reason the coupon cannot be used on this order now, and the discount it would give. */
export function evaluate(coupon: Coupon, t: TemplateData, order: Order, now: number, timeZone: string): Evaluation {
  const reasons: Reason[] = [];
  const status = effectiveStatus(coupon, now);
  if (status !== 'usable') reasons.push(STATUS_REASONS[status]);
  else if (now < coupon.validFrom) {
    reasons.push({ code: ReasonCode.not_yet_effective, message: `the coupon becomes usable at ${new Date(coupon.validFrom).toISOString()}` });
  }
  if (coupon.ownerType === 'operator') {
    reasons.push({ code: ReasonCode.owner_mismatch, message: 'the coupon is held by an operator and has not been sent to a user yet' });
  }
  reasons.push(...ruleReasons(t, order, now, timeZone));
  const valid = reasons.length === 0;
  return { valid, discountAmount: valid ? discountFor(t, order.amount) : 0, reasons };
}
