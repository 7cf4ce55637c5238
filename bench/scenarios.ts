/**
 * What each run sends. A scenario and its ceiling use the same request factory (same path,
 * headers, body shape and response handling), so the only difference left is the server.
 */
import { BENCH } from './bench-data.ts';
import type { LoadSpec } from './load.ts';
import { opChatRequest } from './op-v2.ts';
import { serial } from './seed-sql.ts';

export type Shape = 'claim' | 'validate' | 'redeem' | 'opv2';

/** What a server acknowledged and what looked wrong, across every run against one store. */
export interface Ledger {
  /** Ids from 201 bodies: each must exist after the server is killed. */
  acked: string[];
  /** Requests sent but unanswered when runs stopped: the server may still have committed them. */
  inFlight: number;
  /** 200 answers whose body says failure (partner envelopes). */
  badBodies: number;
  /** Redeem requests past the end of the pre-issued pool (would be refusals, not load). */
  poolOverrun: number;
}

export const newLedger = (): Ledger => ({ acked: [], inFlight: 0, badBodies: 0, poolOverrun: 0 });

const json = (key: string): Record<string, string> => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

/** The id at the start of a JSON object (coupons and redemptions answer `{"id":"…",`). */
function idOf(body: string): string | null {
  const m = /"id"\s*:\s*"([^"]+)"/.exec(body.slice(0, 200));
  return m?.[1] ?? null;
}

const ackInto = (ledger: Ledger) => (status: number, body: string) => {
  if (status !== 201) return;
  const id = idOf(body);
  if (id) ledger.acked.push(id);
  else ledger.badBodies++;
};

/** Counters that outlive single runs, so no user, coupon or key is ever sent twice. */
export interface Counters {
  tag: string;
  claims: number;
  redeems: number;
}

/** 秒杀: every request a new user claiming the one hot template. */
export function claimSpec(c: Counters, ledger: Ledger, templateId: string = BENCH.hotTemplateId): LoadSpec {
  return {
    method: 'POST',
    path: `/v1/templates/${templateId}/claims`,
    headers: json(BENCH.clientKey),
    next: () => ({ body: JSON.stringify({ userId: `bench-${c.tag}-${++c.claims}` }) }),
    onResponse: ackInto(ledger),
  };
}

/** A cashier's "would this coupon work on this order?", the same usable coupon every time. */
export function validateSpec(): LoadSpec {
  return {
    method: 'POST',
    path: '/v1/redemptions/validate',
    headers: json(BENCH.cashierKey),
    body: JSON.stringify({ code: BENCH.validateCode, order: { id: 'bench-order-validate', amount: 5000, productKindIds: [], channelId: null } }),
  };
}

/** 核销: each request spends the next pre-issued coupon, under its own Idempotency-Key. */
export function redeemSpec(c: Counters, pool: number, ledger: Ledger): LoadSpec {
  return {
    method: 'POST',
    path: '/v1/redemptions',
    headers: json(BENCH.cashierKey),
    next: () => {
      const i = c.redeems++;
      if (i >= pool) ledger.poolOverrun++;
      return {
        body: JSON.stringify({ code: `R${serial(i % Math.max(pool, 1))}`, order: { id: `bench-order-${c.tag}-${i}`, amount: 5000, productKindIds: [], channelId: null } }),
        headers: { 'idempotency-key': `bench-${c.tag}-${i}` },
      };
    },
    onResponse: ackInto(ledger),
  };
}

/** OP v2 chat query for a chat holding 200 coupons; a 200 whose envelope is not code 200 is a failure. */
export function opv2Spec(ledger: Ledger): LoadSpec {
  const { path, body } = opChatRequest();
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body,
    onResponse: (status, text) => {
      if (status === 200 && !text.includes('"code":200')) ledger.badBodies++;
    },
  };
}

/** The chat user's wallet (200 coupons); Server-Timing durations go to `timings`. */
export function walletSpec(timings: number[]): LoadSpec {
  return {
    method: 'GET',
    path: `/v1/users/${BENCH.chatUserId}/coupons?limit=200`,
    headers: { authorization: `Bearer ${BENCH.clientKey}` },
    onResponse: (_status, _body, headers) => {
      const h = headers['server-timing'];
      const m = typeof h === 'string' ? /dur=([\d.]+)/.exec(h) : null;
      if (m) timings.push(Number(m[1]));
    },
  };
}

/** `templateId`: the template claimed (claim rows; the hot one by default). */
export function specFor(shape: Shape, c: Counters, pool: number, ledger: Ledger, templateId?: string): LoadSpec {
  switch (shape) {
    case 'claim':
      return claimSpec(c, ledger, templateId);
    case 'validate':
      return validateSpec();
    case 'redeem':
      return redeemSpec(c, pool, ledger);
    case 'opv2':
      return opv2Spec(ledger);
  }
}
