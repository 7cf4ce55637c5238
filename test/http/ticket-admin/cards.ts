/** Valid WeChat cards of each type, and ticket bodies around them, for the ticket administration tests. */

export type TestCardType = 'DISCOUNT' | 'CASH' | 'GROUPON' | 'GIFT';

/** 2030-01-01T00:00:00+08:00 and 2030-12-31T23:59:59+08:00, in seconds. */
export const BEGIN_2030 = 1893427200;
export const END_2030 = 1924963199;

export const ROUTES: Record<TestCardType, string> = { DISCOUNT: '/discount/ticket', CASH: '/coupon/ticket', GROUPON: '/groupon/ticket', GIFT: '/gift/ticket' };

const OWN: Record<TestCardType, Record<string, unknown>> = {
  DISCOUNT: { discount: 30 },
  CASH: { least_cost: 3000, reduce_cost: 1000 },
  GROUPON: { deal_detail: '双人套餐：锅底一份，肥牛两份' },
  GIFT: { gift: '精美礼品一份' },
};

export function baseInfo(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    logo_url: 'http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0',
    code_type: 'CODE_TYPE_TEXT',
    brand_name: '海底捞',
    title: '海底捞优惠券',
    color: 'Color010',
    notice: '使用时向服务员出示此券',
    description: '不可与其他优惠同享',
    date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: BEGIN_2030, end_timestamp: END_2030 },
    sku: { quantity: 500 },
    get_limit: 3,
    service_phone: '020-88888888',
    ...over,
  };
}

/** A card of the type; `base` overrides base_info fields, `own` the type's fields, `advanced` sets advanced_info. */
export function aCard(type: TestCardType, over: { base?: Record<string, unknown>; own?: Record<string, unknown>; advanced?: Record<string, unknown> } = {}) {
  const key = type.toLowerCase();
  return { card_type: type, [key]: { base_info: baseInfo(over.base), ...OWN[type], ...over.own, ...(over.advanced ? { advanced_info: over.advanced } : {}) } };
}

export function aTicket(type: TestCardType, over: { card?: unknown; sync?: unknown; begin_at?: string; end_at?: string } = {}) {
  return { ticket_info: over.card ?? aCard(type), sync: over.sync ?? false, begin_at: over.begin_at ?? '2030-01-01', end_at: over.end_at ?? '2030-06-30' };
}
