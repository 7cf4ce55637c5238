/**
 * A partner's side of the V3 CRM coupon API, written from SPEC §6 alone (it never imports
 * src/http/v3-crm): token = base64(HMAC-SHA1(secret, "grantCode=…&nonce=…&openId=…&params=
 * <keys sorted, no spaces>&timestamp=…")), sent URL-encoded like the seed's example.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEMO_CREDENTIALS } from '../../../src/app/data/demo-dataset.ts';

export const DEMO_ZV = DEMO_CREDENTIALS.zv;
export const ROUTE = '/v3/crm/coupon/getCustomerCoupons';

/** Sorted keys, no white space (params in these tests are flat objects of strings and numbers). */
export function sortedJson(obj: Record<string, unknown>): string {
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`)
    .join(',')}}`;
}

export interface Signed {
  openId: string;
  grantCode: string;
  timestamp: string;
  nonce: string;
  params: Record<string, unknown>;
}

export function signingString(f: Signed): string {
  return `grantCode=${f.grantCode}&nonce=${f.nonce}&openId=${f.openId}&params=${sortedJson(f.params)}&timestamp=${f.timestamp}`;
}

/** The plain base64 token. */
export function partnerToken(f: Signed, secret: string = DEMO_ZV.secret): string {
  return createHmac('sha1', secret).update(signingString(f), 'utf8').digest('base64');
}

let nonceSeq = 100_000;
/** A nonce not used before in this process. */
export const freshNonce = (): string => String(++nonceSeq + Math.floor(Math.random() * 1000) * 1_000_000);

export interface V3Options {
  nowMs: number;
  nonce?: string;
  timestamp?: string;
  secret?: string;
  openId?: string;
  grantCode?: string;
  /** How the token travels: URL-encoded (default, as in the seed), plain, or replaced. */
  token?: 'encoded' | 'plain' | { raw: string };
}

/** A signed body for params. */
export function v3Body(params: Record<string, unknown>, o: V3Options): Record<string, unknown> {
  const f: Signed = {
    openId: o.openId ?? DEMO_ZV.openId,
    grantCode: o.grantCode ?? DEMO_ZV.grantCode,
    timestamp: o.timestamp ?? String(Math.floor(o.nowMs / 1000)),
    nonce: o.nonce ?? freshNonce(),
    params,
  };
  const plain = partnerToken(f, o.secret);
  const token = typeof o.token === 'object' ? o.token.raw : o.token === 'plain' ? plain : encodeURIComponent(plain);
  return { openId: f.openId, grantCode: f.grantCode, timestamp: f.timestamp, nonce: f.nonce, token, params };
}

export async function v3Post(app: FastifyInstance, body: unknown): Promise<{ status: number; body: any }> {
  const res = await app.inject({ method: 'POST', url: ROUTE, headers: { 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** Signs and posts params; answers the envelope. */
export async function v3Call(app: FastifyInstance, params: Record<string, unknown>, o: V3Options): Promise<{ status: number; body: any }> {
  return v3Post(app, v3Body(params, o));
}
