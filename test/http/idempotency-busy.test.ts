/**
 * Idempotency-Key while another process holds SQLite's write lock (a CLI import beside the
 * server): the key is settled after the use case answered, and a failure to write it must never
 * replace that answer. The other process is a second connection to the same file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { aTemplate, aTenantWithKeys } from '../support/factories.ts';
import { busyRuntime, countingDeps, type BusyRuntime, type CountingStore } from '../support/busy.ts';
import { call, testServer } from '../support/http.ts';
import { ON_POSTGRES } from '../support/store.ts';

let rt: BusyRuntime;
let counting: CountingStore;
/** Takes the write lock right after the n-th transaction of a request committed (0: never). */
let lockAfter = 0;
let app: FastifyInstance;
let tenantId: string;
let clientKey: string;
let templateId: string;

before(async () => {
  if (ON_POSTGRES) return;
  rt = await busyRuntime(150);
  const { tenant, keys } = await aTenantWithKeys(rt.deps);
  tenantId = tenant.id;
  clientKey = keys.client;
  templateId = (await aTemplate(rt.deps, tenant.id)).id;
  const deps = countingDeps(rt.deps, (n) => {
    if (n === lockAfter) rt.other.exec('BEGIN IMMEDIATE');
  });
  counting = deps.store;
  app = await testServer(deps);
});

after(async () => {
  if (ON_POSTGRES) return;
  await app.close();
  await rt.done();
});

/**
 * A claim with an Idempotency-Key, the write lock taken by the other process right after the
 * request's n-th transaction committed: 1 is the key's reservation, 2 the claim.
 */
async function claimWithLockAfter(n: number, userId: string, key: string) {
  lockAfter = counting.count + n;
  try {
    return await call(app, 'POST', `/v1/templates/${templateId}/claims`, clientKey, { userId }, { 'idempotency-key': key });
  } finally {
    lockAfter = 0;
  }
}

const held = (userId: string) => rt.store.q.coupons.count(tenantId, { ownerType: 'user', ownerId: userId }, Date.now());

describe('Idempotency-Key › another process takes the write lock', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('after the claim committed: the client still gets its 201, and a repeat replays it once the key is written', async () => {
    const first = await claimWithLockAfter(2, 'u-complete', 'k-complete');
    try {
      assert.equal(first.status, 201, JSON.stringify(first.body));
      // The claim had committed: the answer says so rather than "nothing was written".
      assert.equal(await held('u-complete'), 1);
    } finally {
      rt.other.exec('ROLLBACK');
    }
    // The key is written in the background once the lock is free; the repeat waits for it.
    const again = await call(app, 'POST', `/v1/templates/${templateId}/claims`, clientKey, { userId: 'u-complete' }, { 'idempotency-key': 'k-complete' });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await held('u-complete'), 1);
  });

  it('before the claim ran: 503 database_busy as problem+json, and a repeat with the same key runs the claim', async () => {
    const first = await claimWithLockAfter(1, 'u-release', 'k-release');
    try {
      assert.equal(first.status, 503, JSON.stringify(first.body));
      assert.match(String(first.headers['content-type']), /^application\/problem\+json/);
      assert.equal(first.body.code, 'database_busy');
    } finally {
      rt.other.exec('ROLLBACK');
    }
    // The key is released in the background once the lock is free; the repeat waits for it, then runs.
    const again = await call(app, 'POST', `/v1/templates/${templateId}/claims`, clientKey, { userId: 'u-release' }, { 'idempotency-key': 'k-release' });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.headers['idempotent-replayed'], undefined);
    assert.equal(await held('u-release'), 1);
  });
});
