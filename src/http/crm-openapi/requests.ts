/**
 * Reading a CRM open API request: the outer body `{channel, timestamp, param}` and, once
 * decrypted, the business JSON `{memberId}` or `{platformId}`. Every refusal names the field;
 * fields this route does not use are ignored, as partners' SDKs send some of their own.
 */
import { Type } from 'typebox';
import { compileCheck } from '../../app/schemas/problems.ts';
import type { MemberRef } from '../../app/wallets/member-coupons.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { CrmCode, CrmError } from './errors.ts';

export interface CrmRequest {
  channel: string;
  /** Epoch milliseconds. */
  timestamp: number;
  param: string;
}

const Body = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 100 }),
    // Checked below with a message that says what a timestamp must look like.
    timestamp: Type.Unknown(),
    param: Type.String({ maxLength: 65_536 }),
  },
  // Partners' SDKs add fields of their own (a sign, a version…): ignored, as the original API did.
  { additionalProperties: true },
);
const checkBody = compileCheck(Body);

/** Anything below this cannot be milliseconds of this era: it is seconds (or garbage). */
const MIN_MS = 100_000_000_000;

function readTimestamp(value: unknown): number {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,16}$/.test(text)) {
    throw DomainError.field('timestamp', `must be epoch milliseconds as a string of digits, such as "1581406120924"; got ${JSON.stringify(value)}`);
  }
  const ms = Number(text);
  if (ms < MIN_MS) throw new DomainError(ErrorCode.stale_request, `timestamp ${text} is not in milliseconds (it looks like seconds); send epoch milliseconds`);
  return ms;
}

/** The outer body, checked: channel, timestamp (ms) and param present and well typed. */
export function readRequest(body: unknown): CrmRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.field('(body)', 'must be a JSON object {"channel", "timestamp", "param"} sent with Content-Type: application/json');
  }
  // The seed's table lists the member ids beside the outer fields; without a param, say where they go.
  if (!('param' in body)) {
    const misplaced: FieldProblem[] = ['memberId', 'platformId'].filter((k) => k in body).map((field) => ({ field, message: 'belongs inside the encrypted param, not in the body' }));
    if (misplaced.length > 0) throw DomainError.invalid(misplaced);
  }
  checkBody(body);
  const b = body as { channel: string; timestamp: unknown; param: string };
  return { channel: b.channel, timestamp: readTimestamp(b.timestamp), param: b.param };
}

const notJson = (message: string) => new CrmError(CrmCode.paramNotJson, 'param 不是 JSON', message);

function idField(obj: Record<string, unknown>, field: 'memberId' | 'platformId'): string | null {
  const v = obj[field];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw DomainError.field(`param.${field}`, `must be a string, got ${JSON.stringify(v)}`);
  if (v.length > 128) throw DomainError.field(`param.${field}`, 'must be at most 128 characters');
  return v;
}

/** The decrypted business JSON: a UTF-8 object with memberId and/or platformId. */
export function readParam(plaintext: Buffer): MemberRef {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw notJson('the decrypted param is not UTF-8 text: the key is wrong or the plaintext was not UTF-8');
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw notJson(`the decrypted param is not JSON (${(e as Error).message}); it must be an object such as {"memberId":"…"}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw notJson(`the decrypted param must be a JSON object such as {"memberId":"…"}, got ${text.slice(0, 40)}`);
  const record = obj as Record<string, unknown>;
  // Other business fields (paging and the like) are ignored: this route lists every coupon.
  const ref = { memberId: idField(record, 'memberId'), platformId: idField(record, 'platformId') };
  if (!ref.memberId && !ref.platformId) throw new CrmError(CrmCode.memberIdMissing, '会员ID和平台ID不可同时为空', 'param must carry memberId or platformId; both are empty');
  return ref;
}
