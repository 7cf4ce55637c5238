/**
 * V3 CRM coupon: a nonce used before a restart is still refused after it. The first server and
 * its store connection are closed; a new store is opened on the same database and a new server
 * built on it, as a restarted process would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { demoDataset, DEMO_CUSTOMER } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { openRuntime, type Runtime } from '../../../src/bootstrap.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { v3Body, v3Post } from './v3-client.ts';

const clock = new FixedClock('2019-10-20T02:00:00Z');
let rt: TestRuntime;
let reopened: Runtime | null = null;

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
});
after(async () => {
  await reopened?.store.close();
  await rt.done();
});

describe('v3-crm › replay across a restart', () => {
  it('v3-crm › refuses a nonce replayed after a server restart', async () => {
    const body = v3Body({ customerId: DEMO_CUSTOMER.id }, { nowMs: clock.now() });
    const first: FastifyInstance = await testServer(rt.deps);
    assert.equal((await v3Post(first, body)).body.status, 'true');
    await first.close();

    // A new process: its own store connection on the same database, its own server.
    reopened = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', busyTimeoutMs: 5000, poolSize: 2 }, { clock, ...(rt.pgSchema ? { pgSchema: rt.pgSchema } : {}) });
    const second = await testServer(reopened.deps);
    clock.advance(60_000); // a minute later, still inside the window
    const replay = await v3Post(second, body);
    assert.deepEqual([replay.body.status, replay.body.code], [false, '40105']);
    const fresh = await v3Post(second, v3Body({ customerId: DEMO_CUSTOMER.id }, { nowMs: clock.now() }));
    assert.equal(fresh.body.status, 'true', fresh.body.message);
    await second.close();
  });
});
