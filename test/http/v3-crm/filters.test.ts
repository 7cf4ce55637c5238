/** V3 CRM coupon: the useStatus filter and the state and type mappings of SPEC §6. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { demoDataset } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import type { Coupon } from '../../../src/domain/coupon.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { couponsInEveryState, STATES_AT, type StateName } from './states.ts';
import { v3Call } from './v3-client.ts';

const clock = new FixedClock(STATES_AT);
const CUSTOMER = 'v3-filters-customer';
let rt: TestRuntime;
let app: FastifyInstance;
let coupons: Record<StateName, Coupon>;

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
  coupons = await couponsInEveryState(rt.deps, clock, CUSTOMER);
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

const ids = (...states: StateName[]) => states.map((s) => coupons[s].id).sort();
const list = async (useStatus?: unknown) => {
  const r = await v3Call(app, { customerId: CUSTOMER, ...(useStatus === undefined ? {} : { useStatus }) }, { nowMs: clock.now() });
  assert.equal(r.body.status, 'true', r.body.message);
  return r.body.data as Array<Record<string, string>>;
};

describe('v3-crm › useStatus', () => {
  const filters: Array<[unknown, StateName[]]> = [
    [0, ['usable', 'notYetEffective']],
    [1, ['used']],
    [2, ['frozen']],
    [6, ['closed', 'expired']],
    [7, ['deleted']],
    ['1', ['used']],
  ];
  for (const [useStatus, states] of filters) {
    it(`v3-crm › useStatus ${JSON.stringify(useStatus)} lists exactly the ${states.join(' and ')} coupons`, async () => {
      const data = await list(useStatus);
      assert.deepEqual(data.map((c) => c.couponId).sort(), ids(...states));
      assert.ok(data.every((c) => c.useStatus === String(useStatus)));
    });
  }

  it('v3-crm › no useStatus, null or "" lists every coupon, deleted ones included', async () => {
    const all = ids('usable', 'notYetEffective', 'frozen', 'used', 'closed', 'deleted', 'expired');
    for (const useStatus of [undefined, null, '']) assert.deepEqual((await list(useStatus)).map((c) => c.couponId).sort(), all);
  });

  it('v3-crm › reports useStatus, couponType and templateId as strings for each state', async () => {
    const byId = new Map((await list()).map((c) => [c.couponId, c]));
    const expected: Record<StateName, string> = { usable: '0', notYetEffective: '0', frozen: '2', used: '1', closed: '6', deleted: '7', expired: '6' };
    for (const [state, useStatus] of Object.entries(expected)) assert.equal(byId.get(coupons[state as StateName].id)?.useStatus, useStatus, state);
    assert.equal(byId.get(coupons.usable.id)?.couponType, '0');
    assert.equal(byId.get(coupons.notYetEffective.id)?.couponType, '6', 'free shipping');
    assert.equal(byId.get(coupons.expired.id)?.couponType, '3', 'ERP exchange');
    assert.match(byId.get(coupons.usable.id)?.templateId ?? '', /^\d+$/);
    assert.equal(byId.get(coupons.expired.id)?.endAt, '2019-10-19 23:59:59');
  });

  it('v3-crm › cardId with a useStatus that does not match is the business failure', async () => {
    const r = await v3Call(app, { customerId: CUSTOMER, cardId: coupons.used.code, useStatus: 0 }, { nowMs: clock.now() });
    assert.deepEqual(r.body, { status: true, code: '40402', message: '查询的信息不存在' });
    const ok = await v3Call(app, { customerId: CUSTOMER, cardId: coupons.used.code, useStatus: 1 }, { nowMs: clock.now() });
    assert.deepEqual([ok.body.data.cardId, ok.body.data.useStatus], [coupons.used.code, '1']);
  });

  it("v3-crm › another customer's cardId is not found", async () => {
    const r = await v3Call(app, { customerId: '383933091455959041', cardId: coupons.usable.code }, { nowMs: clock.now() });
    assert.deepEqual(r.body, { status: true, code: '40402', message: '查询的信息不存在' });
  });
});
