/**
 * Bad input to OP v2: always HTTP 200 with the envelope, code 400 (or 404), data null, a message
 * naming the field, the tenant's foot, and nothing changed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CHAT, DEMO_PACKAGE_ID } from '../../../src/app/data/demo-dataset.ts';
import { FixedClock } from '../../support/clock.ts';
import { demoServerPerFile } from './demo-server.ts';
import { opCall, type OpRequest } from './op-client.ts';

const clock = new FixedClock('2015-12-11T20:47:49+08:00');
const s = demoServerPerFile(clock, 'input');

async function expectFailure(r: OpRequest, code: number, message: RegExp): Promise<void> {
  const res = await opCall(s.app, r);
  assert.equal(res.status, 200, 'OP answers HTTP 200 even when refusing');
  assert.deepEqual(Object.keys(res.body), ['code', 'message', 'data', 'page', 'foot']);
  assert.equal(res.body.code, code, `${JSON.stringify(r.body)} → ${res.body.message}`);
  assert.equal(res.body.data, null);
  assert.match(res.body.message, message);
  // The client is known, so even a refusal carries its tenant's foot.
  assert.deepEqual(res.body.foot, { operationTime: '2015-12-11 20:47:49', servicePhone: '400800400', host: 'test-host' });
}

const PKG = 'getTicketPackageById';
const CHAT = 'getMergeTicketUsersByChatId';

describe('op-v2 bad input', () => {
  it('op-v2 › broken JSON is a 400 that says so', async () => {
    await expectFailure({ method: PKG, body: '{"TicketPackageId": ' }, 400, /参数错误: the request body is not valid JSON/);
    await expectFailure({ method: CHAT, body: "{'OwnerType': 1}" }, 400, /not valid JSON/);
  });

  it('op-v2 › a missing TicketPackageId or ChatId is a 400 naming it', async () => {
    await expectFailure({ method: PKG, body: {} }, 400, /TicketPackageId: is required/);
    await expectFailure({ method: PKG, body: { ticketPackageId: DEMO_PACKAGE_ID } }, 400, /TicketPackageId: is required/);
    await expectFailure({ method: PKG, body: { TicketPackageId: '' } }, 400, /TicketPackageId: is required/);
    await expectFailure({ method: CHAT, body: { OwnerType: 1 } }, 400, /ChatId: is required/);
    await expectFailure({ method: CHAT, body: { OwnerType: 1, ChatId: null } }, 400, /ChatId: is required/);
  });

  it('op-v2 › OwnerType 9 (or missing, or a string) is a 400 naming OwnerType', async () => {
    await expectFailure({ method: CHAT, body: { OwnerType: 9, ChatId: DEMO_CHAT.id } }, 400, /OwnerType: must be 1 \(user\) or 2 \(OP\), got 9/);
    await expectFailure({ method: CHAT, body: { OwnerType: '1', ChatId: DEMO_CHAT.id } }, 400, /OwnerType: must be 1 \(user\) or 2 \(OP\), got "1"/);
    await expectFailure({ method: CHAT, body: { ChatId: DEMO_CHAT.id } }, 400, /OwnerType: is required/);
    // Every bad field at once.
    await expectFailure({ method: CHAT, body: { OwnerType: 1.5, ChatId: 42, OperatorId: ['x'] } }, 400, /OwnerType: .*; ChatId: .*; OperatorId: /);
  });

  it('op-v2 › a body that is not an object, or no body, is a 400 naming the body', async () => {
    await expectFailure({ method: PKG, body: '[]' }, 400, /body: must be a JSON object/);
    await expectFailure({ method: PKG, body: '"1bfb390cc3144de3b45c662047693f8e"' }, 400, /body: must be a JSON object/);
    await expectFailure({ method: PKG, body: '' }, 400, /body: must be a JSON object/);
  });

  it('op-v2 › a body that is not JSON by its Content-Type is a 400 saying what to send', async () => {
    await expectFailure({ method: PKG, body: `{"TicketPackageId":"${DEMO_PACKAGE_ID}"}`, contentType: 'text/plain' }, 400, /Content-Type: application\/json/);
    await expectFailure({ method: PKG, body: 'TicketPackageId=x', contentType: 'application/x-www-form-urlencoded' }, 400, /Content-Type: application\/json/);
  });

  it('op-v2 › query parameters: apiVersion and version are required, none may repeat', async () => {
    await expectFailure({ method: PKG, body: { TicketPackageId: DEMO_PACKAGE_ID }, params: { apiVersion: undefined } }, 400, /query\.apiVersion: is required/);
    await expectFailure({ method: PKG, body: { TicketPackageId: DEMO_PACKAGE_ID }, params: { version: '' } }, 400, /query\.version: is required/);
    const res = await s.app.inject({ method: 'POST', url: '/op/v2/getTicketPackageById?client=a&client=b&sign=x', headers: { 'content-type': 'application/json' }, payload: '{}' });
    assert.deepEqual([res.statusCode, JSON.parse(res.body).code], [200, 400]);
    assert.match(JSON.parse(res.body).message, /query\.client: is given twice/);
  });

  it('op-v2 › an unknown package is a 404 naming it; an unknown route is a 404 listing the routes', async () => {
    await expectFailure({ method: PKG, body: { TicketPackageId: 'no-such-package' } }, 404, /package "no-such-package" does not exist/);
    await expectFailure({ method: 'getTicketPackageByCode', body: {} }, 404, /no route POST \/op\/v2\/getTicketPackageByCode; OP v2 has POST/);
  });

  it('op-v2 › fields of the wider OP family that these routes do not define are ignored', async () => {
    const res = await opCall(s.app, { method: PKG, body: { TicketPackageId: DEMO_PACKAGE_ID, CompanyId: 'x' } });
    assert.equal(res.body.code, 200, res.body.message);
  });

  it('op-v2 › bad input changes nothing: broken JSON does not even spend the nonce it carried', async () => {
    const params = { timestamp: String(clock.now()), nonce: 'n-broken-json' };
    // Broken JSON is refused before authentication, so its nonce is not spent …
    await expectFailure({ method: PKG, body: '{"TicketPackageId":', params }, 400, /not valid JSON/);
    assert.equal((await opCall(s.app, { method: PKG, body: { TicketPackageId: DEMO_PACKAGE_ID }, params })).body.code, 200);
    // … and the package read is unchanged by any of the refusals above.
    const again = await opCall(s.app, { method: PKG, body: { TicketPackageId: DEMO_PACKAGE_ID } });
    assert.deepEqual([again.body.data.sendStatus, again.body.data.updateTime], [1, Date.parse('2015-11-23T07:46:47.509Z')]);
  });
});
