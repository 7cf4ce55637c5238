/**
 * kill -9 under claim load: every claim the server acknowledged (201) exists after a restart.
 * Spawns the real server process on the test's database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../support/factories.ts';
import { freePort, startProcess } from '../support/spawn.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

async function startServer(port: number) {
  return startProcess(rt, port, ['src/main.ts']);
}

describe('crash', () => {
  it('crash › a kill -9 under claim load loses no acknowledged claim', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: null, perUserLimit: null });
    const port = await freePort();
    const server = await startServer(port);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/v1/templates/${tpl.id}/claims`, {
            method: 'POST',
            headers: { authorization: `Bearer ${keys.client}`, 'content-type': 'application/json' },
            body: JSON.stringify({ userId: `w${w}-${i}` }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          else throw new Error(`claim answered ${res.status}: ${await res.text()}`);
        } catch (e) {
          if ((e as Error).message.startsWith('claim answered')) throw e;
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;
    // A restarted server (and the store itself) finds every acknowledged coupon.
    const again = await startServer(port);
    try {
      for (const id of acknowledged) assert.ok(await rt.store.q.coupons.get(tenant.id, id), `acknowledged coupon ${id} is missing`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/coupons/${acknowledged.at(-1)}`, { headers: { authorization: `Bearer ${keys.merchant}` } });
      assert.equal(res.status, 200);
    } finally {
      again.kill('SIGTERM');
    }
  });
});
