/**
 * Why a coupon cannot be used, in plain words for the person at the till. The API gives a
 * stable code per reason; the words are built here from the coupon's own rules, so they read
 * "needs an order of at least ¥30.00" rather than an engine message in fen.
 */
import type { Catalog } from './catalog.ts';
import { money, when } from './format.ts';
import { hasMessage, t } from './i18n.ts';
import type { Coupon, Template } from './types.ts';

export interface ReasonContext {
  orderAmount: number;
  coupon: Coupon | null;
  template: Template | null;
  catalog: Catalog | null;
}

const names = (list: Array<{ id: string; name: string }> | undefined, ids: string[]) => ids.map((id) => list?.find((x) => x.id === id)?.name ?? id).join(t('common.listSep'));

function params(code: string, c: ReasonContext): Record<string, string> | null {
  const rule = c.template?.rule;
  switch (code) {
    case 'below_min_order_amount':
      return rule ? { amount: money(c.orderAmount), min: money(rule.minOrderAmount), missing: money(rule.minOrderAmount - c.orderAmount) } : null;
    case 'outside_time_window':
      return rule ? { windows: rule.timeWindows.map((w) => `${w.from}–${w.to}`).join(t('common.listSep')) } : null;
    case 'wrong_weekday':
      return rule ? { days: [...rule.weekdays].sort().map((d) => t(`weekday.${d}` as 'weekday.1')).join(t('common.listSep')) } : null;
    case 'product_kind_not_allowed':
      return rule ? { kinds: names(c.catalog?.productKinds, rule.productKindIds) } : null;
    case 'channel_not_allowed':
      return rule ? { channels: names(c.catalog?.channels, rule.channelIds) } : null;
    case 'not_yet_effective':
      return c.coupon ? { from: when(c.coupon.validFrom) } : null;
    default:
      return {};
  }
}

export function plainReason(reason: { code: string; message: string }, context: ReasonContext): string {
  const key = `reason.${reason.code}`;
  const p = params(reason.code, context);
  return hasMessage(key) && p ? t(key, p) : reason.message;
}
