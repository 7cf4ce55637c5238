/**
 * PostgreSQL runs the hot compiled queries as named prepared statements. Another process
 * migrating a table those statements read with `select *` must not break this process: the
 * statement is prepared again, alone or with the transaction it was in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';
import { claimBatchInTransaction } from '../../src/app/claims/claim-batch.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

async function addColumn(table: string, column: string) {
  const other = new pg.Client({ connectionString: rt.url });
  await other.connect();
  await other.query(`alter table ${rt.pgSchema}.${table} add column ${column} text`);
  await other.end();
}

describe('store › named prepared statements (PostgreSQL)', () => {
  it('a table changed by another process: reads and transactions carry on', async (t) => {
    if (!ON_POSTGRES) return t.skip('PostgreSQL only: SQLite statements are prepared per connection and re-prepared by SQLite itself');
    const tenant = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: null, perUserLimit: null });
    // Prepare the statements on the connections (a few rounds in parallel reach several of them).
    await Promise.all(Array.from({ length: 4 }, () => rt.store.q.templates.get(tenant.id, tpl.id)));
    await rt.store.transaction((q) => claimBatchInTransaction(q, rt.deps.ids, [{ tenantId: tenant.id, templateId: tpl.id, userId: 'u0', actor: ACTOR }], Date.now()));
    await addColumn('templates', 'added_by_a_later_migration');
    for (let i = 0; i < 4; i++) assert.equal((await rt.store.q.templates.get(tenant.id, tpl.id))?.id, tpl.id);
    const outcomes = await rt.store.transaction((q) => claimBatchInTransaction(q, rt.deps.ids, [{ tenantId: tenant.id, templateId: tpl.id, userId: 'u1', actor: ACTOR }], Date.now()));
    assert.equal(outcomes[0]?.ok, true);
    assert.equal((await rt.store.q.templates.get(tenant.id, tpl.id))?.claimed, 2);
  });
});
