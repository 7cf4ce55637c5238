/**
 * A small data set for the 2.13 grouping tests: one chat's coupons in every state, coupons of the
 * same user outside the chat, an operator's holdings, and a second tenant that must stay unseen.
 * The clock of the tests stands at NOW (2026-03-10 12:00 in Shanghai).
 */
import type { Dataset } from '../../../src/app/data/dataset.ts';
import type { CouponStatus } from '../../../src/domain/coupon.ts';

export const NOW = '2026-03-10T04:00:00Z';
export const TENANT = 'op-grp-tenant';
export const OTHER_TENANT = 'op-grp-other';
export const OP1 = { client: 'grp-client-1', secret: 'grp-secret-1' };
export const OP2 = { client: 'grp-client-2', secret: 'grp-secret-2' };
export const CHAT = { id: 'chat-1', userId: 'user-1', operatorId: 'op-a' };
export const OTHER_CHAT = 'chat-2';
export const PACKAGE = { id: 'pkg-1', code: '5550000001' };
export const TEMPLATES = {
  a: { id: 'tpl-a', code: '100000000001' },
  b: { id: 'tpl-b', code: '100000000002' },
  c: { id: 'tpl-c', code: '100000000003' },
  future: { id: 'tpl-f', code: '100000000004' },
};

const YEAR = { validFrom: '2026-01-01', validTo: '2026-12-31' };

function template(id: string, code: string, sort: number, value: { amount: number } | { discount: number }, rule: Record<string, unknown> = YEAR) {
  const kind: 'cash' | 'discount' = 'amount' in value ? 'cash' : 'discount';
  return { id, code, name: `券 ${id}`, kind, ...value, themeId: 'th-1', sort, rule: { ...rule, productKindIds: ['pk-1'], channelIds: ['ch-1'] }, stock: 100, perUserLimit: 50 };
}

/** A 12-digit code that tells which coupon it is: "a2" → 900097000002. */
export const codeOf = (id: string): string => `9${String(id.charCodeAt(0)).padStart(5, '0')}${id.slice(1).padStart(6, '0')}`;

type Over = { status?: CouponStatus; chatId?: string | null; ownerType?: 'user' | 'operator'; ownerId?: string; packageId?: string; validFrom?: string; validTo?: string };

function coupon(id: string, templateId: string, issuedDay: string, over: Over = {}) {
  return {
    id,
    code: codeOf(id),
    templateId,
    ownerType: over.ownerType ?? ('user' as const),
    ownerId: over.ownerId ?? CHAT.userId,
    chatId: over.chatId === undefined ? CHAT.id : over.chatId,
    packageId: over.packageId ?? null,
    status: over.status ?? ('usable' as const),
    validFrom: over.validFrom ?? YEAR.validFrom,
    validTo: over.validTo ?? YEAR.validTo,
    issuedAt: `${issuedDay}T01:00:00.000Z`,
  };
}

const T = TEMPLATES;

export function groupingDataset(): Dataset {
  return {
    tenants: [
      {
        id: TENANT,
        name: 'Grouping Co',
        timezone: 'Asia/Shanghai',
        servicePhone: '4001234567',
        credentials: [{ kind: 'op', client: OP1.client, secret: OP1.secret }],
        productKinds: [{ id: 'pk-1', name: '咖啡' }],
        channels: [{ id: 'ch-1', name: '门店' }],
        themes: [{ id: 'th-1', name: '春季' }],
        operators: [{ id: 'op-a', name: 'A' }, { id: 'op-b', name: 'B' }],
        chats: [CHAT, { id: OTHER_CHAT, userId: CHAT.userId, operatorId: 'op-b' }],
        templates: [
          template(T.a.id, T.a.code, 10, { amount: 1000 }),
          template(T.b.id, T.b.code, 5, { discount: 8.5 }),
          template(T.c.id, T.c.code, 10, { amount: 500 }),
          template(T.future.id, T.future.code, 1, { amount: 300 }, { validFrom: '2026-06-01', validTo: '2026-12-31' }),
        ],
        packages: [{ id: PACKAGE.id, code: PACKAGE.code, name: '春季礼包', alias: '春季礼包', aliasCodeType: 'shared', status: 'published', items: [{ templateId: T.a.id, count: 1 }] }],
        coupons: [
          // In the chat, template a: two usable (the newer from the package), one frozen …
          coupon('a1', T.a.id, '2026-03-01'),
          coupon('a2', T.a.id, '2026-03-02', { packageId: PACKAGE.id }),
          coupon('a3', T.a.id, '2026-03-03', { status: 'frozen' }),
          // … and every state that is left out.
          coupon('a4', T.a.id, '2026-03-04', { status: 'used' }),
          coupon('a5', T.a.id, '2026-03-04', { status: 'expired' }),
          coupon('a6', T.a.id, '2026-03-04', { status: 'closed' }),
          coupon('a7', T.a.id, '2026-03-04', { status: 'deleted' }),
          coupon('a8', T.a.id, '2026-03-04', { validTo: '2026-03-05' }), // usable as stored, expired by the clock
          coupon('f1', T.future.id, '2026-03-04', { validFrom: '2026-06-01' }), // not yet effective
          // Sort 5 comes first; c (sort 10, newer than a's newest) comes before a.
          coupon('b1', T.b.id, '2026-02-01'),
          coupon('c1', T.c.id, '2026-03-09'),
          // The same user outside this chat: never listed for it.
          coupon('x1', T.a.id, '2026-03-05', { chatId: OTHER_CHAT }),
          coupon('y1', T.a.id, '2026-03-05', { chatId: null }),
          // The operator's holdings (outside any chat), and another operator's.
          coupon('o1', T.a.id, '2026-03-06', { ownerType: 'operator', ownerId: 'op-a', chatId: null }),
          coupon('o2', T.a.id, '2026-03-07', { ownerType: 'operator', ownerId: 'op-a', chatId: null }),
          coupon('o3', T.b.id, '2026-03-06', { ownerType: 'operator', ownerId: 'op-a', chatId: null, status: 'frozen' }),
          coupon('o4', T.a.id, '2026-03-06', { ownerType: 'operator', ownerId: 'op-b', chatId: null }),
        ],
      },
      {
        id: OTHER_TENANT,
        name: 'Other Co',
        timezone: 'Asia/Shanghai',
        servicePhone: '4009999999',
        credentials: [{ kind: 'op', client: OP2.client, secret: OP2.secret }],
        productKinds: [{ id: 'pk-1', name: '咖啡' }],
        channels: [{ id: 'ch-1', name: '门店' }],
        themes: [{ id: 'th-1', name: '春季' }],
        chats: [{ id: 'chat-other', userId: 'user-other', operatorId: 'op-z' }],
        templates: [template('tpl-other', '200000000001', 1, { amount: 100 })],
        packages: [{ id: 'pkg-other', code: '6660000001', name: '别家礼包', alias: '别家礼包', aliasCodeType: 'unique', status: 'published', items: [{ templateId: 'tpl-other', count: 1 }] }],
        coupons: [{ ...coupon('z1', 'tpl-other', '2026-03-01'), ownerId: 'user-other', chatId: 'chat-other' }],
      },
    ],
  };
}
