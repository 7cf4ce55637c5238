import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClaimBatcher } from '../../src/app/claims/claim-batcher.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { THREAD_PIPELINE, type Queries, type ThreadTransaction } from '../../src/store/store.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, storeWith, testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
let transactions = 0;
before(async () => {
  rt = await testRuntime();
  const tx = rt.store.transaction.bind(rt.store);
  // Claim batches run as thread transactions (on the writer thread): they count the same. Where
  // there is no writer thread (PostgreSQL) one is a transaction() inside: counted once.
  let inThread = false;
  rt.store.transaction = <T>(fn: (q: Queries) => Promise<T>) => {
    if (!inThread) transactions++;
    return tx(fn);
  };
  const onThread = rt.store.threadTransaction.bind(rt.store);
  rt.store.threadTransaction = <I, O>(fn: ThreadTransaction<I, O>, input: I) => {
    transactions++;
    inThread = true;
    try {
      return onThread(fn, input);
    } finally {
      inThread = false;
    }
  };
});
after(async () => rt.done());

describe('group commit', () => {
  it('group commit › claims arriving together share one transaction, and a refused one does not sink the others', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 4, perUserLimit: 1 });
    transactions = 0;
    const users = ['a', 'b', 'a', 'c', 'd', 'e'];
    const settled = await Promise.allSettled(users.map((userId) => claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId })));
    assert.equal(transactions, 1, 'one transaction for the batch');
    const answers = settled.map((s) => (s.status === 'fulfilled' ? `ok:${s.value.ownerId}` : (s.reason as DomainError).code));
    // In arrival order: a, b granted; a again over its limit; c, d granted (stock 4 used up); e out of stock.
    assert.deepEqual(answers, ['ok:a', 'ok:b', 'limit_reached', 'ok:c', 'ok:d', 'out_of_stock']);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id }, Date.now()), 4);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 4);
    assert.equal(await rt.store.q.templates.userCount('template_claims', t.id, tpl.id, 'a'), 1);
  });

  it('group commit › claims of different templates in one batch each get their own answer', async () => {
    const t = await aTenant(rt.deps);
    const open = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const archived = await aTemplate(rt.deps, t.id, { stock: null, claimTo: '2020-01-01' });
    const settled = await Promise.allSettled([
      claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: open.id, userId: 'x' }),
      claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: archived.id, userId: 'x' }),
      claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: 'no-such-template', userId: 'x' }),
      claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: open.id, userId: 'y' }),
    ]);
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as DomainError).code)),
      ['ok', 'not_claimable', 'not_found', 'ok'],
    );
  });

  it('group commit › templates take turns: a flooded template does not starve another', async () => {
    const t = await aTenant(rt.deps);
    const hot = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const cold = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    // A batcher of its own, with one batch in flight at a time (as on SQLite) whatever the store.
    const store = storeWith(rt.store, { kind: 'sqlite', close: async () => {} });
    const batcher = new ClaimBatcher({ ...rt.deps, store });
    // Several batches' worth of the hot template waits before the single cold claim arrives.
    const hotClaims = 1600;
    let hotDone = 0;
    let hotDoneWhenCold = -1;
    const claims = Array.from({ length: hotClaims }, (_, i) => batcher.submit({ tenantId: t.id, templateId: hot.id, userId: `h${i}`, actor: ACTOR }).then(() => void hotDone++));
    claims.push(batcher.submit({ tenantId: t.id, templateId: cold.id, userId: 'c', actor: ACTOR }).then(() => void (hotDoneWhenCold = hotDone)));
    await Promise.all(claims);
    assert.ok(hotDoneWhenCold >= 0 && hotDoneWhenCold < hotClaims, `the cold claim waited for ${hotDoneWhenCold} of ${hotClaims} hot claims`);
  });

  it('group commit › on SQLite a template\'s next batch goes to the writer before the last one is answered, and is decided after it', { skip: ON_POSTGRES && 'SQLite only: batches reach the writer thread in order', timeout: 10_000 }, async () => {
    assert.equal(THREAD_PIPELINE, 2);
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 6, perUserLimit: null });
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // The first batch commits as usual, but its answer is held back until the gate opens.
    const store = storeWith(rt.store, {
      kind: 'sqlite',
      threadTransaction: async (fn, input) => {
        const first = calls++ === 0;
        most = Math.max(most, ++inFlight);
        try {
          const value = await rt.store.threadTransaction(fn, input);
          if (first) await gate;
          return value;
        } finally {
          inFlight--;
        }
      },
    });
    const batcher = new ClaimBatcher({ ...rt.deps, store });
    const turn = () => new Promise((r) => setImmediate(r));
    const wave = (n: number, name: string) => Array.from({ length: n }, (_, i) => batcher.submit({ tenantId: t.id, templateId: tpl.id, userId: `${name}${i}`, actor: ACTOR }).then(() => 'ok', (e: DomainError) => e.code));
    const first = wave(4, 'a');
    await turn();
    const second = wave(4, 'b');
    await turn();
    const third = wave(2, 'c');
    // The second and third batches are answered while the first still waits for its answer.
    assert.deepEqual(await Promise.all(second), ['ok', 'ok', 'out_of_stock', 'out_of_stock']);
    assert.deepEqual(await Promise.all(third), ['out_of_stock', 'out_of_stock']);
    release();
    assert.deepEqual(await Promise.all(first), ['ok', 'ok', 'ok', 'ok']);
    assert.equal(calls, 3);
    assert.equal(most, 2, 'two batches in flight at most');
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 6);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id }, Date.now()), 6);
  });

  it('group commit › on SQLite the claims waiting for a slot go to the writer before the callers of the batch that freed it are answered', { skip: ON_POSTGRES && 'SQLite only: two batches in flight', timeout: 10_000 }, async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const log: string[] = [];
    // The answers of the first two batches (waves a and b) are held back until their gates open.
    const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
    for (const w of ['a', 'b']) {
      let open: () => void = () => {};
      const opened = new Promise<void>((r) => (open = r));
      gates.set(w, { open, opened });
    }
    const store = storeWith(rt.store, {
      kind: 'sqlite',
      threadTransaction: async (fn, input) => {
        const wave = (input as { claims: Array<{ userId: string }> }).claims[0]?.userId.charAt(0) ?? '?';
        log.push(`sent ${wave}`);
        const value = await rt.store.threadTransaction(fn, input);
        await gates.get(wave)?.opened;
        return value;
      },
    });
    const batcher = new ClaimBatcher({ ...rt.deps, store });
    const turn = () => new Promise((r) => setTimeout(r, 20));
    const wave = (n: number, name: string) => Array.from({ length: n }, (_, i) => batcher.submit({ tenantId: t.id, templateId: tpl.id, userId: `${name}${i}`, actor: ACTOR }).then(() => void log.push(`answered ${name}`)));
    const a = wave(2, 'a');
    await turn();
    const b = wave(2, 'b');
    await turn();
    // Both slots are taken: c waits in the batcher.
    const c = wave(2, 'c');
    await turn();
    assert.deepEqual(log, ['sent a', 'sent b'], 'c waits for a slot');
    gates.get('a')?.open();
    await Promise.all(a);
    assert.deepEqual(log, ['sent a', 'sent b', 'sent c', 'answered a', 'answered a'], 'c went to the writer before a\'s callers heard back');
    gates.get('b')?.open();
    await Promise.all([...b, ...c]);
  });

  it('group commit › on SQLite a free slot goes to a template with no batch in flight before a hot template\'s second', { skip: ON_POSTGRES && 'SQLite only: two batches in flight', timeout: 10_000 }, async () => {
    const t = await aTenant(rt.deps);
    const hot = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const cold = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // The hot template's first batch is answered only when the gate opens.
    const store = storeWith(rt.store, {
      kind: 'sqlite',
      threadTransaction: async (fn, input) => {
        const templateId = (input as { claims: Array<{ templateId: string }> }).claims[0]?.templateId ?? '';
        sent.push(templateId === hot.id ? 'hot' : 'cold');
        const value = await rt.store.threadTransaction(fn, input);
        if (sent.length === 1) await gate;
        return value;
      },
    });
    const batcher = new ClaimBatcher({ ...rt.deps, store });
    const claim = (templateId: string, userId: string) => batcher.submit({ tenantId: t.id, templateId, userId, actor: ACTOR });
    const first = claim(hot.id, 'h0');
    await new Promise((r) => setImmediate(r));
    // In one turn: more hot claims first, then a cold one. One slot is free.
    const later = [claim(hot.id, 'h1'), claim(hot.id, 'h2')];
    const coldClaim = claim(cold.id, 'c0');
    assert.equal((await coldClaim).templateId, cold.id);
    assert.deepEqual(sent.slice(0, 2), ['hot', 'cold'], 'the cold template got the free slot');
    release();
    await Promise.all([first, ...later]);
    assert.deepEqual(sent, ['hot', 'cold', 'hot']);
  });
});
