/** `serve --workers N`: several processes on one port and one database keep every limit exact. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../support/factories.ts';
import { post } from '../support/http.ts';
import { freePort, startProcess } from '../support/spawn.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

describe('workers', () => {
  it('workers › two worker processes share the port and the stock: exactly the stock is claimed, one per user', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: 60, perUserLimit: 1 });
    const port = await freePort();
    const primary = await startProcess(rt, port, ['bin/couponhub.js', 'serve', '--workers', '2']);
    try {
      const children = execFileSync('pgrep', ['-P', String(primary.pid)]).toString().trim().split('\n');
      assert.equal(children.length, 2, 'two worker processes');
      const base = `http://127.0.0.1:${port}`;
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: `w-${i % 250}` })));
      assert.equal(results.filter((r) => r.status === 201).length, 60);
      assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && ['out_of_stock', 'limit_reached'].includes(r.body.code))), `statuses ${[...new Set(results.map((r) => r.status))]}`);
      const coupons = await rt.store.q.coupons.all(tenant.id, { templateId: tpl.id }, Date.now());
      assert.equal(coupons.length, 60);
      assert.equal(new Set(coupons.map((c) => c.ownerId)).size, 60);
    } finally {
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGTERM');
      await exited;
    }
  });
});
