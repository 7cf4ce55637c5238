import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoDataset } from '../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../src/app/data/import-dataset.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { hashKey } from '../../src/app/credentials/create-credential.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR } from '../support/factories.ts';
import { exportText, freshStores } from '../support/datasets.ts';
import { ON_POSTGRES, type TestRuntime } from '../support/store.ts';
import { sql, type Kysely } from 'kysely';

const clock = new FixedClock('2026-11-23T04:00:00Z');
const fresh = freshStores(clock);

const exported = (rt: TestRuntime) => exportText(rt);

/** The SPEC §2 example, verbatim. */
const SPEC_EXAMPLE = {
  tenants: [{
    id: 'b3c4924122d34dc0846a755abc47b416', name: 'Demo Co', timezone: 'Asia/Shanghai', servicePhone: '400800400',
    credentials: [
      { kind: 'api', key: 'sk_test_merchant', role: 'merchant' },
      { kind: 'op', client: '70374ddd0f3641368d419b2d93127b8f', secret: 'op-secret' },
      { kind: 'crm', channel: 'hkl-test', desKey: 'k3y!k3y!' },
      { kind: 'zv', openId: '6dc05b4ac175cf316d226252b05cf685', grantCode: '782c281f62', secret: 'zv-secret', channel: 'naixue' },
      { kind: 'wechat', appId: 'wx581a7ad7ca810da6', appSecret: 'wx-secret' },
    ],
    productKinds: [{ id: '564ed52765cd45cbb779998ff5f5c55b', name: '打车' }],
    channels: [{ id: 'c1', name: '七煌' }],
    themes: [{ id: '4f0a30f3937847c0a2f42949e3d728ef', name: '测试而已' }],
    users: [{ id: 'u000128f91dc3f7374b5dbd49d62f0964e8cc', platformIds: ['oEv-It_aoh7mzEinzyPhnR0-uVc41'] }],
    operators: [{ id: 'op001', name: '小王' }],
    chats: [{ id: 'u00011234567890', userId: 'u000128f91dc3f7374b5dbd49d62f0964e8cc', operatorId: 'op001' }],
    templates: [{
      id: 't1', code: '044490851499', name: '满30减10', kind: 'cash', amount: 1000, discount: null, themeId: '4f0a30f3937847c0a2f42949e3d728ef', sort: 1000,
      rule: { validFrom: '2015-12-11', validTo: '2015-12-20', validDaysAfterClaim: null, minOrderAmount: 3000, maxDiscountAmount: 0, productKindIds: ['564ed52765cd45cbb779998ff5f5c55b'], channelIds: ['c1'], weekdays: [1, 2, 3, 4, 5, 6, 7], timeWindows: [{ from: '11:00', to: '14:00' }] },
      stock: 100, perUserLimit: 2,
      display: { picUrl: '/upload_img/x.jpg', color: 'Color010', brandName: '海底捞' },
    }],
    packages: [{
      id: '1bfb390cc3144de3b45c662047693f8e', code: '7480648244', name: '测试礼包', alias: 'get 优惠券 测试', aliasCodeType: 'shared', channelIds: ['c1'],
      status: 'published', createdBy: '1234', examinerId: null, suggestion: null,
      rule: { receiveFrom: '2015-12-11', receiveTo: '2015-12-12', totalLimit: 100, perUserLimit: 2 },
      items: [{ templateId: 't1', count: 12 }],
    }],
    coupons: [{
      id: 'u0001d2a233dfed824ea88f72ac535081565e', code: '747476851492', templateId: 't1', ownerType: 'user', ownerId: 'u000128f91dc3f7374b5dbd49d62f0964e8cc', senderId: null,
      chatId: 'u00011234567890', packageId: null, status: 'usable', validFrom: '2015-12-11', validTo: '2015-12-20', issuedAt: '2015-12-11T06:31:07.606Z',
    }],
  }],
};

