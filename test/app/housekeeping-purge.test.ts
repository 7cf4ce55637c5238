/**
 * The background task's purges (src/background.ts, every minute): Idempotency-Keys a day after
 * their reservation and nonces once their window has passed, in chunks, each its own short
 * transaction (src/app/requests/purge-in-chunks.ts), found through an index rather than by
 * reading the whole table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/store/schema.ts';
import { purgeNonces } from '../../src/app/partners/replay.ts';
import { KEY_KEPT_MS, purgeKeys } from '../../src/app/requests/idempotency-keys.ts';
import { PURGE_CHUNK } from '../../src/app/requests/purge-in-chunks.ts';
import { plansOf, preparedDuring } from '../support/sql-capture.ts';
import { DATABASE_URL, ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
/** The store's own Kysely, for writing rows as they would stand after a day (tests only). */
let db: Kysely<Database>;
before(async () => {
  rt = await testRuntime();
  db = (rt.store as unknown as { db: Kysely<Database> }).db;
});
after(async () => rt?.done());

const NOW = 1_800_000_000_000;

describe(`housekeeping purges (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('housekeeping › each purge finds what is due through its index (the statements the purges prepare), then deletes by primary key', { skip: ON_POSTGRES ? 'the SQLite plan is checked; PostgreSQL plans by its statistics' : false }, async () => {
    const keys = plansOf(rt.url, await preparedDuring(() => rt.store.transaction((q) => q.idempotency.purge(NOW, PURGE_CHUNK))), /idempotency_keys/).join('\n');
    assert.match(keys, /USING (COVERING )?INDEX idempotency_keys_created/);
    assert.match(keys, /SEARCH idempotency_keys USING INDEX sqlite_autoindex_idempotency_keys_1 \(scope=\? AND key=\?\)/);
    const nonces = plansOf(rt.url, await preparedDuring(() => rt.store.transaction((q) => q.nonces.purge(NOW, PURGE_CHUNK))), /from nonces/).join('\n');
    assert.match(nonces, /USING (COVERING )?INDEX nonces_expiry/);
    assert.match(nonces, /SEARCH nonces USING INDEX sqlite_autoindex_nonces_1 \(scope=\? AND nonce=\?\)/);
  });

  it('idempotency purge › keys older than a day go, in chunks (several here), younger ones and answers stay', async () => {
    const old = 2_345;
    const rows: Array<{ scope: string; key: string; fingerprint: string; status_code: number | null; response: string | null; created_at: number }> = Array.from({ length: old }, (_, i) => ({ scope: 'cred-1', key: `old-${i}`, fingerprint: 'f', status_code: 201, response: '{}', created_at: NOW - KEY_KEPT_MS - 1 - i }));
    rows.push({ scope: 'cred-1', key: 'edge', fingerprint: 'f', status_code: 201, response: '{"kept":true}', created_at: NOW - KEY_KEPT_MS });
    rows.push({ scope: 'cred-2', key: 'young', fingerprint: 'f', status_code: null, response: null, created_at: NOW - 1 });
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('idempotency_keys').values(rows.slice(i, i + 500)).execute();

    // One chunk at a time: a purge deletes no more than it is asked to.
    assert.equal(await rt.store.transaction((q) => q.idempotency.purge(NOW - KEY_KEPT_MS, PURGE_CHUNK)), PURGE_CHUNK);
    assert.equal(await purgeKeys(rt.deps, NOW), old - PURGE_CHUNK);
    const left = await db.selectFrom('idempotency_keys').select(['scope', 'key']).orderBy('scope').execute();
    assert.deepEqual(left, [{ scope: 'cred-1', key: 'edge' }, { scope: 'cred-2', key: 'young' }]);
    assert.equal((await rt.store.q.idempotency.get('cred-1', 'edge'))?.response, '{"kept":true}');
    assert.equal(await purgeKeys(rt.deps, NOW), 0);
  });

  it('nonce purge › nonces whose window has passed go, in chunks; live ones stay (a replay of them is still refused)', async () => {
    const expired = 2 * PURGE_CHUNK + 17;
    const rows = Array.from({ length: expired }, (_, i) => ({ scope: 'op:client-1', nonce: `n-${i}`, expires_at: NOW - 1 - i }));
    rows.push({ scope: 'op:client-1', nonce: 'live', expires_at: NOW });
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('nonces').values(rows.slice(i, i + 500)).execute();

    assert.equal(await rt.store.transaction((q) => q.nonces.purge(NOW, PURGE_CHUNK)), PURGE_CHUNK);
    assert.equal(await purgeNonces(rt.deps, NOW), expired - PURGE_CHUNK);
    assert.deepEqual(await db.selectFrom('nonces').select('nonce').execute(), [{ nonce: 'live' }]);
    assert.equal(await rt.store.transaction((q) => q.nonces.use('op:client-1', 'live', NOW + 60_000, NOW - 1)), false);
  });


  it('nonce purge › a nonce used again while the purge waits for its row stays (PostgreSQL rechecks the row as it now is)', { skip: ON_POSTGRES ? false : 'PostgreSQL only: SQLite has one writer at a time' }, async () => {
    await db.insertInto('nonces').values({ scope: 'op:race', nonce: 'again', expires_at: NOW - 1 }).execute();
    const other = new pg.Client({ connectionString: DATABASE_URL });
    await other.connect();
    try {
      await other.query(`set search_path to ${rt.pgSchema}`);
      // Another request uses the expired nonce again (NonceQueries.use), its transaction still open.
      await other.query('begin');
      await other.query(`insert into nonces (scope, nonce, expires_at) values ('op:race', 'again', $1)
        on conflict (scope, nonce) do update set expires_at = excluded.expires_at where nonces.expires_at < $2`, [NOW + 300_000, NOW]);
      const purging = rt.store.transaction((q) => q.nonces.purge(NOW, PURGE_CHUNK));
      await new Promise((r) => setTimeout(r, 200)); // the purge now waits for that row
      await other.query('commit');
      assert.equal(await purging, 0);
    } finally {
      await other.end();
    }
    assert.deepEqual(await db.selectFrom('nonces').select('expires_at').where('nonce', '=', 'again').execute(), [{ expires_at: NOW + 300_000 }]);
  });
});
