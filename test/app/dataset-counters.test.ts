import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimPackage } from '../../src/app/claims/claim-package.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { importDataset } from '../../src/app/data/import-dataset.ts';
import { createTemplate } from '../../src/app/templates/create-template.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR } from '../support/factories.ts';
import { exportText, freshStores, livePackage, liveTemplate } from '../support/datasets.ts';
import type { TestRuntime } from '../support/store.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
const fresh = freshStores(clock);

const exported = (rt: TestRuntime) => exportText(rt);

const TENANT = 'tenant-counters';
const template = (over: Record<string, unknown> = {}) => liveTemplate({ stock: 5, perUserLimit: 2, ...over });
const pack = (over: Record<string, unknown> = {}) => livePackage({ totalLimit: 3, perUserLimit: 2 }, over);
const coupon = (id: string, ownerId: string, over: Record<string, unknown> = {}) => ({
  id, code: `code-${id}`, templateId: 'live', ownerType: 'user', ownerId, status: 'usable', validFrom: '2026-11-01', validTo: '2027-12-31', issuedAt: '2026-11-01T02:00:00.000Z', ...over,
});
const redemption = (id: string, couponId: string, over: Record<string, unknown> = {}) => ({
  id, couponId, orderId: `order-${id}`, orderAmount: 5000, discountAmount: 1000, status: 'active', createdAt: '2026-11-02T02:00:00.000Z', ...over,
});
const dataset = (over: Record<string, unknown> = {}) => ({ tenants: [{ id: TENANT, name: 'Counters Co', timezone: 'Asia/Shanghai', ...over }] });

const claim = (rt: TestRuntime, userId: string) => claimTemplate(rt.deps, { tenantId: TENANT, actor: ACTOR, templateId: 'live', userId });
const receive = (rt: TestRuntime, userId: string) => claimPackage(rt.deps, { tenantId: TENANT, actor: ACTOR, packageId: 'pack', userId });
const refusedWith = (code: string) => (e: DomainError) => e.code === code;
const fieldIs = (field: string) => (e: DomainError) => e.code === 'validation_failed' && e.details.errors?.[0]?.field === field;
const events = async (rt: TestRuntime) => (await rt.store.q.events.list(TENANT, {}, 0, 10_000)).length;

