/**
 * store.threadTransaction: on a SQLite file the function runs on the store's writer thread (its
 * own connection), commits there before it answers, and is refused like any transaction; on
 * PostgreSQL it runs in this thread. Claim batches go this way (test/app/claim-batch.test.ts).
 */
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { isMainThread } from 'node:worker_threads';
import { openRuntime, type Runtime } from '../../src/bootstrap.ts';
import { isDatabaseBusy } from '../../src/store/store.ts';
import { createTenantJob } from '../support/thread-jobs.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

describe('store › thread transactions', () => {
  it('run on the writer thread on a SQLite file (here on PostgreSQL) and are committed when they answer', async () => {
    assert.ok(isMainThread);
    const { threadId } = await rt.store.threadTransaction(createTenantJob, { id: 'thread-t1' });
    assert.equal(threadId !== 0, !ON_POSTGRES, `ran on thread ${threadId}`);
    assert.equal((await rt.store.q.tenants.get('thread-t1'))?.name, 'Threaded');
  });

  it('a function that throws writes nothing, and its message comes back', async () => {
    await assert.rejects(rt.store.threadTransaction(createTenantJob, { id: 'thread-t2', failAfter: true }), /refused after writing thread-t2/);
    assert.equal(await rt.store.q.tenants.get('thread-t2'), undefined);
  });

  it('run in turn with the transactions of this thread: interleaved, every one commits', async () => {
    const here = Array.from({ length: 20 }, (_, i) => rt.store.transaction((q) => q.tenants.insert({ id: `here-${i}`, name: 'Here', timezone: 'Asia/Shanghai', servicePhone: '1', createdAt: 1 })));
    const there = Array.from({ length: 20 }, (_, i) => rt.store.threadTransaction(createTenantJob, { id: `there-${i}` }));
    await Promise.all([...here, ...there]);
    for (let i = 0; i < 20; i++) {
      assert.ok(await rt.store.q.tenants.get(`here-${i}`));
      assert.ok(await rt.store.q.tenants.get(`there-${i}`));
    }
  });
});

describe('store › thread transactions beside another process', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  let hasty: Runtime;
  let other: DatabaseSync;
  before(async () => {
    hasty = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 150 });
    other = new DatabaseSync(rt.url, { timeout: 5000 });
  });
  after(async () => {
    other.close();
    await hasty.store.close();
  });

  it('waits its allowance for the write lock on the thread, then is refused with DatabaseBusyError, writing nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    try {
      await assert.rejects(hasty.store.threadTransaction(createTenantJob, { id: 'thread-busy' }), (e) => isDatabaseBusy(e));
    } finally {
      other.exec('ROLLBACK');
    }
    assert.equal(await hasty.store.q.tenants.get('thread-busy'), undefined);
    assert.equal((await hasty.store.threadTransaction(createTenantJob, { id: 'thread-busy' })).threadId !== 0, true);
  });
});
