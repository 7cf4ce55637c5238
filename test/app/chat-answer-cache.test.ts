/**
 * Cached chat answers (src/app/wallets/chat-answer-cache.ts) are reused only while nothing they
 * are made of has changed: every kind of write — through the use cases or straight SQL from
 * another process — and the clock passing a coupon's validity must give a fresh answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { putChat, putNamed } from '../../src/app/catalog/catalog.ts';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { moveCoupon } from '../../src/app/coupons/move-coupon.ts';
import { receiveCoupons } from '../../src/app/operators/receive-coupons.ts';
import { sendCoupon } from '../../src/app/operators/send-coupon.ts';
import { updateTemplate } from '../../src/app/templates/update-template.ts';
import { cachedChatAnswer } from '../../src/app/wallets/chat-answer-cache.ts';
import { chatWallet } from '../../src/app/wallets/chat-wallet.ts';
import { walletGroupsAsOf } from '../../src/app/wallets/wallet.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { ON_POSTGRES, testRuntime, type TestRuntime } from '../support/store.ts';

const clock = new FixedClock('2026-11-23T04:00:00Z');
let rt: TestRuntime;
before(async () => {
  rt = await testRuntime({ clock });
});
after(async () => rt.done());

/** A chat with an operator holding 3 coupons, 2 of them sent to the chat's user. */
async function aChat() {
  const t = await aTenant(rt.deps);
  const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null, rule: { validTo: '2026-11-30' } });
  await putChat(rt.deps, { tenantId: t.id, actor: ACTOR, chat: { id: 'chat-1', userId: 'u1', operatorId: 'op1' } });
  const held = await receiveCoupons(rt.deps, { tenantId: t.id, actor: ACTOR, operatorId: 'op1', templateId: tpl.id, count: 3 });
  for (const c of held.slice(0, 2)) await sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: c.id, chatId: 'chat-1' });
  return { t, tpl, held };
}

/** Asks like OP v2 does and counts how often the answer had to be computed. */
function asker(tenantId: string, ownerType: 'user' | 'operator') {
  const seen = { computed: 0 };
  const ask = async () => {
    const { owner } = await chatWallet(rt.deps, tenantId, 'chat-1', ownerType);
    return cachedChatAnswer(rt.deps, tenantId, owner, 'test', async () => {
      seen.computed++;
      const r = await walletGroupsAsOf(rt.deps, { tenantId, ...owner, statuses: ['usable', 'frozen'] });
      return { value: r.groups.map((g) => `${g.template.name}/${g.state}/${g.count}`).sort().reverse(), asOf: r.asOf, validUntil: r.validUntil };
    });
  };
  return { seen, ask };
}

