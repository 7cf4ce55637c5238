/**
 * GET /tickets query, repository style (l5-repository, as the seed's Laravel back end):
 * `search=ticket_type:discount;begin_at:2018-01-01&searchFields=ticket_type:=;begin_at:>=`,
 * `searchJoin=and|or`, `orderBy`, `sortedBy`, `page`, `per_page`. Fields and operators are a
 * whitelist: an unknown one is refused with a 422 naming it, never ignored. Without searchFields
 * each field has its operator (the seed's line: ticket_type =, begin_at >=, end_at <).
 * Several conditions are joined with `and` unless searchJoin says `or`.
 */
import type { CardType } from '../../app/wechat/card.ts';
import type { TicketCondition, TicketField, TicketOp, TicketQuery } from '../../app/wechat/tickets.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { TEMPLATE_KINDS, type TemplateKind } from '../../domain/template.ts';
import { endOfLocalDay, parseDate, startOfLocalDay } from '../../domain/time.ts';
import { TICKET_TYPES } from './request.ts';

type Value = 'int' | 'date' | 'instant' | 'text' | 'type' | 'status' | 'flag';
type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'like' | 'in' | 'between';

interface FieldSpec {
  column: TicketField;
  ops: readonly Op[];
  defaultOp: Op;
  value: Value;
}

const ORDER: readonly Op[] = ['=', '!=', '>', '>=', '<', '<=', 'between'];
/** Looked up with Object.hasOwn only: names come from the query string (`toString` is not a field). */
const FIELDS: Record<string, FieldSpec> = {
  id: { column: 'number', ops: [...ORDER, 'in'], defaultOp: '=', value: 'int' },
  ticket_type: { column: 'kind', ops: ['=', '!=', 'in'], defaultOp: '=', value: 'type' },
  card_type: { column: 'kind', ops: ['=', '!=', 'in'], defaultOp: '=', value: 'type' },
  title: { column: 'name', ops: ['=', '!=', 'like'], defaultOp: 'like', value: 'text' },
  begin_at: { column: 'claim_from', ops: ORDER, defaultOp: '>=', value: 'date' },
  end_at: { column: 'claim_to', ops: ORDER, defaultOp: '<', value: 'date' },
  created_at: { column: 'created_at', ops: ['=', '>', '>=', '<', '<=', 'between'], defaultOp: '>=', value: 'instant' },
  updated_at: { column: 'updated_at', ops: ['=', '>', '>=', '<', '<=', 'between'], defaultOp: '>=', value: 'instant' },
  status: { column: 'status', ops: ['=', '!='], defaultOp: '=', value: 'status' },
  sync: { column: 'synced', ops: ['=', '!='], defaultOp: '=', value: 'flag' },
};
/** Operators l5-repository knows, with their spellings here. */
const OPERATORS: Record<string, Op> = { '=': '=', '!=': '!=', '<>': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=', like: 'like', ilike: 'like', in: 'in', between: 'between' };
const ORDERABLE = ['id', 'title', 'ticket_type', 'begin_at', 'end_at', 'created_at', 'updated_at', 'status'];
const PARAMS = ['search', 'searchFields', 'searchJoin', 'orderBy', 'sortedBy', 'page', 'per_page'];

export const DEFAULT_PER_PAGE = 15;
export const MAX_PER_PAGE = 100;

/** Kinds a card type stands for: GENERAL_COUPON shows every kind WeChat has no card type of its own for. */
function kindsOf(type: CardType): TemplateKind[] {
  const own: Partial<Record<CardType, TemplateKind>> = { CASH: 'cash', DISCOUNT: 'discount', GROUPON: 'groupon', GIFT: 'gift', MEMBER_CARD: 'member_card' };
  const kind = own[type];
  return kind ? [kind] : TEMPLATE_KINDS.filter((k) => !Object.values(own).includes(k));
}

class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string): undefined {
    this.list.push({ field, message });
    return undefined;
  }
}

function scalar(p: Problems, spec: FieldSpec, field: string, raw: string): string | number | string[] | undefined {
  switch (spec.value) {
    case 'int':
      return /^\d{1,12}$/.test(raw) ? Number(raw) : p.add(`search.${field}`, `must be an integer, got ${JSON.stringify(raw)}`);
    case 'date':
    case 'instant':
      return parseDate(raw) ? raw : p.add(`search.${field}`, `must be a date yyyy-MM-dd, got ${JSON.stringify(raw)}`);
    case 'text':
      return raw.length <= 100 ? raw : p.add(`search.${field}`, 'must be at most 100 characters');
    case 'type': {
      const type = Object.hasOwn(TICKET_TYPES, raw.toLowerCase()) ? TICKET_TYPES[raw.toLowerCase()] : undefined;
      return type ? kindsOf(type) : p.add(`search.${field}`, `must be one of ${Object.keys(TICKET_TYPES).join(', ')}, got ${JSON.stringify(raw)}`);
    }
    case 'status':
      return raw === '0' || raw === 'active' ? 'active' : raw === '1' || raw === 'archived' ? 'archived' : p.add(`search.${field}`, 'must be 0 (active) or 1 (archived)');
    case 'flag':
      return raw === '0' || raw === '1' ? Number(raw) : p.add(`search.${field}`, 'must be 0 (not synced) or 1 (synced)');
  }
}

/** A date on created_at / updated_at means its whole local day. */
function instantCondition(column: TicketField, op: Op, days: string[], tz: string): TicketCondition {
  const start = (d: string) => startOfLocalDay(d, tz);
  const end = (d: string) => endOfLocalDay(d, tz);
  const [a, b] = days as [string, string];
  switch (op) {
    case '=':
      return { field: column, op: 'between', values: [start(a), end(a)] };
    case 'between':
      return { field: column, op: 'between', values: [start(a), end(b)] };
    case '>':
    case '<=':
      return { field: column, op, values: [end(a)] };
    default:
      return { field: column, op: op as TicketOp, values: [start(a)] };
  }
}

