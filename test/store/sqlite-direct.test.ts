/**
 * SQLite: compiled statements of `store.q` run on node:sqlite directly (sqlite/direct.ts), past
 * Kysely's connection mutex — but only while no transaction is open on the connection. During
 * one, a read from outside must wait for its end, as through Kysely, and never see its writes
 * before they commit (or at all, when it rolls back).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/store.ts';
import { ON_POSTGRES } from '../support/store.ts';

let dir: string;
let store: Store;

before(async () => {
  if (ON_POSTGRES) return;
  dir = mkdtempSync(join(tmpdir(), 'couponhub-direct-'));
  // No writer thread: transactions run on the connection store.q reads from.
  store = openStore({ url: join(dir, 'direct.db'), writerThread: false, checkpoints: false });
  await store.migrate();
});

after(async () => {
  if (ON_POSTGRES) return;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A transaction that takes an Idempotency-Key, then holds until `release` is called; it throws when told to. */
function heldTransaction(key: string, fail: boolean) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let wrote!: () => void;
  const written = new Promise<void>((r) => (wrote = r));
  const done = store.transaction(async (q) => {
    assert.equal(await q.idempotency.take('direct-test', key, 'fp', Date.now(), { statusCode: 201, response: '{}' }), true);
    wrote();
    await gate;
    if (fail) throw new Error('rolled back on purpose');
  });
  return { written, release, done };
}

describe('store › SQLite statements run directly on the connection', { skip: ON_POSTGRES }, () => {
  it('a read outside any transaction runs and sees what is committed', async () => {
    assert.equal(await store.q.idempotency.take('direct-test', 'k0', 'fp', Date.now(), null), true);
    assert.equal((await store.q.idempotency.get('direct-test', 'k0'))?.fingerprint, 'fp');
  });

  it('a read while a transaction is open on the connection waits for its commit, and never sees its writes before', async () => {
    const tx = heldTransaction('k1', false);
    await tx.written;
    let settled = false;
    const read = store.q.idempotency.get('direct-test', 'k1').then((r) => {
      settled = true;
      return r;
    });
    await turns(5);
    const early = settled;
    tx.release();
    await tx.done;
    assert.equal(early, false, 'the read ran inside the open transaction');
    assert.equal((await read)?.statusCode, 201, 'the read ran after the commit');
  });

  it('a read while a transaction is open that then rolls back never sees its writes', async () => {
    const tx = heldTransaction('k2', true);
    await tx.written;
    const read = store.q.idempotency.get('direct-test', 'k2');
    await turns(5);
    tx.release();
    await assert.rejects(tx.done, /rolled back on purpose/);
    assert.equal(await read, undefined, 'the read saw a write that was rolled back');
  });
});
