/**
 * OP v2 getMergeTicketUsersByChatId, signed as SPEC §4 says, independently of the dialect's own
 * code: every query parameter but `sign`, sorted by name, `name=value` joined by `&`, then
 * `&body=` + the raw body, then `&key=` + the secret; lowercase hex MD5 of that UTF-8 string.
 */
import { createHash } from 'node:crypto';
import { BENCH } from './bench-data.ts';

export const OP_ROUTE = '/op/v2/getMergeTicketUsersByChatId';

export function opSign(params: Record<string, string>, body: string, secret: string): string {
  const base = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5').update(`${base}&body=${body}&key=${secret}`, 'utf8').digest('hex');
}

/** The request: no timestamp, so the same signed request may be sent many times (no nonce rule). */
export function opChatRequest(): { path: string; body: string } {
  const body = JSON.stringify({ OwnerType: 1, ChatId: BENCH.chatId });
  const params = { apiVersion: '01', client: BENCH.op.client, version: '2.0' };
  const sign = opSign(params, body, BENCH.op.secret);
  const query = new URLSearchParams({ ...params, sign }).toString();
  return { path: `${OP_ROUTE}?${query}`, body };
}

export type Availability = { ok: true; body: string } | { ok: false; why: string };

interface Envelope {
  code?: number;
  message?: string;
  data?: { canUse?: Array<{ count?: number }>; freeze?: Array<{ count?: number }> } | null;
}

/** One request before the rounds: is the route there, and does it answer the chat's 200 coupons? */
export async function probeOpV2(baseUrl: string): Promise<Availability> {
  const { path, body } = opChatRequest();
  const res = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  if (res.status === 404) return { ok: false, why: `not available: ${OP_ROUTE} answers 404 (the OP v2 dialect is not mounted yet)` };
  let env: Envelope;
  try {
    env = JSON.parse(text) as Envelope;
  } catch {
    return { ok: false, why: `not available: HTTP ${res.status}, body is not JSON: ${text.slice(0, 120)}` };
  }
  if (res.status !== 200 || env.code !== 200) return { ok: false, why: `not available: HTTP ${res.status}, envelope code ${env.code}: ${env.message ?? text.slice(0, 120)}` };
  const counted = [...(env.data?.canUse ?? []), ...(env.data?.freeze ?? [])].reduce((n, g) => n + (g.count ?? 0), 0);
  if (counted !== BENCH.chatCoupons) return { ok: false, why: `wrong answer: the chat holds ${BENCH.chatCoupons} coupons, the response counts ${counted}` };
  return { ok: true, body: text };
}
