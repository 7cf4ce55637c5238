/** GET /v1/me: any valid key learns its own role, label and tenant; nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';

const s = serverPerFile({ adminKey: 'platform-admin-key' });

describe('native api › me', () => {
  it('me › a tenant key sees its role, credential and tenant', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    for (const role of ['merchant', 'cashier', 'client'] as const) {
      const res = await call(s.app, 'GET', '/v1/me', keys[role]);
      assert.equal(res.status, 200);
      assert.equal(res.body.role, role);
      assert.equal(res.body.tenant.id, tenant.id);
      assert.equal(res.body.tenant.timezone, 'Asia/Shanghai');
      assert.equal(typeof res.body.credentialId, 'string');
    }
  });

  it('me › the platform key has no tenant', async () => {
    const res = await call(s.app, 'GET', '/v1/me', 'platform-admin-key');
    assert.deepEqual([res.status, res.body.role, res.body.tenant], [200, 'platform', null]);
  });

  it('me › an unknown key is refused with 401', async () => {
    const res = await call(s.app, 'GET', '/v1/me', 'sk_nope_nope_nope');
    assert.deepEqual([res.status, res.body.code], [401, 'unauthorized']);
    assert.equal((await call(s.app, 'GET', '/v1/me', null)).status, 401);
  });

  it('me › is documented in /openapi.json', async () => {
    const doc = await call(s.app, 'GET', '/openapi.json', null);
    assert.ok(doc.body.paths['/v1/me']?.get, '/v1/me documented');
  });
});
