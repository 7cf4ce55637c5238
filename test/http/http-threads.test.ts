/**
 * COUPONHUB_HTTP_THREADS: several HTTP threads in one server process on one port (SO_REUSEPORT),
 * sharing the SQLite writer thread: every limit stays exact, redemptions happen once, and the
 * server stops cleanly. SQLite on Linux only (PostgreSQL scales out with `serve --workers`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { aTemplate, aTenantWithKeys } from '../support/factories.ts';
import { post } from '../support/http.ts';
import { freePort, processDatabaseUrl, startProcess, stopProcess } from '../support/spawn.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

/** A server on two HTTP threads on a free port, stopped with SIGTERM after `body`; resolves with its exit code. */
async function withTwoThreads(body: (base: string, port: number, pid: number) => Promise<void>): Promise<number | null> {
  const port = await freePort();
  const server = await startProcess(rt, port, ['src/main.ts'], { COUPONHUB_HTTP_THREADS: '2' });
  try {
    await body(`http://127.0.0.1:${port}`, port, server.pid as number);
  } catch (e) {
    await stopProcess(server);
    throw e;
  }
  return stopProcess(server);
}

const threadNames = (pid: number) => readdirSync(`/proc/${pid}/task`).map((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim());

describe('HTTP threads', { skip: (ON_POSTGRES || process.platform !== 'linux') && 'SQLite on Linux only' }, () => {
  it('http threads › two threads share the port, the writer thread and the stock: exactly the stock is claimed, one per user; every coupon redeems once', async () => {
    const { tenant, keys } = await aTenantWithKeys(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: 60, perUserLimit: 1 });
    const code = await withTwoThreads(async (base, _port, pid) => {
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => post(base, `/v1/templates/${tpl.id}/claims`, keys.client, { userId: `h-${i % 250}` })));
      assert.equal(results.filter((r) => r.status === 201).length, 60);
      assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && ['out_of_stock', 'limit_reached'].includes(r.body.code))), `statuses ${[...new Set(results.map((r) => r.status))]}`);
      // Beside the main thread: the checkpointer, the one writer (the second HTTP thread starts none of its own) and that HTTP thread.
      assert.equal(threadNames(pid).filter((n) => n === 'WorkerThread').length, 3, `threads ${threadNames(pid).join(', ')}`);
      const coupons = await rt.store.q.coupons.all(tenant.id, { templateId: tpl.id }, Date.now());
      assert.equal(new Set(coupons.map((c) => c.ownerId)).size, 60);
      // Each coupon redeemed twice at once, under two keys: one redemption each.
      const redeems = await Promise.all(
        coupons.flatMap((c) => [1, 2].map((k) => post(base, '/v1/redemptions', keys.cashier, { code: c.code, order: { id: `o-${c.id}-${k}`, amount: 5000 } }, { 'idempotency-key': `${c.id}-${k}` }))),
      );
      assert.equal(redeems.filter((r) => r.status === 201).length, 60, `statuses ${[...new Set(redeems.map((r) => r.status))]}`);
      assert.ok(redeems.every((r) => r.status === 201 || r.status === 409), `statuses ${[...new Set(redeems.map((r) => r.status))]}`);
      assert.equal((await rt.store.q.redemptions.list(tenant.id, {}, 1000, 0)).length, 60);
      // One key, eight coupons at once: the key taken on the writer thread comes back as taken.
      const more = await aTemplate(rt.deps, tenant.id, { stock: 8 });
      const fresh = await Promise.all(Array.from({ length: 8 }, (_, i) => post(base, `/v1/templates/${more.id}/claims`, keys.client, { userId: `k-${i}` })));
      const raced = await Promise.all(fresh.map((c, i) => post(base, '/v1/redemptions', keys.cashier, { code: c.body.code, order: { id: `race-${i}`, amount: 5000 } }, { 'idempotency-key': 'one-key' })));
      assert.equal(raced.filter((r) => r.status === 201).length, 1, `statuses ${raced.map((r) => r.status)}`);
      assert.ok(raced.every((r) => r.status === 201 || (r.status === 422 && r.body.code === 'idempotency_key_reused') || (r.status === 409 && r.body.code === 'idempotency_in_progress')), `statuses ${raced.map((r) => `${r.status} ${r.body.code}`)}`);
      assert.equal((await rt.store.q.redemptions.list(tenant.id, {}, 1000, 0)).length, 61);
    });
    assert.equal(code, 0, 'a clean stop');
  });

  it('http threads › a key revoked through one thread stops at once on every thread', async () => {
    const { keys } = await aTenantWithKeys(rt.deps);
    await withTwoThreads(async (base) => {
      const issued = await post(base, '/v1/credentials', keys.merchant, { kind: 'api', role: 'cashier' });
      assert.equal(issued.status, 201);
      const key = issued.body.secrets.key as string;
      // Many connections at once (spread over both threads by the kernel): each thread caches the key.
      const get = () => Promise.all(Array.from({ length: 40 }, () => fetch(`${base}/v1/templates`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => (await r.text(), r.status))));
      assert.deepEqual([...new Set(await get())], [200]);
      const revoked = await fetch(`${base}/v1/credentials/${issued.body.credential.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${keys.merchant}` } });
      assert.equal(revoked.status, 204);
      assert.deepEqual([...new Set(await get())], [401]);
    });
  });

  it('http threads › a port another server holds is refused at start, not shared with it', async () => {
    await withTwoThreads(async (_base, port) => {
      const second = spawnSync(process.execPath, ['src/main.ts'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', COUPONHUB_DATABASE_URL: processDatabaseUrl(rt), COUPONHUB_HTTP_THREADS: '2', COUPONHUB_LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 30_000 });
      assert.equal(second.status, 1, second.stderr);
      assert.match(second.stderr, /EADDRINUSE/);
    });
  });

  it('http threads › a bad COUPONHUB_HTTP_THREADS stops the start with a message naming it', async () => {
    const port = await freePort();
    await assert.rejects(startProcess(rt, port, ['src/main.ts'], { COUPONHUB_HTTP_THREADS: 'many' }), /COUPONHUB_HTTP_THREADS="many": must be auto or an integer from 1 to 64/);
  });
});
