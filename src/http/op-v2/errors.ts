/**
 * OP v2 failures: every engine error code has its envelope `code` here (the type checker refuses
 * a code left out). SPEC §4 allows 400, 401, 403, 404, 429 and 500; the engine's conflicts
 * (stock, limits, states) are refusals of a well-formed request, hence 403.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.ts';
import { FRAMEWORK_REFUSALS } from '../shared/framework-refusals.ts';

export const OpCode = { ok: 200, badParameter: 400, unauthorized: 401, forbidden: 403, notFound: 404, tooMany: 429, internal: 500 } as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

interface OpError {
  code: OpCode;
  /** Short Chinese title the seeds' clients show; the English detail follows it. */
  title: string;
}

export const OP_ERRORS = {
  validation_failed: { code: 400, title: '参数错误' },
  invalid_json: { code: 400, title: '参数错误' },
  not_found: { code: 404, title: '不存在' },
  already_exists: { code: 400, title: '已存在' },
  unauthorized: { code: 401, title: '认证失败' },
  forbidden: { code: 403, title: '无权操作' },
  out_of_stock: { code: 403, title: '库存不足' },
  limit_reached: { code: 403, title: '超出领用限制' },
  not_claimable: { code: 403, title: '不在领用时间内' },
  coupon_not_usable: { code: 403, title: '优惠券不可用' },
  already_reversed: { code: 403, title: '已冲正' },
  illegal_transition: { code: 403, title: '当前状态不允许此操作' },
  idempotency_key_reused: { code: 400, title: '重复的请求标识' },
  idempotency_in_progress: { code: 429, title: '请求处理中' },
  // A replayed or stale request is not authentic any more: same class as a bad sign.
  replayed_request: { code: 401, title: '重复请求' },
  stale_request: { code: 401, title: '请求已过期' },
  rate_limited: { code: 429, title: '请求过于频繁' },
  internal: { code: 500, title: '系统错误' },
} as const satisfies Record<ErrorCode, OpError>;

/** Framework refusals (before any handler runs) that are the caller's doing. */
const FRAMEWORK: Record<number, { code: OpCode; title: string; detail: string }> = {
  404: { code: 404, title: '接口不存在', detail: '' },
  413: { code: 400, title: '参数错误', detail: FRAMEWORK_REFUSALS[413] },
  415: { code: 400, title: '参数错误', detail: FRAMEWORK_REFUSALS[415] },
};

export interface OpFailure {
  code: OpCode;
  message: string;
}

/** The envelope code and message for any error; unknown errors are logged and their text hidden. */
export function opFailure(error: unknown, request: FastifyRequest): OpFailure {
  if (isDomainError(error)) {
    const e = OP_ERRORS[error.code];
    return { code: e.code, message: `${e.title}: ${error.message}` };
  }
  const status = (error as FastifyError | undefined)?.statusCode;
  const known = status === undefined ? undefined : FRAMEWORK[status];
  if (known) return { code: known.code, message: `${known.title}: ${known.detail || (error as Error).message}` };
  if (status !== undefined && status >= 400 && status < 500) return { code: 400, message: `参数错误: ${(error as Error).message}` };
  request.log.error({ err: error }, 'op-v2: unhandled error');
  return { code: 500, message: `${OP_ERRORS.internal.title}: something went wrong on our side; it has been logged` };
}