describe('data set', () => {
  it('dataset › the SPEC §2 example imports; importing it twice changes nothing', async () => {
    const rt = await fresh();
    const s = await importDataset(rt.deps, SPEC_EXAMPLE, { actor: ACTOR });
    assert.deepEqual(s, { tenants: 1, credentials: 5, templates: 1, packages: 1, coupons: 1, redemptions: 0 });
    const first = await exported(rt);
    const again = await importDataset(rt.deps, SPEC_EXAMPLE, { actor: ACTOR });
    assert.deepEqual(again, { tenants: 0, credentials: 0, templates: 0, packages: 0, coupons: 0, redemptions: 0 });
    assert.equal(await exported(rt), first);
    const c = await rt.store.q.coupons.byCode('b3c4924122d34dc0846a755abc47b416', '747476851492');
    assert.equal(c?.validTo, Date.parse('2015-12-20T23:59:59.999+08:00'));
    const t = await rt.store.q.templates.get('b3c4924122d34dc0846a755abc47b416', 't1');
    assert.equal(t?.claimed, 1);
  });

  it('dataset › an import leaves the planner statistics of what it wrote (PostgreSQL: analyzed)', { skip: ON_POSTGRES ? false : 'PostgreSQL only: SQLite keeps none' }, async () => {
    const rt = await fresh();
    const db = (rt.store as unknown as { db: Kysely<unknown> }).db;
    // reltuples is -1 until a table is analyzed (or vacuumed); autovacuum may be off or not there yet.
    const reltuples = async () => Number((await sql<{ n: number }>`select reltuples as n from pg_class where oid = 'coupons'::regclass`.execute(db)).rows[0]?.n);
    assert.equal(await reltuples(), -1);
    await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
    assert.ok((await reltuples()) > 0, 'coupons analyzed');
  });

  it('dataset › export → import into an empty store round-trips, keys included', async () => {
    const a = await fresh();
    await importDataset(a.deps, demoDataset(clock.now()), { actor: ACTOR });
    await claimTemplate(a.deps, { tenantId: 'b3c4924122d34dc0846a755abc47b416', actor: ACTOR, templateId: 'demo-cash-30-10', userId: 'alice' });
    const text = await exported(a);
    const b = await fresh();
    await importDataset(b.deps, JSON.parse(text), { actor: ACTOR });
    assert.equal(await exported(b), text);
    // The merchant key works after the round trip (its hash travelled).
    assert.equal((await b.store.q.credentials.byKeyHash(hashKey('sk_test_merchant')))?.role, 'merchant');
    // Per-user limits survive: alice may claim once more (limit 2), then no more.
    await claimTemplate(b.deps, { tenantId: 'b3c4924122d34dc0846a755abc47b416', actor: ACTOR, templateId: 'demo-cash-30-10', userId: 'alice' });
    await assert.rejects(claimTemplate(b.deps, { tenantId: 'b3c4924122d34dc0846a755abc47b416', actor: ACTOR, templateId: 'demo-cash-30-10', userId: 'alice' }), (e: DomainError) => e.code === 'limit_reached');
  });

  it('dataset › coupons without an end (a template without validTo) export and import east of UTC', async () => {
    const a = await fresh();
    await importDataset(a.deps, SPEC_EXAMPLE, { actor: ACTOR });
    const tenantId = 'b3c4924122d34dc0846a755abc47b416';
    const { createTemplate } = await import('../../src/app/templates/create-template.ts');
    const open = await createTemplate(a.deps, { tenantId, actor: ACTOR, template: { name: 'no end', kind: 'cash', amount: 100 } });
    const c = await claimTemplate(a.deps, { tenantId, actor: ACTOR, templateId: open.id, userId: 'forever' });
    const text = await exported(a);
    const b = await fresh();
    await importDataset(b.deps, JSON.parse(text), { actor: ACTOR });
    assert.equal((await b.store.q.coupons.get(tenantId, c.id))?.validTo, c.validTo);
    assert.equal(await exported(b), text);
  });

  it('dataset › a bad file names the field and imports nothing', async () => {
    const rt = await fresh();
    const bad = structuredClone(SPEC_EXAMPLE) as any;
    bad.tenants[0].coupons.push({ ...bad.tenants[0].coupons[0], id: 'c2', code: 'X2', templateId: 'nope' });
    await assert.rejects(importDataset(rt.deps, bad, { actor: ACTOR }), (e: DomainError) => e.details.errors?.[0]?.field === 'tenants.0.coupons.1.templateId');
    assert.equal(await rt.store.q.tenants.get('b3c4924122d34dc0846a755abc47b416'), undefined);
    const worse = structuredClone(SPEC_EXAMPLE) as any;
    worse.tenants[0].templates[0].amount = -5;
    worse.tenants[0].templates[0].colour = 'red';
    await assert.rejects(importDataset(rt.deps, worse, { actor: ACTOR }), (e: DomainError) => {
      const fields = e.details.errors?.map((p) => p.field) ?? [];
      return fields.includes('tenants.0.templates.0.amount') && fields.includes('tenants.0.templates.0.colour');
    });
    const over = structuredClone(SPEC_EXAMPLE) as any;
    over.tenants[0].templates[0].stock = 0;
    await assert.rejects(importDataset(rt.deps, over, { actor: ACTOR }), (e: DomainError) => e.details.errors?.[0]?.field === 'tenants.0.templates.0.stock');
    assert.equal(await rt.store.q.tenants.get('b3c4924122d34dc0846a755abc47b416'), undefined);
  });
});
