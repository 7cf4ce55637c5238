/**
 * store.threadTransaction: on a SQLite file the function runs on the store's writer thread (its
 * own connection), takes turns with this thread's transactions, commits there before it answers,
 * and is refused like any transaction; on PostgreSQL it runs in this thread. Claim batches go this way (test/app/claim-batch.test.ts).
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

});

describe('store › thread transactions beside another process', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  let hasty: Runtime;
  /** Never waits for a lock: any overlap of its two connections' writes would fail at once. */
  let impatient: Runtime;
  let other: DatabaseSync;
  before(async () => {
    hasty = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 150 });
    impatient = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 0 });
    other = new DatabaseSync(rt.url, { timeout: 5000 });
  });
  after(async () => {
    other.close();
    await hasty.store.close();
    await impatient.store.close();
  });

  it('take turns with the transactions of this thread: interleaved, none waits for the other connection, every one commits', async () => {
    await impatient.store.threadTransaction(createTenantJob, { id: 'warm-up' }); // the thread is up
    const tenant = (id: string) => ({ id, name: 'Here', timezone: 'Asia/Shanghai', servicePhone: '1', createdAt: 1 });
    const ids: string[] = [];
    const writes = Array.from({ length: 200 }, (_, i) => {
      const id = `turns-${i}`;
      ids.push(id);
      return i % 2 ? impatient.store.threadTransaction(createTenantJob, { id }) : impatient.store.transaction((q) => q.tenants.insert(tenant(id)));
    });
    await Promise.all(writes);
    for (const id of ids) assert.ok(await rt.store.q.tenants.get(id), id);
  });

  it('an input that cannot cross the thread is refused as it is, and the thread goes on', async () => {
    await assert.rejects(hasty.store.threadTransaction(createTenantJob, { id: 'thread-clone', failAfter: (() => true) as never }), (e: Error) => e.name === 'DataCloneError');
    assert.equal(await hasty.store.q.tenants.get('thread-clone'), undefined);
    assert.notEqual((await hasty.store.threadTransaction(createTenantJob, { id: 'thread-clone' })).threadId, 0);
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
