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
import { createTenantJob } from '../support/thread-jobs.ts';
import { ON_POSTGRES } from '../support/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'couponhub-link-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function opened(url: string, over: Parameters<typeof openStore>[0] extends infer O ? Partial<O> : never = {}): Promise<Store> {
  const s = openStore({ url, ...over });
  await s.migrate();
  return s;
}

describe('store › a writer thread shared through links', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('a linked store runs its thread transactions on the other store’s writer thread; both see what committed', async () => {
    const url = join(dir, 'shared.db');
    const owner = await opened(url);
    const port = owner.linkWriter();
    assert.ok(port, 'a store with its own writer thread can be linked to');
    const linked = await opened(url, { writerLink: port, checkpoints: false });
    try {
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
    } finally {
      await linked.close();
      await owner.close();
    }
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
