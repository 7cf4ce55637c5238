import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMove, effectiveStatus, isNotYetEffective, type Coupon } from '../../src/domain/coupon.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { PACKAGE_STATUSES, PackageMove, nextPackageStatus, type PackageStatus } from '../../src/domain/package.ts';
import { discountFor, evaluate } from '../../src/domain/redemption.ts';
import { DEFAULT_RULE, couponValidity, templateWindow, validateTemplateData, type TemplateData } from '../../src/domain/template.ts';
import { endOfLocalDay, startOfLocalDay } from '../../src/domain/time.ts';

const TZ = 'Asia/Shanghai';

function template(over: Partial<TemplateData> = {}, rule: Partial<TemplateData['rule']> = {}): TemplateData {
  return {
    name: 't',
    kind: 'cash',
    amount: 1000,
    discount: null,
    themeId: null,
    sort: 0,
    rule: { ...DEFAULT_RULE, ...rule },
    stock: null,
    perUserLimit: null,
    claimFrom: null,
    claimTo: null,
    display: {},
    ...over,
  };
}

function coupon(over: Partial<Coupon> = {}): Coupon {
  return {
    tenantId: 't',
    id: 'c1',
    code: '123456789012',
    templateId: 't1',
    ownerType: 'user',
    ownerId: 'u',
    senderId: null,
    chatId: null,
    packageId: null,
    status: 'usable',
    validFrom: startOfLocalDay('2026-11-01', TZ),
    validTo: endOfLocalDay('2026-11-30', TZ),
    issuedAt: 0,
    updatedAt: 0,
    ...over,
  };
}

const order = (amount: number, over: Partial<{ productKindIds: string[]; channelId: string | null }> = {}) => ({ id: 'o1', amount, productKindIds: [], channelId: null, ...over });
// Monday 2026-11-23, 12:00 in Shanghai.
const MONDAY_NOON = Date.parse('2026-11-23T04:00:00Z');

