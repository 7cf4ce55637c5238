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
import { isDatabaseBusy, THREAD_JOBS_IN_FLIGHT, WriterThreadLostError } from '../../src/store/store.ts';
import { slowModuleJob } from '../support/slow-thread-job.ts';
import { createTenantJob, stopThreadJob } from '../support/thread-jobs.ts';
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

  it('several asked for at once (more than go to the thread together) each commit or fail on their own', async () => {
    const jobs = Array.from({ length: THREAD_JOBS_IN_FLIGHT + 6 }, (_, i) => ({ id: `together-${i}`, failAfter: i % 3 === 1 }));
    const settled = await Promise.allSettled(jobs.map((input) => rt.store.threadTransaction(createTenantJob, input)));
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message)),
      jobs.map((j) => (j.failAfter ? `refused after writing ${j.id}` : 'ok')),
    );
    for (const j of jobs) assert.equal((await rt.store.q.tenants.get(j.id))?.name, j.failAfter ? undefined : 'Threaded', j.id);
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

  it('thread transactions sent together are committed in the order asked, each after the one before', async () => {
    // Each reads how many of its kind exist and writes that number: in order, 0, 1, 2, …
    const n = THREAD_JOBS_IN_FLIGHT + 8;
    const ranks = await Promise.all(Array.from({ length: n }, (_, i) => impatient.store.threadTransaction(createTenantJob, { id: `order-${String(i).padStart(2, '0')}`, rankOf: 'order-' })));
    assert.deepEqual(ranks.map((r) => r.rank), Array.from({ length: n }, (_, i) => i));
  });

  it('one whose module the thread has still to load keeps its place: those sent after it commit after it', async () => {
    const own = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 0 });
    try {
      await own.store.threadTransaction(createTenantJob, { id: 'warm-up-slow' }); // thread up, thread-jobs.ts loaded there
      const [slow, quick] = await Promise.all([
        own.store.threadTransaction(slowModuleJob, { id: 'slow-0', rankOf: 'slow-' }),
        own.store.threadTransaction(createTenantJob, { id: 'slow-1', rankOf: 'slow-' }),
      ]);
      assert.deepEqual([slow.rank, quick.rank], [0, 1]);
    } finally {
      await own.store.close();
    }
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

describe('store › the writer thread stopping', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('close() with transactions on the thread and queued: each runs and answers first, then the store closes', async () => {
    for (let round = 0; round < 8; round++) {
      const own = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 1000 });
      await own.store.threadTransaction(createTenantJob, { id: `close-${round}-warm-up` });
      const ids = Array.from({ length: 9 }, (_, i) => `close-${round}-${i}`);
      const asked = ids.map((id, i) => (i === 6 ? own.store.transaction((q) => q.tenants.insert({ id, name: 'Threaded', timezone: 'Asia/Shanghai', servicePhone: '1', createdAt: 1 })) : own.store.threadTransaction(createTenantJob, { id })));
      const settled = Promise.allSettled(asked);
      await new Promise((r) => setTimeout(r, round % 4));
      await own.store.close();
      assert.deepEqual((await settled).map((s) => s.status), Array(9).fill('fulfilled'), `round ${round}`);
      for (const id of ids) assert.ok(await rt.store.q.tenants.get(id), `${id} committed`);
    }
  });

  it('refuses every transaction that was with it as lost (not run again), and later ones run on this thread', async () => {
    const own = await openRuntime({ databaseUrl: rt.url, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs: 0 });
    try {
      await own.store.threadTransaction(createTenantJob, { id: 'stop-warm-up' });
      // Both go to the thread together; the first ends it before committing.
      const settled = await Promise.allSettled([own.store.threadTransaction(stopThreadJob, { id: 'stop-1' }), own.store.threadTransaction(createTenantJob, { id: 'stop-2' })]);
      for (const s of settled) assert.ok(s.status === 'rejected' && s.reason instanceof WriterThreadLostError, String(s.status === 'rejected' ? s.reason : 'fulfilled'));
      assert.equal(await rt.store.q.tenants.get('stop-1'), undefined);
      assert.equal(await rt.store.q.tenants.get('stop-2'), undefined);
      const [later, plain] = await Promise.all([own.store.threadTransaction(createTenantJob, { id: 'stop-3' }), own.store.transaction((q) => q.tenants.get('stop-3'))]);
      assert.equal(later.threadId, 0, 'ran on the main thread');
      assert.equal(plain?.name, 'Threaded', 'the plain transaction after it saw it committed');
    } finally {
      await own.store.close();
    }
  });
});
