/**
 * WeChat card sync, end to end: tickets saved through the dialect, the durable queue, the worker,
 * and a local WeChat stand-in that records calls and fails on demand. Back-off is shortened and
 * time is a FixedClock moved by hand, so nothing here sleeps.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createCredential } from '../../../src/app/credentials/create-credential.ts';
import { openRuntime, type Runtime } from '../../../src/bootstrap.ts';
import { WechatClient } from '../../../src/wechat/client.ts';
import { runSyncJob } from '../../../src/wechat/sync-job.ts';
import { SyncWorker } from '../../../src/wechat/worker.ts';
import type { Deps } from '../../../src/app/ports.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR, aTenantWithKeys } from '../../support/factories.ts';
import { call, testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { WechatStandIn } from '../../wechat/stand-in.ts';
import { aCard, aTicket } from './cards.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
const wechat = new WechatStandIn();
let rt: TestRuntime;
let app: FastifyInstance;
before(async () => {
  rt = await testRuntime({ clock });
  app = await testServer(rt.deps);
  await wechat.start();
});
after(async () => {
  await app.close();
  await rt.done();
  await wechat.close();
});
beforeEach(() => wechat.reset());

const LEASE_MS = 60_000;

/** A worker on the stand-in: back-off from 1 s, jitter pinned to the middle (750 ms after a first failure). */
function aWorker(deps: Deps = rt.deps, owner?: string): SyncWorker {
  const client = new WechatClient({ baseUrl: wechat.url, tokens: deps.store.q.wechat, clock, timeoutMs: 2000 });
  return new SyncWorker(deps, { client, leaseMs: LEASE_MS, backoff: { baseMs: 1000, maxMs: 60_000 }, random: () => 0.5, ...(owner ? { owner } : {}) });
}

/** A tenant with a merchant key and a WeChat app the stand-in knows. */
async function aMerchant(withWechat = true) {
  const t = await aTenantWithKeys(rt.deps);
  const appId = `wx${t.tenant.id}`;
  if (withWechat) {
    await createCredential(rt.deps, { tenantId: t.tenant.id, kind: 'wechat', appId, appSecret: `secret-${appId}`, actor: ACTOR });
    wechat.apps.set(appId, `secret-${appId}`);
  }
  return { ...t, appId };
}

