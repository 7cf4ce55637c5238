/**
 * The demo data set: the seeds' example data (OP 2.6 and 2.13, the CRM member, the V3 customer)
 * plus a few templates and a package valid around `now`, so every dialect has something to show
 * and something to claim. Credentials are fixed, test-only values printed by `couponhub demo`.
 */
import type { Dataset } from './dataset.ts';

export const DEMO_TENANT_ID = 'b3c4924122d34dc0846a755abc47b416';

export const DEMO_CREDENTIALS = {
  merchantKey: 'sk_test_merchant',
  cashierKey: 'sk_test_cashier',
  clientKey: 'sk_test_client',
  op: { client: '70374ddd0f3641368d419b2d93127b8f', secret: 'op-secret' },
  crm: { channel: 'hkl-test', desKey: 'k3y!k3y!' },
  zv: { openId: '6dc05b4ac175cf316d226252b05cf685', grantCode: '782c281f62', secret: 'zv-secret', channel: 'naixue' },
  wechat: { appId: 'wx581a7ad7ca810da6', appSecret: 'wx-secret' },
} as const;

const KINDS = {
  taxi: '564ed52765cd45cbb779998ff5f5c55b',
  coffee: 'aea513510de24ca5aa03193411ef74f9',
  other: '95a1854f21664f1ea975c1bba343304d',
  test: 'e2aacc1f81274b0a999ef3c7daf59b0f',
};
const ALL_KINDS = [KINDS.taxi, KINDS.coffee, KINDS.other, KINDS.test];

/** The OP chat of seed 2.13 and its user. */
export const DEMO_CHAT = { id: 'u00011234567890', userId: 'u000128f91dc3f7374b5dbd49d62f0964e8cc', operatorId: 'op001' };
/** The package of seed 2.6. */
export const DEMO_PACKAGE_ID = '1bfb390cc3144de3b45c662047693f8e';
/** The CRM member of seed 002 and the V3 customer of seed 003. */
export const DEMO_MEMBER = { id: 'K1H93QDKI00B7', openid: 'oEv-It_aoh7mzEinzyPhnR0-uVc41' };
export const DEMO_CUSTOMER = { id: '383933091455959041', cardId: '390913445498200065', couponId: '390913445519171584', templateNumber: 951 };
/** A template and package valid around the demo's `now`, to claim and redeem. */
export const DEMO_LIVE = { cashTemplateId: 'demo-cash-30-10', discountTemplateId: 'demo-coffee-85', packageId: 'demo-welcome-pack', userId: 'demo-user-1' };


function seedTemplate(id: string, code: string, name: string, kind: 'cash' | 'discount', value: number, themeId: string, from: string, to: string, kinds: string[], min: number, cap: number, delay: number) {
  return {
    id,
    code,
    name,
    kind,
    amount: kind === 'cash' ? value : null,
    discount: kind === 'discount' ? value : null,
    themeId,
    sort: 1000,
    rule: { validFrom: from, validTo: to, validDaysAfterClaim: delay, minOrderAmount: min, maxDiscountAmount: cap, productKindIds: kinds, channelIds: [], weekdays: [], timeWindows: [] },
    stock: 1000,
    perUserLimit: 10,
  };
}

function opPackage(id: string, code: string, name: string, templateId: string, created: string) {
  return {
    id,
    code,
    name,
    alias: name,
    aliasCodeType: 'shared' as const,
    status: 'published' as const,
    createdBy: '1234',
    rule: { receiveFrom: '2015-12-01', receiveTo: '2015-12-31', totalLimit: 100, perUserLimit: 2 },
    items: [{ templateId, count: 1 }],
    createdAt: created,
  };
}

function crmCoupon(id: string, code: string, templateId: string) {
  return {
    id,
    code,
    templateId,
    ownerType: 'user' as const,
    ownerId: DEMO_MEMBER.id,
    status: 'usable' as const,
    validFrom: '2020-01-17',
    validTo: '2020-04-15',
    issuedAt: '2020-01-17T02:00:00.000Z',
  };
}

function crmTemplate(id: string, code: string, name: string, amount: number, picUrl: string, extra: { weekdays?: number[]; timeWindows?: Array<{ from: string; to: string }> }) {
  return {
    id,
    code,
    name,
    kind: 'cash' as const,
    amount,
    sort: 1000,
    rule: { validFrom: '2020-01-17', validTo: '2020-04-15', weekdays: extra.weekdays ?? [], timeWindows: extra.timeWindows ?? [] },
    stock: 100000,
    perUserLimit: 5,
    display: { picUrl, sellScene: 'reg' },
  };
}

