/**
 * PostgreSQL: claim batches with nothing to decide are one statement, guarded by the template as
 * this process last read it (claimBatchAsRead). These tests change the template behind the
 * process's back — as another process would — and check that the guard sends the batch to be
 * decided under the lock, so a stale read can neither oversell nor skip a new rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { updateTemplate } from '../../src/app/templates/update-template.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { Queries, TransactionOptions } from '../../src/store/store.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

/** Codes handed out first, in place of drawn ones (a clash on purpose). */
const forcedCodes: string[] = [];

let rt: TestRuntime;
const calls = { statements: 0, transactions: 0 };
before(async () => {
  if (!ON_POSTGRES) return;
  rt = await testRuntime();
  const coupons = rt.store.q.coupons;
  const draw = coupons.drawCodes.bind(coupons);
  coupons.drawCodes = async (n: number) => (await draw(n)).map((code) => forcedCodes.shift() ?? code);
  const tx = rt.store.transaction.bind(rt.store);
  rt.store.transaction = <T>(fn: (q: Queries) => Promise<T>, options?: TransactionOptions) => {
    if (options?.singleStatement) calls.statements++;
    else calls.transactions++;
    return tx(fn, options);
  };
});
after(async () => rt?.done());

const answers = (settled: PromiseSettledResult<{ ownerId: string }>[]) => settled.map((s) => (s.status === 'fulfilled' ? `ok:${s.value.ownerId}` : (s.reason as DomainError).code));

const claimAll = (tenantId: string, templateId: string, users: string[]) =>
  Promise.allSettled(users.map((userId) => claimTemplate(rt.deps, { tenantId, actor: ACTOR, templateId, userId })));

async function counted(tenantId: string, templateId: string) {
  const coupons = await rt.store.q.coupons.list(tenantId, { templateId }, Date.now(), 1000, null);
  const template = await rt.store.q.templates.get(tenantId, templateId);
  return { coupons: coupons.length, claimed: template?.claimed, codes: new Set(coupons.map((c) => c.code)).size };
}

describe('claims as read (PostgreSQL)', { skip: ON_POSTGRES ? false : 'PostgreSQL only: on SQLite a batch is one transaction on the writer thread' }, () => {
  it('claims as read › a batch with nothing to decide is one statement: every claim its coupon, the stock, users and events written', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 100, perUserLimit: null });
    calls.statements = calls.transactions = 0;
    const settled = await claimAll(t.id, tpl.id, ['a', 'b', 'c', 'a']);
    assert.deepEqual(answers(settled), ['ok:a', 'ok:b', 'ok:c', 'ok:a']);
    assert.deepEqual(calls, { statements: 1, transactions: 0 });
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 4, claimed: 4, codes: 4 });
    assert.ok(await rt.store.q.catalog.getUser(t.id, 'c'), 'the user was created');
    const coupon = (settled[1] as PromiseFulfilledResult<{ id: string }>).value;
    const trail = await rt.store.q.events.list(t.id, { subjectType: 'coupon', subjectId: coupon.id }, 0, 10);
    assert.deepEqual(trail.map((e) => [e.action, e.data.via, e.actor.id]), [['coupon.issued', 'claim', ACTOR.id]]);
  });

  it('claims as read › stock taken by another process since the read: nothing is written as read, the batch is decided under the lock, no oversell', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 4, perUserLimit: null });
    // This process reads the template (claimed 0) with its first batch…
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['a'])), ['ok:a']);
    // …another process takes two more without this one knowing.
    assert.ok(await rt.store.transaction((q) => q.templates.takeStock(t.id, tpl.id, 2)));
    calls.statements = calls.transactions = 0;
    // The stale read says 4 left: the statement finds 1 and writes nothing; under the lock, 1 is granted.
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['b', 'c', 'd'])), ['ok:b', 'out_of_stock', 'out_of_stock']);
    assert.deepEqual(calls, { statements: 1, transactions: 1 });
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 2, claimed: 4, codes: 2 });
  });

  it('claims as read › a template changed since the read (a per-user limit set): the new rule holds for the batch', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['a'])), ['ok:a']);
    // Another process sets a limit of one per user (this process's copy still has none).
    await updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { perUserLimit: 1 } });
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['b', 'b', 'c'])), ['ok:b', 'limit_reached', 'ok:c']);
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 3, claimed: 3, codes: 3 });
  });

  it('claims as read › with a per-user limit: one statement in a transaction, and each user\'s counter moves by their claims', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 100, perUserLimit: 2 });
    calls.statements = calls.transactions = 0;
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['a', 'b', 'a'])), ['ok:a', 'ok:b', 'ok:a']);
    assert.deepEqual(calls, { statements: 0, transactions: 1 });
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 3, claimed: 3, codes: 3 });
    assert.equal(await rt.store.q.templates.userCount('template_claims', t.id, tpl.id, 'a'), 2);
    assert.equal(await rt.store.q.templates.userCount('template_claims', t.id, tpl.id, 'b'), 1);
  });

  it('claims as read › a user already at the limit: the write is rolled back and the batch decided under the lock, each claim answered', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 100, perUserLimit: 1 });
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['a'])), ['ok:a']);
    calls.statements = calls.transactions = 0;
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['b', 'a', 'c'])), ['ok:b', 'limit_reached', 'ok:c']);
    assert.deepEqual(calls, { statements: 0, transactions: 2 }, 'the rolled-back write, then the decision under the lock');
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 3, claimed: 3, codes: 3 });
    for (const user of ['a', 'b', 'c']) assert.equal(await rt.store.q.templates.userCount('template_claims', t.id, tpl.id, user), 1, user);
  });

  it('claims as read › a user claiming past the limit within one batch goes straight to the lock', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 100, perUserLimit: 1 });
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['w'])), ['ok:w']);
    calls.statements = calls.transactions = 0;
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['x', 'x'])), ['ok:x', 'limit_reached']);
    assert.deepEqual(calls, { statements: 0, transactions: 1 });
  });

  it('claims as read › a drawn code that is taken writes nothing, and the batch goes again with new codes', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10, perUserLimit: null });
    const [first] = await claimAll(t.id, tpl.id, ['a']);
    const taken = (first as PromiseFulfilledResult<{ code: string }>).value.code;
    forcedCodes.push(taken);
    calls.statements = calls.transactions = 0;
    assert.deepEqual(answers(await claimAll(t.id, tpl.id, ['b', 'c'])), ['ok:b', 'ok:c']);
    assert.equal(calls.statements, 2, 'the clash, then the statement with new codes');
    assert.deepEqual(await counted(t.id, tpl.id), { coupons: 3, claimed: 3, codes: 3 });
  });
});