/** Creates a cash ticket asking for sync; answers { id (ticket), templateId }. */
async function aSyncedTicket(key: string, over: { quantity?: number; title?: string } = {}) {
  const card = aCard('CASH', { base: { sku: { quantity: over.quantity ?? 500 }, ...(over.title ? { title: over.title } : {}) } });
  const r = await call(app, 'POST', '/coupon/ticket', key, aTicket('CASH', { card, sync: true }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const templates = await call(app, 'GET', '/v1/templates?limit=200', key);
  const templateId = templates.body.data.find((t: { number: number }) => t.number === r.body.data.id).id as string;
  return { id: r.body.data.id as number, templateId, created: r.body.data };
}

const syncOf = async (key: string, templateId: string) => (await call(app, 'GET', `/v1/templates/${templateId}/sync`, key)).body;
const ticketOf = async (key: string, id: number) => (await call(app, 'GET', `/tickets?search=id:${id}`, key)).body.data[0];

describe('wechat sync', () => {
  it('wechat-sync › a ticket is saved and answered at once while WeChat is down; the card is created later, with back-off', async () => {
    const m = await aMerchant();
    wechat.failNext('/card/create', { status: 500 });
    const t = await aSyncedTicket(m.keys.merchant);
    assert.deepEqual([t.created.sync, t.created.card_id], [0, null]);
    assert.deepEqual((await syncOf(m.keys.merchant, t.templateId)).state, 'pending');
    assert.equal(await aWorker().runOnce(), 1);
    const failed = await syncOf(m.keys.merchant, t.templateId);
    assert.deepEqual([failed.state, failed.attempts, failed.cardId], ['failed', 1, null]);
    assert.match(failed.lastError, /card\/create: HTTP 500/);
    assert.equal(Date.parse(failed.nextAttemptAt), clock.now() + 750);
    assert.equal(await aWorker().runOnce(), 0, 'not before the back-off');
    clock.advance(750);
    assert.equal(await aWorker().runOnce(), 1);
    const synced = await syncOf(m.keys.merchant, t.templateId);
    assert.deepEqual([synced.state, synced.attempts, synced.lastError, synced.nextAttemptAt, synced.ticketId], ['synced', 0, null, null, t.id]);
    assert.match(synced.cardId, /^pStandIn/);
    const ticket = await ticketOf(m.keys.merchant, t.id);
    assert.deepEqual([ticket.sync, ticket.card_id, ticket.wechat_app_id], [1, synced.cardId, m.appId]);
    const sent = wechat.callsTo('/card/create').at(-1)?.body.card;
    assert.deepEqual([sent.card_type, sent.cash.reduce_cost, sent.cash.base_info.sku.quantity, sent.cash.base_info.title], ['CASH', 1000, 500, '海底捞优惠券']);
    const attempts = (await call(app, 'GET', `/v1/templates/${t.templateId}/sync/attempts`, m.keys.merchant)).body.data;
    assert.deepEqual(attempts.map((a: { action: string; ok: boolean }) => `${a.action}:${a.ok}`), ['card/create:true', 'card/create:false', 'token:true']);
  });

  it('wechat-sync › fetches the token once and reuses it for every card', async () => {
    const m = await aMerchant();
    for (let i = 0; i < 3; i++) await aSyncedTicket(m.keys.merchant);
    assert.equal(await aWorker().runOnce(), 3);
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 1);
    assert.deepEqual(wechat.callsTo('/card/create').map((c) => c.query.access_token), ['tok-1', 'tok-1', 'tok-1']);
  });

  it('wechat-sync › an errcode is retried after back-off; a token refused with 40001 is replaced at once', async () => {
    const m = await aMerchant();
    const t = await aSyncedTicket(m.keys.merchant);
    wechat.failNext('/card/create', { errcode: -1, errmsg: 'system error' });
    await aWorker().runOnce();
    const failed = await syncOf(m.keys.merchant, t.templateId);
    assert.deepEqual([failed.state, failed.attempts], ['failed', 1]);
    assert.match(failed.lastError, /errcode -1 system error/);
    clock.advance(750);
    wechat.revokeTokens();
    assert.equal(await aWorker().runOnce(), 1);
    assert.equal((await syncOf(m.keys.merchant, t.templateId)).state, 'synced');
    assert.equal(wechat.callsTo('/cgi-bin/token').length, 2, 'refreshed after 40001');
    assert.deepEqual(wechat.callsTo('/card/create').map((c) => c.query.access_token), ['tok-1', 'tok-1', 'tok-2']);
  });

  it('wechat-sync › a stock change on PUT becomes card/modifystock, other changes card/update', async () => {
    const m = await aMerchant();
    const t = await aSyncedTicket(m.keys.merchant);
    await aWorker().runOnce();
    const cardId = (await syncOf(m.keys.merchant, t.templateId)).cardId as string;
    const put = (quantity: number, sync: boolean, title = '新的券名') =>
      call(app, 'PUT', `/ticket/${t.id}`, m.keys.merchant, { ticket_type: 'coupon', ...aTicket('CASH', { card: aCard('CASH', { base: { title, sku: { quantity } } }), sync }) });
    clock.advance(1);
    assert.equal((await put(650, true)).body.data.sync, 0);
    assert.equal(await aWorker().runOnce(), 1);
    assert.equal(wechat.callsTo('/card/create').length, 1);
    const update = wechat.callsTo('/card/update')[0]?.body;
    assert.deepEqual([update.card_id, update.cash.base_info.title, update.cash.base_info.sku], [cardId, '新的券名', undefined]);
    assert.deepEqual(wechat.callsTo('/card/modifystock').map((c) => c.body), [{ card_id: cardId, increase_stock_value: 150 }]);
    assert.equal(wechat.cards.get(cardId)?.quantity, 650);
    assert.equal((await ticketOf(m.keys.merchant, t.id)).sync, 1);
    clock.advance(1);
    await put(600, true);
    await aWorker().runOnce();
    assert.deepEqual(wechat.callsTo('/card/modifystock').at(-1)?.body, { card_id: cardId, reduce_stock_value: 50 });
    assert.equal(wechat.cards.get(cardId)?.quantity, 600);
    clock.advance(1);
    await put(700, false, '不同步的改动');
    assert.equal(await aWorker().runOnce(), 0, 'sync: false sends nothing');
    assert.equal((await ticketOf(m.keys.merchant, t.id)).sync, 0, 'and the ticket says WeChat is behind');
    assert.equal(wechat.cards.get(cardId)?.quantity, 600);
  });

  it('wechat-sync › never sends the same create twice after a success', async () => {
    const m = await aMerchant();
    const t = await aSyncedTicket(m.keys.merchant);
    const key = { tenantId: m.tenant.id, templateId: t.templateId };
    // A worker claims the job, WeChat creates the card, and the worker dies before writing its outcome.
    const crashed = await rt.store.q.wechat.claim(key, 'crashed-worker', clock.now(), clock.now() + LEASE_MS);
    assert.ok(crashed);
    const client = new WechatClient({ baseUrl: wechat.url, tokens: rt.store.q.wechat, clock });
    assert.equal((await runSyncJob(rt.deps, client, crashed)).ok, true);
    assert.equal(await aWorker().runOnce(), 0, 'the lease still holds');
    clock.advance(LEASE_MS + 1);
    assert.equal(await aWorker().runOnce(), 1, 'the lease expired: another worker resumes');
    assert.equal(wechat.callsTo('/card/create').length, 1);
    assert.equal((await syncOf(m.keys.merchant, t.templateId)).state, 'synced');
    // Two workers racing for the same due jobs (WeChat slow, so both find them due): each card is created once.
    for (let i = 0; i < 4; i++) await aSyncedTicket(m.keys.merchant);
    wechat.failNext('/card/create', ...Array.from({ length: 4 }, () => ({ delayMs: 100 })));
    const ran = await Promise.all([aWorker(rt.deps, 'w1').runOnce(), aWorker(rt.deps, 'w2').runOnce()]);
    assert.equal(ran[0] + ran[1], 4);
    assert.equal(wechat.callsTo('/card/create').length, 5);
  });

  it('wechat-sync › survives a restart mid-queue', async () => {
    const m = await aMerchant();
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push(await aSyncedTicket(m.keys.merchant));
    // The old process claimed the first job and stopped there.
    const first = tickets[0] as { templateId: string };
    assert.ok(await rt.store.q.wechat.claim({ tenantId: m.tenant.id, templateId: first.templateId }, 'old-process', clock.now(), clock.now() + LEASE_MS));
    const restarted: Runtime = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', busyTimeoutMs: 5000, poolSize: 2 }, { clock, ...(rt.pgSchema ? { pgSchema: rt.pgSchema } : {}) });
    try {
      const worker = aWorker(restarted.deps);
      assert.equal(await worker.runOnce(), 2);
      clock.advance(LEASE_MS + 1);
      assert.equal(await worker.runOnce(), 1);
    } finally {
      await restarted.store.close();
    }
    for (const t of tickets) assert.equal((await syncOf(m.keys.merchant, t.templateId)).state, 'synced');
    assert.equal(wechat.callsTo('/card/create').length, 3);
  });

  it('wechat-sync › a permanent error is not retried until a retry by hand', async () => {
    const m = await aMerchant();
    const t = await aSyncedTicket(m.keys.merchant);
    wechat.failNext('/card/create', { errcode: 40150, errmsg: 'invalid card parameters' });
    await aWorker().runOnce();
    const failed = await syncOf(m.keys.merchant, t.templateId);
    assert.deepEqual([failed.state, failed.nextAttemptAt], ['failed', null]);
    assert.match(failed.lastError, /40150/);
    clock.advance(86_400_000);
    assert.equal(await aWorker().runOnce(), 0);
    const retried = await call(app, 'POST', `/v1/wechat/sync/${t.templateId}/retry`, m.keys.merchant);
    assert.deepEqual([retried.status, retried.body.state, retried.body.templateId], [200, 'pending', t.templateId]);
    assert.equal(await aWorker().runOnce(), 1);
    assert.equal((await syncOf(m.keys.merchant, t.templateId)).state, 'synced');
  });

  it('wechat-sync › without a wechat credential the failure says what to do', async () => {
    const m = await aMerchant(false);
    const t = await aSyncedTicket(m.keys.merchant);
    await aWorker().runOnce();
    const failed = await syncOf(m.keys.merchant, t.templateId);
    assert.deepEqual([failed.state, failed.nextAttemptAt], ['failed', null]);
    assert.match(failed.lastError, /no wechat credential/);
    assert.equal(wechat.calls.length, 0);
  });

  it('wechat-sync › the native API lists sync states with counts, filters by state, and keeps tenants apart', async () => {
    const m = await aMerchant();
    const ok = await aSyncedTicket(m.keys.merchant, { title: '同步成功' });
    await aWorker().runOnce();
    wechat.failNext('/card/create', { errcode: 40150 });
    const bad = await aSyncedTicket(m.keys.merchant, { title: '同步失败' });
    await aWorker().runOnce();
    const waiting = await aSyncedTicket(m.keys.merchant, { title: '等待同步' });
    const list = (await call(app, 'GET', '/v1/wechat/sync', m.keys.merchant)).body;
    assert.deepEqual(list.counts, { pending: 1, synced: 1, failed: 1 });
    const row = list.data.find((s: { templateId: string }) => s.templateId === ok.templateId);
    assert.deepEqual(Object.keys(row).sort(), ['attempts', 'cardId', 'lastError', 'nextAttemptAt', 'state', 'templateId', 'ticketId', 'title', 'updatedAt']);
    assert.deepEqual([row.ticketId, row.title, row.state], [ok.id, '同步成功', 'synced']);
    const failed = (await call(app, 'GET', '/v1/wechat/sync?state=failed', m.keys.merchant)).body.data;
    assert.deepEqual(failed.map((s: { templateId: string }) => s.templateId), [bad.templateId]);
    const pending = (await call(app, 'GET', '/v1/wechat/sync?state=pending', m.keys.merchant)).body.data;
    assert.deepEqual(pending.map((s: { templateId: string }) => s.templateId), [waiting.templateId]);
    const plain = await call(app, 'POST', '/coupon/ticket', m.keys.merchant, aTicket('CASH'));
    const plainTemplate = (await call(app, 'GET', '/v1/templates?limit=200', m.keys.merchant)).body.data.find((t: { number: number }) => t.number === plain.body.data.id);
    assert.equal((await call(app, 'GET', `/v1/templates/${plainTemplate.id}/sync`, m.keys.merchant)).status, 404, 'never asked to sync');
    assert.equal((await call(app, 'POST', `/v1/wechat/sync/${plainTemplate.id}/retry`, m.keys.merchant)).status, 404);
    const other = await aMerchant();
    assert.equal((await call(app, 'GET', `/v1/templates/${ok.templateId}/sync`, other.keys.merchant)).status, 404);
    assert.deepEqual((await call(app, 'GET', '/v1/wechat/sync', other.keys.merchant)).body.data, []);
    assert.equal((await call(app, 'GET', '/v1/wechat/sync', m.keys.cashier)).status, 403);
    const doc = (await call(app, 'GET', '/openapi.json', null)).body;
    for (const path of ['/v1/wechat/sync', '/v1/templates/{templateId}/sync', '/v1/wechat/sync/{templateId}/retry']) assert.ok(doc.paths[path], path);
    assert.ok(JSON.stringify(doc).includes('"cardId"'));
  });
});

describe('wechat sync › native edits', () => {
  it('wechat-sync › a change made through the native API to a synced template reaches WeChat too', async () => {
    const m = await aMerchant();
    const t = await aSyncedTicket(m.keys.merchant);
    await aWorker().runOnce();
    const cardId = (await syncOf(m.keys.merchant, t.templateId)).cardId as string;
    clock.advance(1);
    const patched = await call(app, 'PATCH', `/v1/templates/${t.templateId}`, m.keys.merchant, { stock: 800 });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal((await syncOf(m.keys.merchant, t.templateId)).state, 'pending');
    assert.equal(await aWorker().runOnce(), 1);
    assert.equal(wechat.cards.get(cardId)?.quantity, 800);
    // A template never asked to sync stays out of WeChat.
    const plain = await call(app, 'POST', '/v1/templates', m.keys.merchant, { name: 'local only', kind: 'cash', amount: 100 });
    await call(app, 'PATCH', `/v1/templates/${plain.body.id}`, m.keys.merchant, { stock: 5 });
    assert.equal((await call(app, 'GET', `/v1/templates/${plain.body.id}/sync`, m.keys.merchant)).status, 404);
  });
});