describe('chat answer cache', () => {
  it('answers repeated questions from the cache; a claim outside the chat changes nothing', async () => {
    const { t, tpl } = await aChat();
    const { seen, ask } = asker(t.id, 'user');
    assert.deepEqual(await ask(), ['Test 满30减10/usable/2']);
    assert.deepEqual(await ask(), ['Test 满30减10/usable/2']);
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'someone-else' });
    assert.deepEqual(await ask(), ['Test 满30减10/usable/2']);
    assert.equal(seen.computed, 1);
  });

  it('a coupon moved through the use cases, or by SQL from another process, gives a fresh answer', async () => {
    const { t, held } = await aChat();
    const { seen, ask } = asker(t.id, 'user');
    await ask();
    await moveCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[0]!.id, move: 'freeze' });
    assert.deepEqual(await ask(), ['Test 满30减10/usable/1', 'Test 满30减10/frozen/1']);
    // Another process (no cache of ours) writes straight to the table: the triggers still see it.
    const db = (rt.store as unknown as { db: Kysely<unknown> }).db;
    await sql`update coupons set status = 'closed' where tenant_id = ${t.id} and id = ${held[1]!.id}`.execute(db);
    assert.deepEqual(await ask(), ['Test 满30减10/frozen/1']);
    assert.equal(seen.computed, 3);
  });

  it("the operator's holdings change when a coupon is sent into the chat, and both sides see it", async () => {
    const { t, held } = await aChat();
    const user = asker(t.id, 'user');
    const op = asker(t.id, 'operator');
    assert.deepEqual(await op.ask(), ['Test 满30减10/usable/1']);
    assert.deepEqual(await user.ask(), ['Test 满30减10/usable/2']);
    await sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[2]!.id, chatId: 'chat-1' });
    assert.deepEqual(await op.ask(), []);
    assert.deepEqual(await user.ask(), ['Test 满30减10/usable/3']);
    assert.deepEqual([op.seen.computed, user.seen.computed], [2, 2]);
  });

  it('a template edit or a renamed catalog entry gives a fresh answer', async () => {
    const { t, tpl } = await aChat();
    const { seen, ask } = asker(t.id, 'user');
    await ask();
    await updateTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, patch: { name: 'Renamed' } });
    assert.deepEqual(await ask(), ['Renamed/usable/2']);
    await putNamed(rt.deps, { tenantId: t.id, actor: ACTOR, kind: 'channels', item: { id: 'ch1', name: 'Store' } });
    await ask();
    assert.equal(seen.computed, 3);
    await ask();
    assert.equal(seen.computed, 3);
    // Plain SQL from elsewhere that leaves updated_at alone is seen too.
    const db = (rt.store as unknown as { db: Kysely<unknown> }).db;
    await sql`update templates set name = 'By hand' where tenant_id = ${t.id} and id = ${tpl.id}`.execute(db);
    assert.deepEqual(await ask(), ['By hand/usable/2']);
    // A claim (it moves only the template's counter) leaves the answer cached.
    await claimTemplate(rt.deps, { tenantId: t.id, actor: ACTOR, templateId: tpl.id, userId: 'someone-else' });
    await ask();
    assert.equal(seen.computed, 4);
  });

  it('the clock passing the end of a coupon’s validity gives a fresh answer, without any write', async () => {
    const { t } = await aChat();
    const { seen, ask } = asker(t.id, 'user');
    assert.deepEqual(await ask(), ['Test 满30减10/usable/2']);
    clock.set('2026-11-30T15:59:59.999Z'); // the last instant of Nov 30 in Asia/Shanghai
    assert.deepEqual(await ask(), ['Test 满30减10/usable/2']);
    assert.equal(seen.computed, 1);
    clock.advance(1);
    assert.deepEqual(await ask(), []);
    assert.equal(seen.computed, 2);
    clock.set('2026-11-23T04:00:00Z');
  });

  it('on PostgreSQL the stamps of questions asked together are read in one query, and each wallet gets its own answer', { skip: ON_POSTGRES ? false : 'PostgreSQL only: SQLite reads each stamp on its own' }, async () => {
    const { t, held } = await aChat();
    const user = asker(t.id, 'user');
    const op = asker(t.id, 'operator');
    // The chats are read once and memoised: from then on questions reach their stamps together.
    await user.ask();
    await op.ask();
    const sets = rt.store.q.couponSets;
    const read = sets.stamps.bind(sets);
    const queries: string[][] = [];
    sets.stamps = (tenantId, keys) => {
      queries.push([...keys].sort());
      return read(tenantId, keys);
    };
    try {
      assert.deepEqual(await Promise.all([user.ask(), op.ask(), user.ask()]), [['Test 满30减10/usable/2'], ['Test 满30减10/usable/1'], ['Test 满30减10/usable/2']]);
      assert.deepEqual(queries, [['chat:chat-1', 'operator:op1']], 'one query for the three questions');
      // A write between turns is seen by the next questions asked together.
      await sendCoupon(rt.deps, { tenantId: t.id, actor: ACTOR, couponId: held[2]!.id, chatId: 'chat-1' });
      assert.deepEqual(await Promise.all([op.ask(), user.ask()]), [[], ['Test 满30减10/usable/3']]);
      assert.equal(queries.length, 2);
    } finally {
      sets.stamps = read;
    }
  });
});
