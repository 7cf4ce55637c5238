/**
 * PostgreSQL: validations (and redemptions' first read) arriving together read their coupons in
 * one query per tenant (src/app/redemptions/coupon-reads.ts); each caller still gets its own
 * answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { redeemCoupon } from '../../src/app/redemptions/redeem-coupon.ts';
import { validateOrder } from '../../src/app/redemptions/validate-order.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
let queries: string[][] = [];
before(async () => {
  if (!ON_POSTGRES) return;
  rt = await testRuntime();
  const coupons = rt.store.q.coupons;
  const read = coupons.byCodesWithTemplateVersion.bind(coupons);
  coupons.byCodesWithTemplateVersion = (tenantId, codes) => {
    queries.push([...codes]);
    return read(tenantId, codes);
  };
});
after(async () => rt?.done());

const order = (id: string, amount: number) => ({ id, amount, productKindIds: [], channelId: null });

describe('coupon reads (PostgreSQL)', { skip: ON_POSTGRES ? false : 'PostgreSQL only: SQLite reads each coupon on its own' }, () => {
  it('coupon reads › validations arriving together share one query per tenant, and each gets its own answer', async () => {
    const [a, b] = [await aTenant(rt.deps), await aTenant(rt.deps)];
    const tplA = await aTemplate(rt.deps, a.id, { stock: null, perUserLimit: null, rule: { minOrderAmount: 1000 } });
    const tplB = await aTemplate(rt.deps, b.id, { stock: null, perUserLimit: null });
    const [c1, c2] = [await claimTemplate(rt.deps, { tenantId: a.id, actor: ACTOR, templateId: tplA.id, userId: 'u1' }), await claimTemplate(rt.deps, { tenantId: a.id, actor: ACTOR, templateId: tplA.id, userId: 'u2' })];
    const cb = await claimTemplate(rt.deps, { tenantId: b.id, actor: ACTOR, templateId: tplB.id, userId: 'u3' });
    await redeemCoupon(rt.deps, { tenantId: a.id, actor: ACTOR, code: c2.code, order: order('first', 5000) });
    queries = [];
    const settled = await Promise.allSettled([
      validateOrder(rt.deps, { tenantId: a.id, code: c1.code, order: order('o1', 5000) }),
      validateOrder(rt.deps, { tenantId: a.id, code: c1.code, order: order('o2', 500) }),
      validateOrder(rt.deps, { tenantId: a.id, code: c2.code, order: order('o3', 5000) }),
      validateOrder(rt.deps, { tenantId: a.id, code: 'no-such-code', order: order('o4', 5000) }),
      // Tenant b's coupon asked of tenant a is unknown there; asked of b, it is found.
      validateOrder(rt.deps, { tenantId: a.id, code: cb.code, order: order('o5', 5000) }),
      validateOrder(rt.deps, { tenantId: b.id, code: cb.code, order: order('o6', 5000) }),
    ]);
    const answers = settled.map((s) => (s.status === 'fulfilled' ? `${s.value.coupon.code}:${s.value.valid}` : (s.reason as DomainError).code));
    assert.deepEqual(answers, [`${c1.code}:true`, `${c1.code}:false`, `${c2.code}:false`, 'not_found', 'not_found', `${cb.code}:true`]);
    assert.equal(queries.length, 2, 'one query per tenant');
    assert.deepEqual(queries.map((q) => q.length).sort(), [1, 4], 'each code asked once (c1 twice, one code)');
  });

  it('coupon reads › a failed query fails each of its callers, and the next reads work', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    const coupons = rt.store.q.coupons;
    const read = coupons.byCodesWithTemplateVersion;
    coupons.byCodesWithTemplateVersion = async () => {
      throw new Error('connection lost');
    };
    try {
      const settled = await Promise.allSettled([1, 2].map((i) => validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order(`o${i}`, 5000) })));
      assert.deepEqual(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'ok')), ['connection lost', 'connection lost']);
    } finally {
      coupons.byCodesWithTemplateVersion = read;
    }
    assert.equal((await validateOrder(rt.deps, { tenantId: t.id, code: c.code, order: order('o3', 5000) })).valid, true);
  });

  it('coupon reads › a code the query cannot take fails only its own caller; the others are read on their own', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const [c1, c2] = [await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u1' }), await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u2' })];
    queries = [];
    // PostgreSQL refuses a NUL in text: the shared query fails, then each code is read alone.
    const settled = await Promise.allSettled([c1.code, 'bad\u0000code', c2.code].map((code, i) => validateOrder(rt.deps, { tenantId: t.id, code, order: order(`o${i}`, 5000) })));
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(queries.map((q) => q.length), [3, 1, 1, 1], 'the shared query, then one per code');
  });

  it('coupon reads › a query the database fails (not one of its codes) fails its callers at once, without a query per code', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const [c1, c2] = [await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u1' }), await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u2' })];
    const coupons = rt.store.q.coupons;
    const read = coupons.byCodesWithTemplateVersion;
    let calls = 0;
    coupons.byCodesWithTemplateVersion = async () => {
      calls++;
      throw new Error('connection lost');
    };
    try {
      const settled = await Promise.allSettled([c1.code, c2.code, 'other'].map((code, i) => validateOrder(rt.deps, { tenantId: t.id, code, order: order(`o${i}`, 5000) })));
      assert.deepEqual(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'ok')), Array(3).fill('connection lost'));
      assert.equal(calls, 1);
    } finally {
      coupons.byCodesWithTemplateVersion = read;
    }
  });
});
