/** GET /v1/me: any valid key learns its own role, label and tenant; nothing else. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { aTenantWithKeys } from '../../support/factories.ts';
import { call, testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';

let rt: TestRuntime;
let app: FastifyInstance;
before(async () => {
  rt = await testRuntime();
  app = await testServer(rt.deps, { adminKey: 'platform-admin-key' });
});
after(async () => {
  await app.close();
  await rt.done();
});

describe('native api › me', () => {
  it('me › a tenant key sees its role, credential and tenant', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    for (const role of ['merchant', 'cashier', 'client'] as const) {
      const res = await call(app, 'GET', '/v1/me', keys[role]);
      assert.equal(res.status, 200);
      assert.equal(res.body.role, role);
      assert.equal(res.body.tenant.id, tenant.id);
      assert.equal(res.body.tenant.timezone, 'Asia/Shanghai');
      assert.equal(typeof res.body.credentialId, 'string');
    }
  });

  it('me › the platform key has no tenant', async () => {
    const res = await call(app, 'GET', '/v1/me', 'platform-admin-key');
    assert.deepEqual([res.status, res.body.role, res.body.tenant], [200, 'platform', null]);
  });

  it('me › an unknown key is refused with 401', async () => {
    const res = await call(app, 'GET', '/v1/me', 'sk_nope_nope_nope');
    assert.deepEqual([res.status, res.body.code], [401, 'unauthorized']);
    assert.equal((await call(app, 'GET', '/v1/me', null)).status, 401);
  });

  it('me › is documented in /openapi.json', async () => {
    const doc = await call(app, 'GET', '/openapi.json', null);
    assert.ok(doc.body.paths['/v1/me']?.get, '/v1/me documented');
  });
});
