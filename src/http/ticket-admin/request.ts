/**
 * The body of POST /<type>/ticket and PUT /ticket/{id}: `ticket_info` (WeChat's card object),
 * `sync`, `begin_at`, `end_at`, and on PUT `ticket_type`. Every problem is collected, with the
 * card's own paths under `ticket_info.`, and refused together.
 */
import { checkCard } from '../../app/wechat/card-rules.ts';
import type { TicketDates } from '../../app/wechat/card-to-template.ts';
import { CardType, isJson, type WechatCard } from '../../app/wechat/card.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { parseDate } from '../../domain/time.ts';

/** ticket_type names: WeChat's card types in lower case; `coupon` is the cash route's name. */
export const TICKET_TYPES: Record<string, CardType> = {
  discount: CardType.DISCOUNT,
  cash: CardType.CASH,
  coupon: CardType.CASH,
  groupon: CardType.GROUPON,
  gift: CardType.GIFT,
  general_coupon: CardType.GENERAL_COUPON,
  member_card: CardType.MEMBER_CARD,
};

export interface TicketRequest {
  card: WechatCard;
  dates: TicketDates;
  sync: boolean;
}

const BODY_FIELDS = ['ticket_info', 'sync', 'begin_at', 'end_at', 'ticket_type'];
/** Laravel's boolean rule: true, false, 1, 0, "1", "0" (and "true" / "false", which PHP clients send). */
const BOOLEANS = new Map<unknown, boolean>([[true, true], [false, false], [1, true], [0, false], ['1', true], ['0', false], ['true', true], ['false', false]]);

function readDate(problems: FieldProblem[], body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return void problems.push({ field: key, message: 'is required (a date yyyy-MM-dd)' });
  // Laravel's `date` rule also takes a date with a time (PHP clients send "2018-01-10 00:00:00"): the day counts.
  const day = typeof v === 'string' ? (/^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$/.exec(v)?.[1] ?? null) : null;
  if (day === null || !parseDate(day)) return void problems.push({ field: key, message: `must be a date yyyy-MM-dd, got ${JSON.stringify(v)}` });
  return day;
}

/** ticket_info may arrive as the object, as {"card": …} (WeChat's request body) or JSON-encoded (PHP clients). */
function readCardInput(problems: FieldProblem[], raw: unknown): unknown {
  if (raw === undefined || raw === null) return void problems.push({ field: 'ticket_info', message: 'is required: the card object of WeChat card/create' });
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return void problems.push({ field: 'ticket_info', message: 'must be the WeChat card object (a JSON object), not a string' });
    }
  }
  if (isJson(v) && Object.keys(v).length === 1 && isJson(v.card)) v = v.card;
  return v;
}

function readTicketType(problems: FieldProblem[], raw: unknown, required: boolean): CardType | undefined {
  if (raw === undefined || raw === null) return void (required && problems.push({ field: 'ticket_type', message: `is required: one of ${Object.keys(TICKET_TYPES).join(', ')}` }));
  const type = typeof raw === 'string' && Object.hasOwn(TICKET_TYPES, raw.toLowerCase()) ? TICKET_TYPES[raw.toLowerCase()] : undefined;
  if (!type) return void problems.push({ field: 'ticket_type', message: `must be one of ${Object.keys(TICKET_TYPES).join(', ')}, got ${JSON.stringify(raw)}` });
  return type;
}

/**
 * Reads a ticket body. `route` is the card type a POST route creates (undefined on PUT, where
 * `ticket_type` is required and says it). Throws validation_failed naming every bad field.
 */
export function parseTicketBody(body: unknown, options: { route: CardType | undefined; now: number }): TicketRequest {
  if (!isJson(body)) throw DomainError.field('body', 'must be a JSON object with ticket_info, sync, begin_at and end_at');
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) if (!BODY_FIELDS.includes(key)) problems.push({ field: key, message: 'is not a known field' });
  const named = readTicketType(problems, body.ticket_type, options.route === undefined);
  if (options.route && named && named !== options.route) problems.push({ field: 'ticket_type', message: `must be ${options.route.toLowerCase()} on this route, got ${JSON.stringify(body.ticket_type)}` });
  const expected = options.route ?? named;
  const cardInput = readCardInput(problems, body.ticket_info);
  let card: WechatCard | null = null;
  if (cardInput !== undefined) {
    const checked = checkCard(cardInput, { expected, now: options.now });
    problems.push(...checked.problems.map((p) => ({ field: p.field ? `ticket_info.${p.field}` : 'ticket_info', message: p.message })));
    card = checked.card;
  }
  const sync = BOOLEANS.get(body.sync);
  if (body.sync === undefined || body.sync === null) problems.push({ field: 'sync', message: 'is required: true to create the card in WeChat as well, false not to' });
  else if (sync === undefined) problems.push({ field: 'sync', message: `must be true or false (or 1 / 0), got ${JSON.stringify(body.sync)}` });
  const beginAt = readDate(problems, body, 'begin_at');
  const endAt = readDate(problems, body, 'end_at');
  if (beginAt && endAt && endAt < beginAt) problems.push({ field: 'end_at', message: `must not be before begin_at (${beginAt})` });
  if (problems.length > 0 || !card || sync === undefined || !beginAt || !endAt) throw DomainError.invalid(problems);
  return { card, dates: { beginAt, endAt }, sync };
}
