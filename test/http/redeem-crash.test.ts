/**
 * kill -9 under redeem load with Idempotency-Keys: the key is taken in the redemption's own
 * transaction, so a crash leaves each request either not done at all or done with its answer
 * stored. After a restart every request, sent again with its key, answers 201: the acknowledged
 * ones replay their first answer byte for byte, and none is stuck as "interrupted, outcome
 * unknown". Spawns the real server process on the test's database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { ACTOR, aTemplate, aTenantWithKeys } from '../support/factories.ts';
import { freePort, startProcess } from '../support/spawn.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

const COUPONS = 600;

describe('crash', () => {
  it('crash › a kill -9 under redeem load leaves no key without its redemption, nor the reverse', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: null, perUserLimit: null });
    const codes: string[] = [];
    for (let i = 0; i < COUPONS; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => claimTemplate(rt.deps, { tenantId: tenant.id, actor: ACTOR, templateId: tpl.id, userId: 'u' })));
      codes.push(...batch.map((c) => c.code));
    }
    const port = await freePort();
    const redeem = (i: number) =>
      fetch(`http://127.0.0.1:${port}/v1/redemptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.cashier}`, 'content-type': 'application/json', 'idempotency-key': `crash-${i}` },
        body: JSON.stringify({ code: codes[i], order: { id: `order-${i}`, amount: 5000 } }),
      });
    const server = await startProcess(rt, port, ['src/main.ts']);
    const acknowledged = new Map<number, string>();
    let sent = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && sent < COUPONS) {
        const i = sent++;
        try {
          const res = await redeem(i);
          const text = await res.text();
          if (res.status !== 201) throw new Error(`redeem answered ${res.status}: ${text}`);
          acknowledged.set(i, text);
        } catch (e) {
          if ((e as Error).message.startsWith('redeem answered')) throw e;
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());
    while (acknowledged.size < 150 && sent < COUPONS) await new Promise((r) => setTimeout(r, 2));
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGKILL');
    // The workers go on sending until the server is gone, so some request is always cut off (a
    // stop before the exit could let every request sent so far be answered first).
    await exited;
    stop = true;
    await Promise.all(workers);
    assert.ok(acknowledged.size >= 150 && acknowledged.size < sent, `acknowledged ${acknowledged.size} of ${sent}`);

    const again = await startProcess(rt, port, ['src/main.ts']);
    try {
      for (let i = 0; i < sent; i++) {
        const res = await redeem(i);
        const text = await res.text();
        assert.equal(res.status, 201, `request ${i} (${acknowledged.has(i) ? 'acknowledged' : 'unanswered'}) sent again: ${text}`);
        if (acknowledged.has(i)) {
          assert.equal(res.headers.get('idempotent-replayed'), 'true');
          assert.equal(text, acknowledged.get(i), `request ${i} replays its first answer`);
        }
      }
      for (let i = 0; i < sent; i++) {
        assert.equal((await rt.store.q.redemptions.list(tenant.id, { code: codes[i] }, 10, 0)).length, 1, `coupon ${i} redeemed once`);
      }
    } finally {
      again.kill('SIGTERM');
    }
  });
});
