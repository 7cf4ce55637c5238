/**
 * Data set import checks that name their field instead of failing on a constraint, a file that
 * carries what the store already holds, receipts exported a page at a time, and the lock order
 * of the counters rebuild beside a package claim.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { claimPackage } from '../../src/app/claims/claim-package.ts';
import { importDataset } from '../../src/app/data/import-dataset.ts';
import type { Deps } from '../../src/app/ports.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { Queries, Store } from '../../src/store/store.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR } from '../support/factories.ts';
import { exportChunks, exportText, freshStores, livePackage, liveTemplate } from '../support/datasets.ts';
import { DATABASE_URL, ON_POSTGRES } from '../support/store.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
const fresh = freshStores(clock);

const chunks = exportChunks;
const exported = exportText;

const TENANT = 'tenant-checks';
const template = (over: Record<string, unknown> = {}) => liveTemplate({ stock: 100, ...over });
const pack = (over: Record<string, unknown> = {}) => livePackage({ totalLimit: 100, perUserLimit: 5 }, over);
const dataset = (over: Record<string, unknown> = {}) => ({ tenants: [{ id: TENANT, name: 'Checks Co', timezone: 'Asia/Shanghai', ...over }] });
const fieldIs = (field: string) => (e: DomainError) => {
  assert.equal(e.code, 'validation_failed', e.message);
  assert.ok(e.details.errors?.some((p) => p.field === field), `${field} not named in ${JSON.stringify(e.details.errors)}`);
  return true;
};

describe('data set checks', () => {
  it('import › the same template number or code twice in one file is refused naming the entry, and nothing is written', async () => {
    const rt = await fresh();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ templates: [template({ id: 'a', number: 7 }), template({ id: 'b' }), template({ id: 'c', number: 7 })] }, 'tenants.0.templates.2.number'],
      [{ templates: [template({ id: 'a', code: '111' }), template({ id: 'b', code: '111' })] }, 'tenants.0.templates.1.code'],
      [{ templates: [template()], packages: [pack({ id: 'p1', code: '222' }), pack({ id: 'p2', code: '222' })] }, 'tenants.0.packages.1.code'],
    ];
    for (const [over, field] of cases) {
      await assert.rejects(importDataset(rt.deps, dataset(over), { actor: ACTOR }), fieldIs(field), field);
      assert.equal(await rt.store.q.tenants.get(TENANT), undefined, `${field}: nothing written`);
    }
  });

  it('import › a package code another stored package has is refused naming the field, changing nothing', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template()], packages: [pack({ code: '333' })] }), { actor: ACTOR });
    const before = await exported(rt);
    await assert.rejects(importDataset(rt.deps, dataset({ packages: [pack({ id: 'other', code: '333' })] }), { actor: ACTOR }), fieldIs('tenants.0.packages.0.code'));
    assert.equal(await exported(rt), before);
  });

  it('export → import › a template stored before the display limits imports again unchanged; a new one with that display is refused', async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template()] }), { actor: ACTOR });
    // As a template saved before the limits existed: a list longer than they allow.
    const old = await rt.store.q.templates.get(TENANT, 'live');
    assert.ok(old);
    await rt.store.q.templates.update({ ...old, display: { tags: Array.from({ length: 60 }, (_, i) => `t${i}`) } });
    const text = await exported(rt);
    const s = await importDataset(rt.deps, JSON.parse(text), { actor: ACTOR });
    assert.deepEqual(s, { tenants: 0, credentials: 0, templates: 0, packages: 0, coupons: 0, redemptions: 0 });
    assert.equal(await exported(rt), text);

    const empty = await fresh();
    await assert.rejects(importDataset(empty.deps, JSON.parse(text), { actor: ACTOR }), fieldIs('tenants.0.templates.0.display.tags'));
    assert.equal(await empty.store.q.tenants.get(TENANT), undefined);
  });

  it('export › receipts are written a page at a time, and a many-page export round-trips', async () => {
    const a = await fresh();
    await importDataset(a.deps, dataset({ templates: [template()], packages: [pack()] }), { actor: ACTOR });
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5']) await claimPackage(a.deps, { tenantId: TENANT, actor: ACTOR, packageId: 'pack', userId: user });
    const receiptIds = (JSON.parse(await exported(a)).tenants[0].receipts as Array<{ id: string }>).map((r) => r.id);
    assert.equal(receiptIds.length, 5);

    const paged = await chunks(a, 2);
    for (const chunk of paged) {
      const inChunk = receiptIds.filter((id) => chunk.includes(`"id":"${id}"`)).length;
      assert.ok(inChunk <= 2, `a chunk carries ${inChunk} receipts with a page size of 2`);
    }
    const text = paged.join('');
    assert.equal(text, await exported(a), 'the page size does not change the document');
    const b = await fresh();
    await importDataset(b.deps, JSON.parse(text), { actor: ACTOR });
    assert.equal(await exported(b, 2), text);
    assert.equal((await b.store.q.packages.get(TENANT, 'pack'))?.claimed, 5);
  });

  it('export › redemptions are written a page at a time, and a many-page export round-trips', async () => {
    const a = await fresh();
    const n = [1, 2, 3, 4, 5];
    const coupons = n.map((i) => ({ id: `c${i}`, code: `10000000000${i}`, templateId: 'live', ownerType: 'user', ownerId: `u${i}`, senderId: null, chatId: null, packageId: null, status: 'used', validFrom: '2026-01-01', validTo: '2027-12-31', issuedAt: '2026-11-01T00:00:00.000Z' }));
    const redemptions = n.map((i) => ({ id: `r${i}`, couponId: `c${i}`, orderId: `o${i}`, orderAmount: 5000, discountAmount: 1000, status: 'active', createdAt: '2026-11-02T00:00:00.000Z', reversedAt: null }));
    await importDataset(a.deps, dataset({ templates: [template()], coupons, redemptions }), { actor: ACTOR });
    const text = await exported(a);
    assert.deepEqual((JSON.parse(text).tenants[0].redemptions as Array<{ id: string }>).map((r) => r.id), ['r1', 'r2', 'r3', 'r4', 'r5']);
    const paged = await chunks(a, 2);
    for (const chunk of paged) {
      const inChunk = n.filter((i) => chunk.includes(`"id":"r${i}"`)).length;
      assert.ok(inChunk <= 2, `a chunk carries ${inChunk} redemptions with a page size of 2`);
    }
    assert.equal(paged.join(''), text, 'the page size does not change the document');
    const b = await fresh();
    await importDataset(b.deps, JSON.parse(text), { actor: ACTOR });
    assert.equal(await exported(b, 2), text);
  });

  it('import › rebuilding counters beside a package claim takes locks in the claim\'s order (no PostgreSQL deadlock)', { skip: !ON_POSTGRES && 'PostgreSQL only: SQLite runs one write transaction at a time' }, async () => {
    const rt = await fresh();
    await importDataset(rt.deps, dataset({ templates: [template()], packages: [pack()] }), { actor: ACTOR });
    const attempts = { claim: 0, import: 0 };
    const paused = Promise.withResolvers<void>();
    const gate = Promise.withResolvers<void>();
    // The claim stops after it holds the package's row (its per-user count and total), before it
    // takes the template's stock: where an import taking the template first would cross it.
    const claimDeps = withStore(rt.deps, (fn) => rt.store.transaction((q) => (attempts.claim++, fn(pausingAfterTakeReceipt(q, paused.resolve, gate.promise)))));
    const importDeps = withStore(rt.deps, (fn) => rt.store.transaction((q) => (attempts.import++, fn(q))));
    const claim = claimPackage(claimDeps, { tenantId: TENANT, actor: ACTOR, packageId: 'pack', userId: 'zed' });
    await paused.promise;
    const doc = dataset({
      coupons: [{ id: 'c-yan', code: 'code-yan', templateId: 'live', ownerType: 'user', ownerId: 'yan', packageId: 'pack', status: 'usable', validFrom: '2026-11-01', validTo: '2027-12-31', issuedAt: '2026-11-01T02:00:00.000Z' }],
    });
    const imported = importDataset(importDeps, doc, { actor: ACTOR });
    await waitForLockWait();
    gate.resolve();
    await Promise.all([claim, imported]);
    assert.deepEqual(attempts, { claim: 1, import: 1 }, 'neither transaction was chosen as a deadlock victim and run again');
    // The template row is locked, then recounted: zed's claim and yan's imported coupon.
    assert.equal((await rt.store.q.templates.get(TENANT, 'live'))?.claimed, 2);
    // The package row is locked, then recounted: zed's receipt and the one yan's coupon implies.
    assert.equal((await rt.store.q.packages.get(TENANT, 'pack'))?.claimed, 2);
  });
});

type Tx = <T>(fn: (q: Queries) => Promise<T>) => Promise<T>;

/** The same deps with a store whose transactions go through `tx`. */
function withStore(deps: Deps, tx: Tx): Deps {
  const store = new Proxy(deps.store, {
    get(target, prop) {
      if (prop === 'transaction') return tx;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  return { ...deps, store };
}

/** Queries whose first takeReceipt, once done, reports and waits for the gate. */
function pausingAfterTakeReceipt(q: Queries, reached: () => void, gate: Promise<void>): Queries {
  const packages = new Proxy(q.packages, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (prop !== 'takeReceipt' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        const ok = await v.apply(target, args);
        reached();
        await gate;
        return ok;
      };
    },
  });
  return new Proxy(q, { get: (target, prop) => (prop === 'packages' ? packages : Reflect.get(target, prop, target)) });
}

/** Until some statement on package counters waits for a row lock (the import, behind the claim). */
async function waitForLockWait(): Promise<void> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const r = await c.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%package%'`);
      if (r.rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the import never waited for the claim');
  } finally {
    await c.end();
  }
}
