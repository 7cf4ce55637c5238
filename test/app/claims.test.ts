import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimPackage } from '../../src/app/claims/claim-package.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { createPackage } from '../../src/app/packages/create-package.ts';
import { movePackage } from '../../src/app/packages/move-package.ts';
import { receiveCoupons } from '../../src/app/operators/receive-coupons.ts';
import { sendCoupon } from '../../src/app/operators/send-coupon.ts';
import { walletGroups } from '../../src/app/wallets/wallet.ts';
import { archiveTemplate, updateTemplate } from '../../src/app/templates/update-template.ts';
import { putChat } from '../../src/app/catalog/catalog.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
let rt: TestRuntime;
before(async () => {
  rt = await testRuntime({ clock });
});
after(async () => rt.done());

const code = (c: string) => (e: DomainError) => e.code === c;

async function publishedPackage(tenantId: string, items: Array<{ templateId: string; count: number }>, rule = {}) {
  const p = await createPackage(rt.deps, { tenantId, actor: ACTOR, package: { name: 'p', items, rule } });
  for (const move of ['submit', 'approve', 'publish'] as const) await movePackage(rt.deps, { tenantId, actor: ACTOR, packageId: p.id, move });
  return p;
}

describe('claims', () => {
  it('claims › a claim for a new user creates the user and a 12-digit coupon valid per the template', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { rule: { validFrom: '2026-11-01', validTo: '2026-11-30' } });
    const c = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'brand-new' });
    assert.match(c.code, /^\d{12}$/);
    assert.equal(c.validFrom, Date.parse('2026-11-01T00:00:00+08:00'));
    assert.equal(c.validTo, Date.parse('2026-11-30T23:59:59.999+08:00'));
    assert.ok(await rt.store.q.catalog.getUser(t.id, 'brand-new'));
    const events = await rt.store.q.events.list(t.id, { subjectId: c.id }, 0, 10);
    assert.equal(events[0]?.action, 'coupon.issued');
  });

  it('claims › a coupon valid N days after claiming runs from its issue, even before validFrom, capped by validTo', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null, rule: { validFrom: '2026-12-01', validTo: '2026-12-05', validDaysAfterClaim: 3 } });
    const early = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'early' });
    assert.deepEqual([early.validFrom, early.validTo], [clock.now(), clock.now() + 3 * 86_400_000 - 1]);
    clock.set('2026-12-04T12:00:00+08:00');
    try {
      const late = await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'late' });
      assert.deepEqual([late.validFrom, late.validTo], [clock.now(), Date.parse('2026-12-05T23:59:59.999+08:00')]);
    } finally {
      clock.set('2026-11-23T04:00:00Z');
    }
  });

  it('claims › neighbouring codes share nothing guessable', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push((await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' })).code);
    assert.equal(new Set(codes).size, 30);
    // No shared prefix of 6 digits between consecutive codes (time-based or sequential codes would share one).
    const shared = codes.slice(1).filter((c, i) => c.slice(0, 6) === codes[i]?.slice(0, 6)).length;
    assert.ok(shared <= 1, `${shared} consecutive codes share a 6-digit prefix`);
  });

  it('claims › the claim window: not before claimFrom, not after claimTo, not after validity, not archived', async () => {
    const t = await aTenant(rt.deps);
    const windowed = await aTemplate(rt.deps, t.id, { claimFrom: '2026-11-24', claimTo: '2026-11-25', stock: null, perUserLimit: null });
    clock.set(Date.parse('2026-11-24T00:00:00+08:00') - 1);
    await assert.rejects(claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: windowed.id, userId: 'u' }), code('not_claimable'));
    clock.set('2026-11-24T00:00:00+08:00');
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: windowed.id, userId: 'u' });
    clock.set('2026-11-25T23:59:59.999+08:00');
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: windowed.id, userId: 'u' });
    clock.set('2026-11-26T00:00:00+08:00');
    await assert.rejects(claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: windowed.id, userId: 'u' }), code('not_claimable'));
    const ended = await aTemplate(rt.deps, t.id, { rule: { validTo: '2026-11-25' } });
    await assert.rejects(claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: ended.id, userId: 'u' }), code('not_claimable'));
    const archived = await aTemplate(rt.deps, t.id);
    await archiveTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: archived.id });
    await assert.rejects(claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: archived.id, userId: 'u' }), code('not_claimable'));
    clock.set('2026-11-23T04:00:00Z');
  });

  it('claims › stock cannot be lowered below what was claimed; a later per-user limit counts earlier claims', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10, perUserLimit: null });
    for (let i = 0; i < 3; i++) await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' });
    await assert.rejects(updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { stock: 2 } }), (e: DomainError) => e.details.errors?.[0]?.field === 'stock');
    await updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { perUserLimit: 3 } });
    await assert.rejects(claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'u' }), code('limit_reached'));
  });

  it('claims › a package claim that would break any limit creates nothing', async () => {
    const t = await aTenant(rt.deps);
    const plenty = await aTemplate(rt.deps, t.id, { stock: 100, perUserLimit: null });
    const scarce = await aTemplate(rt.deps, t.id, { stock: 3, perUserLimit: null });
    const p = await publishedPackage(t.id, [{ templateId: plenty.id, count: 2 }, { templateId: scarce.id, count: 2 }], { perUserLimit: 5 });
    await claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: p.id, userId: 'a' });
    // Only 1 of `scarce` is left: the second receipt must leave no coupon and no counter behind.
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: p.id, userId: 'b' }), code('out_of_stock'));
    assert.equal(await rt.store.q.coupons.count(t.id, { ownerId: 'b' }, clock.now()), 0);
    assert.equal((await rt.store.q.templates.get(t.id, plenty.id))?.claimed, 2);
    assert.equal((await rt.store.q.packages.get(t.id, p.id))?.claimed, 1);
    assert.equal(await rt.store.q.templates.userCount('package_claims', t.id, p.id, 'b'), 0);

    const limited = await publishedPackage(t.id, [{ templateId: plenty.id, count: 1 }], { perUserLimit: 1, totalLimit: 2 });
    await claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: limited.id, userId: 'c' });
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: limited.id, userId: 'c' }), code('limit_reached'));
    await claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: limited.id, userId: 'd' });
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: limited.id, userId: 'e' }), code('out_of_stock'));
    assert.equal(await rt.store.q.coupons.count(t.id, { packageId: limited.id }, clock.now()), 2);
  });

  it('claims › a package outside its receive window or not published cannot be received', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const draft = await createPackage(rt.deps, { tenantId: t.id, actor: ACTOR, package: { name: 'draft', items: [{ templateId: tpl.id, count: 1 }] } });
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: draft.id, userId: 'u' }), code('not_claimable'));
    const later = await publishedPackage(t.id, [{ templateId: tpl.id, count: 1 }], { receiveFrom: '2026-11-24', receiveTo: '2026-11-24' });
    clock.set(Date.parse('2026-11-24T00:00:00+08:00') - 1);
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: later.id, userId: 'u' }), code('not_claimable'));
    clock.set('2026-11-24T23:59:59.999+08:00');
    await claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: later.id, userId: 'u' });
    clock.set('2026-11-25T00:00:00+08:00');
    await assert.rejects(claimPackage(rt.deps, { tenantId: t.id, actor: ACTOR, packageId: later.id, userId: 'v' }), code('not_claimable'));
    clock.set('2026-11-23T04:00:00Z');
  });

  it('claims › an operator receives coupons and sends one to the user of a chat', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 10 });
    const held = await receiveCoupons(rt.deps, { tenantId: t.id, actor: ACTOR, operatorId: 'op1', templateId: tpl.id, count: 3 });
    assert.equal(held.length, 3);
    await putChat(rt.deps, { tenantId: t.id, actor: ACTOR, chat: { id: 'chat1', userId: 'alice', operatorId: 'op1' } });
    const sent = await sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[0]!.id, chatId: 'chat1' });
    assert.deepEqual([sent.ownerType, sent.ownerId, sent.senderId, sent.chatId], ['user', 'alice', 'op1', 'chat1']);
    await assert.rejects(sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[0]!.id, chatId: 'chat1' }), code('illegal_transition'));
    await putChat(rt.deps, { tenantId: t.id, actor: ACTOR, chat: { id: 'chat2', userId: 'bob', operatorId: 'op2' } });
    await assert.rejects(sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[1]!.id, chatId: 'chat2' }), code('forbidden'));
    const groups = await walletGroups(rt.deps, { tenantId: t.id, ownerType: 'operator', ownerId: 'op1' });
    assert.deepEqual(groups.map((g) => [g.template.id, g.state, g.count]), [[tpl.id, 'usable', 2]]);
    const chatWallet = await walletGroups(rt.deps, { tenantId: t.id, ownerType: 'user', ownerId: 'alice', chatId: 'chat1' });
    assert.equal(chatWallet[0]?.count, 1);
  });

  it('claims › wallet groups split by state and order by sort, then newest', async () => {
    const t = await aTenant(rt.deps);
    const late = await aTemplate(rt.deps, t.id, { sort: 5, stock: null, perUserLimit: null });
    const early = await aTemplate(rt.deps, t.id, { sort: 1, stock: null, perUserLimit: null, rule: { validFrom: '2026-12-01' } });
    const soon = await aTemplate(rt.deps, t.id, { sort: 5, stock: null, perUserLimit: null });
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: late.id, userId: 'w' });
    clock.advance(1000);
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: soon.id, userId: 'w' });
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: early.id, userId: 'w' });
    const groups = await walletGroups(rt.deps, { tenantId: t.id, ownerType: 'user', ownerId: 'w' });
    assert.deepEqual(groups.map((g) => [g.template.id, g.state]), [[early.id, 'not_yet_effective'], [soon.id, 'usable'], [late.id, 'usable']]);
  });
});
