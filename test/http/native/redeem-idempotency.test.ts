/**
 * POST /v1/redemptions with an Idempotency-Key takes the key inside the redemption's own
 * transaction: the redemption and the stored answer commit together or not at all. Faults are
 * injected into the store's queries (a failing statement, a failure right after the key is
 * written) to show that nothing half-done survives. Runs on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../src/app/ports.ts';
import { claimTemplate } from '../../../src/app/claims/claim-template.ts';
import { moveCoupon } from '../../../src/app/coupons/move-coupon.ts';
import type { Queries } from '../../../src/store/store.ts';
import { ACTOR, aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, testServer } from '../../support/http.ts';
import { storeWith, testRuntime, type TestRuntime } from '../../support/store.ts';

/**
 * A query method to break: `before` throws instead of running it, `after` runs it, then throws;
 * `stale` answers 'stale' without running it (for redemptions.spend: the coupon moved since it was
 * read, so the redemption goes the transactional way; for spendEach, 'stale' for each spend).
 */
type Fault = { group: 'events' | 'idempotency' | 'redemptions'; method: string; when: 'before' | 'after' | 'stale' };

/**
 * The spend as read fails as `when` says, whichever way it is written: alone (spend) or with the
 * spends of its turn (spendEach, SQLite).
 */
const spendFaults = (when: 'before' | 'stale'): Fault[] => [
  { group: 'redemptions', method: 'spend', when },
  { group: 'redemptions', method: 'spendEach', when },
];

/** The store with transactions counted and, while `faults` has some, those query methods failing. */
function faultyDeps(deps: Deps) {
  const state = { transactions: 0, faults: [] as Fault[] };
  const wrap = (q: Queries): Queries =>
    new Proxy(q, {
      get(target, prop) {
        const group = Reflect.get(target, prop) as object;
        if (!state.faults.some((f) => f.group === prop)) return group;
        return new Proxy(group, {
          get(g, m) {
            const fn = Reflect.get(g, m) as unknown;
            const fault = state.faults.find((f) => f.group === prop && f.method === m);
            if (typeof fn !== 'function') return fn;
            // Bound: the query classes keep their connection in #private fields, out of a proxy's reach.
            if (!fault) return (fn as (...a: unknown[]) => unknown).bind(g);
            return async (...args: unknown[]) => {
              if (fault.when === 'stale') return m === 'spendEach' ? (args[0] as unknown[]).map(() => 'stale') : 'stale';
              if (fault.when === 'before') throw new Error(`injected: ${fault.group}.${fault.method}`);
              await (fn as (...a: unknown[]) => Promise<unknown>).apply(g, args);
              throw new Error(`injected after ${fault.group}.${fault.method}`);
            };
          },
        });
      },
    });
  const inner = deps.store;
  const store = storeWith(inner, {
    transaction: (fn, options) => {
      state.transactions++;
      return inner.transaction((q) => fn(wrap(q)), options);
    },
    // On this thread, so the faults reach it (the writer thread's own path: thread-transaction.test.ts).
    threadTransaction: (fn, input) => {
      state.transactions++;
      return inner.transaction((q) => fn.run(wrap(q), input));
    },
  });
  return { deps: { ...deps, store }, state };
}

let rt: TestRuntime;
let app: FastifyInstance;
let state: ReturnType<typeof faultyDeps>['state'];

