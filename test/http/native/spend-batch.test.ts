/**
 * Redemptions spent as read that arrive together are written together
 * (src/app/redemptions/spend-batcher.ts): on PostgreSQL as one statement, on SQLite as one thread
 * transaction that decides each spend in order. Each request is still answered on its own, a
 * coupon is never spent twice, and a taken Idempotency-Key only fails the request that reused it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimTemplate } from '../../../src/app/claims/claim-template.ts';
import { redeemCouponUnderKey } from '../../../src/app/redemptions/redeem-coupon.ts';
import { SLOW_BATCH_MS, SPEND_BATCHES_IN_FLIGHT } from '../../../src/app/redemptions/spend-batcher.ts';
import { validateOrder } from '../../../src/app/redemptions/validate-order.ts';
import { ACTOR, aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';
import type { ThreadTransaction } from '../../../src/store/store.ts';
import { ON_POSTGRES } from '../../support/store.ts';

/** The spends of every many-spend statement (PostgreSQL) or thread transaction (SQLite). */
let statements: number[] = [];
/** Set to make the next many-spend statement or thread transaction fail with it. */
let failNext: Error | null = null;
/** While set, every spend statement or thread transaction (one-spend ones too) waits for it. */
let gate: Promise<void> | null = null;
/** Coupon reads by code answered (a spend is submitted in the turn its read is answered). */
let reads = 0;
// Counts them (patched as the server is made).
const s = serverPerFile({
  seed: async (rt) => {
    const coupons = rt.store.q.coupons;
    const byCode = coupons.byCodeWithTemplateVersion.bind(coupons);
    const byCodes = coupons.byCodesWithTemplateVersion.bind(coupons);
    coupons.byCodeWithTemplateVersion = (t, code) => byCode(t, code).finally(() => reads++);
    coupons.byCodesWithTemplateVersion = (t, codes) => byCodes(t, codes).finally(() => (reads += codes.length));
    if (!ON_POSTGRES) {
      const onThread = rt.store.threadTransaction.bind(rt.store);
      rt.store.threadTransaction = async <I, O>(fn: ThreadTransaction<I, O>, input: I): Promise<O> => {
        if (fn.name !== 'spendEachJob') return onThread(fn, input);
        statements.push((input as unknown[]).length);
        const fail = failNext;
        failNext = null;
        await gate;
        return fail ? Promise.reject(fail) : onThread(fn, input);
      };
      return;
    }
    const redemptions = rt.store.q.redemptions;
    const many = redemptions.spendMany.bind(redemptions);
    redemptions.spendMany = async (tenantId, spends) => {
      statements.push(spends.length);
      const fail = failNext;
      failNext = null;
      await gate;
      return fail ? Promise.reject(fail) : many(tenantId, spends);
    };
    // A batch of one spend is the one-spend statement: held too (not counted by the others).
    const one = redemptions.spend.bind(redemptions);
    redemptions.spend = async (spend) => {
      if (gate) statements.push(1);
      await gate;
      return one(spend);
    };
  },
});

async function setUp(n: number) {
  const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
  const tpl = await aTemplate(s.rt.deps, tenant.id, { stock: null, perUserLimit: null });
  const codes: string[] = [];
  for (let i = 0; i < n; i++) codes.push((await claimTemplate(s.rt.deps, { tenantId: tenant.id, actor: ACTOR, templateId: tpl.id, userId: `u${i}` })).code);
  const redeem = (code: string, key: string, orderId: string) => call(s.app, 'POST', '/v1/redemptions', keys.cashier, { code, order: { id: orderId, amount: 5000 } }, { 'idempotency-key': key });
  const usedOf = async (code: string) => (await s.rt.store.q.coupons.byCode(tenant.id, code))?.status;
  // The use case called directly: requests started in one turn stay in one turn (over HTTP each
  // passes Fastify's hooks on its own schedule, and only some would meet).
  const redeemNow = (code: string, key: string, orderId: string) =>
    redeemCouponUnderKey(s.rt.deps, { tenantId: tenant.id, actor: ACTOR, code, order: { id: orderId, amount: 5000, productKindIds: [], channelId: null } }, { scope: `test:${tenant.id}`, key, fingerprint: `${code}|${orderId}` }, (r) => ({ statusCode: 201, body: JSON.stringify({ id: r.redemption.id }) }));
  // The template and tenant caches warmed (as on a busy server): after the shared coupon read,
  // every request then reaches its spend in the same turn.
  await validateOrder(s.rt.deps, { tenantId: tenant.id, code: codes[0] as string, order: { id: 'warm-up', amount: 5000, productKindIds: [], channelId: null } });
  return { tenant, codes, redeem, redeemNow, usedOf };
}

