/**
 * What the benchmarks need on top of the demo data set: a hot template for the flash grab, a
 * template whose coupons are validated and redeemed, one to fill big stores with, one for bulk
 * issuing, and a chat whose user holds 200 coupons (OP v2 chat query, wallet query).
 */
import { DEMO_CHAT, DEMO_CREDENTIALS, DEMO_TENANT_ID, demoDataset } from '../src/app/data/demo-dataset.ts';
import type { CouponItemData, Dataset, TemplateItemData } from '../src/app/data/dataset.ts';

export const BENCH = {
  tenantId: DEMO_TENANT_ID,
  clientKey: DEMO_CREDENTIALS.clientKey,
  cashierKey: DEMO_CREDENTIALS.cashierKey,
  op: DEMO_CREDENTIALS.op,
  /** Finite but never reached, so every claim takes the conditional stock write of a real grab. */
  hotTemplateId: 'bench-hot',
  hotStock: 1_000_000_000,
  /** The same grab limited to one coupon per user (the usual 秒杀 rule): every claim moves a counter. */
  hotLimitedTemplateId: 'bench-hot-limited',
  redeemTemplateId: 'bench-redeem',
  fillTemplateId: 'bench-fill',
  bulkTemplateId: 'bench-bulk',
  validateCode: 'BENCHVALIDATE1',
  chatId: 'bench-chat',
  chatUserId: 'bench-chat-user',
  chatCoupons: 200,
} as const;

const CHAT_TEMPLATES = 10;

function liveWindow(now: number): { from: string; to: string } {
  const year = new Date(now).getUTCFullYear();
  return { from: `${year}-01-01`, to: `${year + 1}-12-31` };
}

function template(id: string, name: string, sort: number, w: { from: string; to: string }, extra: Partial<TemplateItemData> = {}): TemplateItemData {
  return {
    id,
    name,
    kind: 'cash',
    amount: 100,
    sort,
    rule: { validFrom: w.from, validTo: w.to, minOrderAmount: 0 },
    stock: null,
    perUserLimit: null,
    ...extra,
  };
}

/** 200 coupons of 10 templates in the bench chat; every tenth is frozen (OP v2 `freeze` groups). */
function chatCoupons(w: { from: string; to: string }, now: number): CouponItemData[] {
  return Array.from({ length: BENCH.chatCoupons }, (_, i) => ({
    id: `bench-chat-c${String(i).padStart(4, '0')}`,
    code: `BC${String(i).padStart(10, '0')}`,
    templateId: `bench-w${i % CHAT_TEMPLATES}`,
    ownerType: 'user' as const,
    ownerId: BENCH.chatUserId,
    chatId: BENCH.chatId,
    status: i % 10 === 9 ? ('frozen' as const) : ('usable' as const),
    validFrom: w.from,
    validTo: w.to,
    issuedAt: new Date(now - (BENCH.chatCoupons - i) * 60_000).toISOString(),
  }));
}

/** The demo data set plus the bench's templates, chat and coupons (importing it twice changes nothing). */
export function benchDataset(now: number): Dataset {
  const data = demoDataset(now);
  const t = data.tenants[0];
  if (!t) throw new Error('the demo data set has no tenant');
  const w = liveWindow(now);
  t.templates = [
    ...(t.templates ?? []),
    template(BENCH.hotTemplateId, '秒杀 flash grab', 10, w, { stock: BENCH.hotStock }),
    template(BENCH.hotLimitedTemplateId, '秒杀 flash grab, one per user', 11, w, { stock: BENCH.hotStock, perUserLimit: 1 }),
    template(BENCH.redeemTemplateId, 'bench redeem', 20, w),
    template(BENCH.fillTemplateId, 'bench fill', 30, w),
    template(BENCH.bulkTemplateId, 'bench bulk issue', 40, w),
    ...Array.from({ length: CHAT_TEMPLATES }, (_, i) => template(`bench-w${i}`, `bench wallet ${i}`, 50 + i, w)),
  ];
  t.users = [...(t.users ?? []), { id: BENCH.chatUserId, platformIds: [] }];
  t.chats = [...(t.chats ?? []), { id: BENCH.chatId, userId: BENCH.chatUserId, operatorId: DEMO_CHAT.operatorId }];
  t.coupons = [
    ...(t.coupons ?? []),
    ...chatCoupons(w, now),
    { id: 'bench-validate-1', code: BENCH.validateCode, templateId: BENCH.redeemTemplateId, ownerType: 'user', ownerId: 'bench-validate-user', status: 'usable', validFrom: w.from, validTo: w.to, issuedAt: new Date(now).toISOString() },
  ];
  return data;
}
