/**
 * PostgreSQL runs the hot compiled queries as named prepared statements. Another process
 * migrating a table those statements read with `select *` must not break this process: the
 * statement is prepared again, alone or with the transaction it was in. And a statement whose
 * array parameters would look cheaper planned afresh at every call (the gathered read of codes)
 * settles on one generic plan.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, pgAdmin, testRuntime, type TestRuntime } from '../support/store.ts';
import { claimBatchInTransaction } from '../../src/app/claims/claim-batch.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { openStore } from '../../src/store/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

async function addColumn(table: string, column: string) {
  await pgAdmin(`alter table ${rt.pgSchema}.${table} add column ${column} text`);
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

  it('the gathered read of codes: each caller\'s coupons, and one generic plan after the first five calls instead of a plan per call', async (t) => {
    if (!ON_POSTGRES) return t.skip('PostgreSQL only: SQLite reads coupons one by one');
    const tenant = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: null, perUserLimit: null });
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push((await claimTemplate(rt.deps, { tenantId: tenant.id, actor: ACTOR, templateId: tpl.id, userId: `u${i}` })).code);
    // Enough coupons, analyzed, for the planner to price a short array below a generic plan's
    // ten elements (with a handful it would not care, and settle on the generic plan anyway).
    await pgAdmin(`insert into ${rt.pgSchema}.coupons (tenant_id, id, code, template_id, owner_type, owner_id, status, valid_from, valid_to, issued_at, updated_at)
      select $1, 'g' || g, 'G' || lpad(g::text, 10, '0'), $2, 'user', 'u' || (g % 5000), 'usable', 0, 9000000000000, g, 1 from generate_series(1, 30000) g`, [tenant.id, tpl.id]);
    await pgAdmin(`analyze ${rt.pgSchema}.coupons`);
    codes.push('G0000000007', 'G0000012345');
    // One connection, so every call goes to the session whose prepared statements are counted.
    const store = openStore({ url: rt.url, poolSize: 1, pgSchema: rt.pgSchema as string });
    try {
      for (let call = 0; call < 12; call++) {
        const asked = [...codes.slice(call % 3, call % 3 + 1 + (call % 3)), 'NO-SUCH-CODE'];
        const found = await store.q.coupons.byCodesWithTemplateVersion(tenant.id, asked);
        assert.deepEqual([...found.keys()].sort(), asked.filter((c) => c !== 'NO-SUCH-CODE').sort());
      }
      await assertGenericPlans(store, 'coupons-by-codes-with-template-version', 12);
    } finally {
      await store.close();
    }
  });

  it('the gathered read of chat stamps (OP v2): each set\'s stamp, and one generic plan after the first five calls', async (t) => {
    if (!ON_POSTGRES) return t.skip('PostgreSQL only: SQLite reads stamps one by one');
    const tenant = await aTenant(rt.deps);
    await pgAdmin(`insert into ${rt.pgSchema}.coupon_set_versions (tenant_id, set_key, version) select $1, 'chat:' || g, g % 7 + 1 from generate_series(1, 30000) g`, [tenant.id]);
    await pgAdmin(`analyze ${rt.pgSchema}.coupon_set_versions`);
    const store = openStore({ url: rt.url, poolSize: 1, pgSchema: rt.pgSchema as string });
    try {
      for (let call = 0; call < 12; call++) {
        const keys = [`chat:${call + 1}`, ...(call % 2 ? [`chat:${call + 100}`] : [])];
        const stamps = await store.q.couponSets.stamps(tenant.id, keys);
        assert.deepEqual([...stamps.keys()], keys);
        assert.equal(stamps.get(`chat:${call + 1}`), `${((call + 1) % 7) + 1}.0.0`);
      }
      await assertGenericPlans(store, 'coupon-set-versions-many', 12);
    } finally {
      await store.close();
    }
  });
});

/** The statement named like `name` was planned generically from the sixth of its `calls` on, in the store's one session. */
async function assertGenericPlans(store: ReturnType<typeof openStore>, name: string, calls: number): Promise<void> {
  // The session's own view of its statements (the store keeps its Kysely to itself).
  const db = (store as unknown as { db: Kysely<unknown> }).db;
  const rows = (await sql<{ generic_plans: string; custom_plans: string }>`select generic_plans, custom_plans from pg_prepared_statements where name like ${`%${name}%`}`.execute(db)).rows;
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.deepEqual([Number(rows[0]?.custom_plans), Number(rows[0]?.generic_plans)], [5, calls - 5], `${name}: custom and generic plans`);
}