function buildCondition(p: Problems, field: string, op: Op, raw: string, tz: string): TicketCondition | undefined {
  const spec = FIELDS[field] as FieldSpec;
  const parts = op === 'in' || op === 'between' ? raw.split(',').map((s) => s.trim()) : [raw];
  if (op === 'between' && parts.length !== 2) return p.add(`search.${field}`, 'between takes two values: from,to');
  const values = parts.map((s) => scalar(p, spec, field, s));
  if (values.some((v) => v === undefined)) return undefined;
  if (spec.value === 'type') {
    const kinds = [...new Set((values as string[][]).flat())];
    return { field: spec.column, op: op === '!=' ? 'not in' : 'in', values: kinds };
  }
  if (spec.value === 'instant') return instantCondition(spec.column, op, values as string[], tz);
  return { field: spec.column, op, values: values as Array<string | number> };
}

function one(p: Problems, query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return p.add(name, 'must be given once');
  return v;
}

/** searchFields: `field:op;field:op` (the seed writes `field,op`); a field alone keeps its operator. */
function parseSearchFields(p: Problems, raw: string | undefined): Map<string, Op> {
  const ops = new Map<string, Op>();
  for (const part of (raw ?? '').split(';').filter((s) => s.trim() !== '')) {
    const m = /^\s*([A-Za-z_]+)\s*(?:[:,]\s*(\S+)\s*)?$/.exec(part);
    const field = m?.[1];
    if (!field || !Object.hasOwn(FIELDS, field)) {
      p.add('searchFields', `${JSON.stringify(field ?? part)} is not a searchable field; use ${Object.keys(FIELDS).join(', ')}`);
      continue;
    }
    const spec = FIELDS[field] as FieldSpec;
    const opText = m?.[2] ?? spec.defaultOp;
    const op = Object.hasOwn(OPERATORS, opText.toLowerCase()) ? OPERATORS[opText.toLowerCase()] : undefined;
    if (!op) p.add('searchFields', `unknown operator ${JSON.stringify(opText)} for ${field}; operators are ${Object.keys(OPERATORS).join(' ')}`);
    else if (!spec.ops.includes(op)) p.add('searchFields', `operator ${opText} does not apply to ${field}; use one of ${spec.ops.join(' ')}`);
    else ops.set(field, op);
  }
  return ops;
}

function parseSearch(p: Problems, raw: string | undefined, ops: Map<string, Op>, tz: string): TicketCondition[] {
  const conditions: TicketCondition[] = [];
  for (const part of (raw ?? '').split(';').filter((s) => s.trim() !== '')) {
    const at = part.indexOf(':');
    // A bare term searches the titles, as l5-repository searches its text fields.
    const field = at < 0 ? 'title' : part.slice(0, at).trim();
    const value = at < 0 ? part.trim() : part.slice(at + 1).trim();
    const spec = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
    if (!spec) {
      p.add('search', `${JSON.stringify(field)} is not a searchable field; use ${Object.keys(FIELDS).join(', ')}`);
      continue;
    }
    const c = buildCondition(p, field, at < 0 ? 'like' : (ops.get(field) ?? spec.defaultOp), value, tz);
    if (c) conditions.push(c);
  }
  return conditions;
}

function positive(p: Problems, raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d{1,9}$/.test(raw)) return p.add(name, `must be an integer, got ${JSON.stringify(raw)}`) ?? fallback;
  return Number(raw);
}

export interface TicketListRequest {
  query: TicketQuery;
  page: number;
  perPage: number;
}

/** Parses GET /tickets' query; throws validation_failed naming every bad parameter. */
export function parseTicketQuery(query: Record<string, unknown>, timeZone: string): TicketListRequest {
  const p = new Problems();
  for (const name of Object.keys(query)) if (!PARAMS.includes(name)) p.add(name, `is not a known parameter; use ${PARAMS.join(', ')}`);
  const ops = parseSearchFields(p, one(p, query, 'searchFields'));
  const conditions = parseSearch(p, one(p, query, 'search'), ops, timeZone);
  const join = (one(p, query, 'searchJoin') ?? 'and').toLowerCase();
  if (join !== 'and' && join !== 'or') p.add('searchJoin', `must be and or or, got ${JSON.stringify(join)}`);
  const orderBy = one(p, query, 'orderBy') ?? 'id';
  if (!ORDERABLE.includes(orderBy)) p.add('orderBy', `must be one of ${ORDERABLE.join(', ')}, got ${JSON.stringify(orderBy)}`);
  const sortedBy = (one(p, query, 'sortedBy') ?? 'asc').toLowerCase();
  if (sortedBy !== 'asc' && sortedBy !== 'desc') p.add('sortedBy', `must be asc or desc, got ${JSON.stringify(sortedBy)}`);
  const page = positive(p, one(p, query, 'page'), 'page', 1);
  if (page < 1) p.add('page', 'must be 1 or more');
  // per_page is clamped, as Laravel paginators do, rather than refused.
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, positive(p, one(p, query, 'per_page'), 'per_page', DEFAULT_PER_PAGE)));
  if (p.list.length > 0) throw DomainError.invalid(p.list);
  const column = (FIELDS[orderBy] as FieldSpec).column as TicketQuery['orderBy'];
  return { query: { conditions, join: join as 'and' | 'or', orderBy: column, direction: sortedBy as 'asc' | 'desc' }, page, perPage };
}
