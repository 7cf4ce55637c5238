/**
 * OP v2 request bodies, checked by hand so every refusal names the PascalCase field the partner
 * sent. Fields the seeds do not define are ignored: partners of the wider OP family send more.
 */
import type { OwnerType } from '../../domain/coupon.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';

const MAX_ID_LENGTH = 64;

function bodyObject(body: unknown, example: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.field('body', `must be a JSON object such as ${example}`);
  }
  return body as Record<string, unknown>;
}

function id(problems: FieldProblem[], body: Record<string, unknown>, field: string, required: boolean): string | null {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) problems.push({ field, message: 'is required: a non-empty string' });
    return null;
  }
  if (typeof v !== 'string' || v.length > MAX_ID_LENGTH) {
    problems.push({ field, message: `must be a string of at most ${MAX_ID_LENGTH} characters, got ${JSON.stringify(v)}` });
    return null;
  }
  return v;
}

/** 2.6: `{"TicketPackageId": "…"}`. */
export function parsePackageRequest(body: unknown): { ticketPackageId: string } {
  const b = bodyObject(body, '{"TicketPackageId": "1bfb390cc3144de3b45c662047693f8e"}');
  const problems: FieldProblem[] = [];
  const ticketPackageId = id(problems, b, 'TicketPackageId', true);
  if (problems.length > 0 || ticketPackageId === null) throw DomainError.invalid(problems);
  return { ticketPackageId };
}

export interface MergeRequest {
  ownerType: OwnerType;
  chatId: string;
  /** null when absent or empty. */
  operatorId: string | null;
}

const OWNER_TYPES: Record<number, OwnerType> = { 1: 'user', 2: 'operator' };

/** 2.13: `{"OwnerType": 1 | 2, "ChatId": "…", "OperatorId"?: "…"}`. */
export function parseMergeRequest(body: unknown): MergeRequest {
  const b = bodyObject(body, '{"OwnerType": 1, "ChatId": "u00011234567890"}');
  const problems: FieldProblem[] = [];
  const raw = b.OwnerType;
  const ownerType = typeof raw === 'number' ? OWNER_TYPES[raw] : undefined;
  if (raw === undefined || raw === null) problems.push({ field: 'OwnerType', message: 'is required: 1 (user) or 2 (OP)' });
  else if (!ownerType) problems.push({ field: 'OwnerType', message: `must be 1 (user) or 2 (OP), got ${JSON.stringify(raw)}` });
  const chatId = id(problems, b, 'ChatId', true);
  const operatorId = id(problems, b, 'OperatorId', false);
  if (problems.length > 0 || !ownerType || chatId === null) throw DomainError.invalid(problems);
  return { ownerType, chatId, operatorId };
}