before(async () => {
  rt = await testRuntime();
  const faulty = faultyDeps(rt.deps);
  state = faulty.state;
  app = await testServer(faulty.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

async function setup() {
  const { tenant, keys } = await aTenantWithKeys(rt.deps);
  const tpl = await aTemplate(rt.deps, tenant.id, { stock: 100, perUserLimit: null });
  const coupon = async () => claimTemplate(rt.deps, { tenantId: tenant.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
  const scope = (await call(app, 'GET', '/v1/me', keys.cashier)).body.credentialId as string;
  const redeem = (code: string, key: string, orderId = 'order-1') => call(app, 'POST', '/v1/redemptions', keys.cashier, { code, order: { id: orderId, amount: 5000 } }, { 'idempotency-key': key });
  const redemptions = async (code: string) => (await rt.store.q.redemptions.list(tenant.id, { code }, 100, 0)).length;
  const status = async (id: string) => (await rt.store.q.coupons.get(tenant.id, id))?.status;
  const keyRow = (key: string) => rt.store.q.idempotency.get(scope, key);
  return { tenant, keys, scope, coupon, redeem, redemptions, status, keyRow };
}

/** One redemption while `faults` hold; they are lifted after it, whatever happens. */
async function redeemWithFaults(t: Awaited<ReturnType<typeof setup>>, faults: Fault[], code: string, key: string) {
  state.faults = faults;
  try {
    return await t.redeem(code, key);
  } finally {
    state.faults = [];
  }
}

/** A redemption failing under `faults` answers 500, writes nothing and leaves its key free; the retry redeems, once. */
async function failsThenRedeemsOnRetry(faults: Fault[], key: string) {
  const t = await setup();
  const c = await t.coupon();
  assert.equal((await redeemWithFaults(t, faults, c.code, key)).status, 500);
  assert.equal(await t.keyRow(key), undefined, 'no key reserved');
  assert.equal(await t.status(c.id), 'usable');
  assert.equal(await t.redemptions(c.code), 0);
  const retry = await t.redeem(c.code, key);
  assert.deepEqual([retry.status, retry.headers['idempotent-replayed']], [201, undefined]);
  assert.equal(await t.redemptions(c.code), 1);
}

describe('redeem › Idempotency-Key in the redemption transaction', () => {
  it('one transaction takes the key and redeems; a repeat replays the same bytes', async () => {
    const t = await setup();
    const c = await t.coupon();
    const before = state.transactions;
    const first = await t.redeem(c.code, 'one-tx');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(state.transactions - before, 1, 'the key and the redemption share one transaction');
    const row = await t.keyRow('one-tx');
    assert.equal(row?.statusCode, 201);
    assert.deepEqual(JSON.parse(row?.response ?? ''), first.body);
    const again = await t.redeem(c.code, 'one-tx');
    assert.deepEqual([again.status, again.headers['idempotent-replayed'], again.body], [201, 'true', first.body]);
    assert.equal(await t.redemptions(c.code), 1);
  });

  it('the same key with another body is refused and spends nothing', async () => {
    const t = await setup();
    const [a, b] = [await t.coupon(), await t.coupon()];
    assert.equal((await t.redeem(a.code, 'other-body')).status, 201);
    const other = await t.redeem(b.code, 'other-body', 'order-2');
    assert.deepEqual([other.status, other.body.code], [422, 'idempotency_key_reused']);
    assert.equal(await t.status(b.id), 'usable');
    assert.equal(await t.redemptions(b.code), 0);
  });

  it('concurrent requests with one key and different coupons: one redemption, the others refused', async () => {
    const t = await setup();
    const coupons = await Promise.all(Array.from({ length: 8 }, () => t.coupon()));
    const results = await Promise.all(coupons.map((c, i) => t.redeem(c.code, 'race-key', `order-${i}`)));
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 1, `statuses ${results.map((r) => r.status)}`);
    assert.ok(results.every((r) => r.status === 201 || (r.status === 422 && r.body.code === 'idempotency_key_reused')), `statuses ${results.map((r) => r.status)}`);
    const spent = (await Promise.all(coupons.map((c) => t.status(c.id)))).filter((s) => s === 'used');
    assert.equal(spent.length, 1, 'only the winner’s coupon is spent');
  });

  it('a key left reserved by an interrupted request is not run again: the redemption is rolled back', async () => {
    const t = await setup();
    const c = await t.coupon();
    // As a request of the generic path leaves it after a crash: reserved long ago, never answered.
    const body = JSON.stringify({ code: c.code, order: { id: 'order-1', amount: 5000 } });
    const fp = createHash('sha256').update('POST').update('\u0000').update('/v1/redemptions').update('\u0000').update(body).digest('hex');
    await rt.store.q.idempotency.reserve(t.scope, 'crashed', fp, Date.now() - 120_000);
    const r = await t.redeem(c.code, 'crashed');
    assert.deepEqual([r.status, r.body.code], [409, 'idempotency_in_progress'], JSON.stringify(r.body));
    assert.equal(await t.status(c.id), 'usable');
    assert.equal(await t.redemptions(c.code), 0);
  });

  it('a refusal is stored under the key: a repeat replays the 409 even once the coupon is usable again', async () => {
    const t = await setup();
    const c = await t.coupon();
    await moveCoupon(rt.deps, { tenantId: t.tenant.id, actor: ACTOR, couponId: c.id, move: 'freeze' });
    const refused = await t.redeem(c.code, 'refused-key');
    assert.deepEqual([refused.status, refused.body.code, refused.body.reasons[0].code], [409, 'coupon_not_usable', 'coupon_frozen']);
    assert.equal((await t.keyRow('refused-key'))?.statusCode, 409);
    await moveCoupon(rt.deps, { tenantId: t.tenant.id, actor: ACTOR, couponId: c.id, move: 'unfreeze' });
    const again = await t.redeem(c.code, 'refused-key');
    assert.deepEqual([again.status, again.headers['idempotent-replayed'], again.body], [409, 'true', refused.body]);
    assert.equal(await t.status(c.id), 'usable');
    assert.equal((await t.redeem(c.code, 'fresh-key')).status, 201);
  });

  it('the one-write spend: when it fails nothing is written and the key stays free; the retry redeems', async () => {
    await failsThenRedeemsOnRetry(spendFaults('before'), 'spend-fails');
  });

  it('a coupon that moved between its read and the spend is redeemed the transactional way, once', async () => {
    const t = await setup();
    const c = await t.coupon();
    const before = state.transactions;
    const first = await redeemWithFaults(t, spendFaults('stale'), c.code, 'moved');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(state.transactions - before, 2, 'the spend found nothing to do, then one transaction redeemed');
    assert.equal(await t.redemptions(c.code), 1);
    const again = await t.redeem(c.code, 'moved');
    assert.deepEqual([again.status, again.headers['idempotent-replayed'], again.body], [201, 'true', first.body]);
  });

  it('a failing statement rolls the redemption back and leaves the key free: the retry redeems', async () => {
    // The transactional way (the spend finds the coupon moved), failing half-way.
    await failsThenRedeemsOnRetry(
      [...spendFaults('stale'), { group: 'events', method: 'append', when: 'before' }],
      'fails-once',
    );
  });

  it('a failure after the key was written undoes both: never a stored answer without its redemption, or the reverse', async () => {
    const t = await setup();
    const c = await t.coupon();
    const failed = await redeemWithFaults(
      t,
      [...spendFaults('stale'), { group: 'idempotency', method: 'take', when: 'after' }],
      c.code,
      'fails-late',
    );
    assert.equal(failed.status, 500);
    assert.equal(await t.keyRow('fails-late'), undefined);
    assert.equal(await t.status(c.id), 'usable');
    assert.equal(await t.redemptions(c.code), 0);
    assert.equal((await t.redeem(c.code, 'fails-late')).status, 201);
  });
});
