/** GET /tickets: the repository-style search (fields, operators, join), ordering and pagination edges. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { aTenantWithKeys } from '../../support/factories.ts';
import { call, testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { aCard, aTicket, ROUTES, type TestCardType } from './cards.ts';

let rt: TestRuntime;
let app: FastifyInstance;
let key: string;
/** Ticket ids by name, in creation order. */
const ids: Record<string, number> = {};

const TICKETS: Array<[string, TestCardType, string, string, string]> = [
  ['d7', 'DISCOUNT', '七折券', '2030-01-01', '2030-03-31'],
  ['c30', 'CASH', '满30减10', '2030-02-01', '2030-06-30'],
  ['g2', 'GROUPON', '双人套餐', '2030-03-01', '2030-04-30'],
  ['gift', 'GIFT', '礼品券', '2029-12-01', '2030-01-31'],
  ['d8', 'DISCOUNT', '八折券', '2030-05-01', '2030-12-31'],
];

before(async () => {
  rt = await testRuntime();
  app = await testServer(rt.deps);
  const { keys } = await aTenantWithKeys(rt.deps);
  key = keys.merchant;
  for (const [name, type, title, begin_at, end_at] of TICKETS) {
    const r = await call(app, 'POST', ROUTES[type], key, aTicket(type, { card: aCard(type, { base: { title } }), begin_at, end_at }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ids[name] = r.body.data.id;
  }
  // Another tenant's ticket never shows.
  const other = await aTenantWithKeys(rt.deps);
  await call(app, 'POST', ROUTES.DISCOUNT, other.keys.merchant, aTicket('DISCOUNT', { card: aCard('DISCOUNT', { base: { title: '七折券' } }) }));
});
after(async () => {
  await app.close();
  await rt.done();
});

/** The ticket names a query answers, in order. */
async function names(query: string): Promise<string[]> {
  const r = await call(app, 'GET', `/tickets?${query}`, key);
  assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
  const byId = Object.fromEntries(Object.entries(ids).map(([n, id]) => [id, n]));
  return r.body.data.map((t: { id: number }) => byId[t.id]);
}

async function refused(query: string, field: string): Promise<string> {
  const r = await call(app, 'GET', `/tickets?${query}`, key);
  assert.equal(r.status, 422, `${query}: ${JSON.stringify(r.body)}`);
  assert.ok(r.body.errors?.[field], `${field} not named for ${query}: ${JSON.stringify(r.body.errors)}`);
  return r.body.errors[field][0];
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('ticket search', () => {
  it("ticket-search › without searchFields, the seed's operators apply: ticket_type =, begin_at >=, end_at <", async () => {
    const search = 'ticket_type:discount;begin_at:2030-01-01';
    assert.deepEqual(await names(q({ search, searchFields: 'ticket_type:=;begin_at:>=' })), ['d7', 'd8']);
    assert.deepEqual(await names(q({ search })), ['d7', 'd8']);
    assert.deepEqual(await names(q({ search: 'end_at:2030-04-30' })), ['d7', 'gift']);
    assert.deepEqual(await names(q({ search: 'ticket_type:coupon' })), ['c30'], 'coupon is the cash route');
  });

  it('ticket-search › each operator: = != > >= < <= like in between', async () => {
    const cases: Array<[string, string, string[]]> = [
      [`id:${ids.g2}`, 'id:=', ['g2']],
      ['ticket_type:discount', 'ticket_type:!=', ['c30', 'g2', 'gift']],
      ['ticket_type:discount', 'ticket_type:<>', ['c30', 'g2', 'gift']],
      ['begin_at:2030-02-01', 'begin_at:>', ['g2', 'd8']],
      ['begin_at:2030-02-01', 'begin_at:>=', ['c30', 'g2', 'd8']],
      ['begin_at:2030-01-01', 'begin_at:<', ['gift']],
      ['begin_at:2030-01-01', 'begin_at:<=', ['d7', 'gift']],
      ['end_at:2030-04-30', 'end_at:=', ['g2']],
      ['title:折', 'title:like', ['d7', 'd8']],
      ['title:满30减10', 'title:=', ['c30']],
      [`id:${ids.d7},${ids.g2}`, 'id:in', ['d7', 'g2']],
      ['ticket_type:discount,gift', 'ticket_type:in', ['d7', 'gift', 'd8']],
      ['begin_at:2030-01-01,2030-02-01', 'begin_at:between', ['d7', 'c30']],
    ];
    for (const [search, searchFields, expected] of cases) assert.deepEqual(await names(q({ search, searchFields })), expected, `${search} ${searchFields}`);
    assert.deepEqual(await names(q({ search: 'title:折', searchFields: 'title,like' })), ['d7', 'd8'], "the seed's field,operator spelling");
    assert.deepEqual(await names(q({ search: '折' })), ['d7', 'd8'], 'a bare term searches titles');
  });

  it('ticket-search › searchJoin=or matches any condition, and (the default) all', async () => {
    const search = 'ticket_type:gift;title:七折';
    assert.deepEqual(await names(q({ search, searchFields: 'title:like', searchJoin: 'or' })), ['d7', 'gift']);
    assert.deepEqual(await names(q({ search, searchFields: 'title:like', searchJoin: 'and' })), []);
    assert.deepEqual(await names(q({ search, searchFields: 'title:like' })), []);
    assert.deepEqual(await names(q({ search: 'ticket_type:discount;title:八', searchFields: 'title:like' })), ['d8']);
  });

  it('ticket-search › sync, status and created_at are searchable too', async () => {
    assert.deepEqual(await names(q({ search: 'sync:1' })), []);
    assert.equal((await names(q({ search: 'sync:0' }))).length, 5);
    assert.equal((await names(q({ search: 'status:0' }))).length, 5);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(rt.deps.clock.now());
    assert.equal((await names(q({ search: `created_at:${today}`, searchFields: 'created_at:=' }))).length, 5);
    assert.deepEqual(await names(q({ search: `created_at:${today}`, searchFields: 'created_at:>' })), []);
  });

  it('ticket-search › refuses an unknown field, an unknown operator, an operator the field does not take, a bad value', async () => {
    assert.match(await refused(q({ search: 'colour:red' }), 'search'), /"colour" is not a searchable field/);
    assert.match(await refused(q({ search: 'title:x', searchFields: 'colour:=' }), 'searchFields'), /not a searchable field/);
    assert.match(await refused(q({ search: 'begin_at:2030-01-01', searchFields: 'begin_at:~' }), 'searchFields'), /unknown operator "~"/);
    assert.match(await refused(q({ search: 'title:x', searchFields: 'title:>' }), 'searchFields'), /does not apply to title/);
    await refused(q({ search: 'id:abc' }), 'search.id');
    await refused(q({ search: 'begin_at:2030-13-01' }), 'search.begin_at');
    await refused(q({ search: 'ticket_type:voucher' }), 'search.ticket_type');
    await refused(q({ search: 'begin_at:2030-01-01', searchFields: 'begin_at:between' }), 'search.begin_at');
    await refused(q({ searchJoin: 'xor' }), 'searchJoin');
    await refused(q({ orderBy: 'colour' }), 'orderBy');
    await refused(q({ sortedBy: 'up' }), 'sortedBy');
    await refused(q({ filter: 'id;title' }), 'filter');
  });

  it('ticket-search › orderBy and sortedBy', async () => {
    assert.deepEqual(await names(q({ orderBy: 'begin_at', sortedBy: 'desc' })), ['d8', 'g2', 'c30', 'd7', 'gift']);
    assert.deepEqual(await names(q({ orderBy: 'end_at' })), ['gift', 'd7', 'g2', 'c30', 'd8']);
    assert.deepEqual(await names(''), ['d7', 'c30', 'g2', 'gift', 'd8'], 'by id by default');
  });

  it('ticket-search › pagination: links, a page past the end, per_page clamped', async () => {
    const page = async (query: string) => (await call(app, 'GET', `/tickets?${query}`, key)).body;
    const p1 = await page('per_page=2');
    assert.deepEqual({ ...p1.meta.pagination, links: undefined }, { total: 5, count: 2, per_page: 2, current_page: 1, total_pages: 3, links: undefined });
    assert.deepEqual(Object.keys(p1.meta.pagination.links), ['next']);
    assert.match(p1.meta.pagination.links.next, /^http:\/\/[^/]+\/tickets\?per_page=2&page=2$/);
    const p2 = await page('per_page=2&page=2');
    assert.deepEqual([p2.data.length, Object.keys(p2.meta.pagination.links).sort()], [2, ['next', 'previous']]);
    const p3 = await page('per_page=2&page=3');
    assert.deepEqual([p3.data.length, Object.keys(p3.meta.pagination.links)], [1, ['previous']]);
    const past = await page('per_page=2&page=9');
    assert.deepEqual([past.data, past.meta.pagination.count, past.meta.pagination.current_page, past.meta.pagination.total], [[], 0, 9, 5]);
    assert.match(past.meta.pagination.links.previous, /page=3$/, 'previous leads back to the last page');
    assert.deepEqual((await page('')).meta.pagination.links, [], 'no links: an empty list, as PHP writes it');
    assert.equal((await page('')).meta.pagination.per_page, 15);
    assert.equal((await page('per_page=1000')).meta.pagination.per_page, 100);
    const one = await page('per_page=0');
    assert.deepEqual([one.meta.pagination.per_page, one.data.length, one.meta.pagination.total_pages], [1, 1, 5]);
    await refused('per_page=many', 'per_page');
    await refused('page=0', 'page');
  });
});