describe('rules', () => {
  it('rules › the threshold is "at least": an order of exactly minOrderAmount is accepted', () => {
    const t = template({}, { minOrderAmount: 3000 });
    assert.equal(evaluate(coupon(), t, order(3000), MONDAY_NOON, TZ).valid, true);
    const below = evaluate(coupon(), t, order(2999), MONDAY_NOON, TZ);
    assert.equal(below.valid, false);
    assert.deepEqual(below.reasons.map((r) => r.code), ['below_min_order_amount']);
  });

  it('rules › validity boundaries: first and last millisecond are inside', () => {
    const c = coupon();
    const t = template();
    assert.equal(evaluate(c, t, order(5000), c.validFrom, TZ).valid, true);
    assert.equal(evaluate(c, t, order(5000), c.validTo, TZ).valid, true);
    assert.deepEqual(evaluate(c, t, order(5000), c.validFrom - 1, TZ).reasons.map((r) => r.code), ['not_yet_effective']);
    assert.deepEqual(evaluate(c, t, order(5000), c.validTo + 1, TZ).reasons.map((r) => r.code), ['coupon_expired']);
  });

  it('rules › time windows include from and exclude to, in local time', () => {
    const t = template({}, { timeWindows: [{ from: '11:00', to: '14:00' }] });
    const at = (hhmm: string, sec = 0) => Date.parse(`2026-11-23T${hhmm}:${String(sec).padStart(2, '0')}+08:00`);
    assert.equal(evaluate(coupon(), t, order(5000), at('11:00'), TZ).valid, true);
    assert.equal(evaluate(coupon(), t, order(5000), at('13:59', 59), TZ).valid, true);
    assert.equal(evaluate(coupon(), t, order(5000), at('14:00'), TZ).reasons[0]?.code, 'outside_time_window');
    assert.equal(evaluate(coupon(), t, order(5000), at('10:59', 59), TZ).reasons[0]?.code, 'outside_time_window');
  });

  it('rules › weekdays are local: Monday 00:30 in Shanghai is still Sunday in UTC', () => {
    const t = template({}, { weekdays: [1] });
    const mondayEarly = Date.parse('2026-11-23T00:30:00+08:00');
    assert.equal(evaluate(coupon(), t, order(5000), mondayEarly, TZ).valid, true);
    assert.equal(evaluate(coupon(), t, order(5000), mondayEarly - 3600_000, TZ).reasons[0]?.code, 'wrong_weekday');
  });

  it('rules › product kinds and channels must match the order', () => {
    const t = template({}, { productKindIds: ['coffee'], channelIds: ['c1'] });
    const bad = evaluate(coupon(), t, order(5000, { productKindIds: ['taxi'], channelId: 'c2' }), MONDAY_NOON, TZ);
    assert.deepEqual(bad.reasons.map((r) => r.code), ['product_kind_not_allowed', 'channel_not_allowed']);
    assert.equal(evaluate(coupon(), t, order(5000, { productKindIds: ['taxi', 'coffee'], channelId: 'c1' }), MONDAY_NOON, TZ).valid, true);
  });

  it('rules › every reason is listed, not only the first', () => {
    const t = template({}, { minOrderAmount: 3000, weekdays: [2] });
    const r = evaluate(coupon({ status: 'frozen' }), t, order(100), MONDAY_NOON, TZ);
    assert.deepEqual(r.reasons.map((x) => x.code), ['coupon_frozen', 'wrong_weekday', 'below_min_order_amount']);
    assert.equal(r.discountAmount, 0);
  });

  it('rules › discounts: cash, 折 with cap, free order, never above the order', () => {
    assert.equal(discountFor(template({ amount: 1000 }), 600), 600);
    assert.equal(discountFor(template({ kind: 'discount', amount: null, discount: 8.5 }, { maxDiscountAmount: 100 }), 10000), 100);
    assert.equal(discountFor(template({ kind: 'discount', amount: null, discount: 8.5 }), 999), 150);
    assert.equal(discountFor(template({ kind: 'free_order', amount: null }, { maxDiscountAmount: 2000 }), 5000), 2000);
  });

  it('rules › a coupon past validTo reads expired whatever the sweeper wrote; before validFrom it is not yet effective', () => {
    const c = coupon();
    assert.equal(effectiveStatus(c, c.validTo + 1), 'expired');
    assert.equal(effectiveStatus({ ...c, status: 'frozen' }, c.validTo + 1), 'expired');
    assert.equal(effectiveStatus({ ...c, status: 'used' }, c.validTo + 1), 'used');
    assert.equal(isNotYetEffective(c, c.validFrom - 1), true);
    assert.equal(isNotYetEffective(c, c.validFrom), false);
  });

  it('rules › coupon moves: freeze only a usable one, never delete a used one', () => {
    const c = coupon();
    assert.equal(applyMove(c, 'freeze', MONDAY_NOON), 'frozen');
    assert.throws(() => applyMove({ ...c, status: 'frozen' }, 'freeze', MONDAY_NOON), (e: DomainError) => e.code === 'illegal_transition');
    assert.throws(() => applyMove({ ...c, status: 'used' }, 'delete', MONDAY_NOON), (e: DomainError) => e.code === 'illegal_transition');
    assert.throws(() => applyMove(c, 'freeze', c.validTo + 1), /expired/);
  });

  it('rules › the package workflow refuses illegal moves', () => {
    const p = (status: Parameters<typeof nextPackageStatus>[0]['status']) => ({ id: 'p', status });
    assert.equal(nextPackageStatus(p('pending_review'), 'submit'), 'in_review');
    assert.equal(nextPackageStatus(p('in_review'), 'reject'), 'rejected');
    assert.equal(nextPackageStatus(p('rejected'), 'submit'), 'in_review');
    assert.equal(nextPackageStatus(p('in_review'), 'approve'), 'ready');
    assert.equal(nextPackageStatus(p('ready'), 'publish'), 'published');
    assert.equal(nextPackageStatus(p('published'), 'close'), 'closed');
    for (const [status, move] of [['pending_review', 'publish'], ['pending_review', 'approve'], ['published', 'delete'], ['closed', 'publish'], ['deleted', 'submit']] as const) {
      assert.throws(() => nextPackageStatus(p(status), move), (e: DomainError) => e.code === 'illegal_transition', `${status} → ${move}`);
    }
  });

  it('rules › the package workflow allows exactly pending_review → in_review → rejected | ready → published → closed, resubmission and deletion', () => {
    // Every (status, move) pair: the legal ones and where they lead; anything else is illegal.
    const legal: Partial<Record<PackageStatus, Partial<Record<PackageMove, PackageStatus>>>> = {
      pending_review: { submit: 'in_review', delete: 'deleted' },
      in_review: { approve: 'ready', reject: 'rejected' },
      rejected: { submit: 'in_review', delete: 'deleted' },
      ready: { publish: 'published', delete: 'deleted' },
      published: { close: 'closed' },
      closed: { delete: 'deleted' },
    };
    for (const status of PACKAGE_STATUSES) {
      for (const move of Object.values(PackageMove)) {
        const to = legal[status]?.[move];
        if (to) assert.equal(nextPackageStatus({ id: 'p', status }, move), to, `${status} → ${move}`);
        else assert.throws(() => nextPackageStatus({ id: 'p', status }, move), (e: DomainError) => e.code === 'illegal_transition', `${status} → ${move} must be refused`);
      }
    }
  });

  it('rules › relative validity runs from the claim for N days, capped by validTo', () => {
    const t = template({}, { validDaysAfterClaim: 10, validTo: '2026-11-25' });
    const w = { ...t, ...templateWindow(t, TZ) };
    const issued = Date.parse('2026-11-23T04:00:00Z');
    const v = couponValidity(w, issued);
    assert.equal(v.validFrom, issued);
    assert.equal(v.validTo, endOfLocalDay('2026-11-25', TZ));
    const open = { ...template({}, { validDaysAfterClaim: 1 }), ...templateWindow(template({}, { validDaysAfterClaim: 1 }), TZ) };
    assert.equal(couponValidity(open, issued).validTo, issued + 86_400_000 - 1);
  });

  it('rules › relative validity starts at the issue even before validFrom (SPEC §2), still capped by validTo', () => {
    const t = template({}, { validDaysAfterClaim: 3, validFrom: '2026-12-01', validTo: '2026-12-31' });
    const w = { ...t, ...templateWindow(t, TZ) };
    // Claimed at 23:30 local on 2026-11-28, before the template's validFrom.
    const issued = Date.parse('2026-11-28T15:30:00Z');
    assert.deepEqual(couponValidity(w, issued), { validFrom: issued, validTo: issued + 3 * 86_400_000 - 1 });
    // The last millisecond of validTo in the tenant's zone still caps a claim near the end.
    const late = startOfLocalDay('2026-12-30', TZ) + 1;
    assert.deepEqual(couponValidity(w, late), { validFrom: late, validTo: endOfLocalDay('2026-12-31', TZ) });
  });

  it('rules › template validation names every bad field', () => {
    try {
      validateTemplateData(template({ kind: 'cash', amount: null, discount: 12, perUserLimit: 0 }, { validFrom: '2026-12-01', validTo: '2026-11-01', weekdays: [0], timeWindows: [{ from: '14:00', to: '11:00' }] }));
      assert.fail('accepted');
    } catch (e) {
      const fields = (e as DomainError).details.errors?.map((p) => p.field).sort();
      assert.deepEqual(fields, ['amount', 'discount', 'discount', 'perUserLimit', 'rule.timeWindows.0.to', 'rule.validTo', 'rule.weekdays.0'].sort());
    }
  });
});
