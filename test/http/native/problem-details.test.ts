/**
 * Failures as documented and as sent: problem+json in the OpenAPI document, instants in problem
 * details as ISO 8601 like everywhere else, and empty lookups refused rather than read as "any".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';

const s = serverPerFile();

describe('problem details', () => {
  it('openapi › every error response is declared as application/problem+json, as it is sent', async () => {
    const doc = (await call(s.app, 'GET', '/openapi.json', null)).body;
    let declared = 0;
    for (const [path, ops] of Object.entries<Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, res] of Object.entries(op.responses ?? {})) {
          if (!/^[45]/.test(status)) continue;
          declared++;
          assert.deepEqual(Object.keys(res.content ?? {}), ['application/problem+json'], `${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    assert.ok(declared > 50, `${declared} error responses declared`);
    assert.equal(doc.paths['/v1/coupons/{couponId}'].get.responses['4XX'].content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const missing = await call(s.app, 'GET', '/v1/coupons/nope', keys.merchant);
    assert.equal(missing.status, 404);
    assert.match(String(missing.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual([missing.body.code, missing.body.type], ['not_found', 'urn:couponhub:problem:not_found']);
  });

  it('redemptions › already_reversed carries reversedAt as an ISO 8601 instant, the one of the first reversal', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps, { timezone: 'Asia/Shanghai' });
    const tpl = await aTemplate(s.rt.deps, tenant.id);
    const claim = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u1' });
    const order = { id: 'o-1', amount: 5000 };
    const r = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order });
    const first = await call(s.app, 'POST', `/v1/redemptions/${r.body.id}/reverse`, keys.cashier, {});
    assert.equal(first.status, 200);
    const again = await call(s.app, 'POST', `/v1/redemptions/${r.body.id}/reverse`, keys.cashier, {});
    assert.deepEqual([again.status, again.body.code], [409, 'already_reversed']);
    assert.equal(typeof again.body.reversedAt, 'string');
    assert.match(again.body.reversedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    assert.equal(again.body.reversedAt, first.body.reversedAt);
  });

  it('lookups › an empty code (or order id) in a query string is a 400 naming it, not a list of everything', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id);
    await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u1' });
    const cases: Array<[string, string]> = [
      ['/v1/coupons?code=', 'query.code'],
      ['/v1/coupons?code=&userId=u1', 'query.code'],
      ['/v1/coupons?code=%20', 'query.code'],
      ['/v1/redemptions?code=', 'query.code'],
      ['/v1/redemptions?orderId=', 'query.orderId'],
    ];
    for (const [url, field] of cases) {
      const r = await call(s.app, 'GET', url, keys.merchant);
      assert.equal(r.status, 400, `${url} → ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'validation_failed');
      assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${url}: ${JSON.stringify(r.body.errors)}`);
    }
    assert.equal((await call(s.app, 'GET', '/v1/coupons?code=000000000000', keys.merchant)).body.data.length, 0);
  });

  it('redemptions › a NUL or an unpaired surrogate in an order id or a code is a 400 naming the field and saying why; other text is kept as given', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id);
    const claim = await call(s.app, 'POST', `/v1/templates/${tpl.id}/claims`, keys.client, { userId: 'u1' });
    const cases: Array<[unknown, string]> = [
      [{ code: claim.body.code, order: { id: 'o-\u0000', amount: 5000 } }, 'order.id'],
      [{ code: claim.body.code, order: { id: 'o-\ud800', amount: 5000 } }, 'order.id'],
      [{ code: 'x\u0000', order: { id: 'o-1', amount: 5000 } }, 'code'],
    ];
    for (const path of ['/v1/redemptions/validate', '/v1/redemptions']) {
      for (const [payload, field] of cases) {
        const r = await call(s.app, 'POST', path, keys.cashier, payload, { 'idempotency-key': `k-${field}-${Math.random()}` });
        assert.equal(r.status, 400, `${path} ${JSON.stringify(payload)} → ${r.status} ${JSON.stringify(r.body)}`);
        const problem = r.body.errors.find((e: { field: string }) => e.field === field);
        assert.equal(problem?.message, 'must not contain a NUL character or an unpaired surrogate', `${path}: ${JSON.stringify(r.body.errors)}`);
      }
    }
    // Chinese, emoji (a surrogate pair), a tab and punctuation are an order id like any other.
    const id = '订单-2026/12\t#7 🧧';
    const r = await call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code: claim.body.code, order: { id, amount: 5000 } });
    assert.deepEqual([r.status, r.body.orderId], [201, id]);
  });
});
