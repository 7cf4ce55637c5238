/**
 * Stores of one SQLite file on several threads share one writer thread (the server's HTTP
 * threads): a store opened with another's link runs its thread transactions there.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTenantJob, holdLockJob } from '../support/thread-jobs.ts';
import { ON_POSTGRES } from '../support/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'couponhub-link-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Over = Partial<Parameters<typeof openStore>[0]>;

async function opened(url: string, over: Over = {}): Promise<Store> {
  const s = openStore({ url, ...over });
  await s.migrate();
  return s;
}

/** A store of `file` with its writer thread, and a second store linked to that thread; both closed after `body`. */
async function withLinkedPair(file: string, over: Over, body: (owner: Store, linked: Store) => Promise<void>): Promise<void> {
  const url = join(dir, file);
  const owner = await opened(url, over);
  const port = owner.linkWriter();
  assert.ok(port, 'a store with its own writer thread can be linked to');
  const linked = await opened(url, { ...over, writerLink: port, checkpoints: false });
  try {
    await body(owner, linked);
  } finally {
    await linked.close();
    await owner.close();
  }
}

const ownTenant = (id: string) => ({ id, name: 'Own', timezone: 'Asia/Shanghai', servicePhone: '400800400', createdAt: 1 });

describe('store › a writer thread shared through links', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('a linked store runs its thread transactions on the other store’s writer thread; both see what committed', async () => {
    await withLinkedPair('shared.db', {}, async (owner, linked) => {
      assert.equal(linked.linkWriter(), null, 'a linked store cannot link others');
      const [a, b] = await Promise.all([owner.threadTransaction(createTenantJob, { id: 'by-owner' }), linked.threadTransaction(createTenantJob, { id: 'by-linked' })]);
      assert.notEqual(a.threadId, 0);
      assert.equal(b.threadId, a.threadId, 'one writer thread for both');
      const many = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? owner : linked).threadTransaction(createTenantJob, { id: `mixed-${i}`, failAfter: i % 5 === 0 })));
      assert.deepEqual(many.map((m) => m.status), Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? 'rejected' : 'fulfilled')));
      for (const s of [owner, linked]) {
        assert.equal((await s.q.tenants.get('by-linked'))?.name, 'Threaded');
        assert.equal((await s.q.tenants.list(1000, 'mixed-')).filter((t) => t.id.startsWith('mixed-')).length, 16);
      }
    });
  });

  it('a store’s own transactions mixed with the thread transactions of both stores all commit, each once', async () => {
    await withLinkedPair('turns.db', { busyTimeoutMs: 150 }, async (owner, linked) => {
      const work: Array<Promise<unknown>> = [];
      for (let i = 0; i < 150; i++) {
        work.push((i % 2 ? owner : linked).threadTransaction(createTenantJob, { id: `turn-thread-${i}` }));
        if (i % 3 === 0) work.push((i % 2 ? linked : owner).transaction((q) => q.tenants.insert(ownTenant(`turn-own-${i}`))));
      }
      const settled = await Promise.allSettled(work);
      assert.deepEqual(settled.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
      assert.equal((await owner.q.tenants.list(1000, 'turn-')).filter((t) => t.id.startsWith('turn-')).length, 200);
    });
  });

  it('a store’s own transaction waits for the thread’s turn, not for the lock: another store’s long thread transaction does not time it out', async () => {
    // A short allowance: won from a busy thread by retrying for the lock, the transaction would run out of it.
    await withLinkedPair('held.db', { busyTimeoutMs: 150 }, async (owner, linked) => {
      await owner.threadTransaction(holdLockJob, { id: 'thread-started', ms: 0 });
      const held = owner.threadTransaction(holdLockJob, { id: 'held-by-thread', ms: 500 });
      await new Promise((r) => setTimeout(r, 100));
      // Retrying for the lock, it would give up after 150 ms with DatabaseBusyError; in turn, it runs once the thread commits.
      await linked.transaction((q) => q.tenants.insert(ownTenant('own-after')));
      await held;
      assert.ok(await linked.q.tenants.get('held-by-thread'));
      assert.ok(await owner.q.tenants.get('own-after'));
    });
  });

  it('once the writer thread is gone, a linked store runs its thread transactions on its own connection', async () => {
    const url = join(dir, 'gone.db');
    const owner = await opened(url);
    const port = owner.linkWriter() as NonNullable<ReturnType<Store['linkWriter']>>;
    const linked = await opened(url, { writerLink: port, checkpoints: false });
    try {
      const closed = once(port, 'close');
      await owner.close();
      await closed;
      const r = await linked.threadTransaction(createTenantJob, { id: 'after-owner' });
      assert.equal(r.threadId, 0, 'ran here');
      assert.equal((await linked.q.tenants.get('after-owner'))?.name, 'Threaded');
    } finally {
      await linked.close();
    }
  });

  it('a memory database has no writer thread to link to', async () => {
    const s = await opened(':memory:');
    try {
      assert.equal(s.linkWriter(), null);
    } finally {
      await s.close();
    }
  });
});
