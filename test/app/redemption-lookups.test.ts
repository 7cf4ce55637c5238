/**
 * Looking redemptions up by order id or by code (`GET /v1/redemptions?orderId=` / `?code=`, what a
 * cashier does after a request whose answer was lost): the right rows, newest first, read through
 * an index (migration 0008 for order ids; the coupon's own for codes), never by walking every
 * redemption of the tenant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { redeemCoupon } from '../../src/app/redemptions/redeem-coupon.ts';
import { listRedemptions, reverseRedemption } from '../../src/app/redemptions/reverse-redemption.ts';
import type { Database } from '../../src/store/schema.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt?.done());

const order = (id: string) => ({ id, amount: 5000, productKindIds: [], channelId: null });
const page = { limit: 50, offset: 0 };

describe(`redemption lookups (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
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
    assert.deepEqual(new Set(await ids({ orderId: 'order-A' })), new Set([first.id, second.id]));
    assert.deepEqual(new Set(await ids({ code: c1.code })), new Set([first.id, third.id]));
    assert.deepEqual(await ids({ code: c1.code, orderId: 'order-B' }), [third.id]);
    assert.deepEqual(await ids({ code: '999999999999' }), []);
    assert.deepEqual(await ids({ orderId: 'order-none' }), []);
    const byOrder = await listRedemptions(rt.deps, t.id, { orderId: 'order-A' }, page);
    assert.ok(byOrder.every((r, i) => i === 0 || (byOrder[i - 1] as { createdAt: number }).createdAt >= r.createdAt), 'newest first');
    assert.equal(byOrder.find((r) => r.id === first.id)?.status, 'reversed');
  });

  it('redemption lookups › through the indexes, not the tenant\'s time index', { skip: ON_POSTGRES ? 'the SQLite plan is checked; PostgreSQL plans by its statistics' : false }, async () => {
    const db = (rt.store as unknown as { db: Kysely<Database> }).db;
    // The statements RedemptionQueries.list makes for an order id and for a code's coupon.
    const plan = async (where: ReturnType<typeof sql>) =>
      (await sql<{ detail: string }>`explain query plan select * from redemptions where tenant_id = ${'t'} and ${where} order by created_at + 0 desc, id limit ${50} offset ${0}`.execute(db)).rows.map((r) => r.detail).join('\n');
    assert.match(await plan(sql`order_id = ${'o'}`), /USING INDEX redemptions_order_id/);
    assert.match(await plan(sql`coupon_id = ${'c'} and code = ${'x'}`), /USING INDEX redemptions_order\b/);
    // Unfiltered, the newest come straight from the tenant's time index (no sort).
    const all = await sql<{ detail: string }>`explain query plan select * from redemptions where tenant_id = ${'t'} order by created_at desc, id limit ${50} offset ${0}`.execute(db);
    assert.match(all.rows.map((r) => r.detail).join('\n'), /USING INDEX redemptions_created/);
  });
});
