import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { expireCoupons } from '../../src/app/coupons/expire-coupons.ts';
import { moveCoupon } from '../../src/app/coupons/move-coupon.ts';
import { redeemCoupon, redeemCouponUnderKey } from '../../src/app/redemptions/redeem-coupon.ts';
import { reverseRedemption } from '../../src/app/redemptions/reverse-redemption.ts';
import { validateOrder } from '../../src/app/redemptions/validate-order.ts';
import { dailyStats, templateStats } from '../../src/app/stats/statistics.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
let rt: TestRuntime;
before(async () => {
  rt = await testRuntime({ clock });
});
after(async () => rt.done());

const order = (id: string, amount: number) => ({ id, amount, productKindIds: [], channelId: null });

describe('redemptions', () => {
  it('redeem › a code with a NUL character under an Idempotency-Key is refused as input, not a failure of ours', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const key = { scope: `nul:${t.id}`, key: 'k-nul', fingerprint: 'f' };
    const answer = () => ({ statusCode: 201, body: '{}' });
    const r = await redeemCouponUnderKey(rt.deps, { tenantId: t.id, actor: ACTOR, code: 'bad\u0000code', order: order('o-nul', 5000) }, key, answer).then(
      (o) => o,
      (e: unknown) => e,
    );
    if (ON_POSTGRES) {
      // PostgreSQL cannot take a NUL even to look it up: the input is refused, nothing committed.
      assert.equal((r as DomainError).code, 'validation_failed', String(r));
    } else {
      // SQLite looks it up and finds no such code: refused like any unknown code.
      assert.deepEqual(r && 'kind' in (r as object) ? [(r as { kind: string }).kind, (r as { error: DomainError }).error.code] : r, ['refused', 'not_found']);
    }
    const ok = await redeemCouponUnderKey(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o-nul', 5000) }, { ...key, key: 'k-ok' }, answer);
    assert.equal(ok.kind, 'done');
  });

  it('redeem › validates without spending, redeems once, returns the first result for the same order', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { kind: 'discount', amount: null, discount: 8.5, rule: { minOrderAmount: 1000, maxDiscountAmount: 500 } });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const v = await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o1', 999) });
    assert.equal(v.valid, false);
    assert.equal(v.reasons[0]?.code, 'below_min_order_amount');
    const ok = await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o1', 1999) });
    assert.deepEqual([ok.valid, ok.discountAmount], [true, 300]);
    const r1 = await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o1', 10000) });
    assert.equal(r1.redemption.discountAmount, 500);
    const again = await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o1', 10000) });
    assert.deepEqual([again.replayed, again.redemption.id], [true, r1.redemption.id]);
    await assert.rejects(redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o2', 10000) }), (e: DomainError) => e.code === 'coupon_not_usable' && e.details.reasons?.[0]?.code === 'coupon_used');
  });

  it('redeem › reversing makes the coupon usable again, once', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const { redemption } = await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o1', 5000) });
    await reverseRedemption(rt.deps, { tenantId: t.id, actor: ACTOR, redemptionId: redemption.id });
    assert.equal((await rt.store.q.coupons.get(t.id, c.id))?.status, 'usable');
    await assert.rejects(reverseRedemption(rt.deps, { tenantId: t.id, actor: ACTOR, redemptionId: redemption.id }), (e: DomainError) => e.code === 'already_reversed');
    const second = await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o1', 5000) });
    assert.notEqual(second.redemption.id, redemption.id);
    const trail = (await rt.store.q.events.list(t.id, { subjectId: c.id }, 0, 20)).map((e) => e.action);
    assert.deepEqual(trail, ['coupon.issued', 'coupon.redeemed', 'coupon.redemption_reversed', 'coupon.redeemed']);
  });

  it('redeem › frozen, closed and expired coupons are refused with their reason', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null, rule: { validTo: '2026-11-30' } });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: c.id, move: 'freeze' });
    await assert.rejects(redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o', 5000) }), (e: DomainError) => e.details.reasons?.[0]?.code === 'coupon_frozen');
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: c.id, move: 'unfreeze' });
    const d = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: d.id, move: 'close', reason: 'fraud' });
    await assert.rejects(redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: d.code, order: order('o', 5000) }), (e: DomainError) => e.details.reasons?.[0]?.code === 'coupon_closed');
    clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
    try {
      await assert.rejects(redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o', 5000) }), (e: DomainError) => e.details.reasons?.[0]?.code === 'coupon_expired');
    } finally {
      clock.set('2026-11-23T04:00:00Z');
    }
  });

  it('expire › the sweeper writes expired on live coupons past validity, and only those', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null, rule: { validTo: '2026-11-30' } });
    const a = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const b = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: b.code, order: order('o', 5000) });
    clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
    try {
      assert.ok((await expireCoupons(rt.deps)) >= 1);
      assert.equal((await rt.store.q.coupons.get(t.id, a.id))?.status, 'expired');
      assert.equal((await rt.store.q.coupons.get(t.id, b.id))?.status, 'used');
      assert.equal(await expireCoupons(rt.deps), 0);
    } finally {
      clock.set('2026-11-23T04:00:00Z');
    }
  });

  it('expire › the sweeper finds what became live again after it passed: a redemption reversed after the validity ended, a frozen coupon; never a used or closed one', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null, rule: { validTo: '2026-11-30' } });
    const claim = () => claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const [spent, frozen, closed, used] = [await claim(), await claim(), await claim(), await claim()];
    const { redemption } = await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: spent.code, order: order('o1', 5000) });
    await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: used.code, order: order('o2', 5000) });
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: frozen.id, move: 'freeze' });
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: closed.id, move: 'close', reason: 'fraud' });
    try {
      clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
      const status = async (id: string) => (await rt.store.q.coupons.get(t.id, id))?.status;
      assert.ok((await expireCoupons(rt.deps)) >= 1);
      assert.deepEqual([await status(spent.id), await status(frozen.id), await status(closed.id), await status(used.id)], ['used', 'expired', 'closed', 'used']);
      // Reversed after the sweep went past its end of validity: live again, so swept again.
      await reverseRedemption(rt.deps, { tenantId: t.id, actor: ACTOR, redemptionId: redemption.id });
      assert.equal(await status(spent.id), 'usable');
      assert.ok((await expireCoupons(rt.deps)) >= 1);
      assert.equal(await status(spent.id), 'expired');
      assert.equal(await expireCoupons(rt.deps), 0);
    } finally {
      clock.set('2026-11-23T04:00:00Z');
    }
  });

  it('stats › daily claims and redemptions in local days, per-template rates', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10, perUserLimit: null });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await redeemCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, code: c.code, order: order('o', 5000) });
    const days = await dailyStats(rt.deps, t.id, 7);
    assert.equal(days.length, 7);
    assert.deepEqual(days.at(-1), { date: '2026-11-23', claims: 2, redemptions: 1 });
    const [s] = await templateStats(rt.deps, t.id);
    assert.deepEqual([s?.claimed, s?.remaining, s?.issued, s?.used, s?.redemptionRate], [2, 8, 2, 1, 0.5]);
  });
});

describe('redemptions › template changes', () => {
  it('validate › sees a template change at once, even two changes in the same millisecond', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { rule: { minOrderAmount: 1000 } });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    assert.equal((await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o', 1500) })).valid, true);
    const { updateTemplate } = await import('../../src/app/templates/update-template.ts');
    await updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { rule: { minOrderAmount: 2000 } } });
    assert.equal((await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o', 1500) })).valid, false);
    // The clock stands still: the second change still moves the version forward.
    await updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { rule: { minOrderAmount: 500 } } });
    assert.equal((await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o', 1500) })).valid, true);
  });
});
