/**
 * Coupon lists (search, wallets) hand over a page newest first from an index already in that
 * order, whatever the filter: by template through coupons_template (tenant, template, issued_at:
 * migration 0009; coupons issued in the same instant are sorted among themselves), by owner
 * through coupons_owner; a status only filters the rows found,
 * never picks the sweeper's (status, valid_to) index, which spans every tenant. SQLite plans are
 * checked (it has no statistics to go by); the statements mirror CouponQueries.list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../src/store/schema.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
let db: Kysely<Database>;
before(async () => {
  if (ON_POSTGRES) return;
  rt = await testRuntime();
  db = (rt.store as unknown as { db: Kysely<Database> }).db;
});
after(async () => rt?.done());

async function plan(where: RawBuilder<unknown>): Promise<string> {
  const r = await sql<{ detail: string }>`explain query plan select * from coupons where tenant_id = ${'t'} and ${where} order by issued_at desc, id desc limit ${50}`.execute(db);
  return r.rows.map((x) => x.detail).join(' | ');
}

const usable = sql`(status || '' = ${'usable'} and valid_to >= ${1})`;

describe('coupon list plans (SQLite)', { skip: ON_POSTGRES ? 'SQLite plans only: PostgreSQL plans by its statistics' : false }, () => {
  it('coupon lists › by template: the template index in order, no sort of the template\'s coupons (only of those issued in one instant)', async () => {
    for (const where of [sql`template_id = ${'x'}`, sql`template_id = ${'x'} and ${usable}`]) {
      const p = await plan(where);
      assert.match(p, /USING INDEX coupons_template/);
      assert.doesNotMatch(p, /TEMP B-TREE FOR ORDER BY/);
    }
  });

  it('coupon lists › by owner with a status: the owner index; by status alone: the tenant\'s time index, never the sweeper\'s', async () => {
    assert.match(await plan(sql`owner_type = ${'user'} and owner_id = ${'u'} and ${usable}`), /USING INDEX coupons_owner/);
    const byStatus = await plan(usable);
    assert.match(byStatus, /USING INDEX coupons_issued/);
    assert.doesNotMatch(byStatus, /coupons_expiry/);
  });
});
