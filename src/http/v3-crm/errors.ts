/**
 * V3 CRM coupon failures, HTTP 200 in the two shapes of seed 003: a business failure (nothing
 * found) `{"status": true, "code", "message": "查询的信息不存在"}` and a system failure (bad
 * token, replay, stale timestamp, bad params) `{"status": false, "code", "message"}`. The seed
 * leaves the codes to us ("详见全局返回编码"): the strings below, listed in the README. Every
 * engine error code has its entry; the wire's own failures (grantCode, token) are V3Error.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.ts';
import { BUSINESS_FAILURE_MESSAGE, businessFailure, systemFailure } from './envelope.ts';
import { frameworkRefusal } from '../shared/framework-refusals.ts';

export const V3Code = {
  ok: '0',
  /** A field of the body or of params is missing, of the wrong type, unknown; or not JSON. */
  badParams: '40000',
  /** No live V3 credential for `openId`. */
  unknownOpenId: '40101',
  /** `grantCode` is not the one issued with `openId`. */
  grantCodeMismatch: '40102',
  /** `token` does not match the request under the credential's secret. */
  badToken: '40103',
  /** `timestamp` more than 5 minutes from the server clock, or in milliseconds. */
  staleTimestamp: '40104',
  /** `nonce` already used by this openId within the window. */
  replayedNonce: '40105',
  forbidden: '40300',
  /** Business: no such customer in the credential's tenant. */
  customerNotFound: '40401',
  /** Business: no coupon with that `cardId` for the customer (and status filter). */
  cardNotFound: '40402',
  /** A state conflict (not reachable through this read-only route; kept for completeness). */
  conflict: '40900',
  rateLimited: '42900',
  internal: '50000',
} as const;
export type V3Code = (typeof V3Code)[keyof typeof V3Code];

interface V3ErrorEntry {
  code: V3Code;
  title: string;
}

export const V3_ERRORS = {
  validation_failed: { code: V3Code.badParams, title: '参数错误' },
  invalid_json: { code: V3Code.badParams, title: '参数错误' },
  // Business failures; the code says what was not found (customer or card).
  not_found: { code: V3Code.customerNotFound, title: BUSINESS_FAILURE_MESSAGE },
  already_exists: { code: V3Code.conflict, title: '已存在' },
  unauthorized: { code: V3Code.unknownOpenId, title: 'openId 无效' },
  forbidden: { code: V3Code.forbidden, title: '无权操作' },
  out_of_stock: { code: V3Code.conflict, title: '库存不足' },
  limit_reached: { code: V3Code.conflict, title: '超出领用限制' },
  not_claimable: { code: V3Code.conflict, title: '不在领用时间内' },
  coupon_not_usable: { code: V3Code.conflict, title: '优惠券不可用' },
  already_reversed: { code: V3Code.conflict, title: '已冲正' },
  illegal_transition: { code: V3Code.conflict, title: '当前状态不允许此操作' },
  idempotency_key_reused: { code: V3Code.badParams, title: '参数错误' },
  idempotency_in_progress: { code: V3Code.rateLimited, title: '请求处理中' },
  replayed_request: { code: V3Code.replayedNonce, title: '重复请求' },
  stale_request: { code: V3Code.staleTimestamp, title: '请求已过期' },
  rate_limited: { code: V3Code.rateLimited, title: '请求过于频繁' },
  internal: { code: V3Code.internal, title: '系统错误' },
} as const satisfies Record<ErrorCode, V3ErrorEntry>;

/** A failure of the V3 wire format itself (grantCode, token), with its own code. */
export class V3Error extends Error {
  readonly code: V3Code;
  readonly title: string;
  constructor(code: V3Code, title: string, message: string) {
    super(message);
    this.name = 'V3Error';
    this.code = code;
    this.title = title;
  }
}

export type V3Failure = { business: true; code: V3Code } | { business: false; code: V3Code; message: string };

/** What any error answers; unknown errors are logged and their text hidden. */
export function v3Failure(error: unknown, request: FastifyRequest): V3Failure {
  if (error instanceof V3Error) return { business: false, code: error.code, message: `${error.title}: ${error.message}` };
  if (isDomainError(error)) {
    if (error.code === 'not_found') return { business: true, code: error.details.resource === 'coupon' ? V3Code.cardNotFound : V3Code.customerNotFound };
    const e = V3_ERRORS[error.code];
    return { business: false, code: e.code, message: `${e.title}: ${error.message}` };
  }
  const status = (error as FastifyError | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { business: false, code: V3Code.badParams, message: `参数错误: ${frameworkRefusal(status) ?? (error as Error).message}` };
  }
  request.log.error({ err: error }, 'v3-crm: unhandled error');
  return { business: false, code: V3Code.internal, message: `${V3_ERRORS.internal.title}: something went wrong on our side; it has been logged` };
}

/** The plugin's error handler: HTTP 200 with the business or the system failure envelope. */
export function v3ErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const f = v3Failure(error, request);
  return reply.code(200).send(f.business ? businessFailure(f.code) : systemFailure(f.code, f.message));
}
