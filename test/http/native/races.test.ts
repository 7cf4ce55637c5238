/**
 * Limits under real concurrency, over real HTTP: no oversell, no double spend, every refusal a
 * clean 409. Runs on SQLite and, in CI, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { listen, post, testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';

let rt: TestRuntime;
let app: FastifyInstance;
let base: string;
before(async () => {
  rt = await testRuntime();
  app = await testServer(rt.deps);
  base = await listen(app);
});
after(async () => {
  await app.close();
  await rt.done();
});

describe('races', () => {
  it('races › 1,000 concurrent claims from 600 users, stock 100, one per user: exactly 100, no user twice, only 409s', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: 100, perUserLimit: 1 });
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i % 600}`);
    const results = await Promise.all(users.map((userId) => post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(ok.length, 100);
    assert.equal(refused.length, 900, `other statuses: ${results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.status)}`);
    for (const r of refused) assert.ok(['out_of_stock', 'limit_reached'].includes(r.body.code), r.body.code);
    const owners = ok.map((r) => r.body.ownerId);
    assert.equal(new Set(owners).size, 100, 'a user got two coupons');
    const stored = await rt.store.q.coupons.count(tenant.id, { templateId: tpl.id }, Date.now());
    assert.equal(stored, 100);
    assert.equal((await rt.store.q.templates.get(tenant.id, tpl.id))?.claimed, 100);
  });

  it('races › one user, 40 concurrent claims, per-user limit 5: exactly 5', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: 1000, perUserLimit: 5 });
    const results = await Promise.all(Array.from({ length: 40 }, () => post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'greedy' })));
    assert.equal(results.filter((r) => r.status === 201).length, 5);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'limit_reached'));
    assert.equal(await rt.store.q.coupons.count(tenant.id, { templateId: tpl.id, ownerId: 'greedy' }, Date.now()), 5);
  });

  it('races › one coupon, 40 concurrent redemptions with different order ids: exactly one', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id);
    const claim = await post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(base, '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { id: `order-${i}`, amount: 5000 } })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    const refused = results.filter((r) => r.status !== 201);
    assert.equal(refused.length, 39);
    for (const r of refused) {
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'coupon_not_usable');
      assert.equal(r.body.reasons[0].code, 'coupon_used');
    }
    assert.equal((await rt.store.q.redemptions.list(tenant.id, { code: claim.body.code }, 100, 0)).length, 1);
  });

  it('races › 20 concurrent reversals of one redemption: one succeeds, every other is 409 with when it was reversed', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id);
    const claim = await post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u' });
    const redeemed = await post(base, '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { id: 'order-r', amount: 5000 } });
    assert.equal(redeemed.status, 201);
    const results = await Promise.all(Array.from({ length: 20 }, () => post(base, `/v1/redemptions/${redeemed.body.id}/reverse`, keys.cashier, {})));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    const refused = results.filter((r) => r.status !== 200);
    assert.equal(refused.length, 19);
    for (const r of refused) {
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'already_reversed');
      assert.match(String(r.body.reversedAt), /^\d{4}-\d\d-\d\dT/, 'reversedAt names when it was reversed');
    }
  });

  it('races › 20 concurrent redemptions with one Idempotency-Key: one redemption, every success the same id', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id);
    const claim = await post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u' });
    const body = { code: claim.body.code, order: { id: 'order-1', amount: 5000 } };
    const results = await Promise.all(Array.from({ length: 20 }, () => post(base, '/v1/redemptions', keys.cashier, body, { 'idempotency-key': 'pay-1' })));
    const ok = results.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    assert.ok(results.every((r) => r.status === 201 || r.status === 409), `statuses ${results.map((r) => r.status)}`);
    assert.equal(new Set(ok.map((r) => r.body.id)).size, 1);
    assert.equal((await rt.store.q.redemptions.list(tenant.id, { code: claim.body.code }, 100, 0)).length, 1);
  });

  it('races › concurrent package claims never break the total limit, and each is whole', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const a = await aTemplate(rt.deps, tenant.id, { stock: 1000, perUserLimit: null });
    const b = await aTemplate(rt.deps, tenant.id, { stock: 1000, perUserLimit: null });
    const m = keys.merchant;
    const p = await post(base, '/v1/packages', m, { name: '礼包', rule: { totalLimit: 7, perUserLimit: 1 }, items: [{ templateId: a.id, count: 2 }, { templateId: b.id, count: 1 }] });
    for (const move of ['submit', 'approve', 'publish']) assert.equal((await post(base, `/v1/packages/${p.body.id}/${move}`, m, {})).status, 200);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => post(base, `/v1/packages/${p.body.id}/claims`, keys.client, { userId: `pu-${i % 10}` })));
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 7);
    assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && ['out_of_stock', 'limit_reached'].includes(r.body.code))));
    assert.equal(await rt.store.q.coupons.count(tenant.id, { packageId: p.body.id }, Date.now()), 21);
    assert.equal(new Set(ok.map((r) => r.body.userId)).size, 7);
  });

  it('races › lowering the stock while claims pour in never leaves more claimed than stock', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: 100_000, perUserLimit: null });
    let stop = false;
    const claimer = async (w: number) => {
      for (let i = 0; !stop && i < 200; i++) await post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: `s-${w}-${i}` });
    };
    const claimers = Array.from({ length: 16 }, (_, w) => claimer(w));
    for (let round = 0; round < 15; round++) {
      const now = (await rt.store.q.templates.get(tenant.id, tpl.id))?.claimed ?? 0;
      const res = await fetch(`${base}/v1/templates/${tpl.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${keys.merchant}`, 'content-type': 'application/json' }, body: JSON.stringify({ stock: now + 3 }) });
      assert.ok(res.status === 200 || res.status === 400, `PATCH answered ${res.status}`);
      await res.arrayBuffer();
      const t = await rt.store.q.templates.get(tenant.id, tpl.id);
      assert.ok(t && t.stock !== null && t.claimed <= t.stock, `claimed ${t?.claimed} > stock ${t?.stock}`);
    }
    stop = true;
    await Promise.all(claimers);
    const t = await rt.store.q.templates.get(tenant.id, tpl.id);
    assert.ok(t && t.stock !== null && t.claimed <= t.stock);
    assert.equal(await rt.store.q.coupons.count(tenant.id, { templateId: tpl.id }, Date.now()), t.claimed);
  });
});
