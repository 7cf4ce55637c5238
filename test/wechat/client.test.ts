/** The WeChat card API client against the local stand-in: tokens, errcodes, timeouts, back-off. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { WechatCard } from '../../src/app/wechat/card.ts';
import { WechatClient } from '../../src/wechat/client.ts';
import { WechatError } from '../../src/wechat/errors.ts';
import { usableUntil, type TokenStore } from '../../src/wechat/tokens.ts';
import { backoffDelay } from '../../src/wechat/worker.ts';
import { FixedClock } from '../support/clock.ts';
import { WechatStandIn } from './stand-in.ts';

/** The store's token table, in memory: shared by the clients of one test like processes share a database. */
class MemoryTokens implements TokenStore {
  readonly rows = new Map<string, { token: string; expiresAt: number }>();
  async token(appId: string) {
    return this.rows.get(appId);
  }
  async saveToken(appId: string, token: string, expiresAt: number) {
    this.rows.set(appId, { token, expiresAt });
  }
  async dropToken(appId: string, token: string) {
    if (this.rows.get(appId)?.token === token) this.rows.delete(appId);
  }
}

const app = { appId: 'wx-app-1', appSecret: 'secret-1' };
const card: WechatCard = { card_type: 'GIFT', gift: { gift: '一杯咖啡', base_info: { title: '咖啡券', sku: { quantity: 10 } } } };

const wechat = new WechatStandIn();
const clock = new FixedClock('2026-11-23T04:00:00Z');
let tokens: MemoryTokens;
let client: WechatClient;
before(async () => {
  await wechat.start();
  wechat.apps.set(app.appId, app.appSecret);
});
after(async () => wechat.close());
beforeEach(() => {
  wechat.reset();
  wechat.expiresIn = 7200;
  tokens = new MemoryTokens();
  client = new WechatClient({ baseUrl: wechat.url, tokens, clock, timeoutMs: 500 });
});

async function rejection(p: Promise<unknown>): Promise<WechatError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WechatError, String(e));
    return e;
  }
  assert.fail('expected a WechatError');
}

describe('wechat client', () => {
  it('wechat client › fetches a token once and reuses it until it expires', async () => {
    const id1 = await client.createCard(app, card);
    await client.createCard(app, card);
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 1);
    assert.deepEqual(wechat.callsTo('/cgi-bin/token')[0]?.query, { grant_type: 'client_credential', appid: app.appId, secret: app.appSecret });
    assert.deepEqual(wechat.callsTo('/card/create').map((c) => c.query.access_token), ['tok-1', 'tok-1']);
    assert.match(id1, /^pStandIn/);
    clock.advance(7200_000);
    await client.createCard(app, card);
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 2, 'an expired token is fetched again');
  });

  it('wechat client › another process reuses the token in the shared store', async () => {
    await client.createCard(app, card);
    const other = new WechatClient({ baseUrl: wechat.url, tokens, clock, timeoutMs: 500 });
    await other.modifyStock(app, [...wechat.cards.keys()][0] as string, 5);
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 1);
  });

  it('wechat client › concurrent calls share one token fetch', async () => {
    await Promise.all([client.createCard(app, card), client.createCard(app, card), client.createCard(app, card)]);
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 1);
  });

  it('wechat client › a refused token (40001, 42001) is fetched again and the call sent again', async () => {
    await client.createCard(app, card);
    wechat.revokeTokens();
    await client.createCard(app, card);
    wechat.expireTokens();
    const observed: string[] = [];
    await client.createCard(app, card, (c) => observed.push(`${c.action}:${c.ok ? 'ok' : c.errcode}`));
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 3);
    assert.deepEqual(wechat.callsTo('/card/create').map((c) => c.query.access_token), ['tok-1', 'tok-1', 'tok-2', 'tok-2', 'tok-3']);
    assert.deepEqual(observed, ['card/create:42001', 'token:ok', 'card/create:ok']);
    assert.equal(tokens.rows.get(app.appId)?.token, 'tok-3');
  });

  it('wechat client › a token refused twice in a row is a failure, not a loop', async () => {
    wechat.failNext('/card/create', { errcode: 40001 }, { errcode: 40001 }, { errcode: 40001 });
    const e = await rejection(client.createCard(app, card));
    assert.equal(e.errcode, 40001);
    assert.equal(e.permanent, false);
    assert.equal(wechat.callsTo('/card/create').length, 2);
  });

  it('wechat client › card data errcodes are permanent, system errors and HTTP 5xx are not', async () => {
    wechat.failNext('/card/create', { errcode: 40150, errmsg: 'invalid card parameters' });
    const bad = await rejection(client.createCard(app, card));
    assert.deepEqual([bad.permanent, bad.errcode], [true, 40150]);
    assert.match(bad.message, /card\/create: errcode 40150 invalid card parameters/);
    wechat.failNext('/card/create', { errcode: -1, errmsg: 'system error' });
    assert.equal((await rejection(client.createCard(app, card))).permanent, false);
    wechat.failNext('/card/create', { status: 502 });
    const http = await rejection(client.createCard(app, card));
    assert.deepEqual([http.permanent, http.httpStatus], [false, 502]);
    wechat.failNext('/card/create', { status: 404 });
    assert.equal((await rejection(client.createCard(app, card))).permanent, true);
  });

  it('wechat client › a wrong app secret is permanent and never shows the secret', async () => {
    const e = await rejection(client.createCard({ appId: app.appId, appSecret: 'wrong-secret-value' }, card));
    assert.deepEqual([e.errcode, e.permanent], [40125, true]);
    assert.doesNotMatch(e.message, /wrong-secret-value/);
  });

  it('wechat client › a call that does not answer in time fails with a timeout', async () => {
    await client.createCard(app, card);
    wechat.failNext('/card/create', { delayMs: 800 });
    const e = await rejection(client.createCard(app, card));
    assert.match(e.message, /no answer within 500 ms/);
    assert.equal(e.permanent, false);
  });

  it('wechat client › modifystock sends an increase or a reduction', async () => {
    const id = await client.createCard(app, card);
    await client.modifyStock(app, id, 15);
    await client.modifyStock(app, id, -5);
    assert.deepEqual(wechat.callsTo('/card/modifystock').map((c) => c.body), [{ card_id: id, increase_stock_value: 15 }, { card_id: id, reduce_stock_value: 5 }]);
    assert.equal(wechat.cards.get(id)?.quantity, 20);
  });

  it('wechat client › a token is given up before WeChat says it expires', () => {
    assert.equal(usableUntil(0, 7200), 6900_000);
    assert.equal(usableUntil(0, 60), 54_000);
  });

  it('wechat client › back-off doubles per failure, is capped, and jitters in its upper half', () => {
    const b = { baseMs: 1000, maxMs: 10_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, b, () => 0.999999)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, b, () => 0)), [500, 1000, 2000]);
  });
});
