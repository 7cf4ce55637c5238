/**
 * A partner's side of OP v2, written from SPEC §4 alone (it never imports src/http/op-v2):
 * sign = md5(sorted "name=value" joined by "&" + "&body=" + body + "&key=" + secret), lowercase hex.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEMO_CREDENTIALS } from '../../../src/app/data/demo-dataset.ts';

export const DEMO_OP = DEMO_CREDENTIALS.op;

/** The sign of SPEC §4, computed independently of the code under test. */
export function partnerSign(params: Record<string, string>, body: string | Buffer, secret: string): string {
  const names = Object.keys(params)
    .filter((n) => n !== 'sign')
    .sort();
  const head = `${names.map((n) => `${n}=${params[n]}`).join('&')}&body=`;
  return createHash('md5').update(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body), Buffer.from(`&key=${secret}`, 'utf8')])).digest('hex');
}

export interface OpRequest {
  /** Route name, e.g. getTicketPackageById. */
  method: string;
  /** Sent exactly as given when a string or Buffer. */
  body: unknown;
  client?: string;
  secret?: string;
  /** Extra or overriding query parameters (timestamp, nonce, …); undefined removes one. */
  params?: Record<string, string | undefined>;
  /** Replaces the computed sign; null sends none. */
  sign?: string | null;
  /** Sign this body but send `body` (to change bytes after signing). */
  signedBody?: string | Buffer;
  contentType?: string;
}

export interface OpResponse {
  status: number;
  body: any;
}

/** The query parameters a request sends (before the sign). */
export function opParams(r: Pick<OpRequest, 'client' | 'params'>): Record<string, string> {
  const all: Record<string, string | undefined> = { apiVersion: '01', client: r.client ?? DEMO_OP.client, version: '2.0', ...r.params };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/** POSTs a signed OP v2 request through app.inject and parses the envelope. */
export async function opCall(app: FastifyInstance, r: OpRequest): Promise<OpResponse> {
  const payload = typeof r.body === 'string' || Buffer.isBuffer(r.body) ? r.body : JSON.stringify(r.body);
  const params = opParams(r);
  const sign = r.sign === undefined ? partnerSign(params, r.signedBody ?? payload, r.secret ?? DEMO_OP.secret) : r.sign;
  const query = new URLSearchParams({ ...params, ...(sign === null ? {} : { sign }) });
  const res = await app.inject({ method: 'POST', url: `/op/v2/${r.method}?${query}`, headers: { 'content-type': r.contentType ?? 'application/json' }, payload });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
