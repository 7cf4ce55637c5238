/**
 * V3 CRM coupon (SPEC §6, seed 003): the token scheme from a vector made outside couponhub, the
 * seed's example answered, tokens travelling encoded or plain, the replay window and nonces,
 * the status filter, and both failure envelopes exactly as the seed shows them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { demoDataset, DEMO_CUSTOMER } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { DEMO_ZV, freshNonce, partnerToken, signingString, v3Body, v3Call, v3Post, type Signed } from './v3-client.ts';

/** Inside the seed coupon's validity (2019-08-24 … 2019-11-03). */
const clock = new FixedClock('2019-10-20T02:00:00Z');
let rt: TestRuntime;
let app: FastifyInstance;

const seedRequest = JSON.parse(readFileSync(join(import.meta.dirname, 'seed-003-request.json'), 'utf8'));
const seedResponse = JSON.parse(readFileSync(join(import.meta.dirname, 'seed-003-response.json'), 'utf8'));
const at = () => ({ nowMs: clock.now() });
const customer = { customerId: DEMO_CUSTOMER.id };

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

describe('v3-crm', () => {
  it("v3-crm › the partner helper reproduces a token made with the OpenSSL command line (seed's request shape)", () => {
    const f: Signed = { openId: seedRequest.openId, grantCode: seedRequest.grantCode, timestamp: seedRequest.timestamp, nonce: seedRequest.nonce, params: seedRequest.params };
    assert.equal(signingString(f), 'grantCode=782c281f62&nonce=658965&openId=6dc05b4ac175cf316d226252b05cf685&params={"cardId":"390913445498200065","customerId":"383933091455959041","useStatus":""}&timestamp=1547186244');
    // printf '%s' '<the string above>' | openssl dgst -sha1 -hmac zv-secret -binary | base64
    assert.equal(partnerToken(f, 'zv-secret'), 'mCdTLYaiqhTt/0hyZOrKLfQWHHM=');
  });

  it("v3-crm › answers the seed's request (cardId) with the single object of string values", async () => {
    const r = await v3Call(app, seedRequest.params, at());
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['status', 'code', 'message', 'data']);
    assert.deepEqual([r.body.status, r.body.code, r.body.message], ['true', '0', '成功']);
    assert.ok(!Array.isArray(r.body.data));
    assert.deepEqual(Object.keys(r.body.data), Object.keys(seedResponse.data), 'the fields of the seed, in its order');
    // The seed's example leaves title empty and truncates updatedAt ("17:10:2"); ours carry the real values.
    assert.deepEqual(r.body.data, { ...seedResponse.data, title: '奈雪满减券', updatedAt: '2019-10-15 17:10:28' });
    assert.ok(Object.values(r.body.data).every((v) => typeof v === 'string'));
  });

  it('v3-crm › without cardId answers the list; an unknown customer is the business failure', async () => {
    const list = await v3Call(app, customer, at());
    assert.equal(list.body.status, 'true');
    assert.ok(Array.isArray(list.body.data));
    assert.deepEqual(list.body.data.map((c: { couponId: string }) => c.couponId), [DEMO_CUSTOMER.couponId]);
    const nobody = await v3Call(app, { customerId: '1' }, at());
    assert.deepEqual(nobody.body, { status: true, code: '40401', message: '查询的信息不存在' });
  });

  it('v3-crm › an unknown cardId is the business failure 查询的信息不存在, exactly as the seed shows', async () => {
    const r = await v3Call(app, { ...customer, cardId: '390913445498200066' }, at());
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: true, code: '40402', message: '查询的信息不存在' });
    assert.equal(typeof r.body.status, 'boolean');
  });

  it('v3-crm › accepts tokens holding +, / and = both URL-encoded and plain, and a + that arrived as a space', async () => {
    // Nonces whose tokens hold all three characters base64 adds to the alphabet.
    const bodies: Array<Record<string, unknown>> = [];
    for (let n = 1; n < 20_000 && bodies.length < 4; n++) {
      const b = v3Body(customer, { ...at(), nonce: `${Date.now() % 100_000}${n}`, token: 'plain' });
      if (/\+.*\/|\/.*\+/.test(b.token as string)) bodies.push(b);
    }
    assert.equal(bodies.length, 4);
    const forms: Array<[string, (t: string) => string]> = [
      ['plain', (t) => t],
      ['URL-encoded (seed style, %2B %2F %3D)', (t) => encodeURIComponent(t)],
      ['URL-encoded with lowercase hex', (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
      ['plain with + turned into a space', (t) => t.replaceAll('+', ' ')],
    ];
    for (const [i, [name, form]] of forms.entries()) {
      const b = bodies[i] as Record<string, unknown>;
      const token = form(b.token as string);
      if (name.startsWith('URL')) assert.match(token, /%2B/i);
      assert.ok((b.token as string).endsWith('='));
      const r = await v3Post(app, { ...b, token });
      assert.equal(r.body.status, 'true', `${name} (${token}): ${r.body.message}`);
    }
  });

  it('v3-crm › refuses a token made with another secret', async () => {
    const r = await v3Call(app, customer, { ...at(), secret: 'not-the-secret' });
    assert.deepEqual([r.status, r.body.status, r.body.code], [200, false, '40103']);
    assert.deepEqual(Object.keys(r.body), ['status', 'code', 'message']);
    assert.match(r.body.message, /token does not match/);
  });

  it('v3-crm › refuses a replayed nonce', async () => {
    const body = v3Body(customer, at());
    assert.equal((await v3Post(app, body)).body.status, 'true');
    const again = await v3Post(app, body);
    assert.deepEqual([again.body.status, again.body.code], [false, '40105']);
    assert.match(again.body.message, /nonce .* already used/);
  });

  it('v3-crm › a request refused before authentication does not burn its nonce', async () => {
    const nonce = freshNonce();
    const bad = await v3Call(app, customer, { ...at(), nonce, secret: 'wrong-secret' });
    assert.equal(bad.body.code, '40103');
    const badParams = await v3Call(app, { ...customer, useStatus: 5 }, { ...at(), nonce });
    assert.equal(badParams.body.code, '40000');
    const good = await v3Call(app, customer, { ...at(), nonce });
    assert.equal(good.body.status, 'true', good.body.message);
  });

  it('v3-crm › refuses a stale timestamp (6 minutes either way) and accepts 4:59', async () => {
    for (const deltaS of [-360, 360]) {
      const r = await v3Call(app, customer, { nowMs: clock.now() + deltaS * 1000 });
      assert.deepEqual([r.body.status, r.body.code], [false, '40104'], String(deltaS));
      assert.match(r.body.message, /5 minutes/);
    }
    for (const deltaS of [-299, 299]) assert.equal((await v3Call(app, customer, { nowMs: clock.now() + deltaS * 1000 })).body.status, 'true');
  });

  it('v3-crm › refuses a millisecond timestamp instead of reading it as seconds', async () => {
    const r = await v3Call(app, customer, { ...at(), timestamp: String(clock.now()) });
    assert.deepEqual([r.body.status, r.body.code], [false, '40104']);
    assert.match(r.body.message, /milliseconds; send Unix seconds/);
  });

  it('v3-crm › refuses an unknown openId and a grantCode of another openId', async () => {
    const r = await v3Call(app, customer, { ...at(), openId: 'ffffffffffffffffffffffffffffffff' });
    assert.deepEqual([r.body.status, r.body.code], [false, '40101']);
    assert.match(r.body.message, /openId "f+" is unknown/);
    const g = await v3Call(app, customer, { ...at(), grantCode: '0000000000' });
    assert.deepEqual([g.body.status, g.body.code], [false, '40102']);
  });

  it('v3-crm › bad params are a system failure naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [v3Body({ useStatus: 0 }, at()), /params\.customerId: is required/],
      [v3Body({ ...customer, useStatus: 3 }, at()), /params\.useStatus: must be 0/],
      [v3Body({ ...customer, useStatus: 'used' }, at()), /params\.useStatus/],
      [v3Body({ customerId: 383933091455959041 }, at()), /params\.customerId/],
      [{ ...v3Body(customer, at()), nonce: '' }, /nonce/],
      [{ ...v3Body(customer, at()), timestamp: '2019-10-20' }, /timestamp: must be a Unix time in seconds/],
      [(({ token: _t, ...rest }) => rest)(v3Body(customer, at())), /token: is required/],
      ['{"openId": ', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const r = await v3Post(app, body);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.status, r.body.code], [false, '40000'], JSON.stringify(body));
      assert.match(r.body.message, message);
    }
  });
});

describe('v3-crm › fields it does not use', () => {
  it('v3-crm › extra fields, in the body or signed in params, are ignored', async () => {
    const r = await v3Post(app, { ...v3Body({ ...customer, pageNo: 1 }, at()), sign: 'sdk-extra' });
    assert.deepEqual([r.body.status, r.body.code], ['true', '0'], JSON.stringify(r.body));
    assert.ok(Array.isArray(r.body.data));
  });
});