describe('data set counters', () => {
  it('import › coupons for a template that already exists count toward its stock and per-user limit', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template()] }), { actor: ACTOR });
    await importDataset(rt.deps, dataset({ templates: [template({ claimed: 0 })], coupons: [coupon('c1', 'bob'), coupon('c2', 'bob')] }), { actor: ACTOR });
    assert.equal((await rt.store.q.templates.get(TENANT, 'live'))?.claimed, 2);
    await assert.rejects(claim(rt, 'bob'), refusedWith('limit_reached'));
    await claim(rt, 'alice');
    await claim(rt, 'alice');
    await claim(rt, 'carol');
    assert.equal((await rt.store.q.templates.get(TENANT, 'live'))?.claimed, 5);
    await assert.rejects(claim(rt, 'carol'), refusedWith('out_of_stock'));
  });

  it('import › a template whose claimed is below its coupons in the file counts the coupons', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template({ claimed: 1 })], coupons: [coupon('c1', 'dave'), coupon('c2', 'dave'), coupon('c3', 'erin')] }), { actor: ACTOR });
    assert.equal((await rt.store.q.templates.get(TENANT, 'live'))?.claimed, 3);
    await assert.rejects(claim(rt, 'dave'), refusedWith('limit_reached'));
  });

  it('import › coupons beyond an existing template\'s stock refuse the import, naming the template, and change nothing', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template()], coupons: [coupon('c1', 'bob')] }), { actor: ACTOR });
    const before = await exported(rt);
    const beforeEvents = await events(rt);
    const more = ['c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) => coupon(id, `user${i}`));
    await assert.rejects(importDataset(rt.deps, dataset({ coupons: more }), { actor: ACTOR }), (e: DomainError) => fieldIs('tenants.0.coupons.0.templateId')(e) && e.message.includes('live'));
    await assert.rejects(importDataset(rt.deps, dataset({ templates: [template()], coupons: more }), { actor: ACTOR }), fieldIs('tenants.0.templates.0.stock'));
    assert.equal(await exported(rt), before);
    assert.equal(await events(rt), beforeEvents);
  });

  it('export → import › package receipts travel: a user at the package\'s per-user limit stays there', async () => {
    const a = await fresh();
    await importDataset(a.deps, dataset({ templates: [template({ stock: 100 })], packages: [pack()] }), { actor: ACTOR });
    await receive(a, 'erin');
    await receive(a, 'erin');
    await assert.rejects(receive(a, 'erin'), refusedWith('limit_reached'));
    const text = await exported(a);
    assert.equal(JSON.parse(text).tenants[0].receipts.length, 2);

    const b = await fresh();
    await importDataset(b.deps, JSON.parse(text), { actor: ACTOR });
    assert.equal(await exported(b), text);
    await assert.rejects(receive(b, 'erin'), refusedWith('limit_reached'));
    await receive(b, 'frank');
    // totalLimit 3: erin's two receipts and frank's one.
    await assert.rejects(receive(b, 'gina'), refusedWith('out_of_stock'));
  });

  it('import › without receipts in the file, per-user package counts are rebuilt from the package\'s coupons', async () => {
    const a = await fresh();
    await importDataset(a.deps, dataset({ templates: [template({ stock: 100 })], packages: [pack({ items: [{ templateId: 'live', count: 2 }] })] }), { actor: ACTOR });
    await receive(a, 'erin');
    await receive(a, 'erin');
    const doc = JSON.parse(await exported(a));
    delete doc.tenants[0].receipts;
    delete doc.tenants[0].packages[0].claimed;
    const b = await fresh();
    await importDataset(b.deps, doc, { actor: ACTOR });
    assert.equal((await b.store.q.packages.get(TENANT, 'pack'))?.claimed, 2);
    await assert.rejects(receive(b, 'erin'), refusedWith('limit_reached'));
  });

  it('import › package receipts beyond its total limit refuse the import, naming the package', async () => {
    const rt = await fresh();
    const coupons = ['h', 'i', 'j', 'k'].map((u) => coupon(`c-${u}`, u, { packageId: 'pack' }));
    await assert.rejects(importDataset(rt.deps, dataset({ templates: [template()], packages: [pack()], coupons }), { actor: ACTOR }), fieldIs('tenants.0.packages.0.rule.totalLimit'));
    assert.equal(await rt.store.q.tenants.get(TENANT), undefined);
  });

  it('import › importing a data set twice hands out no template numbers', async () => {
    const rt = await fresh();
    const doc = dataset({ templates: [template(), template({ id: 'numbered', number: 1 })] });
    await importDataset(rt.deps, doc, { actor: ACTOR });
    const live = await rt.store.q.templates.get(TENANT, 'live');
    const numbered = await rt.store.q.templates.get(TENANT, 'numbered');
    assert.equal(numbered?.number, 1);
    assert.notEqual(live?.number, 1);
    await importDataset(rt.deps, doc, { actor: ACTOR });
    assert.equal((await rt.store.q.templates.get(TENANT, 'live'))?.number, live?.number);
    const next = await createTemplate(rt.deps, { tenantId: TENANT, actor: ACTOR, template: { name: 'next', kind: 'cash', amount: 100 } });
    assert.equal(next.number, Math.max(live?.number ?? 0, 1) + 1);
  });

  it('import › a template number already taken by another template is refused naming the field', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template({ number: 7 })] }), { actor: ACTOR });
    await assert.rejects(importDataset(rt.deps, dataset({ templates: [template({ id: 'other', number: 7 })] }), { actor: ACTOR }), fieldIs('tenants.0.templates.0.number'));
  });

  it('import › bad redemptions are refused up front, naming the redemption and field; nothing is imported', async () => {
    const rt = await fresh();
    const base = { templates: [template()], coupons: [coupon('c1', 'bob', { status: 'used' })] };
    const cases: Array<[unknown[], string]> = [
      [[redemption('r1', 'c1'), redemption('r2', 'c1', { orderId: 'order-r1' })], 'tenants.0.redemptions.1.couponId'],
      [[redemption('r1', 'c1', { status: 'reversed', reversedAt: '2026-11-03T00:00:00Z' }), redemption('r1', 'c1')], 'tenants.0.redemptions.1.id'],
      [[redemption('r1', 'c1', { orderAmount: 500, discountAmount: 1000 })], 'tenants.0.redemptions.0.discountAmount'],
      [[redemption('r1', 'c1', { reversedAt: '2026-11-03T00:00:00Z' })], 'tenants.0.redemptions.0.reversedAt'],
    ];
    for (const [redemptions, field] of cases) {
      await assert.rejects(importDataset(rt.deps, dataset({ ...base, redemptions }), { actor: ACTOR }), fieldIs(field), field);
    }
    assert.equal(await rt.store.q.tenants.get(TENANT), undefined);
    // A reversed redemption and a live one for the same order is a real history (冲正, then redeemed again).
    const s = await importDataset(rt.deps, dataset({ ...base, redemptions: [redemption('r1', 'c1', { status: 'reversed', reversedAt: '2026-11-03T00:00:00Z' }), redemption('r2', 'c1', { orderId: 'order-r1' })] }), { actor: ACTOR });
    assert.equal(s.redemptions, 2);
  });

  it('import › a live redemption of a coupon the store has redeemed already is refused naming the field, changing nothing', async () => {
    const rt = await fresh();
    const base = { templates: [template()], coupons: [coupon('c1', 'bob', { status: 'used' })] };
    await importDataset(rt.deps, dataset({ ...base, redemptions: [redemption('r1', 'c1')] }), { actor: ACTOR });
    const before = await exported(rt);
    const beforeEvents = await events(rt);
    const doc = dataset({ ...base, coupons: [...base.coupons, coupon('c2', 'zoe')], redemptions: [redemption('r2', 'c1')] });
    await assert.rejects(importDataset(rt.deps, doc, { actor: ACTOR }), fieldIs('tenants.0.redemptions.0.couponId'));
    assert.equal(await exported(rt), before);
    assert.equal(await events(rt), beforeEvents);
  });
});
