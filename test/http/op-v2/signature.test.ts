/**
 * OP v2 signature vectors. Every sign here is computed by the test's own MD5 code from SPEC §4
 * (op-client.ts), never by src/http/op-v2/signature.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEMO_CHAT } from '../../../src/app/data/demo-dataset.ts';
import { FixedClock } from '../../support/clock.ts';
import { testServer } from '../../support/http.ts';
import { demoServerPerFile } from './demo-server.ts';
import { DEMO_OP, opCall, partnerSign, type OpRequest } from './op-client.ts';

const clock = new FixedClock('2015-12-11T20:47:49+08:00');
const s = demoServerPerFile(clock, 'sig');

const BODY = `{"OwnerType":1,"ChatId":"${DEMO_CHAT.id}"}`;
const chat = (over: Partial<OpRequest> = {}) => opCall(s.app, { method: 'getMergeTicketUsersByChatId', body: BODY, ...over });

async function refused(over: Partial<OpRequest>, code: number, message: RegExp): Promise<void> {
  const res = await chat(over);
  assert.equal(res.status, 200, 'OP answers HTTP 200 even when refusing');
  assert.equal(res.body.code, code, res.body.message);
  assert.equal(res.body.data, null);
  assert.match(res.body.message, message);
}

describe('op-v2 signature', () => {
  it('op-v2 › the worked example of the README is what SPEC §4 computes', () => {
    const raw = 'apiVersion=01&client=70374ddd0f3641368d419b2d93127b8f&version=2.0&body={"TicketPackageId":"1bfb390cc3144de3b45c662047693f8e"}&key=op-secret';
    assert.equal(createHash('md5').update(raw, 'utf8').digest('hex'), '8a0595c2aee5bcf462dc2d8d38f3e6f1');
    const params = { version: '2.0', client: DEMO_OP.client, apiVersion: '01' };
    assert.equal(partnerSign(params, '{"TicketPackageId":"1bfb390cc3144de3b45c662047693f8e"}', 'op-secret'), '8a0595c2aee5bcf462dc2d8d38f3e6f1');
    const withNonce = { ...params, timestamp: '1449838069000', nonce: '7c4f0e1a' };
    assert.equal(partnerSign(withNonce, '{"TicketPackageId":"1bfb390cc3144de3b45c662047693f8e"}', 'op-secret'), '7c9424f03c0dbae09dc74ca5875dca82');
  });

  it('op-v2 › the server accepts the README example as printed', async () => {
    const body = '{"TicketPackageId":"1bfb390cc3144de3b45c662047693f8e"}';
    const res = await opCall(s.app, { method: 'getTicketPackageById', body, sign: '8a0595c2aee5bcf462dc2d8d38f3e6f1' });
    assert.equal(res.body.code, 200, res.body.message);
    // The timestamp example stands at 2015-12-11 20:47:49 in Shanghai, this test's clock.
    const timed = await opCall(s.app, { method: 'getTicketPackageById', body, params: { timestamp: '1449838069000', nonce: '7c4f0e1a' }, sign: '7c9424f03c0dbae09dc74ca5875dca82' });
    assert.equal(timed.body.code, 200, timed.body.message);
  });

  it('op-v2 › accepts a valid sign, in lower or upper case', async () => {
    const ok = await chat();
    assert.equal(ok.body.code, 200, ok.body.message);
    assert.equal(ok.body.data.canUse.length, 3);
    const upper = partnerSign({ apiVersion: '01', client: DEMO_OP.client, version: '2.0' }, BODY, DEMO_OP.secret).toUpperCase();
    assert.equal((await chat({ sign: upper })).body.code, 200);
  });

  it('op-v2 › refuses a sign made with the wrong secret', async () => {
    await refused({ secret: 'op-secreT' }, 401, /sign does not match/);
  });

  it('op-v2 › refuses a body with one byte changed after signing', async () => {
    const changed = BODY.replace('"OwnerType":1', '"OwnerType":2');
    assert.equal(Buffer.byteLength(changed), Buffer.byteLength(BODY));
    await refused({ body: changed, signedBody: BODY }, 401, /sign does not match/);
    // Whitespace is part of the bytes as sent: a re-serialised body is another body.
    await refused({ body: `${BODY} `, signedBody: BODY }, 401, /sign does not match/);
  });

  it('op-v2 › refuses a short, a long, a non-hex, an empty and a missing sign without failing', async () => {
    const good = partnerSign({ apiVersion: '01', client: DEMO_OP.client, version: '2.0' }, BODY, DEMO_OP.secret);
    await refused({ sign: good.slice(0, 31) }, 401, /sign does not match/);
    await refused({ sign: `${good}0` }, 401, /sign does not match/);
    await refused({ sign: 'zz'.repeat(16) }, 401, /sign does not match/);
    await refused({ sign: '签名'.repeat(16) }, 401, /sign does not match/);
    await refused({ sign: '' }, 401, /sign is missing/);
    await refused({ sign: null }, 401, /sign is missing/);
  });

  it('op-v2 › refuses an unknown or missing client', async () => {
    await refused({ client: 'ffffffffffffffffffffffffffffffff' }, 401, /client "ffffffffffffffffffffffffffffffff" is unknown/);
    await refused({ params: { client: undefined } }, 401, /client is missing/);
  });

  it('op-v2 › signs every query parameter, sorted by name, extra ones included', async () => {
    const extra = await chat({ params: { zeta: 'last', alpha: 'first' } });
    assert.equal(extra.body.code, 200, extra.body.message);
    const good = partnerSign({ apiVersion: '01', client: DEMO_OP.client, version: '2.0' }, BODY, DEMO_OP.secret);
    // The same sign without the extra parameters it now has to cover:
    await refused({ params: { alpha: 'first' }, sign: good }, 401, /"alpha=first&apiVersion=01&client=.*&version=2.0&body="/);
  });

  it('op-v2 › accepts timestamp + nonce once, and refuses the same nonce again, even on another server', async () => {
    const params = { timestamp: String(clock.now() - 60_000), nonce: 'n-replay-1' };
    assert.equal((await chat({ params })).body.code, 200);
    await refused({ params }, 401, /nonce "n-replay-1" was already used/);
    // Another process sharing the store (here: a second server on it) refuses it too.
    const other = await testServer(s.rt.deps);
    try {
      const res = await opCall(other, { method: 'getMergeTicketUsersByChatId', body: BODY, params });
      assert.equal(res.body.code, 401);
    } finally {
      await other.close();
    }
  });

  it('op-v2 › refuses a timestamp 6 minutes old or ahead, accepts one 4 minutes old', async () => {
    await refused({ params: { timestamp: String(clock.now() - 6 * 60_000), nonce: 'n-stale-1' } }, 401, /more than 5 minutes away/);
    await refused({ params: { timestamp: String(clock.now() + 6 * 60_000), nonce: 'n-stale-2' } }, 401, /more than 5 minutes away/);
    assert.equal((await chat({ params: { timestamp: String(clock.now() - 4 * 60_000), nonce: 'n-fresh-1' } })).body.code, 200);
  });

  it('op-v2 › a bad sign does not spend the nonce', async () => {
    const params = { timestamp: String(clock.now()), nonce: 'n-forged-1' };
    await refused({ params, secret: 'guess' }, 401, /sign does not match/);
    assert.equal((await chat({ params })).body.code, 200);
  });

  it('op-v2 › timestamp and nonce are each optional (SPEC §4), and must be well-formed', async () => {
    // A timestamp alone: only the 5-minute window applies.
    assert.equal((await chat({ params: { timestamp: String(clock.now() - 60_000) } })).body.code, 200);
    await refused({ params: { timestamp: String(clock.now() - 6 * 60_000) } }, 401, /more than 5 minutes away/);
    // A nonce alone: accepted once, then refused as a replay.
    assert.equal((await chat({ params: { nonce: 'n-alone' } })).body.code, 200);
    await refused({ params: { nonce: 'n-alone' } }, 401, /nonce "n-alone" was already used/);
    await refused({ params: { timestamp: '2015-12-11', nonce: 'n-bad-ts' } }, 400, /query\.timestamp: must be epoch milliseconds/);
    await refused({ params: { timestamp: String(clock.now()), nonce: 'x'.repeat(65) } }, 400, /query\.nonce: must be 1 to 64/);
  });
});
