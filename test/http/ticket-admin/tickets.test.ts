/** Ticket administration (seed 004): the four create routes, PUT, WeChat's card rules, the mapping onto templates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';
import { aCard, aTicket, baseInfo, ROUTES, type TestCardType } from './cards.ts';

const s = serverPerFile();

/** The template behind a ticket, through the native API. */
async function templateOf(key: string, ticketId: number) {
  const list = await call(s.app, 'GET', '/v1/templates?limit=200', key);
  const t = list.body.data.find((x: { number: number }) => x.number === ticketId);
  assert.ok(t, `template number ${ticketId}`);
  return t;
}

async function snapshot(tenantId: string) {
  return JSON.stringify(await s.rt.store.q.templates.listAll(tenantId));
}

/** The 422 names `field` (and the answer has the seed's shape). */
function assertNames(r: { status: number; body: any }, field: string) {
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.equal(r.body.status_code, 422);
  assert.equal(typeof r.body.message, 'string');
  assert.ok(r.body.errors?.[field], `${field} not named in ${JSON.stringify(r.body.errors)}`);
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('ticket administration', () => {
  it('ticket-admin › each route creates a ticket of its type, and the ticket is a template of the engine', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const kinds: Record<TestCardType, string> = { DISCOUNT: 'discount', CASH: 'cash', GROUPON: 'groupon', GIFT: 'gift' };
    for (const type of Object.keys(ROUTES) as TestCardType[]) {
      const r = await call(s.app, 'POST', ROUTES[type], keys.merchant, aTicket(type));
      assert.equal(r.status, 200, `${type}: ${JSON.stringify(r.body)}`);
      const key = type.toLowerCase();
      const d = r.body.data;
      assert.equal(Number.isInteger(d.id), true);
      assert.deepEqual([d.card_type, d.app_id, d.status, d.sync, d.card_id], [key, tenant.id, 0, 0, null]);
      assert.equal(d[`${key}_info`].base_info.title, '海底捞优惠券');
      assert.deepEqual(d.begin_at, { date: '2030-01-01 00:00:00.000000', timezone_type: 3, timezone: 'Asia/Shanghai' });
      assert.match(d.created_at.date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
      const t = await templateOf(keys.merchant, d.id);
      assert.deepEqual([t.kind, t.name, t.stock, t.perUserLimit, t.claimFrom, t.claimTo], [kinds[type], '海底捞优惠券', 500, 3, '2030-01-01', '2030-06-30']);
      assert.deepEqual([t.rule.validFrom, t.rule.validTo, t.rule.validDaysAfterClaim], ['2030-01-01', '2030-12-31', null]);
      assert.deepEqual([t.display.picUrl, t.display.color, t.display.brandName], ['http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0', 'Color010', '海底捞']);
      if (type === 'DISCOUNT') assert.equal(t.discount, 7, 'DISCOUNT 30 (30 % off) is 7折');
      if (type === 'CASH') assert.deepEqual([t.amount, t.rule.minOrderAmount], [1000, 3000]);
    }
  });

  it('ticket-admin › a ticket is claimed and redeemed through the native API', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const card = aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: nowSeconds() - 86_400, end_timestamp: nowSeconds() + 30 * 86_400 } } });
    const r = await call(s.app, 'POST', '/coupon/ticket', keys.merchant, aTicket('CASH', { card, begin_at: day(-1), end_at: day(10) }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const t = await templateOf(keys.merchant, r.body.data.id);
    const claim = await call(s.app, 'POST', `/v1/templates/${t.id}/claims`, keys.client, { userId: 'ticket-user' });
    assert.equal(claim.status, 201, JSON.stringify(claim.body));
    const order = { id: 'o-ticket', amount: 2999 };
    assert.equal((await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order })).body.reasons[0].code, 'below_min_order_amount');
    const redeemed = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { ...order, amount: 3000 } });
    assert.deepEqual([redeemed.status, redeemed.body.discountAmount], [201, 1000]);
  });

  it('ticket-admin › refuses a missing required field, naming it', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const base = baseInfo();
    delete base.brand_name;
    delete base.sku;
    const r = await call(s.app, 'POST', '/coupon/ticket', keys.merchant, aTicket('CASH', { card: { card_type: 'CASH', cash: { base_info: base, least_cost: 0 } } }));
    assertNames(r, 'ticket_info.cash.base_info.brand_name');
    assertNames(r, 'ticket_info.cash.base_info.sku');
    assertNames(r, 'ticket_info.cash.reduce_cost');
    assert.match(r.body.message, /brand_name: is required/);
  });

  it('ticket-admin › refuses a title over 9 Chinese characters (27 bytes in UTF-8)', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT', { card: aCard('GIFT', { base: { title: '一二三四五六七八九十' } }) }));
    assertNames(r, 'ticket_info.gift.base_info.title');
    assert.match(r.body.errors['ticket_info.gift.base_info.title'][0], /at most 9 Chinese characters \(27 bytes/);
    const ok = await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT', { card: aCard('GIFT', { base: { title: '一二三四五六七八九' } }) }));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const ascii = await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT', { card: aCard('GIFT', { base: { title: 'x'.repeat(28) } }) }));
    assertNames(ascii, 'ticket_info.gift.base_info.title');
  });

  it('ticket-admin › refuses a wrong code_type and a colour WeChat does not have', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/groupon/ticket', keys.merchant, aTicket('GROUPON', { card: aCard('GROUPON', { base: { code_type: 'CODE_TYPE_PDF417', color: 'Color999' } }) }));
    assertNames(r, 'ticket_info.groupon.base_info.code_type');
    assertNames(r, 'ticket_info.groupon.base_info.color');
    assert.match(r.body.errors['ticket_info.groupon.base_info.code_type'][0], /CODE_TYPE_QRCODE/);
  });

  it('ticket-admin › refuses a card type that does not match the route', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('CASH'));
    assertNames(r, 'ticket_info.card_type');
    assert.match(r.body.errors['ticket_info.card_type'][0], /must be DISCOUNT/);
    const unknown = await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT', { card: { card_type: 'VOUCHER', voucher: {} } }));
    assertNames(unknown, 'ticket_info.card_type');
  });

  it('ticket-admin › refuses missing begin_at / end_at, naming both, and an end before the beginning', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const body: Record<string, unknown> = aTicket('DISCOUNT');
    delete body.begin_at;
    delete body.end_at;
    const r = await call(s.app, 'POST', '/discount/ticket', keys.merchant, body);
    assertNames(r, 'begin_at');
    assertNames(r, 'end_at');
    assertNames(await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT', { begin_at: '2030-02-30' })), 'begin_at');
    assertNames(await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT', { begin_at: '2030-05-01', end_at: '2030-04-30' })), 'end_at');
  });

  it('ticket-admin › refuses broken JSON with a 422 in the seed shape', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/coupon/ticket', keys.merchant, '{"ticket_info": {"card_type": ');
    assertNames(r, 'body');
    assert.match(r.body.message, /not valid JSON/);
  });

  it("ticket-admin › refuses what WeChat's card/create refuses, naming every field, and changes nothing", async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const before = await snapshot(tenant.id);
    const cases: Array<[TestCardType, unknown, string]> = [
      ['CASH', aCard('CASH', { base: { sku: { quantity: 100_000_001 } } }), 'ticket_info.cash.base_info.sku.quantity'],
      ['CASH', aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: 1893427200 } } }), 'ticket_info.cash.base_info.date_info.end_timestamp'],
      ['CASH', aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_PERMANENT' } } }), 'ticket_info.cash.base_info.date_info.type'],
      ['CASH', aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_FIX_TIME_RANGE', begin_timestamp: 1000, end_timestamp: 2000 } } }), 'ticket_info.cash.base_info.date_info.end_timestamp'],
      ['CASH', aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 0 } } }), 'ticket_info.cash.base_info.date_info.fixed_term'],
      ['CASH', aCard('CASH', { base: { date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 10, fixed_begin_term: 1 } } }), 'ticket_info.cash.base_info.date_info.fixed_begin_term'],
      ['CASH', aCard('CASH', { base: { notice: '使用时向服务员出示此券，谢谢光临本店，欢迎再来' } }), 'ticket_info.cash.base_info.notice'],
      ['CASH', aCard('CASH', { base: { brand_name: '海底捞火锅北京朝阳大望路店' } }), 'ticket_info.cash.base_info.brand_name'],
      ['CASH', aCard('CASH', { base: { description: '说'.repeat(1025) } }), 'ticket_info.cash.base_info.description'],
      ['CASH', aCard('CASH', { base: { tittle: 'typo' } }), 'ticket_info.cash.base_info.tittle'],
      ['CASH', aCard('CASH', { own: { reduce_cost: 0 } }), 'ticket_info.cash.reduce_cost'],
      ['CASH', aCard('CASH', { own: { least_cost: 3000 }, advanced: { use_condition: { least_cost: 5000 } } }), 'ticket_info.cash.advanced_info.use_condition.least_cost'],
      ['DISCOUNT', aCard('DISCOUNT', { own: { discount: 100 } }), 'ticket_info.discount.discount'],
      ['GROUPON', aCard('GROUPON', { own: { deal_detail: '' } }), 'ticket_info.groupon.deal_detail'],
      ['GIFT', { card_type: 'GIFT', gift: { base_info: baseInfo() } }, 'ticket_info.gift.gift'],
      ['GIFT', aCard('GIFT', { advanced: { time_limit: [{ type: 'FUNDAY' }] } }), 'ticket_info.gift.advanced_info.time_limit.0.type'],
      ['GIFT', aCard('GIFT', { advanced: { time_limit: [{ type: 'MONDAY', begin_hour: 14, end_hour: 10 }] } }), 'ticket_info.gift.advanced_info.time_limit.0'],
      ['GIFT', aCard('GIFT', { advanced: { time_limit: [{ type: 'MONDAY', begin_hour: 10, end_hour: 12 }, { type: 'TUESDAY', begin_hour: 14, end_hour: 16 }] } }), 'ticket_info.gift.advanced_info.time_limit'],
      ['GIFT', { ...aCard('GIFT'), cash: {} }, 'ticket_info.cash'],
      ['GIFT', 'not a card', 'ticket_info'],
    ];
    for (const [type, card, field] of cases) assertNames(await call(s.app, 'POST', ROUTES[type], keys.merchant, aTicket(type, { card })), field);
    assertNames(await call(s.app, 'POST', '/gift/ticket', keys.merchant, { ...aTicket('GIFT'), sync: 'yes' }), 'sync');
    assertNames(await call(s.app, 'POST', '/gift/ticket', keys.merchant, { ...aTicket('GIFT'), colour: 'red' }), 'colour');
    assert.equal(await snapshot(tenant.id), before);
  });

  it('ticket-admin › without a key 401, with a key of another role 403', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const none = await call(s.app, 'POST', '/coupon/ticket', null, aTicket('CASH'));
    assert.deepEqual([none.status, none.body.status_code], [401, 401]);
    assert.equal((await call(s.app, 'GET', '/tickets', 'sk_live_unknown')).status, 401);
    assert.equal((await call(s.app, 'POST', '/coupon/ticket', null, '{broken')).status, 401, 'the key is checked before the body');
    assert.equal((await call(s.app, 'GET', '/tickets', keys.cashier)).status, 403);
  });

  it("ticket-admin › PUT replaces the card and updates the template; another tenant's ticket is 404", async () => {
    const a = await aTenantWithKeys(s.rt.deps);
    const b = await aTenantWithKeys(s.rt.deps);
    const created = (await call(s.app, 'POST', '/discount/ticket', a.keys.merchant, aTicket('DISCOUNT'))).body.data;
    const card = aCard('DISCOUNT', { base: { title: '八五折券', sku: { quantity: 800 }, get_limit: 0 }, own: { discount: 15 } });
    const r = await call(s.app, 'PUT', `/ticket/${created.id}`, a.keys.merchant, { ticket_type: 'discount', ...aTicket('DISCOUNT', { card, end_at: '2030-09-30' }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.data.id, r.body.data.discount_info.base_info.title, r.body.data.discount_info.discount], [created.id, '八五折券', 15]);
    const t = await templateOf(a.keys.merchant, created.id);
    assert.deepEqual([t.name, t.discount, t.stock, t.perUserLimit, t.claimTo], ['八五折券', 8.5, 800, null, '2030-09-30']);
    const other = await call(s.app, 'PUT', `/ticket/${created.id}`, b.keys.merchant, { ticket_type: 'discount', ...aTicket('DISCOUNT', { card }) });
    assert.deepEqual([other.status, other.body.status_code], [404, 404]);
    assert.equal((await call(s.app, 'PUT', '/ticket/abc', a.keys.merchant, { ticket_type: 'discount', ...aTicket('DISCOUNT') })).status, 404);
    assertNames(await call(s.app, 'PUT', `/ticket/${created.id}`, a.keys.merchant, aTicket('DISCOUNT')), 'ticket_type');
    assertNames(await call(s.app, 'PUT', `/ticket/${created.id}`, a.keys.merchant, { ticket_type: 'cash', ...aTicket('CASH') }), 'ticket_type');
    assertNames(await call(s.app, 'PUT', `/ticket/${created.id}`, a.keys.merchant, { ticket_type: 'cash', ...aTicket('DISCOUNT') }), 'ticket_info.card_type');
    assert.equal((await templateOf(a.keys.merchant, created.id)).name, '八五折券', 'refused PUTs change nothing');
  });

  it('ticket-admin › PUT cannot take the stock below what was claimed', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const card = aCard('CASH', { base: { sku: { quantity: 5 }, date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 7 } } });
    const created = (await call(s.app, 'POST', '/coupon/ticket', keys.merchant, aTicket('CASH', { card, begin_at: day(-1), end_at: day(5) }))).body.data;
    const t = await templateOf(keys.merchant, created.id);
    for (const u of ['u1', 'u2']) assert.equal((await call(s.app, 'POST', `/v1/templates/${t.id}/claims`, keys.client, { userId: u })).status, 201);
    const low = aCard('CASH', { base: { sku: { quantity: 1 }, date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 7 } } });
    const r = await call(s.app, 'PUT', `/ticket/${created.id}`, keys.merchant, { ticket_type: 'coupon', ...aTicket('CASH', { card: low, begin_at: day(-1), end_at: day(5) }) });
    assertNames(r, 'ticket_info.cash.base_info.sku.quantity');
    assert.match(r.body.message, /at least 2/);
  });

  it('ticket-admin › DATE_TYPE_FIX_TERM makes coupons valid for that many days from their claim', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const card = aCard('GIFT', { base: { date_info: { type: 'DATE_TYPE_FIX_TERM', fixed_term: 15, fixed_begin_term: 0 } } });
    const created = (await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT', { card, begin_at: day(-1), end_at: day(30) }))).body.data;
    assert.deepEqual(created.gift_info.base_info.date_info, { type: 'DATE_TYPE_FIX_TERM', fixed_term: 15, fixed_begin_term: 0 });
    const t = await templateOf(keys.merchant, created.id);
    assert.deepEqual([t.rule.validDaysAfterClaim, t.rule.validFrom, t.rule.validTo], [15, null, null]);
    const claim = await call(s.app, 'POST', `/v1/templates/${t.id}/claims`, keys.client, { userId: 'term-user' });
    assert.equal(Date.parse(claim.body.validTo) - Date.parse(claim.body.validFrom), 15 * 86_400_000 - 1);
  });

  it('ticket-admin › time_limit becomes weekdays and hours, and HOLIDAY is kept on the card', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const limits = [{ type: 'MONDAY', begin_hour: 11, begin_minute: 0, end_hour: 14, end_minute: 30 }, { type: 'FRIDAY', begin_hour: 11, end_hour: 14, end_minute: 30 }, { type: 'HOLIDAY' }];
    const created = (await call(s.app, 'POST', '/coupon/ticket', keys.merchant, aTicket('CASH', { card: aCard('CASH', { advanced: { time_limit: limits } }) }))).body.data;
    const t = await templateOf(keys.merchant, created.id);
    assert.deepEqual([t.rule.weekdays, t.rule.timeWindows], [[1, 5], [{ from: '11:00', to: '14:30' }]]);
    assert.deepEqual(created.cash_info.advanced_info.time_limit, limits, 'shown back as sent');
    const patched = await call(s.app, 'PATCH', `/v1/templates/${t.id}`, keys.merchant, { rule: { weekdays: [6, 7], timeWindows: [] } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const list = await call(s.app, 'GET', `/tickets?search=id:${created.id}`, keys.merchant);
    assert.equal(list.body.data.length, 1);
    const put = await call(s.app, 'PUT', `/ticket/${created.id}`, keys.merchant, { ticket_type: 'cash', ...aTicket('CASH') });
    assert.deepEqual(put.body.data.cash_info.advanced_info, undefined, 'no time_limit, no use_condition beyond least_cost');
    assert.deepEqual((await templateOf(keys.merchant, created.id)).rule.weekdays, []);
  });

  it('ticket-admin › accept_category naming product kinds restricts the coupon to them; other text stays on the card', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    assert.equal((await call(s.app, 'PUT', '/v1/product-kinds/pk-shoes', keys.merchant, { name: '鞋类' })).status, 200);
    const mapped = (await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT', { card: aCard('DISCOUNT', { advanced: { use_condition: { accept_category: '鞋类', reject_category: '阿迪达斯' } } }) }))).body.data;
    assert.deepEqual((await templateOf(keys.merchant, mapped.id)).rule.productKindIds, ['pk-shoes']);
    assert.deepEqual(mapped.discount_info.advanced_info.use_condition, { accept_category: '鞋类', reject_category: '阿迪达斯' });
    const text = (await call(s.app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT', { card: aCard('DISCOUNT', { advanced: { use_condition: { accept_category: '鞋类、帽子' } } }) }))).body.data;
    assert.deepEqual((await templateOf(keys.merchant, text.id)).rule.productKindIds, []);
    assert.equal(text.discount_info.advanced_info.use_condition.accept_category, '鞋类、帽子');
  });

  it('ticket-admin › a POST repeated with the same Idempotency-Key creates one ticket', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const headers = { 'idempotency-key': 'ticket-create-1' };
    const first = await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT'), headers);
    const again = await call(s.app, 'POST', '/gift/ticket', keys.merchant, aTicket('GIFT'), headers);
    assert.deepEqual([first.status, again.status, again.body.data.id, again.headers['idempotent-replayed']], [200, 200, first.body.data.id, 'true']);
    assert.equal((await s.rt.store.q.templates.listAll(tenant.id)).length, 1);
  });

  it('ticket-admin › a template made through the native API is a ticket too', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const t = await aTemplate(s.rt.deps, tenant.id, { name: '满30减10', amount: 1000, stock: 40, perUserLimit: 2, rule: { minOrderAmount: 3000, validFrom: '2030-01-01', validTo: '2030-03-31' } });
    const list = await call(s.app, 'GET', '/tickets', keys.merchant);
    const item = list.body.data.find((x: { id: number }) => x.id === t.number);
    assert.deepEqual([item.card_type, item.title, item.sku, item.sync, item.ali_app_id], ['cash', '满30减10', { quantity: 40 }, 0, null]);
  });
});

