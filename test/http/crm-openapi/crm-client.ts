/**
 * A partner's side of the CRM open API, written from SPEC §5 alone (it never imports
 * src/http/crm-openapi): DES/ECB with PKCS#5 padding done by hand, uppercase hex.
 */
import { createCipheriv } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEMO_CREDENTIALS } from '../../../src/app/data/demo-dataset.ts';

export const DEMO_CRM = DEMO_CREDENTIALS.crm;
export const ROUTE = '/openapi/v1/listCpnItemByMember';

/** PKCS#5: pad to whole 8-byte blocks with n bytes of value n (a whole block when already aligned). */
export function pkcs5(data: Buffer): Buffer {
  const n = 8 - (data.length % 8);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/** Single DES/ECB over whole blocks: 3DES-EDE with K1 = K2 = K3 is single DES. */
export function desEcb(key: Buffer, blocks: Buffer): Buffer {
  const c = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(blocks), c.final()]);
}

/** The `param` a partner sends: DES/ECB/PKCS5Padding of the UTF-8 text, uppercase hex. */
export function encryptParam(plaintext: string, key: string = DEMO_CRM.desKey): string {
  return desEcb(Buffer.from(key, 'utf8'), pkcs5(Buffer.from(plaintext, 'utf8'))).toString('hex').toUpperCase();
}

export interface CrmResponse {
  status: number;
  body: any;
}

/** POSTs a body (object → JSON; string sent as is) and parses the envelope. */
export async function crmPost(app: FastifyInstance, body: unknown, contentType = 'application/json'): Promise<CrmResponse> {
  const res = await app.inject({ method: 'POST', url: ROUTE, headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** A well-formed request for a business JSON at a time (ms). */
export function crmBody(param: object | string, now: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const plaintext = typeof param === 'string' ? param : JSON.stringify(param);
  return { channel: DEMO_CRM.channel, timestamp: String(now), param: encryptParam(plaintext), ...over };
}

/** Lists a member's coupons; answers the envelope. */
export async function crmList(app: FastifyInstance, param: object, now: number): Promise<CrmResponse> {
  return crmPost(app, crmBody(param, now));
}
