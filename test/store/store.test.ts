/** One store suite, run on SQLite by default and on PostgreSQL when COUPONHUB_DATABASE_URL says so. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { cryptoIds } from '../../src/app/ports.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Coupon } from '../../src/domain/coupon.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt.done());

function coupon(tenantId: string, templateId: string, code: string): Coupon {
  return { tenantId, id: cryptoIds.id(), code, templateId, ownerType: 'user', ownerId: 'u1', senderId: null, chatId: null, packageId: null, status: 'usable', validFrom: 0, validTo: 9e12, issuedAt: 1, updatedAt: 1 };
}

describe(`store (${process.env.COUPONHUB_DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('store › text with a NUL character: refused as input on PostgreSQL (which cannot store it), nothing written, the claim beside it unaffected', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10, perUserLimit: null });
    const [bad, good] = (await Promise.allSettled(['nul\u0000user', 'plain-user'].map((userId) => claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId })))) as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
    assert.equal(good.status, 'fulfilled');
    if (ON_POSTGRES) {
      assert.equal(bad.status, 'rejected');
      const e = (bad as PromiseRejectedResult).reason as DomainError;
      assert.ok(e instanceof DomainError, String(e));
      assert.equal(e.code, 'validation_failed');
      assert.match(e.message, /NUL character/);
      assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 1);
    } else {
      // SQLite stores it as given.
      assert.equal(bad.status, 'fulfilled');
    }
  });

  it('store › migrating again changes nothing', async () => {
    assert.deepEqual(await rt.store.migrate(), []);
  });

  it('store › takes stock only while it lasts (conditional write)', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 3 });
    const results = await Promise.all(Array.from({ length: 5 }, () => rt.store.transaction((q) => q.templates.takeStock(t.id, tpl.id, 1))));
    assert.equal(results.filter(Boolean).length, 3);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 3);
    assert.equal(await rt.store.transaction((q) => q.templates.takeStock(t.id, tpl.id, 0)), true);
  });

  it('store › per-user counters stop at the limit, also for k > 1', async () => {
    const t = await aTenant(rt.deps);
    const q = rt.store.q.templates;
    assert.equal(await q.bumpUserCount('template_claims', t.id, 's', 'u', 2), true);
    assert.equal(await q.bumpUserCount('template_claims', t.id, 's', 'u', 2), true);
    assert.equal(await q.bumpUserCount('template_claims', t.id, 's', 'u', 2), false);
    assert.equal(await q.userCount('template_claims', t.id, 's', 'u'), 2);
    assert.equal(await q.bumpUserCount('template_claims', t.id, 's', 'v', 2, 3), false);
    assert.equal(await q.userCount('template_claims', t.id, 's', 'v'), 0);
  });

  it('store › a failed transaction leaves nothing behind', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10 });
    await assert.rejects(
      rt.store.transaction(async (q) => {
        await q.templates.takeStock(t.id, tpl.id, 4);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 0);
  });

  it('store › drawn codes are 12 digits, never repeat, and find their coupons', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const codes = await rt.store.transaction(async (q) => [...(await q.coupons.drawCodes(50)), ...(await q.coupons.drawCodes(50))]);
    assert.ok(codes.every((c) => /^\d{12}$/.test(c)), codes.join(' '));
    assert.equal(new Set(codes).size, 100);
    const coupons = codes.slice(0, 3).map((code) => coupon(t.id, tpl.id, code));
    await rt.store.q.coupons.insertNew(coupons);
    for (const c of coupons) assert.equal((await rt.store.q.coupons.byCode(t.id, c.code))?.id, c.id);
    assert.equal((await rt.store.q.coupons.byCodeWithTemplateVersion(t.id, coupons[1]?.code as string))?.coupon.id, coupons[1]?.id);
    assert.equal(await rt.store.q.coupons.count(t.id, { code: coupons[2]?.code }, 0), 1);
    assert.equal(await rt.store.q.coupons.byCode(t.id, codes[99] as string), undefined, 'a drawn code not given to a coupon finds nothing');
  });

  it('store › coupon codes are unique per tenant, whatever their form; a drawn code that clashes with an imported one is drawn again', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    // A code drawn, then imported with another coupon before the coupon it was drawn for is written.
    const next = await rt.store.transaction(async (q) => (await q.coupons.drawCodes(1))[0] as string);
    await rt.store.q.coupons.insertKept([coupon(t.id, tpl.id, next), coupon(t.id, tpl.id, 'ABC-7')]);
    await assert.rejects(rt.store.q.coupons.insertKept([coupon(t.id, tpl.id, next)]), (e) => rt.store.q.coupons.isUniqueViolation(e), 'a 12-digit code twice');
    await assert.rejects(rt.store.q.coupons.insertKept([coupon(t.id, tpl.id, 'ABC-7')]), (e) => rt.store.q.coupons.isUniqueViolation(e), 'a code of another form twice');
    const fresh = coupon(t.id, tpl.id, next);
    await rt.store.q.coupons.insertNew([fresh]);
    assert.notEqual(fresh.code, next, 'the clashing coupon got a newly drawn code');
    assert.equal((await rt.store.q.coupons.byCode(t.id, fresh.code))?.id, fresh.id);
    // The same codes in another tenant are fine.
    const other = await aTenant(rt.deps);
    const tpl2 = await aTemplate(rt.deps, other.id);
    assert.equal(await rt.store.q.coupons.insertKept([coupon(other.id, tpl2.id, next), coupon(other.id, tpl2.id, 'ABC-7')]), 2);
  });

  it('store › imported coupons keep codes of any length', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const n = await rt.store.q.coupons.insertKept([coupon(t.id, tpl.id, '7270000006699'), coupon(t.id, tpl.id, 'ABC-1')]);
    assert.equal(n, 2);
    assert.ok(await rt.store.q.coupons.byCode(t.id, 'ABC-1'));
  });

  it('store › usable → used happens once', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const c = coupon(t.id, tpl.id, '444444444444');
    await rt.store.q.coupons.insertNew([c]);
    const wins = await Promise.all(Array.from({ length: 8 }, () => rt.store.transaction((q) => q.coupons.markUsed(t.id, c.id, 1000))));
    assert.equal(wins.filter(Boolean).length, 1);
  });

  it('store › the expired filter follows the clock, not only the stored status', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const live = { ...coupon(t.id, tpl.id, '555555555551'), validTo: 5000 };
    await rt.store.q.coupons.insertNew([live]);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id, status: 'usable' }, 4999), 1);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id, status: 'usable' }, 5001), 0);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id, status: 'expired' }, 5001), 1);
  });

  it('store › a nonce is accepted once until it expires', async () => {
    const q = rt.store.q.nonces;
    assert.equal(await q.use('op:c', 'n1', 2000, 1000), true);
    assert.equal(await q.use('op:c', 'n1', 2500, 1500), false);
    assert.equal(await q.use('op:other', 'n1', 2500, 1500), true);
    assert.equal(await q.use('op:c', 'n1', 4000, 3000), true);
  });

  it('store › an idempotency key is reserved once and completed with its response', async () => {
    const q = rt.store.q.idempotency;
    assert.equal(await q.reserve('s', 'k', 'fp', 1), true);
    assert.equal(await q.reserve('s', 'k', 'fp', 2), false);
    await q.complete('s', 'k', 1, 201, '{"id":"x"}');
    assert.deepEqual(await q.get('s', 'k'), { fingerprint: 'fp', statusCode: 201, response: '{"id":"x"}', createdAt: 1 });
  });

  it('store › settling an idempotency key touches its own reservation only, never a later one', async () => {
    const q = rt.store.q.idempotency;
    assert.equal(await q.reserve('s', 'late', 'fp', 10), true);
    await q.release('s', 'late', 10);
    // The key is free: a repeat of the request reserves it again and runs.
    assert.equal(await q.reserve('s', 'late', 'fp', 20), true);
    // A retry of the first settle (its first try had committed, but its answer was lost) comes late.
    await q.release('s', 'late', 10);
    await q.complete('s', 'late', 10, 500, 'stale');
    assert.deepEqual(await q.get('s', 'late'), { fingerprint: 'fp', statusCode: null, response: null, createdAt: 20 }, 'the later reservation still stands');
    await q.complete('s', 'late', 20, 201, '{"id":"y"}');
    await q.complete('s', 'late', 20, 201, '{"id":"overwritten"}');
    assert.deepEqual(await q.get('s', 'late'), { fingerprint: 'fp', statusCode: 201, response: '{"id":"y"}', createdAt: 20 }, 'a stored response is never replaced');
  });

  it('store › events are appended in order', async () => {
    const t = await aTenant(rt.deps);
    await rt.store.q.events.append([
      { tenantId: t.id, at: 1, actor: ACTOR, action: 'a.one', subjectType: 'x', subjectId: 'x1', data: { n: 1 } },
      { tenantId: t.id, at: 2, actor: ACTOR, action: 'a.two', subjectType: 'x', subjectId: 'x1', data: { n: 2 } },
    ]);
    const events = await rt.store.q.events.list(t.id, { subjectType: 'x', subjectId: 'x1' }, 0, 10);
    assert.deepEqual(events.map((e) => e.action), ['a.one', 'a.two']);
    assert.ok((events[1]?.seq ?? 0) > (events[0]?.seq ?? 0));
  });

  it('store › statistics bucket by local day with integer arithmetic', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id);
    const day = Date.parse('2026-11-23T00:00:00+08:00');
    const c1 = { ...coupon(t.id, tpl.id, '666666666661'), issuedAt: day + 1 };
    const c2 = { ...coupon(t.id, tpl.id, '666666666662'), issuedAt: day - 1 };
    await rt.store.q.coupons.insertNew([c1, c2]);
    const rows = await rt.store.q.stats.claimsPerDay(t.id, 0, 8 * 3600_000);
    const byDay = new Map(rows.map((r) => [r.day, r.n]));
    const d = Math.floor((day + 8 * 3600_000) / 86_400_000);
    assert.equal(byDay.get(d), 1);
    assert.equal(byDay.get(d - 1), 1);
  });
});


describe('store › misuse', () => {
  it('store › using store.q or a nested transaction inside a transaction fails at once instead of hanging (SQLite)', async (t) => {
    if (rt.store.kind !== 'sqlite') return t.skip('only SQLite has a single connection');
    await assert.rejects(rt.store.transaction(async () => rt.store.q.tenants.get('x')), /inside a transaction/);
    await assert.rejects(rt.store.transaction(async () => rt.store.transaction(async () => 1)), /inside a transaction/);
    assert.equal(await rt.store.q.tenants.get('x'), undefined);
  });
});

describe('store › transactions side by side', () => {
  it('store › transactions started together each commit or roll back on their own', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 100 });
    const take = (k: number, fail: boolean) =>
      rt.store.transaction(async (q) => {
        await q.templates.takeStock(t.id, tpl.id, k);
        if (fail) throw new Error(`fail ${k}`);
        return k;
      });
    // A single statement that fails (a chat with an unknown user breaks a foreign key) undoes only itself.
    const badChat = rt.store.transaction((q) => q.catalog.insertChat(t.id, { id: 'c', userId: 'nobody', operatorId: 'nobody' }, 1), { singleStatement: true });
    const results = await Promise.allSettled([take(1, false), take(10, true), badChat, take(5, false), take(20, true)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected']);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 6);
    assert.equal(await rt.store.q.catalog.getChat(t.id, 'c'), undefined);
  });
});

describe('store › a batch the database gives up on', () => {
  it('store › when SQLite ends the whole transaction (disk full), every transaction of the batch is refused and nothing commits', async (t) => {
    if (rt.store.kind !== 'sqlite') return t.skip('SQLite only: PostgreSQL runs each transaction on its own');
    const { sql } = await import('kysely');
    const db = (rt.store as unknown as { db: import('kysely').Kysely<unknown> }).db;
    const tenant = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, tenant.id, { stock: null, perUserLimit: null });
    await rt.store.q.idempotency.reserve('disk', 'full', 'fp', 7);
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]?.page_count ?? 0;
    await sql.raw(`pragma max_page_count = ${pages + 40}`).execute(db);
    try {
      const claim = rt.store.transaction((q) => q.templates.takeStock(tenant.id, tpl.id, 1));
      const huge = rt.store.transaction((q) => q.idempotency.complete('disk', 'full', 7, 201, 'x'.repeat(2_000_000)), { singleStatement: true });
      const after = rt.store.transaction((q) => q.templates.takeStock(tenant.id, tpl.id, 1));
      const results = await Promise.allSettled([claim, huge, after]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    } finally {
      await sql.raw('pragma max_page_count = 4294967294').execute(db);
    }
    assert.equal((await rt.store.q.templates.get(tenant.id, tpl.id))?.claimed, 0, 'nothing of the batch committed');
    // The store works on afterwards.
    assert.equal(await rt.store.transaction((q) => q.templates.takeStock(tenant.id, tpl.id, 1)), true);
  });
});
