/**
 * Reading a V3 CRM coupon request, entirely before anything is authenticated or recorded, so
 * bad input changes nothing (not even the nonce store). Every refusal names the field.
 */
import { Type } from 'typebox';
import { compileCheck } from '../../app/schemas/problems.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { USE_STATUS_FILTER } from './mapping.ts';
import type { TokenFields } from './signature.ts';

export interface V3Request {
  /** The fields the token signs, as sent. */
  signed: TokenFields;
  token: string;
  /** Epoch milliseconds of the (seconds) timestamp. */
  timestampMs: number;
  customerId: string;
  /** null: no filter (absent, null or ""). */
  useStatus: number | null;
  /** null: the whole list (absent, null or ""). */
  cardId: string | null;
}

const Params = Type.Object(
  {
    customerId: Type.String({ minLength: 1, maxLength: 64 }),
    // Checked below: the seed sends "" for "no filter", the table says int.
    useStatus: Type.Optional(Type.Unknown()),
    cardId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  // Other business fields (paging and the like) are signed with the rest, and otherwise ignored.
  { additionalProperties: true },
);

const Body = Type.Object(
  {
    openId: Type.String({ minLength: 1, maxLength: 100 }),
    grantCode: Type.String({ minLength: 1, maxLength: 100 }),
    timestamp: Type.Unknown(),
    nonce: Type.Unknown(),
    token: Type.String({ minLength: 1, maxLength: 200 }),
    params: Params,
  },
  // Partners' SDKs add fields of their own (a sign, a version…): ignored.
  { additionalProperties: true },
);
const checkBody = compileCheck(Body);

/** Seconds of this era have 10 digits; from 1e11 on it is milliseconds (year 5138 in seconds). */
const MS_FROM = 100_000_000_000;

/** Digits as sent (a JSON integer is taken as its decimal text). */
function digits(field: string, value: unknown, what: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw DomainError.field(field, `must be ${what}; got ${JSON.stringify(value)}`);
  return text;
}

function readTimestamp(value: unknown): { text: string; ms: number } {
  const text = digits('timestamp', value, 'a Unix time in seconds as a string of digits, such as "1547186244"');
  const n = Number(text);
  // Refused, never divided by 1000: the token signs the value as sent, and guessing would hide a client bug.
  if (n >= MS_FROM) throw new DomainError(ErrorCode.stale_request, `timestamp ${text} is in milliseconds; send Unix seconds (${Math.floor(n / 1000)})`);
  return { text, ms: n * 1000 };
}

function readNonce(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(text)) throw DomainError.field('nonce', `must be 1 to 64 printable ASCII characters (the seed uses a random positive integer); got ${JSON.stringify(value)}`);
  return text;
}

function readUseStatus(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || !(n in USE_STATUS_FILTER)) {
    throw DomainError.field('params.useStatus', `must be 0 (not used), 1 (redeemed), 2 (frozen), 6 (expired or closed), 7 (deleted) or empty for all; got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The body, checked: every field present and well formed. */
export function readRequest(body: unknown): V3Request {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.field('(body)', 'must be a JSON object {"openId", "grantCode", "timestamp", "nonce", "token", "params"} sent with Content-Type: application/json');
  }
  checkBody(body);
  const b = body as { openId: string; grantCode: string; timestamp: unknown; nonce: unknown; token: string; params: { customerId: string; useStatus?: unknown; cardId?: string | null } };
  const nonce = readNonce(b.nonce);
  const timestamp = readTimestamp(b.timestamp);
  const useStatus = readUseStatus(b.params.useStatus);
  return {
    signed: { grantCode: b.grantCode, nonce, openId: b.openId, params: b.params, timestamp: timestamp.text },
    token: b.token,
    timestampMs: timestamp.ms,
    customerId: b.params.customerId,
    useStatus,
    cardId: b.params.cardId ? b.params.cardId : null,
  };
}
