/**
 * CRM open API (SPEC §5, seed 002): DES interop vectors made outside couponhub, the seed's
 * example answered field for field, the status mapping, and every refusal in the envelope.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { putUser } from '../../../src/app/catalog/catalog.ts';
import { claimTemplate } from '../../../src/app/claims/claim-template.ts';
import { demoDataset, DEMO_MEMBER, DEMO_TENANT_ID } from '../../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { FixedClock } from '../../support/clock.ts';
import { ACTOR } from '../../support/factories.ts';
import { testServer } from '../../support/http.ts';
import { testRuntime, type TestRuntime } from '../../support/store.ts';
import { crmBody, crmList, crmPost, desEcb, DEMO_CRM, encryptParam, pkcs5 } from './crm-client.ts';

/** The seed's request timestamp: 2020-02-11 15:28:40.924 in Asia/Shanghai, a Tuesday. */
const SEED_TS = 1581406120924;
const clock = new FixedClock(SEED_TS);
let rt: TestRuntime;
let app: FastifyInstance;

/**
 * Ciphertexts made with the OpenSSL command line's single DES (legacy provider), not with Node:
 *   printf '%s' '<plaintext>' | openssl enc -des-ecb -K 6b3379216b337921 -nosalt \
 *     -provider legacy -provider default | xxd -p      (6b3379216b337921 = "k3y!k3y!")
 */
const VECTORS = {
  ascii: { plaintext: '{"memberId":"K1H93QDKI00B7"}', hex: '879A01077CCC4083691D81C3204C70755FC61A5890353BB8EDB846FF462CB5AC' },
  chinese: { plaintext: '{"platformId":"微信用户-张三"}', hex: '785842969FE1CC07760C3B0CC7F1F2BBE9B905A6087DD91175D18F5BE368B05A6A647FAFE2A4BC0F' },
  eightBytes: { plaintext: '{"a":12}', hex: 'AAB7BF6F33E389ACD04BA1EB3D2A011B' },
  emptyObject: { plaintext: '{}', hex: 'D83C28A07BD57C67' },
} as const;
/** E_k(08 08 08 08 08 08 08 08): the whole padding block after an 8-byte plaintext. */
const PADDING_BLOCK = 'D04BA1EB3D2A011B';

const seedResponse = JSON.parse(readFileSync(join(import.meta.dirname, 'seed-002-response.json'), 'utf8'));
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
const raw = (hex: string, over: Record<string, unknown> = {}) => ({ channel: DEMO_CRM.channel, timestamp: String(clock.now()), param: hex, ...over });

before(async () => {
  rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
  await putUser(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, userId: 'M-zh', platformIds: ['微信用户-张三'] });
  await claimTemplate(rt.deps, { tenantId: DEMO_TENANT_ID, actor: ACTOR, templateId: 'H3UA24SI6830', userId: 'M-zh' });
  app = await testServer(rt.deps);
});
after(async () => {
  await app.close();
  await rt.done();
});

describe('crm-openapi', () => {
  it('crm-openapi › the DES helper reproduces the classic vector and the OpenSSL-made ones', () => {
    const classic = desEcb(Buffer.from('133457799BBCDFF1', 'hex'), Buffer.from('0123456789ABCDEF', 'hex'));
    assert.equal(classic.toString('hex').toUpperCase(), '85E813540F0AB405');
    for (const v of Object.values(VECTORS)) assert.equal(encryptParam(v.plaintext), v.hex, v.plaintext);
    assert.equal(VECTORS.eightBytes.hex.length, 32, 'an 8-byte plaintext takes two blocks');
    assert.equal(VECTORS.eightBytes.hex.slice(16), PADDING_BLOCK);
    assert.deepEqual([...pkcs5(Buffer.from('12345678')).subarray(8)], [8, 8, 8, 8, 8, 8, 8, 8]);
  });

  it("crm-openapi › answers the seed's example field for field (ASCII vector)", async () => {
    const r = await crmPost(app, raw(VECTORS.ascii.hex, { timestamp: String(SEED_TS) }));
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['msg', 'code', 'data']);
    assert.deepEqual([r.body.msg, r.body.code], ['操作成功', 0]);
    assert.deepEqual(r.body.data.list.toSorted(byId), seedResponse.data.list.toSorted(byId));
    assert.deepEqual(Object.keys(r.body.data.list[0]), Object.keys(seedResponse.data.list[0]), 'field order of the seed');
  });

  it('crm-openapi › decrypts a Chinese UTF-8 param and finds the member by platformId', async () => {
    const r = await crmPost(app, raw(VECTORS.chinese.hex));
    assert.equal(r.body.code, 0, r.body.msg);
    assert.equal(r.body.data.list.length, 1);
    assert.deepEqual([r.body.data.list[0].mmbid, r.body.data.list[0].openid, r.body.data.list[0].cpnid], ['M-zh', '微信用户-张三', 'H3UA24SI6830']);
  });

  it('crm-openapi › an 8-byte payload (a whole padding block follows) and an empty object decrypt and are read', async () => {
    // Each answer quotes what only a correct decryption could have found in the plaintext.
    // A wrong decryption would be refused as not hex, not whole blocks or not JSON (1004 / 1005).
    const eight = await crmPost(app, raw(VECTORS.eightBytes.hex));
    assert.deepEqual([eight.body.code, eight.body.data], [1006, null]);
    assert.match(eight.body.msg, /memberId or platformId/);
    const empty = await crmPost(app, raw(VECTORS.emptyObject.hex));
    assert.deepEqual([empty.body.code, empty.body.data], [1006, null]);
    assert.match(empty.body.msg, /memberId or platformId/);
  });

  it('crm-openapi › ignores fields it does not use, outside and inside param (partners send their own)', async () => {
    const r = await crmPost(app, { ...crmBody({ memberId: DEMO_MEMBER.id, pageNo: 1 }, clock.now()), sign: 'abc', memberId: DEMO_MEMBER.id });
    assert.equal(r.body.code, 0, r.body.msg);
    assert.equal(r.body.data.list.length, 8);
  });

  it('crm-openapi › accepts lowercase hex and a numeric timestamp; lists by memberId', async () => {
    const r = await crmPost(app, { channel: DEMO_CRM.channel, timestamp: clock.now(), param: VECTORS.ascii.hex.toLowerCase() });
    assert.equal(r.body.code, 0, r.body.msg);
    assert.equal(r.body.data.list.length, 8);
    assert.ok(r.body.data.list.every((i: { mmbid: string; openid: string }) => i.mmbid === DEMO_MEMBER.id && i.openid === DEMO_MEMBER.openid));
  });

  it('crm-openapi › accepts a timestamp 4:59 away either way', async () => {
    for (const delta of [-299_000, 299_000]) {
      const r = await crmPost(app, crmBody({ memberId: DEMO_MEMBER.id }, clock.now() + delta));
      assert.equal(r.body.code, 0, `${delta}: ${r.body.msg}`);
    }
  });
});

