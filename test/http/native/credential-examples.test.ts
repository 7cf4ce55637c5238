/** Signed examples per credential: sent back to the server as they are, each passes its dialect's authentication. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';

const s = serverPerFile();

async function send(example: { method: string; url: string; headers: Record<string, string>; body: string | null }) {
  const u = new URL(example.url);
  const res = await s.app.inject({ method: example.method as 'POST', url: u.pathname + u.search, headers: example.headers, ...(example.body !== null ? { payload: example.body } : {}) });
  return JSON.parse(res.body);
}

describe('credential examples', () => {
  it('examples › OP, CRM and V3 examples are signed with the credential and pass authentication', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const make = async (body: object) => (await call(s.app, 'POST', '/v1/credentials', keys.merchant, body)).body.credential.id as string;
    const op = await make({ kind: 'op' });
    const crm = await make({ kind: 'crm', channel: `ch-${Date.now()}` });
    const zv = await make({ kind: 'zv', channel: 'shop' });
    const ex = async (id: string) => (await call(s.app, 'GET', `/v1/credentials/${id}/example`, keys.merchant)).body;

    const opEx = await ex(op);
    assert.equal(opEx.dialect, 'op-v2');
    assert.match(opEx.curl, /^curl -s -X POST 'http:\/\//);
    // Authenticated: the package is unknown (404), not a bad sign (401).
    assert.equal((await send(opEx)).code, 404);

    const crmAnswer = await send(await ex(crm));
    assert.notEqual(crmAnswer.code, 0);
    assert.match(crmAnswer.msg, /member|会员/i, `the CRM answer is about the member, not the signature: ${crmAnswer.msg}`);

    const v3Answer = await send(await ex(zv));
    // A business failure (status true: nothing found) means the token, timestamp and nonce passed.
    assert.equal(v3Answer.status, true, JSON.stringify(v3Answer));

    const wechat = await make({ kind: 'wechat', appId: 'wx123', appSecret: 'sec' });
    assert.equal((await call(s.app, 'GET', `/v1/credentials/${wechat}/example`, keys.merchant)).status, 404);
    assert.equal((await call(s.app, 'GET', `/v1/credentials/${op}/example`, keys.cashier)).status, 403);
  });
});
