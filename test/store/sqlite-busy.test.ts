/**
 * Another process holding SQLite's write lock (a CLI import beside the server): the store's
 * transactions wait for it on a timer, never inside SQLite's busy handler on the event loop, and
 * give up with DatabaseBusyError after the configured wait. The second process is played by a
 * second connection to the same file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { openRuntime, type Runtime } from '../../src/bootstrap.ts';
import { DatabaseBusyError, isDatabaseBusy } from '../../src/store/store.ts';
import { aTenant, aTenantWithKeys } from '../support/factories.ts';
import { call, testServer } from '../support/http.ts';
import { ON_POSTGRES } from '../support/store.ts';
import { aTicket } from '../http/ticket-admin/cards.ts';

const ADMIN = 'test-admin-key-123';

let dir: string;
let file: string;
/** Waits long: the test lets go of the lock itself. */
let patient: Runtime;
/** Gives up after 150 ms. */
let hasty: Runtime;
let other: DatabaseSync;

before(async () => {
  if (ON_POSTGRES) return;
  dir = mkdtempSync(join(tmpdir(), 'couponhub-busy-'));
  file = join(dir, 'busy.db');
  const config = { databaseUrl: file, sqliteSynchronous: 'NORMAL', poolSize: 1 } as const;
  patient = await openRuntime({ ...config, busyTimeoutMs: 30_000 });
  hasty = await openRuntime({ ...config, busyTimeoutMs: 150 });
  other = new DatabaseSync(file, { timeout: 5000 });
});

