/**
 * Looking redemptions up by order id or by code (`GET /v1/redemptions?orderId=` / `?code=`, what a
 * cashier does after a request whose answer was lost): the right rows, newest first, read through
 * an index (migration 0008 for order ids; the coupon's own for codes), never by walking every
 * redemption of the tenant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { redeemCoupon } from '../../src/app/redemptions/redeem-coupon.ts';
import { listRedemptions, reverseRedemption } from '../../src/app/redemptions/reverse-redemption.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { plansOf, preparedDuring } from '../support/sql-capture.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
/** A second apart at every reading: redemptions made one after another are ordered by time. */
let tick = 1_800_000_000_000;
before(async () => {
  rt = await testRuntime({ clock: { now: () => (tick += 1000) } });
});
after(async () => rt?.done());

const order = (id: string) => ({ id, amount: 5000, productKindIds: [], channelId: null });
const page = { limit: 50, offset: 0 };

describe(`redemption lookups (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('redemption lookups › through the indexes (the statements RedemptionQueries.list prepares), not the tenant\'s time index', { skip: ON_POSTGRES ? 'the SQLite plan is checked; PostgreSQL plans by its statistics' : false }, async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'plan-user' });
    const plan = async (filter: { orderId?: string; code?: string }) =>
      plansOf(rt.url, await preparedDuring(() => rt.store.q.redemptions.list(t.id, filter, 50, 0)), /from "redemptions"/).join('\n');
    assert.match(await plan({ orderId: 'o' }), /USING INDEX redemptions_order_id/);
    assert.match(await plan({ code: c.code }), /USING INDEX redemptions_order\b/);
    // Unfiltered, the newest come straight from the tenant's time index (no sort).
    assert.match(await plan({}), /USING INDEX redemptions_created/);
  });

  it('redemption lookups › by order id and by code: every redemption of it, reversed ones too, newest first; an unknown code finds none', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const claim = (userId: string) => claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId });
    const [c1, c2] = [await claim('u1'), await claim('u2')];
    const redeem = async (code: string, orderId: string) => (await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code, order: order(orderId) })).redemption;
    const first = await redeem(c1.code, 'order-A');
    await reverseRedemption(rt.deps, { tenantId: t.id, actor: ACTOR, redemptionId: first.id });
    const second = await redeem(c2.code, 'order-A');
    const third = await redeem(c1.code, 'order-B');

    const ids = async (filter: { orderId?: string; code?: string }) => (await listRedemptions(rt.deps, t.id, filter, page)).map((r) => r.id);
    assert.deepEqual(await ids({ orderId: 'order-A' }), [second.id, first.id]);
    assert.deepEqual(await ids({ code: c1.code }), [third.id, first.id]);
    assert.deepEqual(await ids({ code: c1.code, orderId: 'order-B' }), [third.id]);
    assert.deepEqual(await ids({ code: '999999999999' }), []);
    assert.deepEqual(await ids({ orderId: 'order-none' }), []);
    assert.equal((await listRedemptions(rt.deps, t.id, { orderId: 'order-A' }, page)).find((r) => r.id === first.id)?.status, 'reversed');
    // Pages of one: the same order, one at a time.
    assert.deepEqual([...(await listRedemptions(rt.deps, t.id, { code: c1.code }, { limit: 1, offset: 1 }))].map((r) => r.id), [first.id]);
  });

});
