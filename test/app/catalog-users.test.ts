/**
 * Users created on first use in bulk (claim batches): overlapping sets inserted by concurrent
 * transactions in opposite orders must not deadlock. The interleaving is forced, not hoped for:
 * a third connection holds an uncommitted row in the middle of the id range, so an ascending and
 * a descending insert each stop there with their half written; released, unsorted inserts would
 * each need a row the other holds.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { aTenant } from '../support/factories.ts';
import { DATABASE_URL, ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

const ids = Array.from({ length: 100 }, (_, i) => `u-${String(i).padStart(3, '0')}`);

describe('catalog users', () => {
  it('catalog › ensureUsers creates each new user once, duplicates and existing users included', async () => {
    const t = await aTenant(rt.deps);
    await rt.store.transaction((q) => q.catalog.ensureUsers(t.id, ['u-b', 'u-a', 'u-b'], 1));
    await rt.store.transaction((q) => q.catalog.ensureUsers(t.id, ['u-c', 'u-a', 'u-c', 'u-b'], 2));
    assert.deepEqual((await rt.store.q.catalog.listUsers(t.id)).map((u) => u.id), ['u-a', 'u-b', 'u-c']);
  });

  it('catalog › overlapping sets inserted in opposite orders at the same time do not deadlock (PostgreSQL)', { skip: !ON_POSTGRES && 'row locks on insert: PostgreSQL only', timeout: 60_000 }, async () => {
    const t = await aTenant(rt.deps, { id: 'tenant-users-order' });
    const blocker = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${rt.pgSchema}` });
    const watcher = new pg.Client({ connectionString: DATABASE_URL });
    await blocker.connect();
    await watcher.connect();
    try {
      const pid = (await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
      await blocker.query('begin');
      await blocker.query('insert into users (tenant_id, id, created_at) values ($1, $2, 0)', [t.id, ids[50]]);

      // Each function counts its runs: the store retries a transaction PostgreSQL ended as a deadlock victim.
      const runs = [0, 0];
      const insert = (i: number, order: string[]) =>
        rt.store.transaction(async (q) => {
          runs[i] = (runs[i] ?? 0) + 1;
          await q.catalog.ensureUsers(t.id, order, 10);
        });
      const ascending = insert(0, [...ids, ids[5] as string]);
      const descending = insert(1, [...ids].reverse());

      // Both inserts are under way once both wait, directly or behind each other, for the blocker's row.
      const waiting = `with recursive w(pid) as (
          select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))
          union select a.pid from pg_stat_activity a join w on w.pid = any(pg_blocking_pids(a.pid)))
        select count(*)::int as n from w`;
      while ((await watcher.query<{ n: number }>(waiting, [pid])).rows[0]?.n !== 2) await sleep(10);
      await blocker.query('rollback');
      await Promise.all([ascending, descending]);

      assert.deepEqual(runs, [1, 1], 'each transaction ran once: no deadlock, no retry');
      assert.equal((await rt.store.q.catalog.listUsers(t.id)).length, ids.length);
    } finally {
      await blocker.end();
      await watcher.end();
    }
  });
});
