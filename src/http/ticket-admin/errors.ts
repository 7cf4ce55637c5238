/**
 * Errors of the ticket administration dialect, in the shape of the seed's Laravel / Dingo API:
 * `{"message": "…", "status_code": 422, "errors": {"field": ["…"]}}`. Every ErrorCode has its
 * status here; the type checker refuses a code left out. Engine field names (name, stock, …) are
 * turned into the ticket's own (ticket_info.<type>.base_info.title, …sku.quantity, …).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, isDomainError, type FieldProblem } from '../../domain/errors.ts';

export const STATUS = {
  validation_failed: 422,
  // Laravel reads a broken JSON body as no input, and its validation answers 422.
  invalid_json: 422,
  not_found: 404,
  already_exists: 409,
  unauthorized: 401,
  forbidden: 403,
  out_of_stock: 409,
  limit_reached: 409,
  not_claimable: 409,
  coupon_not_usable: 409,
  already_reversed: 409,
  illegal_transition: 409,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  replayed_request: 409,
  stale_request: 400,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The engine's template fields → where they come from in a ticket (`key`: the card's typed object). */
function ticketField(field: string, key: string): string {
  const base = `ticket_info.${key}.base_info`;
  const own: Record<string, string> = {
    name: `${base}.title`,
    stock: `${base}.sku.quantity`,
    perUserLimit: `${base}.get_limit`,
    claimFrom: 'begin_at',
    claimTo: 'end_at',
    kind: 'ticket_type',
    amount: `ticket_info.${key}.reduce_cost`,
    discount: `ticket_info.${key}.discount`,
    'rule.validFrom': `${base}.date_info.begin_timestamp`,
    'rule.validTo': `${base}.date_info.end_timestamp`,
    'rule.validDaysAfterClaim': `${base}.date_info.fixed_term`,
    'rule.minOrderAmount': `ticket_info.${key}.least_cost`,
  };
  if (field in own) return own[field] as string;
  if (/^rule\.(weekdays|timeWindows)/.test(field)) return `ticket_info.${key}.advanced_info.time_limit`;
  if (field.startsWith('rule.productKindIds')) return `ticket_info.${key}.advanced_info.use_condition.accept_category`;
  return field;
}

/** Runs a use case; a validation failure from the engine names the ticket's fields instead of the template's. */
export async function inTicketTerms<T>(key: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isDomainError(e) || e.code !== ErrorCode.validation_failed || !e.details.errors) throw e;
    throw DomainError.invalid(e.details.errors.map((p) => ({ field: ticketField(p.field, key), message: p.message })));
  }
}

function errorsObject(problems: FieldProblem[]): Record<string, string[]> {
  // A Map, not an object: a field may be called `toString` or `__proto__` by whoever sent it.
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const field = p.field || 'body';
    out.set(field, [...(out.get(field) ?? []), p.message]);
  }
  return Object.fromEntries(out);
}

const FRAMEWORK: Record<number, string> = {
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'the request body is too large',
  415: 'send the ticket as JSON: Content-Type: application/json',
};

export function ticketErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDomainError(error)) {
    const status = STATUS[error.code];
    const body: Record<string, unknown> = { message: error.message, status_code: status };
    if (error.code === ErrorCode.validation_failed) body.errors = errorsObject(error.details.errors ?? []);
    if (error.code === ErrorCode.invalid_json) body.errors = { body: [error.message] };
    return reply.code(status).send(body);
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(status).send({ message: FRAMEWORK[status] ?? error.message, status_code: status });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ message: 'something went wrong on our side; it has been logged', status_code: 500 });
}