/** Builds the demo data set; `now` places the live part (this year and next). */
export function demoDataset(now: number): Dataset {
  const year = new Date(now).getUTCFullYear();
  const liveFrom = `${year}-01-01`;
  const liveTo = `${year + 1}-12-31`;
  const C = DEMO_CREDENTIALS;
  return {
    tenants: [
      {
        id: DEMO_TENANT_ID,
        name: 'Demo Co',
        timezone: 'Asia/Shanghai',
        servicePhone: '400800400',
        credentials: [
          { id: 'demo-key-merchant', kind: 'api', key: C.merchantKey, role: 'merchant', label: 'demo merchant' },
          { id: 'demo-key-cashier', kind: 'api', key: C.cashierKey, role: 'cashier', label: 'demo cashier' },
          { id: 'demo-key-client', kind: 'api', key: C.clientKey, role: 'client', label: 'demo client' },
          { id: 'demo-op', kind: 'op', client: C.op.client, secret: C.op.secret, label: 'OP v2 partner' },
          { id: 'demo-crm', kind: 'crm', channel: C.crm.channel, desKey: C.crm.desKey, label: 'CRM open API partner' },
          { id: 'demo-zv', kind: 'zv', openId: C.zv.openId, grantCode: C.zv.grantCode, secret: C.zv.secret, channel: C.zv.channel, label: 'V3 CRM partner' },
          { id: 'demo-wechat', kind: 'wechat', appId: C.wechat.appId, appSecret: C.wechat.appSecret, label: 'WeChat official account' },
        ],
        productKinds: [
          { id: KINDS.taxi, name: '打车' },
          { id: KINDS.coffee, name: '咖啡' },
          { id: KINDS.other, name: '其他' },
          { id: KINDS.test, name: '测试' },
        ],
        channels: [
          { id: 'c1', name: '七煌' },
          { id: 'c2', name: '微信公众号1' },
        ],
        themes: [
          { id: '4f0a30f3937847c0a2f42949e3d728ef', name: '测试而已' },
          { id: 'f9a0d878d2bf44c486282a0ebf13dcd0', name: '德玛西亚之券' },
          { id: '985c49b6fa014cf8b6dd62a1b48dfe0e', name: '券名称001' },
          { id: 'f5a0128928cd4a4aa1740a705e3d7b67', name: '不祥之刃' },
          { id: '9368f91573a84f5a84f130f4f9d92c5a', name: '测试优惠券1' },
          { id: '3397716e4d814d75928c826b93fbc80b', name: '测试优惠券2' },
          { id: '11d63189531843cc915904b5caaa73e5', name: '测试优惠券3' },
        ],
        users: [
          { id: DEMO_CHAT.userId, platformIds: [] },
          { id: 'u000129cb81082d15419d8603ac413e50e049', platformIds: [] },
          { id: DEMO_MEMBER.id, platformIds: [DEMO_MEMBER.openid] },
          { id: DEMO_CUSTOMER.id, platformIds: [] },
          { id: DEMO_LIVE.userId, platformIds: ['oDemoOpenid0001'] },
        ],
        operators: [{ id: 'op001', name: '小王' }],
        chats: [DEMO_CHAT],
        templates: [
          // Seed 2.13: the chat's coupons.
          seedTemplate('t-2-13-a', '044490851499', '测试而已', 'discount', 5, '4f0a30f3937847c0a2f42949e3d728ef', '2015-12-11', '2015-12-11', ALL_KINDS, 30, 11, 1),
          seedTemplate('t-2-13-b', '145376841494', '德玛西亚之券', 'cash', 10, 'f9a0d878d2bf44c486282a0ebf13dcd0', '2015-12-11', '2015-12-20', ALL_KINDS, 30, 0, 10),
          seedTemplate('t-2-13-c', '541925711496', '券名称001', 'cash', 5, '985c49b6fa014cf8b6dd62a1b48dfe0e', '2015-12-10', '2015-12-11', [KINDS.taxi], 11, 0, 1),
          seedTemplate('t-2-13-d', '141034871492', '不祥之刃', 'discount', 5, 'f5a0128928cd4a4aa1740a705e3d7b67', '2015-12-11', '2015-12-21', ALL_KINDS, 30, 11, 10),
          // Seed 2.6: the package's tickets.
          ...[
            ['t-2-6-1', '042870246485', '测试优惠券1', '9368f91573a84f5a84f130f4f9d92c5a'],
            ['t-2-6-2', '840870246480', '测试优惠券2', '3397716e4d814d75928c826b93fbc80b'],
            ['t-2-6-3', '641870246481', '测试优惠券3', '11d63189531843cc915904b5caaa73e5'],
          ].map(([id, code, name, theme]) => ({
            ...seedTemplate(id as string, code as string, name as string, 'cash', 500, theme as string, '2015-12-11', '2015-12-12', [KINDS.taxi, KINDS.coffee], 1000, 10000, 10),
            rule: { validFrom: '2015-12-11', validTo: '2015-12-12', validDaysAfterClaim: 10, minOrderAmount: 1000, maxDiscountAmount: 10000, productKindIds: [KINDS.taxi, KINDS.coffee], channelIds: ['c1', 'c2'], weekdays: [], timeWindows: [] },
          })),
          // Seed 002: the CRM member's coupons.
          crmTemplate('H3UA24SI6830', '7270000000000', '新会员20元全场券', 2000, '/upload_img/20170718/170718_2021456830.jpg', {}),
          crmTemplate('JCUH1EF5R58G8', '6838000000000', '新会员甜饮品8元优惠券', 800, '/upload_img/common/hklai.jpg', { weekdays: [1, 2, 3, 4, 5, 6, 7] }),
          crmTemplate('H3UA24SI6831', '7280000000000', '新会员22元午餐欢聚券', 2200, '/upload_img/20170718/170718_2021456831.jpg', { timeWindows: [{ from: '11:00', to: '14:00' }] }),
          crmTemplate('H3UA24SI6832', '7290000000000', '新会员8元午餐优惠券', 800, '/upload_img/20170718/170718_2021456832.jpg', { timeWindows: [{ from: '11:00', to: '14:00' }] }),
          // Seed 003: the V3 customer's coupon, template number 951.
          { id: 't-v3-951', code: '951000000951', number: DEMO_CUSTOMER.templateNumber, name: '奈雪满减券', kind: 'cash', amount: 1000, rule: { validFrom: '2019-08-24', validTo: '2019-11-03' }, stock: 10000, perUserLimit: 5 },
          // Live: claim, validate and redeem these today.
          {
            id: DEMO_LIVE.cashTemplateId,
            name: '满30减10',
            kind: 'cash',
            amount: 1000,
            themeId: '4f0a30f3937847c0a2f42949e3d728ef',
            sort: 100,
            rule: { validFrom: liveFrom, validTo: liveTo, minOrderAmount: 3000, timeWindows: [] },
            stock: 1000,
            perUserLimit: 2,
            display: { color: 'Color010', brandName: '海底捞', picUrl: '/upload_img/demo-cash.jpg' },
          },
          {
            id: DEMO_LIVE.discountTemplateId,
            name: '咖啡8.5折',
            kind: 'discount',
            discount: 8.5,
            sort: 200,
            rule: { validFrom: liveFrom, validTo: liveTo, maxDiscountAmount: 2000, productKindIds: [KINDS.coffee] },
            stock: 500,
            perUserLimit: 1,
            display: { color: 'Color030', brandName: '咖啡馆' },
          },
        ],
        packages: [
          {
            id: DEMO_PACKAGE_ID,
            code: '7480648244',
            name: '测试礼包',
            alias: 'get 优惠券   测试',
            aliasCodeType: 'shared',
            channelIds: ['c1', 'c2'],
            status: 'pending_review',
            createdBy: '1234',
            operatorId: null,
            rule: { receiveFrom: '2015-12-11', receiveTo: '2015-12-12', totalLimit: 100, perUserLimit: 2 },
            items: [
              { templateId: 't-2-6-1', count: 12 },
              { templateId: 't-2-6-2', count: 12 },
              { templateId: 't-2-6-3', count: 12 },
            ],
            createdAt: '2015-11-23T07:46:47.509Z',
          },
          opPackage('p-9540149845', '9540149845', '测试而已礼包', 't-2-13-a', '2015-12-11T06:00:00.000Z'),
          opPackage('p-7436149844', '7436149844', '德玛西亚礼包', 't-2-13-b', '2015-12-11T06:00:00.000Z'),
          opPackage('p-2195149745', '2195149745', '券名称001礼包', 't-2-13-c', '2015-12-10T06:00:00.000Z'),
          opPackage('p-3704149844', '3704149844', '不祥之刃礼包', 't-2-13-d', '2015-12-11T06:00:00.000Z'),
          {
            id: DEMO_LIVE.packageId,
            code: '8800000001',
            name: '新人礼包',
            alias: '新人礼包',
            aliasCodeType: 'unique',
            channelIds: ['c1'],
            status: 'published',
            createdBy: 'demo',
            rule: { receiveFrom: liveFrom, receiveTo: liveTo, totalLimit: 1000, perUserLimit: 1 },
            items: [
              { templateId: DEMO_LIVE.cashTemplateId, count: 1 },
              { templateId: DEMO_LIVE.discountTemplateId, count: 1 },
            ],
          },
        ],
        coupons: [
          { id: 'u0001d2a233dfed824ea88f72ac535081565e', code: '747476851492', templateId: 't-2-13-a', ownerType: 'user', ownerId: DEMO_CHAT.userId, chatId: DEMO_CHAT.id, packageId: 'p-9540149845', status: 'usable', validFrom: '2015-12-11', validTo: '2015-12-11', issuedAt: '2015-12-11T06:31:07.606Z' },
          { id: 'u000129cb81082d15419d8603ac413e50e049', code: '046050851491', templateId: 't-2-13-b', ownerType: 'user', ownerId: DEMO_CHAT.userId, chatId: DEMO_CHAT.id, packageId: 'p-7436149844', status: 'usable', validFrom: '2015-12-11', validTo: '2015-12-20', issuedAt: '2015-12-11T06:23:25.270Z' },
          { id: 'u000185f67cfb0df24f139662ddc0b0d0449d', code: '349078721494', templateId: 't-2-13-c', ownerType: 'user', ownerId: DEMO_CHAT.userId, chatId: DEMO_CHAT.id, packageId: 'p-2195149745', status: 'usable', validFrom: '2015-12-10', validTo: '2015-12-11', issuedAt: '2015-12-10T01:48:07.568Z' },
          { id: 'u0001d41f9a0f9b7648b0a532db217d96042f', code: '748132871499', templateId: 't-2-13-d', ownerType: 'user', ownerId: DEMO_CHAT.userId, chatId: DEMO_CHAT.id, packageId: 'p-3704149844', status: 'frozen', validFrom: '2015-12-11', validTo: '2015-12-21', issuedAt: '2015-12-11T06:58:43.645Z' },
          crmCoupon('K1H93QDM600F0', '7270000006699', 'H3UA24SI6830'),
          crmCoupon('K1H93QDLQ00E1', '7270200006680', 'H3UA24SI6830'),
          crmCoupon('K1H93QDLD00D5', '7270300006672', 'H3UA24SI6830'),
          crmCoupon('K1H93QDO800J7', '6838000000065', 'JCUH1EF5R58G8'),
          crmCoupon('K1H93QDMO00G0', '7280500008017', 'H3UA24SI6831'),
          crmCoupon('K1H93QDNN00I9', '7290100000229', 'H3UA24SI6832'),
          crmCoupon('K1H93QDOM00K9', '6838900000073', 'JCUH1EF5R58G8'),
          crmCoupon('K1H93QDN400H6', '7280700008022', 'H3UA24SI6831'),
          // A live coupon in the seed chat, so OP 2.13 has something to show today (issued before the dashboard's 30 days).
          { id: 'demo-chat-coupon-1', code: '880000000001', templateId: DEMO_LIVE.cashTemplateId, ownerType: 'user', ownerId: DEMO_CHAT.userId, chatId: DEMO_CHAT.id, status: 'usable', validFrom: liveFrom, validTo: liveTo, issuedAt: new Date(now - 40 * 86_400_000).toISOString() },
          { id: DEMO_CUSTOMER.couponId, code: DEMO_CUSTOMER.cardId, templateId: 't-v3-951', ownerType: 'user', ownerId: DEMO_CUSTOMER.id, status: 'usable', validFrom: '2019-08-24', validTo: '2019-11-03', issuedAt: '2019-10-15T09:10:28.000Z' },
        ],
      },
    ],
  };
}

