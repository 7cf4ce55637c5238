/**
 * Coupon lists (search, wallets) hand over a page newest first from an index already in that
 * order, whatever the filter: by template through coupons_template (tenant, template, issued_at:
 * migration 0009; coupons issued in the same instant are sorted among themselves), by owner
 * through coupons_owner; a status only filters the rows found, never picks the sweeper's
 * index of live coupons, which spans every tenant. The sweeper's own query does use that index
 * (`coupons_expiry`, the live coupons by end of validity: migration 0010), in its order. The plans
 * are SQLite's (it has no statistics to go by) for the statements the code really prepares.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CouponFilter } from '../../src/store/queries/coupons.ts';
import { plansOf, preparedDuring } from '../support/sql-capture.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  if (ON_POSTGRES) return;
  rt = await testRuntime();
});
after(async () => rt?.done());

async function listPlan(filter: CouponFilter): Promise<string> {
  const sqls = await preparedDuring(() => rt.store.q.coupons.list('t', filter, 1, 50, null));
  return plansOf(rt.url, sqls, /from "coupons"/).join('\n');
}

describe('coupon list plans (SQLite)', { skip: ON_POSTGRES ? 'SQLite plans only: PostgreSQL plans by its statistics' : false }, () => {
  it('coupon lists › by template: the template index in order, no sort of the template\'s coupons (only of those issued in one instant)', async () => {
    for (const filter of [{ templateId: 'x' }, { templateId: 'x', status: 'usable' as const }]) {
      const p = await listPlan(filter);
      assert.match(p, /USING INDEX coupons_template/, JSON.stringify(filter));
      assert.doesNotMatch(p, /TEMP B-TREE FOR ORDER BY/, JSON.stringify(filter));
    }
  });

  it('coupon lists › by owner with a status: the owner index; by status alone: the tenant\'s time index, never the sweeper\'s', async () => {
    assert.match(await listPlan({ ownerType: 'user', ownerId: 'u', status: 'usable' }), /USING INDEX coupons_owner/);
    const byStatus = await listPlan({ status: ['usable', 'expired'] });
    assert.match(byStatus, /USING INDEX coupons_issued/);
    assert.doesNotMatch(byStatus, /coupons_expiry/);
  });

  it('expiry sweep › the live coupons past their validity come off the partial index of live coupons, in its order', async () => {
    const sqls = await preparedDuring(() => rt.store.q.coupons.dueForExpiry(Date.now(), 10));
    const [plan] = plansOf(rt.url, sqls, /from "coupons"/);
    assert.match(plan ?? '', /USING INDEX coupons_expiry \(valid_to<\?\)/);
    assert.doesNotMatch(plan ?? '', /TEMP B-TREE/);
  });
});