describe('crm-openapi › refusals', () => {
  const cases: Array<[string, () => unknown, number, RegExp]> = [
    ['a param encrypted under another key', () => raw(encryptParam(VECTORS.ascii.plaintext, 'wrongkey')), 1004, /does not decrypt under the channel's DES key/],
    ['odd-length param', () => raw(VECTORS.ascii.hex.slice(0, -1)), 1004, /odd number of hex digits/],
    ['non-hex param', () => raw(`${VECTORS.ascii.hex.slice(0, -2)}ZZ`), 1004, /hexadecimal.*"Z"/],
    ['param not whole blocks', () => raw(VECTORS.ascii.hex.slice(0, -2)), 1004, /whole 8-byte DES blocks/],
    ['empty param', () => raw(''), 1004, /param is empty/],
    ['plaintext not JSON', () => crmBody('memberId=K1H93QDKI00B7', clock.now()), 1005, /not JSON/],
    ['plaintext a JSON array', () => crmBody('["K1H93QDKI00B7"]', clock.now()), 1005, /JSON object/],
    ['unknown channel', () => crmBody({ memberId: DEMO_MEMBER.id }, clock.now(), { channel: 'nobody' }), 1002, /channel "nobody" is unknown/],
    ['stale timestamp (6 minutes old)', () => crmBody({ memberId: DEMO_MEMBER.id }, clock.now() - 360_000), 1003, /5 minutes/],
    ['timestamp 6 minutes ahead', () => crmBody({ memberId: DEMO_MEMBER.id }, clock.now() + 360_000), 1003, /5 minutes/],
    ['timestamp in seconds', () => crmBody({ memberId: DEMO_MEMBER.id }, Math.floor(clock.now() / 1000)), 1003, /looks like seconds/],
    ['timestamp not digits', () => crmBody({ memberId: DEMO_MEMBER.id }, clock.now(), { timestamp: '2020-02-11' }), 1001, /timestamp/],
    ['neither memberId nor platformId', () => crmBody({ memberId: '', platformId: '' }, clock.now()), 1006, /memberId or platformId/],
    ['memberId not a string', () => crmBody({ memberId: 123 }, clock.now()), 1001, /param\.memberId: must be a string/],
    ['unknown member', () => crmBody({ memberId: 'NOBODY' }, clock.now()), 1007, /"NOBODY" does not exist/],
    ['unknown platformId', () => crmBody({ platformId: 'oNobody' }, clock.now()), 1007, /platform id "oNobody"/],
    ['memberId and platformId of different members', () => crmBody({ memberId: DEMO_MEMBER.id, platformId: '微信用户-张三' }, clock.now()), 1001, /belongs to member M-zh/],
    ['missing channel', () => ({ timestamp: String(clock.now()), param: VECTORS.ascii.hex }), 1001, /channel: is required/],
    ['memberId instead of param', () => ({ channel: DEMO_CRM.channel, timestamp: String(clock.now()), memberId: DEMO_MEMBER.id }), 1001, /memberId: belongs inside the encrypted param/],
    ['body not JSON', () => '{"channel": "hkl-test", ', 1001, /not valid JSON/],
  ];
  for (const [name, body, code, msg] of cases) {
    it(`crm-openapi › refuses ${name}: {msg, code ${code}, data: null}`, async () => {
      const r = await crmPost(app, body());
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body), ['msg', 'code', 'data']);
      assert.equal(r.body.code, code, r.body.msg);
      assert.equal(r.body.data, null);
      assert.match(r.body.msg, msg);
    });
  }

  it('crm-openapi › refuses a body that is not JSON by content type, in the envelope', async () => {
    const r = await crmPost(app, 'channel=hkl-test', 'text/plain');
    assert.deepEqual([r.status, r.body.code, r.body.data], [200, 1001, null]);
    assert.match(r.body.msg, /Content-Type: application\/json/);
  });
});

describe('crm-openapi › routing', () => {
  it('crm-openapi › a trailing slash reaches the same route', async () => {
    const res = await app.inject({ method: 'POST', url: '/openapi/v1/listCpnItemByMember/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(crmBody({ memberId: DEMO_MEMBER.id }, clock.now())) });
    assert.equal(JSON.parse(res.body).code, 0);
  });
});
