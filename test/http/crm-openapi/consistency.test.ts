/**
 * One coupon, three views: the CRM open API, the V3 CRM coupon API and the native API agree on
 * its state, whatever changed it (a redemption through /v1, a reversal, a freeze, the clock).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { claimTemplate } from '../../../src/app/claims/claim-template.ts';
import { demoDataset, DEMO_CREDENTIALS, DEMO_TENANT_ID } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import type { Coupon } from '../../../src/domain/coupon.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR, aTemplate } from '../../support/factories.ts';
import { call, testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { couponsInEveryState, STATES_AT, type StateName } from '../v3-crm/states.ts';
import { v3Call } from '../v3-crm/v3-client.ts';
import { crmList } from './crm-client.ts';

/** 2019-10-20 10:00 in Asia/Shanghai, a Sunday. */
const clock = new FixedClock(STATES_AT);
let rt: TestRuntime;
let app: FastifyInstance;

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

interface Views {
  crm: Record<string, unknown> | undefined;
  v3: Record<string, string> | undefined;
  native: { status: string; notYetEffective: boolean };
}

/** The coupon as each API reports it now. */
async function views(member: string, coupon: Coupon): Promise<Views> {
  const crm = await crmList(app, { memberId: member }, clock.now());
  assert.equal(crm.body.code, 0, crm.body.msg);
  const v3 = await v3Call(app, { customerId: member }, { nowMs: clock.now() });
  assert.equal(v3.body.status, 'true', v3.body.message);
  const native = await call(app, 'GET', `/v1/coupons/${coupon.id}`, DEMO_CREDENTIALS.merchantKey);
  assert.equal(native.status, 200);
  return {
    crm: crm.body.data.list.find((i: { id: string }) => i.id === coupon.id),
    v3: v3.body.data.find((c: { couponId: string }) => c.couponId === coupon.id),
    native: native.body,
  };
}

/** [CRM status (absent: not listed), V3 useStatus, native status]. */
async function triple(member: string, coupon: Coupon): Promise<[unknown, unknown, string]> {
  const v = await views(member, coupon);
  return [v.crm?.status, v.v3?.useStatus, v.native.status];
}

describe('crm-openapi and v3-crm › consistency', () => {
  it('dialects › every state reads the same through CRM, V3 and the native API', async () => {
    const member = 'both-every-state';
    const coupons = await couponsInEveryState(rt.deps, clock, member);
    const expected: Record<StateName, [unknown, unknown, string]> = {
      usable: [0, '0', 'usable'],
      notYetEffective: [0, '0', 'usable'],
      frozen: [0, '2', 'frozen'],
      used: [1, '1', 'used'],
      closed: [2, '6', 'closed'],
      expired: [2, '6', 'expired'],
      deleted: [undefined, '7', 'deleted'],
    };
    for (const [state, want] of Object.entries(expected)) assert.deepEqual(await triple(member, coupons[state as StateName]), want, state);
  });

  it('dialects › redeemed through the native API it is used in all three; reversed, usable in all three', async () => {
    const member = 'both-redeem';
    const tpl = await aTemplate(rt.deps, DEMO_TENANT_ID, { stock: null, perUserLimit: null, rule: { validFrom: '2019-10-01', validTo: '2019-12-31' } });
    const coupon = await claimTemplate(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, templateId: tpl.id, userId: member });
    assert.deepEqual(await triple(member, coupon), [0, '0', 'usable']);

    const order = { id: 'pos-0001', amount: 5000, productKindIds: [], channelId: null };
    const redeemed = await call(app, 'POST', '/v1/redemptions', DEMO_CREDENTIALS.cashierKey, { code: coupon.code, order });
    assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
    const used = await views(member, coupon);
    assert.deepEqual([used.crm?.status, used.v3?.useStatus, used.native.status], [1, '1', 'used']);
    assert.equal(used.crm?.useTime, '2019-10-20 10:00:00', 'when it was spent, in the tenant zone');
    assert.equal(used.crm?.cacStatus, -1);

    clock.advance(60_000);
    const reversed = await call(app, 'POST', `/v1/redemptions/${redeemed.body.id}/reverse`, DEMO_CREDENTIALS.cashierKey, {});
    assert.equal(reversed.status, 200);
    const back = await views(member, coupon);
    assert.deepEqual([back.crm?.status, back.v3?.useStatus, back.native.status], [0, '0', 'usable']);
    assert.deepEqual([back.crm?.useTime, back.crm?.cacStatus], ['', 0]);
    assert.equal(back.v3?.updatedAt, '2019-10-20 10:01:00');
  });

  it('dialects › past its validity a usable coupon reads expired everywhere, before any sweeper runs', async () => {
    const member = 'both-expiry';
    const tpl = await aTemplate(rt.deps, DEMO_TENANT_ID, { stock: null, perUserLimit: null, rule: { validFrom: '2019-10-01', validTo: '2019-10-20' } });
    const coupon = await claimTemplate(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, templateId: tpl.id, userId: member });
    const saved = clock.now();
    clock.set('2019-10-20T15:59:59.999Z'); // 23:59:59.999 in Shanghai: the last instant of its last day
    assert.deepEqual(await triple(member, coupon), [0, '0', 'usable']);
    clock.advance(1);
    assert.deepEqual(await triple(member, coupon), [2, '6', 'expired']);
    clock.set(saved);
  });

  it('crm-openapi › cacStatus says whether the coupon can be spent at this moment (weekday and time window)', async () => {
    const member = 'crm-window';
    const sunday = await aTemplate(rt.deps, DEMO_TENANT_ID, { stock: null, perUserLimit: null, rule: { validFrom: '2019-10-01', validTo: '2019-12-31', weekdays: [7, 6], timeWindows: [{ from: '09:00', to: '11:00' }, { from: '17:00', to: '21:00' }] } });
    const monday = await aTemplate(rt.deps, DEMO_TENANT_ID, { stock: null, perUserLimit: null, rule: { validFrom: '2019-10-01', validTo: '2019-12-31', weekdays: [1] } });
    const a = await claimTemplate(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, templateId: sunday.id, userId: member });
    const b = await claimTemplate(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, templateId: monday.id, userId: member });
    const va = await views(member, a);
    assert.deepEqual([va.crm?.cacStatus, va.crm?.timeLimit, va.crm?.weekLimit], [0, '09:00-11:00,17:00-21:00', '6,7']);
    assert.deepEqual([(await views(member, b)).crm?.cacStatus, (await views(member, b)).crm?.weekLimit], [-1, '1']);
    const saved = clock.now();
    clock.advance(60 * 60_000); // 11:00: the window's end is exclusive
    assert.equal((await views(member, a)).crm?.cacStatus, -1);
    clock.set(saved);
  });
});
