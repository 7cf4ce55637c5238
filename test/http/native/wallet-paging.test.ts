/**
 * Wallets page by cursor (newest first, keyset), grouped wallets stay whole, and a chat's wallet
 * is decided in one app function for the native API and OP v2 alike.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { call, testServer, type JsonResponse } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';

const KEY = 'sk_test_wallet_paging_merchant';
const CLIENT = 'sk_test_wallet_paging_client';
const clock = new FixedClock('2030-01-01T00:00:00Z');

/**
 * Alice holds 9 coupons: ties on issuedAt (only the id orders them), ids with `:` `.` `@` as
 * imports may have, 4 of them in chat-1, one frozen and one used. The operator holds 3.
 */
const coupon = (id: string, owner: ['user' | 'operator', string], issuedAt: string, over: Record<string, unknown> = {}) => ({
  id, code: `code-${id.replace(/[^A-Za-z0-9]/g, '')}`, templateId: 't1', ownerType: owner[0], ownerId: owner[1], senderId: null, chatId: null, packageId: null,
  status: 'usable', validFrom: '2029-01-01', validTo: '2099-12-31', issuedAt, ...over,
});
const alice: ['user', string] = ['user', 'alice'];
const DATASET = {
  tenants: [{
    id: 'wallet-paging', name: 'Wallet Co', timezone: 'Asia/Shanghai', servicePhone: '400',
    credentials: [{ kind: 'api', key: KEY, role: 'merchant' }, { kind: 'api', key: CLIENT, role: 'client' }],
    users: [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }],
    operators: [{ id: 'op1', name: 'op1' }],
    chats: [{ id: 'chat-1', userId: 'alice', operatorId: 'op1' }],
    templates: [{ id: 't1', name: 'cash', kind: 'cash', amount: 100 }],
    coupons: [
      coupon('a:1', alice, '2029-06-01T00:00:00Z'),
      coupon('a.2', alice, '2029-06-01T00:00:00Z', { chatId: 'chat-1' }),
      coupon('a@3', alice, '2029-06-01T00:00:00Z'),
      coupon('a-4', alice, '2029-06-02T00:00:00Z', { status: 'frozen' }),
      coupon('a_5', alice, '2029-06-02T00:00:00Z', { chatId: 'chat-1' }),
      coupon('a6', alice, '2029-05-01T00:00:00Z', { status: 'used' }),
      coupon('a7', alice, '2029-07-01T00:00:00Z', { chatId: 'chat-1' }),
      coupon('a8', alice, '2029-04-01T00:00:00Z'),
      coupon('a9', alice, '2029-04-01T00:00:00Z', { chatId: 'chat-1' }),
      coupon('b1', ['user', 'bob'], '2029-06-01T00:00:00Z'),
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => coupon(`c${i}`, ['user', 'carol'], `2029-0${i}-01T00:00:00Z`)),
      coupon('o1', ['operator', 'op1'], '2029-06-01T00:00:00Z'),
      coupon('o2', ['operator', 'op1'], '2029-06-01T00:00:00Z'),
      coupon('o3', ['operator', 'op1'], '2029-06-03T00:00:00Z'),
    ],
  }],
};

let rt: TestRuntime;
let app: FastifyInstance;
before(async () => {
  rt = await testRuntime({ clock });
  app = await testServer(rt.deps);
  await importDataset(rt.deps, DATASET, { actor: ACTOR });
});
after(async () => {
  await app.close();
  await rt.done();
});

interface Page {
  data: Array<{ id: string; issuedAt: string; status: string; chatId: string | null; ownerId: string }>;
  nextCursor: string | null;
}

/** Every page of a wallet at `limit`, following nextCursor to the end. */
async function walk(path: string, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const r: JsonResponse<Page> = await call<Page>(app, 'GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, KEY);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    pages.push(r.body);
    cursor = r.body.nextCursor;
    assert.ok(pages.length < 50, 'paging ends');
  } while (cursor !== null);
  return pages;
}

const ids = (pages: Page[]) => pages.flatMap((p) => p.data.map((c) => c.id));

function assertNewestFirst(data: Page['data']): void {
  for (let i = 1; i < data.length; i++) {
    const [a, b] = [Date.parse(data[i - 1]!.issuedAt), Date.parse(data[i]!.issuedAt)];
    assert.ok(a >= b, `${data[i - 1]!.id} (${data[i - 1]!.issuedAt}) before ${data[i]!.id} (${data[i]!.issuedAt})`);
  }
}