describe('ticket-admin › awkward input', () => {
  it('ticket-admin › keys named like built-in object properties are refused with 422, never a 500', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    for (const body of ['{"toString":1}', '{"constructor":1}', '{"__proto__":{"x":1}}', '{"hasOwnProperty":1,"ticket_info":{},"sync":false,"begin_at":"2026-11-23","end_at":"2026-12-01"}']) {
      const r = await call(s.app, 'POST', '/coupon/ticket', keys.merchant, body);
      assert.equal(r.status, 422, `${body} → ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.status_code, 422);
    }
    for (const q of ['search=constructor:1', 'search=toString:1', 'searchFields=toString:=', 'search=ticket_type:constructor', 'search=title:x&searchFields=title:constructor']) {
      const r = await call(s.app, 'GET', `/tickets?${q}`, keys.merchant);
      assert.equal(r.status, 422, `${q} → ${r.status} ${JSON.stringify(r.body)}`);
    }
  });

  it('ticket-admin › begin_at / end_at may carry a time (Laravel date rule); dates answer to the second', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/coupon/ticket', keys.merchant, { ...aTicket('CASH'), begin_at: '2026-11-23 00:00:00', end_at: '2026-12-31T23:59:59' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const listed = await call(s.app, 'GET', `/tickets?search=id:${r.body.data.id}`, keys.merchant);
    const item = listed.body.data[0];
    assert.equal(item.begin_at.date, '2026-11-23 00:00:00.000000');
    assert.match(item.created_at.date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000000$/);
  });
});
