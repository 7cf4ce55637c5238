/**
 * getMergeTicketUsersByChatId (2.13) grouping: which coupons land in which group, in what order,
 * with which ids and counts; OwnerType 2; OperatorId; tenant isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { moveCoupon } from '../../../src/app/coupons/move-coupon.ts';
import { receiveCoupons } from '../../../src/app/operators/receive-coupons.ts';
import { sendCoupon } from '../../../src/app/operators/send-coupon.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { CHAT, NOW, OP1, OP2, PACKAGE, TEMPLATES as T, TENANT, codeOf, groupingDataset } from './grouping-data.ts';
import { opCall } from './op-client.ts';

let rt: TestRuntime;
let app: FastifyInstance;
const clock = new FixedClock(NOW);

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, groupingDataset(), { actor: ACTOR });
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

const merge = (body: unknown, who = OP1) => opCall(app, { method: 'getMergeTicketUsersByChatId', body, client: who.client, secret: who.secret });

/** [ticketCode, ids] of each group, for compact comparisons. */
const summary = (groups: any[]) => groups.map((g) => [g.ticketCode, g.ticketUserIds]);

describe('op-v2 grouping', () => {
  it("op-v2 › groups a chat's usable and frozen coupons by template, leaving every other state out", async () => {
    const res = await merge({ OwnerType: 1, ChatId: CHAT.id });
    assert.equal(res.body.code, 200, res.body.message);
    const { canUse, freeze } = res.body.data;
    // sort 5 (b) first; then sort 10 newest first: c (issued 03-09) before a (newest 03-02).
    assert.deepEqual(summary(canUse), [
      [T.b.code, ['b1']],
      [T.c.code, ['c1']],
      [T.a.code, ['a2', 'a1']],
    ]);
    assert.deepEqual(summary(freeze), [[T.a.code, ['a3']]]);
    const a = canUse[2];
    assert.deepEqual([a.count, a.userTicketCodes, a.useStatus, a.canUse], [2, [codeOf('a2'), codeOf('a1')], 2, 1]);
    assert.deepEqual([freeze[0].count, freeze[0].useStatus, freeze[0].canUse], [1, 3, 2]);
    // The group's newest coupon came from the package; c1 came from none.
    assert.equal(a.ticketPackageCode, PACKAGE.code);
    assert.equal(canUse[1].ticketPackageCode, null);
    assert.equal(a.createTime, Date.parse('2026-03-02T01:00:00.000Z'));
    assert.deepEqual([a.ownerId, a.ownerType, a.senderId, a.createCompanyId, a.sort], [CHAT.userId, 1, null, TENANT, 10]);
    assert.deepEqual([a.ticketType, a.ticketAmount, canUse[0].ticketType, canUse[0].ticketAmount], [1, 1000, 2, 8.5]);
    assert.deepEqual(a.useChannels, [{ id: 'ch-1', name: '门店' }]);
    assert.deepEqual(a.ticketRule, { useStartTime: '2026-01-01', useEndTime: '2026-12-31', productKinds: [{ id: 'pk-1', name: '咖啡' }], orderAmount: 0, maxAmount: 0, delayDay: null });
    assert.deepEqual([a.themeId, a.themeName], ['th-1', '春季']);
    const listed = [...canUse, ...freeze].flatMap((g: any) => g.ticketUserIds);
    for (const left of ['a4', 'a5', 'a6', 'a7', 'a8', 'f1', 'x1', 'y1', 'o1']) assert.ok(!listed.includes(left), `${left} is not listed`);
  });

  it('op-v2 › a coupon frozen later moves from its canUse group to its freeze group', async () => {
    await moveCoupon(rt.deps, { tenantId: TENANT, actor: ACTOR, couponId: 'a1', move: 'freeze' });
    try {
      const { canUse, freeze } = (await merge({ OwnerType: 1, ChatId: CHAT.id })).body.data;
      assert.deepEqual(summary(canUse).at(-1), [T.a.code, ['a2']]);
      assert.deepEqual(summary(freeze), [[T.a.code, ['a3', 'a1']]]);
      assert.equal(freeze[0].count, 2);
    } finally {
      await moveCoupon(rt.deps, { tenantId: TENANT, actor: ACTOR, couponId: 'a1', move: 'unfreeze' });
    }
  });

  it("op-v2 › OwnerType 2 returns the chat operator's holdings, and a coupon sent into the chat moves over", async () => {
    const held = (await merge({ OwnerType: 2, ChatId: CHAT.id, OperatorId: CHAT.operatorId })).body.data;
    assert.deepEqual(summary(held.canUse), [[T.a.code, ['o2', 'o1']]]);
    assert.deepEqual(summary(held.freeze), [[T.b.code, ['o3']]]);
    assert.deepEqual([held.canUse[0].ownerType, held.canUse[0].ownerId, held.canUse[0].count], [2, CHAT.operatorId, 2]);

    const [sent] = await receiveCoupons(rt.deps, { tenantId: TENANT, actor: ACTOR, operatorId: CHAT.operatorId, templateId: T.c.id, count: 1 });
    await sendCoupon(rt.deps, { tenantId: TENANT, actor: ACTOR, couponId: (sent as { id: string }).id, chatId: CHAT.id });
    const user = (await merge({ OwnerType: 1, ChatId: CHAT.id })).body.data;
    const c = user.canUse.find((g: any) => g.ticketCode === T.c.code);
    assert.deepEqual([c.count, c.ticketUserIds[0], c.senderId], [2, (sent as { id: string }).id, CHAT.operatorId]);
    const after = (await merge({ OwnerType: 2, ChatId: CHAT.id })).body.data;
    assert.deepEqual(summary(after.canUse), [[T.a.code, ['o2', 'o1']]]);
  });

  it("op-v2 › refuses an OperatorId that is not the chat's operator", async () => {
    for (const OwnerType of [1, 2]) {
      const res = await merge({ OwnerType, ChatId: CHAT.id, OperatorId: 'op-b' });
      assert.equal(res.status, 200);
      assert.equal(res.body.code, 403);
      assert.equal(res.body.data, null);
      assert.match(res.body.message, /OperatorId: op-b is not the operator of chat chat-1/);
    }
  });

  it('op-v2 › an unknown ChatId is a 404 naming the chat', async () => {
    const res = await merge({ OwnerType: 1, ChatId: 'no-such-chat' });
    assert.deepEqual([res.status, res.body.code, res.body.data], [200, 404, null]);
    assert.match(res.body.message, /chat "no-such-chat" does not exist/);
  });

  it("op-v2 › a client sees nothing of another tenant's chats and packages", async () => {
    const theirs = await merge({ OwnerType: 1, ChatId: 'chat-other' });
    assert.equal(theirs.body.code, 404);
    const pkg = await opCall(app, { method: 'getTicketPackageById', body: { TicketPackageId: 'pkg-other' }, client: OP1.client, secret: OP1.secret });
    assert.equal(pkg.body.code, 404);
    const ours = await merge({ OwnerType: 1, ChatId: CHAT.id }, OP2);
    assert.equal(ours.body.code, 404);
    const own = await merge({ OwnerType: 1, ChatId: 'chat-other' }, OP2);
    assert.deepEqual(summary(own.body.data.canUse), [['200000000001', ['z1']]]);
    assert.deepEqual([own.body.foot.servicePhone, own.body.data.canUse[0].createCompanyId], ['4009999999', 'op-grp-other']);
  });
});