after(async () => {
  if (ON_POSTGRES) return;
  if (other.isTransaction) other.exec('ROLLBACK');
  other.close();
  await patient.store.close();
  await hasty.store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Counts turns of the event loop (timer callbacks) until stopped. */
function ticker() {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  return {
    get ticks() {
      return ticks;
    },
    stop: () => clearInterval(timer),
  };
}

const turns = async (n: number, t: { ticks: number }) => {
  const target = t.ticks + n;
  while (t.ticks < target) await new Promise((r) => setTimeout(r, 1));
};

/** Settles to 'pending' while the promise has not settled. */
function watch(p: Promise<unknown>): { state: 'pending' | 'resolved' | 'rejected' } {
  const w = { state: 'pending' as 'pending' | 'resolved' | 'rejected' };
  p.then(
    () => (w.state = 'resolved'),
    () => (w.state = 'rejected'),
  );
  return w;
}

describe('SQLite store › another process holds the write lock', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('a transaction waits without blocking the event loop, reads go on, and it commits once the lock is released', async () => {
    other.exec('BEGIN IMMEDIATE');
    const t = ticker();
    let created;
    try {
      const writes = [aTenant(patient.deps, { id: 'waits-1' }), aTenant(patient.deps, { id: 'waits-2' })];
      const watched = writes.map(watch);
      // Had SQLite's busy handler waited on this thread, no timer would fire until it gave up.
      await turns(30, t);
      assert.deepEqual(
        watched.map((w) => w.state),
        ['pending', 'pending'],
      );
      // The waiting batch leaves the connection free: a read answers meanwhile.
      assert.equal(await patient.store.q.tenants.get('waits-1'), undefined);
      const late = aTenant(patient.deps, { id: 'waits-3' });
      await turns(10, t);
      other.exec('COMMIT');
      created = await Promise.all([...writes, late]);
    } finally {
      t.stop();
      if (other.isTransaction) other.exec('ROLLBACK');
    }
    assert.deepEqual(
      created.map((x) => x.id),
      ['waits-1', 'waits-2', 'waits-3'],
    );
    for (const id of ['waits-1', 'waits-2', 'waits-3']) assert.ok(await patient.store.q.tenants.get(id), id);
  });

  it('a transaction fails with DatabaseBusyError once it has waited the configured time, and writes nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    const t = ticker();
    try {
      const error = await aTenant(hasty.deps, { id: 'gives-up' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof DatabaseBusyError, String(error));
      assert.ok(isDatabaseBusy(error));
      assert.match(error.message, /database is busy/);
      assert.ok(t.ticks > 0, 'the event loop ran while the transaction waited');
    } finally {
      t.stop();
      other.exec('ROLLBACK');
    }
    assert.equal(await hasty.store.q.tenants.get('gives-up'), undefined);
    // With the lock free again the same store writes as usual.
    assert.equal((await aTenant(hasty.deps, { id: 'after-busy' })).id, 'after-busy');
  });

  it('more transactions than one batch holds are all refused after one wait, not batch after batch', async () => {
    other.exec('BEGIN IMMEDIATE');
    // 600 transactions: more than twice what one commit takes (256). The lock is let go the
    // moment the first refusal arrives: every one of them must have been refused by then, as they
    // all waited their whole allowance together; one refused batch at a time, the later ones would
    // start their own wait and then find the lock free.
    let released = false;
    const release = () => {
      if (!released && other.isTransaction) other.exec('ROLLBACK');
      released = true;
    };
    const outcomes = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        hasty.store.transaction((q) => q.tenants.get(`wave-${i}`), { singleStatement: true }).then(
          () => 'ran',
          (e: unknown) => {
            release();
            return e instanceof DatabaseBusyError ? 'busy' : String(e);
          },
        ),
      ),
    );
    release();
    assert.deepEqual([...new Set(outcomes)], ['busy'], `${outcomes.filter((o) => o === 'ran').length} of 600 ran after waiting longer than allowed`);
  });

  it('a transaction queued behind a long one of this process gets its whole wait from its first try, not from when it was asked for', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const long = hasty.store.transaction(async (q) => {
      await gate;
      return q.tenants.get('nobody');
    });
    // The other process takes the lock the moment the long transaction has committed, before the
    // queued one's first try (that starts on a later turn of the event loop).
    const taken = long.then(() => other.exec('BEGIN IMMEDIATE'));
    const t = ticker();
    try {
      await turns(2, t); // the long transaction is running: the next one queues behind it
      const queued = aTenant(hasty.deps, { id: 'queued-behind' });
      const w = watch(queued);
      // Queued for longer than hasty's whole wait (150 ms), all of it on this process's own work.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(w.state, 'pending');
      open();
      await taken;
      await turns(5, t); // its first try finds the lock taken
      assert.equal(w.state, 'pending', 'refused at its first try: the time it spent queued was counted as waiting for the lock');
      other.exec('COMMIT');
      assert.equal((await queued).id, 'queued-behind');
    } finally {
      t.stop();
      open();
      if (other.isTransaction) other.exec('ROLLBACK');
    }
  });

  it('native API › 503 database_busy problem+json with Retry-After; a partner dialect answers its generic server error', async () => {
    const app = await testServer(hasty.deps, { adminKey: ADMIN });
    const { keys } = await aTenantWithKeys(hasty.deps);
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = await call(app, 'POST', '/v1/tenants', ADMIN, { id: 'busy-tenant', name: 'Busy Co', timezone: 'Asia/Shanghai' });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      assert.equal(r.headers['retry-after'], '1');
      assert.equal(r.body.code, 'database_busy');
      assert.equal(r.body.status, 503);
      const ticket = await call(app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT'));
      assert.deepEqual([ticket.status, ticket.body.status_code], [500, 500]);
    } finally {
      other.exec('ROLLBACK');
    }
    try {
      assert.equal(await hasty.store.q.tenants.get('busy-tenant'), undefined);
      // The same requests once the lock is free: what refused them was the lock alone.
      assert.equal((await call(app, 'POST', '/v1/tenants', ADMIN, { id: 'busy-tenant', name: 'Busy Co', timezone: 'Asia/Shanghai' })).status, 201);
      assert.equal((await call(app, 'POST', '/discount/ticket', keys.merchant, aTicket('DISCOUNT'))).status, 200);
    } finally {
      await app.close();
    }
  });
});