describe('wallet paging', () => {
  it('wallets › a user wallet pages newest first, ties by id, every coupon once, nextCursor null on the last page', async () => {
    const whole = await call<Page>(app, 'GET', '/v1/users/alice/coupons?limit=200', KEY);
    assert.equal(whole.status, 200);
    assert.equal(whole.body.nextCursor, null);
    assert.equal(whole.body.data.length, 9);
    assertNewestFirst(whole.body.data);
    assert.equal(whole.body.data[0]!.id, 'a7');
    for (const limit of [1, 2, 3, 4, 9]) {
      const pages = await walk('/v1/users/alice/coupons', limit);
      assert.deepEqual(ids(pages), whole.body.data.map((c) => c.id), `limit ${limit}`);
      assert.ok(pages.slice(0, -1).every((p) => p.data.length === limit && p.nextCursor !== null), `full pages before the last at limit ${limit}`);
      assert.equal(pages.at(-1)!.nextCursor, null);
    }
    // A page that happens to end exactly at the last coupon says so: no empty page after it.
    assert.equal((await walk('/v1/users/alice/coupons', 9)).length, 1);
  });

  it('wallets › without a limit a page holds 50 (ties on one instant page by id)', async () => {
    const received = await call(app, 'POST', '/v1/operators/op-many/coupons', KEY, { templateId: 't1', count: 53 });
    assert.equal(received.status, 201);
    const first = await call<Page>(app, 'GET', '/v1/operators/op-many/coupons', KEY);
    assert.equal(first.body.data.length, 50);
    assert.equal(typeof first.body.nextCursor, 'string');
    const second = await call<Page>(app, 'GET', `/v1/operators/op-many/coupons?cursor=${encodeURIComponent(first.body.nextCursor as string)}`, KEY);
    assert.equal(second.body.data.length, 3);
    assert.equal(second.body.nextCursor, null);
    const all = [...first.body.data, ...second.body.data].map((c) => c.id);
    assert.deepEqual(new Set(all), new Set(received.body.data.map((c: { id: string }) => c.id)));
    assert.equal(new Set(all).size, 53);
  });

  it('wallets › a coupon issued between two pages neither repeats nor shifts the next page', async () => {
    const first = await call<Page>(app, 'GET', '/v1/users/carol/coupons?limit=3', KEY);
    assert.deepEqual(first.body.data.map((c) => c.id), ['c7', 'c6', 'c5']);
    clock.advance(1000);
    const claimed = await call(app, 'POST', '/v1/templates/t1/claims', CLIENT, { userId: 'carol' });
    assert.equal(claimed.status, 201);
    // An offset would now start at c5 again; the cursor starts after it.
    const second = await call<Page>(app, 'GET', `/v1/users/carol/coupons?limit=3&cursor=${encodeURIComponent(first.body.nextCursor as string)}`, KEY);
    assert.deepEqual(second.body.data.map((c) => c.id), ['c4', 'c3', 'c2']);
    const newest = await call<Page>(app, 'GET', '/v1/users/carol/coupons?limit=1', KEY);
    assert.equal(newest.body.data[0]!.id, claimed.body.id);
  });

  it('wallets › status filters page too', async () => {
    const pages = await walk('/v1/users/alice/coupons?status=usable', 2);
    const got = ids(pages);
    assert.deepEqual(new Set(got), new Set(['a:1', 'a.2', 'a@3', 'a_5', 'a7', 'a8', 'a9']));
    assert.equal(got.length, 7);
    assertNewestFirst(pages.flatMap((p) => p.data));
    assert.deepEqual(ids(await walk('/v1/users/alice/coupons?status=frozen,used', 1)), ['a-4', 'a6']);
  });

  it("wallets › a chat's wallet: its user's coupons in that chat, or its operator's holdings, paged", async () => {
    const user = await walk('/v1/chats/chat-1/coupons', 2);
    assert.deepEqual(ids(user), ['a7', 'a_5', 'a.2', 'a9']);
    assert.ok(user.flatMap((p) => p.data).every((c) => c.chatId === 'chat-1' && c.ownerId === 'alice'));
    const inChat = await walk('/v1/users/alice/coupons?chatId=chat-1', 3);
    assert.deepEqual(ids(inChat), ids(user));
    const op = await walk('/v1/chats/chat-1/coupons?ownerType=operator', 2);
    assert.equal(ids(op)[0], 'o3');
    assert.deepEqual(new Set(ids(op)), new Set(['o1', 'o2', 'o3']));
    assert.deepEqual(ids(op), ids(await walk('/v1/operators/op1/coupons', 1)));
    const missing = await call(app, 'GET', '/v1/chats/no-such-chat/coupons', KEY);
    assert.deepEqual([missing.status, missing.body.code], [404, 'not_found']);
  });

  it('wallets › groupBy=template still answers every group at once, and refuses paging it cannot honour', async () => {
    const g = await call(app, 'GET', '/v1/users/alice/coupons?groupBy=template', KEY);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body.data, []);
    assert.equal('nextCursor' in g.body, false);
    const counts = Object.fromEntries(g.body.groups.map((x: { state: string; count: number }) => [x.state, x.count]));
    assert.deepEqual(counts, { usable: 7, frozen: 1, used: 1 });
    const chat = await call(app, 'GET', '/v1/chats/chat-1/coupons?groupBy=template&ownerType=operator', KEY);
    assert.equal(chat.body.groups[0].count, 3);
    for (const q of ['limit=2', 'cursor=abc']) {
      const r = await call(app, 'GET', `/v1/users/alice/coupons?groupBy=template&${q}`, KEY);
      assert.equal(r.status, 400);
      assert.equal(r.body.errors[0].field, `query.${q.split('=')[0]}`);
    }
  });

  it('wallets › a bad limit or cursor is a 400 naming it', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/users/alice/coupons?limit=0', 'query.limit'],
      ['/v1/users/alice/coupons?limit=201', 'query.limit'],
      ['/v1/users/alice/coupons?limit=ten', 'query.limit'],
      ['/v1/operators/op1/coupons?cursor=', 'query.cursor'],
      ['/v1/chats/chat-1/coupons?cursor=bm90IGEgY3Vyc29y', 'query.cursor'],
      [`/v1/users/alice/coupons?cursor=${'x'.repeat(201)}`, 'query.cursor'],
      ['/v1/coupons?cursor=bm90IGEgY3Vyc29y', 'query.cursor'],
    ];
    for (const [url, field] of cases) {
      const r = await call(app, 'GET', url, KEY);
      assert.equal(r.status, 400, `${url} → ${r.status}`);
      assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${url}: ${JSON.stringify(r.body)}`);
    }
  });

  it('wallets › GET /v1/coupons pages through ids with : . @ (imported ids) too', async () => {
    const pages = await walk('/v1/coupons?userId=alice', 1);
    assert.deepEqual(new Set(ids(pages)), new Set(['a:1', 'a.2', 'a@3', 'a-4', 'a_5', 'a6', 'a7', 'a8', 'a9']));
  });

  it('wallets › the OpenAPI document says how wallets page', async () => {
    const doc = (await call(app, 'GET', '/openapi.json', null)).body;
    for (const path of ['/v1/users/{userId}/coupons', '/v1/operators/{operatorId}/coupons', '/v1/chats/{chatId}/coupons']) {
      const get = doc.paths[path].get;
      assert.match(get.summary, /newest first/);
      const names = get.parameters.map((p: { name: string }) => p.name);
      assert.ok(names.includes('limit') && names.includes('cursor'), path);
      assert.ok(get.responses['200'].content['application/json'].schema.properties.nextCursor, path);
    }
  });

  it('layering › the native API reads the store only through app/ (a chat maps to its owner in app/wallets)', () => {
    const dir = join(import.meta.dirname, '../../../src/http/native');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 5);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.doesNotMatch(text, /\.store\b/, `src/http/native/${f} reaches the store`);
      // Nor imports from it, types included: what the dialect needs comes through app/.
      assert.doesNotMatch(text, /from '(\.\.\/)+store\//, `src/http/native/${f} imports from src/store`);
    }
    const op = readFileSync(join(import.meta.dirname, '../../../src/http/op-v2/routes.ts'), 'utf8');
    assert.match(op, /chatWallet\(/, 'OP v2 asks app/wallets whose wallet a chat shows');
    assert.doesNotMatch(op, /ownerId: chat\./, 'OP v2 does not map a chat to its owner itself');
  });
});
