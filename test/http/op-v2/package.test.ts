/**
 * getTicketPackageById (2.6) through a package's whole life: sendStatus 1–7, examiner and
 * suggestion, isDelete, useStatus after the receive window, and the tickets' values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { createPackage } from '../../../src/app/packages/create-package.ts';
import { movePackage } from '../../../src/app/packages/move-package.ts';
import type { PackageMove } from '../../../src/domain/package.ts';
import { FixedClock } from '../../support/clock.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { NOW, OP1, TEMPLATES as T, TENANT, groupingDataset } from './grouping-data.ts';
import { opCall } from './op-client.ts';

let rt: TestRuntime;
let app: FastifyInstance;
const clock = new FixedClock(NOW);
const reviewer = { type: 'api_key' as const, id: 'reviewer-7' };

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, groupingDataset(), { actor: reviewer });
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

const read = async (id: string) => {
  const res = await opCall(app, { method: 'getTicketPackageById', body: { TicketPackageId: id }, client: OP1.client, secret: OP1.secret });
  assert.equal(res.body.code, 200, res.body.message);
  return res.body.data;
};

describe('op-v2 packages', () => {
  it('op-v2 › a package reports sendStatus 1 to 7 along its review workflow, and isDelete at the end', async () => {
    const p = await createPackage(rt.deps, {
      tenantId: TENANT,
      actor: { type: 'api_key', id: 'creator-1' },
      package: { id: 'pkg-life', name: '生命周期', alias: 'life', aliasCodeType: 'unique', channelIds: ['ch-1'], remark: '备注', url: 'https://example.com/get', rule: { receiveFrom: '2026-03-01', receiveTo: '2026-03-20' }, items: [{ templateId: T.a.id, count: 3 }, { templateId: T.b.id, count: 1 }] },
    });
    const first = await read(p.id);
    assert.deepEqual([first.sendStatus, first.isDelete, first.useStatus, first.ticketPackageAliasCodeType], [1, false, 1, 1]);
    assert.deepEqual([first.remark, first.url, first.useChannels, first.createUserId, first.operatorId], ['备注', 'https://example.com/get', ['门店'], 'creator-1', 'creator-1']);
    assert.deepEqual([first.ticketPackageRule.totalCountLimit, first.ticketPackageRule.personalCountLimit], [null, null]);

    const steps: Array<[PackageMove, number, string | null]> = [
      ['submit', 2, null],
      ['reject', 3, '换个名字'],
      ['submit', 2, null],
      ['approve', 4, '好'],
      ['publish', 5, null],
      ['close', 6, null],
      ['delete', 7, null],
    ];
    for (const [move, sendStatus, suggestion] of steps) {
      clock.advance(1000);
      await movePackage(rt.deps, { tenantId: TENANT, actor: reviewer, packageId: p.id, move, suggestion });
      const now = await read(p.id);
      assert.equal(now.sendStatus, sendStatus, `after ${move}`);
      assert.equal(now.operatorId, reviewer.id);
      assert.equal(now.updateTime, clock.now());
      if (move === 'reject' || move === 'approve') assert.deepEqual([now.examinerId, now.suggestion], [reviewer.id, suggestion]);
    }
    const deleted = await read(p.id);
    assert.deepEqual([deleted.isDelete, deleted.createTime], [true, Date.parse(NOW)]);
  });

  it("op-v2 › useStatus turns 2 (expired) once the receive window's last day is over", async () => {
    await createPackage(rt.deps, { tenantId: TENANT, actor: reviewer, package: { id: 'pkg-window', name: '窗口', alias: 'w', aliasCodeType: 'shared', rule: { receiveFrom: '2026-03-01', receiveTo: '2026-03-31' }, items: [{ templateId: T.a.id, count: 1 }] } });
    try {
      clock.set('2026-03-31T23:59:59+08:00');
      assert.equal((await read('pkg-window')).useStatus, 1);
      clock.set('2026-04-01T00:00:00+08:00');
      assert.equal((await read('pkg-window')).useStatus, 2);
    } finally {
      clock.set(NOW);
    }
  });

  it('op-v2 › tickets carry their template, count, type, amount and rule in package order', async () => {
    await createPackage(rt.deps, { tenantId: TENANT, actor: reviewer, package: { id: 'pkg-tickets', name: '券', alias: 't', aliasCodeType: 'shared', items: [{ templateId: T.b.id, count: 2 }, { templateId: T.a.id, count: 5 }] } });
    const data = await read('pkg-tickets');
    assert.deepEqual(data.ticketPackageRule, { receiveStartTime: null, receiveEndTime: null, totalCountLimit: null, personalCountLimit: null, useChannels: [] });
    const [b, a] = data.tickets;
    assert.deepEqual([b.ticketCode, b.count, b.ticketType, b.ticketAmount, b.themeName], [T.b.code, 2, 2, 8.5, '春季']);
    assert.deepEqual([a.ticketCode, a.count, a.ticketType, a.ticketAmount, a.useChannels], [T.a.code, 5, 1, 1000, ['门店']]);
    assert.deepEqual(a.ticketRule, {
      useStartTime: Date.parse('2026-01-01T00:00:00+08:00'),
      useEndTime: Date.parse('2026-12-31T23:59:59+08:00'),
      productKinds: ['咖啡'],
      orderAmount: 0,
      maxAmount: 0,
      delayDay: null,
    });
  });
});
