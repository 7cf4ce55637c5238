/**
 * The background task's purges (src/background.ts, every minute): Idempotency-Keys a day after
 * their reservation and nonces once their window has passed, in chunks, each its own short
 * transaction (src/app/requests/purge-in-chunks.ts), found through an index rather than by
 * reading the whole table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';
import { purgeNonces } from '../../src/app/partners/replay.ts';
import { KEY_KEPT_MS, purgeKeys } from '../../src/app/requests/idempotency-keys.ts';
import { PURGE_CHUNK } from '../../src/app/requests/purge-in-chunks.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

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

  it('idempotency purge › finds old keys through the index on created_at, not by reading the table', { skip: ON_POSTGRES ? 'the SQLite plan is checked; PostgreSQL plans by its statistics' : false }, async () => {
    const plan = await sql<{ detail: string }>`explain query plan delete from idempotency_keys where (scope, key) in (
      select scope, key from idempotency_keys where created_at < ${NOW} order by created_at limit ${PURGE_CHUNK})`.execute(db);
    assert.match(plan.rows.map((r) => r.detail).join('\n'), /USING (COVERING )?INDEX idempotency_keys_created/);
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

  it('nonce purge › finds passed nonces through the index on expires_at', { skip: ON_POSTGRES ? 'the SQLite plan is checked; PostgreSQL plans by its statistics' : false }, async () => {
    const plan = await sql<{ detail: string }>`explain query plan delete from nonces where (scope, nonce) in (
      select scope, nonce from nonces where expires_at < ${NOW} order by expires_at limit ${PURGE_CHUNK})`.execute(db);
    assert.match(plan.rows.map((r) => r.detail).join('\n'), /USING (COVERING )?INDEX nonces_expiry/);
  });
});
