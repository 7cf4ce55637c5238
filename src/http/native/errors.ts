/**
 * The native API's errors: RFC 9457 application/problem+json with a stable `code`.
 * Every ErrorCode has its status here; the type checker refuses a code left out.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.ts';
import { isDatabaseBusy } from '../../app/ports.ts';

export const STATUS = {
  validation_failed: { status: 400, title: 'The request has invalid fields' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  not_found: { status: 404, title: 'Not found' },
  already_exists: { status: 409, title: 'It exists already' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this key' },
  out_of_stock: { status: 409, title: 'Out of stock' },
  limit_reached: { status: 409, title: 'Limit reached' },
  not_claimable: { status: 409, title: 'Cannot be claimed now' },
  coupon_not_usable: { status: 409, title: 'The coupon cannot be used' },
  already_reversed: { status: 409, title: 'Already reversed' },
  illegal_transition: { status: 409, title: 'Not allowed in the current state' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with another request' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  replayed_request: { status: 409, title: 'Replayed request' },
  stale_request: { status: 400, title: 'Request timestamp outside the allowed window' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<ErrorCode, { status: number; title: string }>;

/** Framework errors that are the client's doing, by status. */
const FRAMEWORK = {
  404: { code: 'not_found', title: 'Not found' },
  405: { code: 'method_not_allowed', title: 'Method not allowed' },
  413: { code: 'payload_too_large', title: 'The body is too large' },
  415: { code: 'unsupported_media_type', title: 'Send JSON: Content-Type: application/json' },
} as const;

/**
 * Another process (a CLI import beside the server) held the database's write lock for longer
 * than a request may wait: nothing was written, and the same request may simply be sent again.
 */
const DATABASE_BUSY = { code: 'database_busy', status: 503, title: 'The database is busy', retryAfterSeconds: 1 } as const;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  [extra: string]: unknown;
}

const problemType = (code: string) => `urn:couponhub:problem:${code}`;

export function problem(code: string, status: number, title: string, detail: string, instance: string, extra: Record<string, unknown> = {}): Problem {
  // Standard members last: details never override them.
  return { ...extra, type: problemType(code), title, status, detail, code, instance };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

/** The error handler of the native API (and the default for routes of no dialect). */
export function nativeErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const instance = request.url;
  if (isDomainError(error)) {
    const s = STATUS[error.code];
    return sendProblem(reply, problem(error.code, s.status, s.title, error.message, instance, error.details));
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status in FRAMEWORK) {
    const f = FRAMEWORK[status as keyof typeof FRAMEWORK];
    return sendProblem(reply, problem(f.code, status, f.title, error.message, instance));
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return sendProblem(reply, problem('bad_request', status, 'Bad request', error.message, instance));
  }
  if (isDatabaseBusy(error)) {
    request.log.warn({ err: error }, 'database busy');
    reply.header('retry-after', String(DATABASE_BUSY.retryAfterSeconds));
    const detail = 'another process is writing to the database (an import or a bulk issue?); nothing was written: retry shortly';
    return sendProblem(reply, problem(DATABASE_BUSY.code, DATABASE_BUSY.status, DATABASE_BUSY.title, detail, instance));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, problem('internal', 500, STATUS.internal.title, 'something went wrong on our side; it has been logged', instance));
}