type RedeemNow = Awaited<ReturnType<typeof setUp>>['redeemNow'];

/**
 * Redeems each code in turn, each started only once the one before has been submitted to the
 * batcher (its read answered, then a few turns): one spend per turn, in order. Each redemption
 * goes into `outcomes` as it starts, so a caller can wait for them all whatever fails here.
 */
async function oneAtATime(codes: string[], keyPrefix: string, redeemNow: RedeemNow, outcomes: Array<ReturnType<RedeemNow>>): Promise<void> {
  reads = 0;
  for (const [i, code] of codes.entries()) {
    outcomes.push(redeemNow(code, `${keyPrefix}-${code}`, `o${i}`));
    const deadline = Date.now() + 5000;
    while (reads < i + 1) {
      assert.ok(Date.now() < deadline, `the read of spend ${i + 1} answered within 5 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    for (let t = 0; t < 5; t++) await new Promise((r) => setImmediate(r));
  }
}

describe('spend batch', () => {
  it('spend batch › redemptions arriving together are one statement (SQLite: one transaction), each answered, and their keys replay', async () => {
    const { codes, redeemNow, redeem } = await setUp(5);
    statements = [];
    const outcomes = await Promise.all(codes.map((c, i) => redeemNow(c, `k-${c}`, `o${i}`)));
    assert.deepEqual(statements, [5], 'one statement for the five');
    assert.deepEqual(outcomes.map((o) => (o.kind === 'done' ? o.value.redemption.code : o.kind)), codes);
    const ids = outcomes.map((o) => (o.kind === 'done' ? o.value.redemption.id : ''));
    assert.equal(new Set(ids).size, 5);
    // Each key holds its own answer: a repeat over HTTP is the first redemption again.
    const again = await redeem(codes[2] as string, `k-${codes[2]}`, 'o2');
    assert.deepEqual([again.status, again.body.id], [201, ids[2]]);
  });

  it('spend batch › spends arriving while the tenant\'s batches are all out wait, and go together when one is answered', async () => {
    const limit = SPEND_BATCHES_IN_FLIGHT[ON_POSTGRES ? 'postgres' : 'sqlite'];
    const { codes, redeemNow, usedOf } = await setUp(limit + 3);
    let open = () => {};
    gate = new Promise((r) => (open = r));
    statements = [];
    const outcomes: Array<ReturnType<typeof redeemNow>> = [];
    try {
      // The first `limit` each go at once, as a batch of one, and are held.
      await oneAtATime(codes, 'wait', redeemNow, outcomes);
      assert.deepEqual(statements, Array(limit).fill(1), `${limit} batch(es) out, the other three spends waiting`);
    } finally {
      gate = null;
      open();
      // Whatever happened above, nothing of this test is still running when the next one starts.
      await Promise.allSettled(outcomes);
    }
    const done = await Promise.all(outcomes);
    assert.deepEqual(done.map((o) => o.kind), codes.map(() => 'done'));
    // The three that waited went in one batch, the moment a slot was free.
    assert.deepEqual(statements, [...Array(limit).fill(1), 3]);
    for (const code of codes) assert.equal(await usedOf(code), 'used', code);
  });

  it('spend batch › a batch that hangs gives its slot up after a while: the spends behind it go', { timeout: 20_000 }, async () => {
    const limit = SPEND_BATCHES_IN_FLIGHT[ON_POSTGRES ? 'postgres' : 'sqlite'];
    const { codes, redeemNow, usedOf } = await setUp(limit + 1);
    let open = () => {};
    const held = new Promise<void>((r) => (open = r));
    gate = held;
    statements = [];
    const outcomes: Array<ReturnType<typeof redeemNow>> = [];
    try {
      await oneAtATime(codes, 'slow', redeemNow, outcomes);
      assert.deepEqual(statements, Array(limit).fill(1), 'the last spend waits for a slot');
      // The held batches stay held; the last spend goes once they have been out too long.
      gate = null;
      const last = outcomes.at(-1) as ReturnType<typeof redeemNow>;
      const t0 = Date.now();
      assert.equal((await last).kind, 'done');
      assert.ok(Date.now() - t0 >= SLOW_BATCH_MS - 500, 'not before the slow batches gave their slots up');
      assert.equal(await usedOf(codes.at(-1) as string), 'used');
    } finally {
      gate = null;
      open();
      await Promise.allSettled(outcomes);
    }
    assert.deepEqual((await Promise.all(outcomes)).map((o) => o.kind), codes.map(() => 'done'));
  });

  it('spend batch › one coupon twice in one turn: one redemption, the other refused', async () => {
    const { codes, redeem } = await setUp(1);
    const code = codes[0] as string;
    const answers = await Promise.all([redeem(code, 'twice-1', 'order-a'), redeem(code, 'twice-2', 'order-b')]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
    assert.equal(answers.find((a) => a.status === 409)?.body.code, 'coupon_not_usable');
  });

  it('spend batch › a key taken inside the turn fails only the reuse; the others are spent', async () => {
    const { codes, redeemNow, usedOf } = await setUp(3);
    const [c1, c2, c3] = codes as [string, string, string];
    statements = [];
    const outcomes = await Promise.all([redeemNow(c1, 'shared-key', 'o1'), redeemNow(c2, 'shared-key', 'o2'), redeemNow(c3, 'own-key', 'o3')]);
    assert.deepEqual(outcomes.map((o) => o.kind), ['done', 'taken', 'done']);
    assert.deepEqual([await usedOf(c1), await usedOf(c2), await usedOf(c3)], ['used', 'usable', 'used']);
    // PostgreSQL: the statement fails on the key and writes nothing, then one spend at a time.
    // SQLite: the transaction finds the key taken by the spend before it and spends the others.
    assert.deepEqual(statements, [3], ON_POSTGRES ? 'the failed statement, then one spend at a time' : 'one transaction');
  });

  it('spend batch › SQLite: a key already stored, a coupon spent by an earlier spend of the turn, and a fresh spend are each answered as if alone', { skip: ON_POSTGRES && 'SQLite: spendEach' }, async () => {
    const { codes, redeemNow, usedOf } = await setUp(3);
    const [c1, c2, c3] = codes as [string, string, string];
    assert.equal((await redeemNow(c1, 'stored-key', 'o1')).kind, 'done');
    statements = [];
    const outcomes = await Promise.all([redeemNow(c2, 'stored-key', 'o2'), redeemNow(c3, 'k3', 'o3'), redeemNow(c3, 'k3-again', 'o3-again')]);
    // The third finds the coupon moved by the second: it goes the transactional way and is refused there.
    assert.deepEqual(outcomes.map((o) => o.kind), ['taken', 'done', 'refused']);
    assert.deepEqual(statements, [3]);
    assert.deepEqual([await usedOf(c2), await usedOf(c3)], ['usable', 'used']);
  });

  it('spend batch › SQLite: a transaction that fails unexpectedly sends each spend on its own', { skip: ON_POSTGRES && 'SQLite: spendEach' }, async () => {
    const { codes, redeemNow, usedOf } = await setUp(3);
    statements = [];
    failNext = new Error('injected: the batch failed');
    const outcomes = await Promise.all(codes.map((c, i) => redeemNow(c, `alone-${c}`, `o${i}`)));
    assert.deepEqual(outcomes.map((o) => o.kind), ['done', 'done', 'done']);
    assert.deepEqual(statements, [3], 'the failed transaction, then one spend at a time');
    assert.deepEqual(await Promise.all(codes.map((c) => usedOf(c))), ['used', 'used', 'used']);
  });

  it('spend batch › a spend the statement cannot carry does not sink the others: each goes on its own', { skip: !ON_POSTGRES && 'PostgreSQL: its json refuses what one row can carry' }, async () => {
    const { codes, redeemNow, usedOf } = await setUp(4);
    statements = [];
    // A lone surrogate in an order id: fine for one spend, refused by PostgreSQL's json in the batch.
    const outcomes = await Promise.all(codes.map((c, i) => redeemNow(c, `poison-${c}`, i === 3 ? 'o-\ud800' : `o${i}`)));
    assert.deepEqual(outcomes.map((o) => o.kind), ['done', 'done', 'done', 'done']);
    assert.deepEqual(await Promise.all(codes.map((c) => usedOf(c))), ['used', 'used', 'used', 'used']);
    assert.deepEqual(statements, [4], 'the failed statement, then one spend at a time');
  });

  it('spend batch › a database that fails the statement fails its spends once, not once per spend; nothing is written and they can be retried', { skip: !ON_POSTGRES && 'PostgreSQL: a connection lost' }, async () => {
    const { codes, redeemNow, usedOf } = await setUp(3);
    statements = [];
    failNext = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const settled = await Promise.allSettled(codes.map((c, i) => redeemNow(c, `down-${c}`, `o${i}`)));
    assert.deepEqual(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'answered')), Array(3).fill('Connection terminated unexpectedly'));
    assert.deepEqual(statements, [3], 'no spend went on its own');
    assert.deepEqual(await Promise.all(codes.map((c) => usedOf(c))), ['usable', 'usable', 'usable']);
    const again = await Promise.all(codes.map((c, i) => redeemNow(c, `down-${c}`, `o${i}`)));
    assert.deepEqual(again.map((o) => o.kind), ['done', 'done', 'done']);
  });
});
