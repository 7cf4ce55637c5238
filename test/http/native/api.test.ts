/** The native API's contract: fixed routes, bad input, keys and roles, tenant isolation, docs. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';

const s = serverPerFile({ adminKey: 'platform-admin-key' });

async function snapshot(tenantId: string) {
  const q = s.rt.store.q;
  return JSON.stringify([await q.templates.listAll(tenantId), await q.coupons.pageForExport(tenantId, null, 1000), await q.packages.listAll(tenantId)]);
}

describe('native api', () => {
  it('api › health, openapi.json (3.1) and docs answer', async () => {
    assert.deepEqual((await call(s.app, 'GET', '/health', null)).body, { status: 'ok' });
    const doc = await call(s.app, 'GET', '/openapi.json', null);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of ['/v1/templates/{templateId}/claims', '/v1/redemptions/validate', '/v1/redemptions', '/v1/redemptions/{redemptionId}/reverse']) {
      assert.ok(doc.body.paths[path]?.post, `${path} documented`);
    }
    const docs = await s.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it('api › the four fixed routes work as SPEC §3 says', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id, { amount: 1000, rule: { minOrderAmount: 3000 } });
    const claim = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'new-user' });
    assert.equal(claim.status, 201);
    for (const f of ['id', 'code', 'status', 'validFrom', 'validTo']) assert.ok(f in claim.body, f);
    assert.equal(claim.body.status, 'usable');
    const order = { id: 'o-1', amount: 2999, productKindIds: [], channelId: null };
    const v = await call(s.app, 'POST', '/v1/redemptions/validate', keys.cashier, { code: claim.body.code, order });
    assert.equal(v.status, 200);
    assert.deepEqual([v.body.valid, v.body.discountAmount, v.body.reasons[0].code], [false, 0, 'below_min_order_amount']);
    const refused = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order });
    assert.deepEqual([refused.status, refused.body.code, refused.body.reasons[0].code], [409, 'coupon_not_usable', 'below_min_order_amount']);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const r = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { ...order, amount: 3000 } });
    assert.equal(r.status, 201);
    assert.deepEqual([r.body.code, r.body.orderId, r.body.discountAmount], [claim.body.code, 'o-1', 1000]);
    const same = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { ...order, amount: 3000 } });
    assert.equal(same.body.id, r.body.id);
    const rev = await call(s.app, 'POST', `/v1/redemptions/${r.body.id}/reverse`, keys.cashier, {});
    assert.deepEqual([rev.status, rev.body.status], [200, 'reversed']);
    assert.equal((await call(s.app, 'GET', `/v1/coupons/${claim.body.id}`, keys.merchant)).body.status, 'usable');
    const again = await call(s.app, 'POST', `/v1/redemptions/${r.body.id}/reverse`, keys.cashier, {});
    assert.deepEqual([again.status, again.body.code], [409, 'already_reversed']);
    assert.equal((await call(s.app, 'POST', '/v1/redemptions/validate', keys.cashier, { code: '000000000000', order })).status, 404);
    assert.equal((await call(s.app, 'POST', '/v1/templates/nope/claims', keys.client, { userId: 'u' })).status, 404);
  });

  it('api › bad input is a 400 naming the field, and changes nothing', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id);
    const before = await snapshot(tenant.id);
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/templates', '{"name": "x", "kind": ', '(body)'],
      ['POST', '/v1/templates', { name: 'x', kind: 'voucher', amount: 100 }, 'kind'],
      ['POST', '/v1/templates', { name: 'x', kind: 'cash', amount: -100 }, 'amount'],
      ['POST', '/v1/templates', { name: 'x', kind: 'cash', amount: 10.5 }, 'amount'],
      ['POST', '/v1/templates', { name: 'x'.repeat(101), kind: 'cash', amount: 100 }, 'name'],
      ['POST', '/v1/templates', { name: 'x', kind: 'cash', amount: 100, colour: 'red' }, 'colour'],
      ['POST', '/v1/templates', { name: 'x', kind: 'cash', amount: 100, themeId: 'missing-theme' }, 'themeId'],
      ['POST', '/v1/templates', { name: 'x', kind: 'cash', amount: 100, rule: { validFrom: '2026-02-30' } }, 'rule.validFrom'],
      ['POST', '/v1/templates', { name: 'x', kind: 'discount', discount: 12 }, 'discount'],
      ['POST', `/v1/templates/${tpl.id}/claims`, { userId: 'u', extra: true }, 'extra'],
      ['POST', `/v1/templates/${tpl.id}/claims`, {}, 'userId'],
      ['POST', '/v1/redemptions', { code: 'x', order: { id: 'o', amount: '5000' } }, 'order.amount'],
      ['POST', '/v1/packages', { name: 'p', items: [{ templateId: 'ghost', count: 1 }] }, 'items.0.templateId'],
      ['GET', '/v1/templates?limit=0', undefined, 'query.limit'],
      ['GET', '/v1/coupons?status=lost', undefined, 'query.status'],
    ];
    for (const [method, url, body, field] of cases) {
      const key = url.includes('claims') ? keys.client : keys.merchant;
      const r = await call(s.app, method, url, key, body);
      assert.equal(r.status, 400, `${method} ${url} ${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`);
      assert.ok(['validation_failed', 'invalid_json'].includes(r.body.code));
      const named = r.body.code === 'invalid_json' || r.body.errors?.some((e: { field: string }) => e.field === field);
      assert.ok(named, `${field} not named in ${JSON.stringify(r.body)}`);
    }
    assert.equal(await snapshot(tenant.id), before);
  });

  it("api › a key never sees another tenant's things: 404", async () => {
    const a = await aTenantWithKeys(s.rt.deps);
    const b = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, a.tenant.id);
    const claim = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, a.keys.client, { userId: 'u' });
    assert.equal((await call(s.app, 'GET', `/v1/templates/${tpl.id}`, b.keys.merchant)).status, 404);
    assert.equal((await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, b.keys.client, { userId: 'u' })).status, 404);
    assert.equal((await call(s.app, 'GET', `/v1/coupons/${claim.body.id}`, b.keys.merchant)).status, 404);
    assert.equal((await call(s.app, 'POST', '/v1/redemptions/validate', b.keys.cashier, { code: claim.body.code, order: { id: 'o', amount: 1 } })).status, 404);
    assert.equal((await call(s.app, 'GET', `/v1/tenants/${a.tenant.id}`, b.keys.merchant)).status, 404);
    assert.equal((await call(s.app, 'GET', `/v1/coupons?code=${claim.body.code}`, b.keys.merchant)).body.data.length, 0);
  });

  it('api › roles: a cashier cannot create templates, a client cannot redeem, no key is 401', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    assert.equal((await call(s.app, 'POST', '/v1/templates', keys.cashier, { name: 'x', kind: 'cash', amount: 1 })).status, 403);
    assert.equal((await call(s.app, 'POST', '/v1/redemptions', keys.client, { code: 'x', order: { id: 'o', amount: 1 } })).status, 403);
    assert.equal((await call(s.app, 'GET', '/v1/templates', null)).status, 401);
    assert.equal((await call(s.app, 'GET', '/v1/templates', 'sk_live_wrong')).status, 401);
    assert.equal((await call(s.app, 'GET', '/v1/tenants', keys.merchant)).status, 403);
  });

  it('api › the platform key creates a tenant and its first merchant key; revoked keys stop at once', async () => {
    const t = await call(s.app, 'POST', '/v1/tenants', 'platform-admin-key', { name: 'New Co', timezone: 'Asia/Shanghai' });
    assert.equal(t.status, 201);
    const issued = await call(s.app, 'POST', `/v1/tenants/${t.body.id}/credentials`, 'platform-admin-key', { kind: 'api', role: 'merchant' });
    assert.equal(issued.status, 201);
    const key = issued.body.secrets.key;
    assert.match(key, /^sk_live_/);
    assert.equal((await call(s.app, 'GET', '/v1/tenant', key)).body.name, 'New Co');
    const list = await call(s.app, 'GET', '/v1/credentials', key);
    assert.ok(list.body.data.every((c: Record<string, unknown>) => !('key' in c) && !('secret' in c)));
    const other = await call(s.app, 'POST', '/v1/credentials', key, { kind: 'api', role: 'cashier' });
    assert.equal((await call(s.app, 'DELETE', `/v1/credentials/${other.body.credential.id}`, key)).status, 204);
    assert.equal((await call(s.app, 'GET', '/v1/templates', other.body.secrets.key)).status, 401);
    assert.equal((await call(s.app, 'POST', '/v1/tenants', 'platform-admin-key', { name: 'Bad', timezone: 'Mars/Olympus' })).body.errors[0].field, 'timezone');
  });

  it('api › Idempotency-Key: same body replays, another body is refused', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id, { perUserLimit: 5 });
    const h = { 'idempotency-key': 'claim-1' };
    const first = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u' }, h);
    const second = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u' }, h);
    assert.deepEqual([second.status, second.body.id, second.headers['idempotent-replayed']], [201, first.body.id, 'true']);
    const other = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'v' }, h);
    assert.deepEqual([other.status, other.body.code], [422, 'idempotency_key_reused']);
    assert.equal(await s.rt.store.q.coupons.count(tenant.id, { templateId: tpl.id }, Date.now()), 1);
  });

  it('api › package workflow records reviewer and suggestion, and refuses illegal moves', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id);
    const p = await call(s.app, 'POST', '/v1/packages', keys.merchant, { name: '礼包', items: [{ templateId: tpl.id, count: 1 }] });
    assert.equal(p.body.status, 'pending_review');
    assert.equal((await call(s.app, 'POST', `/v1/packages/${p.body.id}/publish`, keys.merchant, {})).body.code, 'illegal_transition');
    await call(s.app, 'POST', `/v1/packages/${p.body.id}/submit`, keys.merchant, {});
    assert.equal((await call(s.app, 'POST', `/v1/packages/${p.body.id}/reject`, keys.merchant, {})).body.errors[0].field, 'suggestion');
    const rejected = await call(s.app, 'POST', `/v1/packages/${p.body.id}/reject`, keys.merchant, { suggestion: '名称不清楚' });
    assert.deepEqual([rejected.body.status, rejected.body.suggestion], ['rejected', '名称不清楚']);
    assert.ok(rejected.body.examinerId);
    const edited = await call(s.app, 'PATCH', `/v1/packages/${p.body.id}`, keys.merchant, { name: '新人礼包' });
    assert.equal(edited.body.name, '新人礼包');
    await call(s.app, 'POST', `/v1/packages/${p.body.id}/submit`, keys.merchant, {});
    await call(s.app, 'POST', `/v1/packages/${p.body.id}/approve`, keys.merchant, { suggestion: 'ok' });
    const pub = await call(s.app, 'POST', `/v1/packages/${p.body.id}/publish`, keys.merchant, {});
    assert.equal(pub.body.status, 'published');
    assert.equal((await call(s.app, 'PATCH', `/v1/packages/${p.body.id}`, keys.merchant, { name: 'late edit' })).status, 409);
    const events = await call(s.app, 'GET', `/v1/events?subjectType=package&subjectId=${p.body.id}`, keys.merchant);
    assert.deepEqual(events.body.data.map((e: { action: string }) => e.action), ['package.created', 'package.submit', 'package.reject', 'package.updated', 'package.submit', 'package.approve', 'package.publish']);
  });
});

describe('native api › interrupted requests', () => {
  it('api › a key whose request was interrupted (no answer stored) is never run again', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id, { perUserLimit: 5 });
    const credential = await call(s.app, 'GET', '/v1/me', keys.client);
    // As a crash leaves it: the same request reserved long ago, no status, no response.
    const url = `/v1/templates/${tpl.id}/claims`;
    const body = JSON.stringify({ userId: 'u' });
    const fp = createHash('sha256').update('POST').update('\u0000').update(url).update('\u0000').update(body).digest('hex');
    await s.rt.store.q.idempotency.reserve(credential.body.credentialId, 'crashed-1', fp, Date.now() - 120_000);
    const r = await call(s.app, 'POST', url, keys.client, body, { 'idempotency-key': 'crashed-1' });
    assert.deepEqual([r.status, r.body.code], [409, 'idempotency_in_progress'], JSON.stringify(r.body));
    assert.match(r.body.detail, /interrupted/);
    assert.equal(await s.rt.store.q.coupons.count(tenant.id, { templateId: tpl.id }, Date.now()), 0);
  });
});
