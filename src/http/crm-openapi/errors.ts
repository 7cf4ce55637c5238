/**
 * CRM open API failures: `{"msg", "code" ≠ 0, "data": null}` with HTTP 200 (SPEC §5). The seed
 * fixes only success (0); the failure codes below are ours, one per thing a partner can fix, and
 * are listed in the README. Every engine error code has its entry (the type checker refuses a
 * code left out); the wire's own failures (param decryption, member id) are CrmError.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.ts';
import { failure } from './envelope.ts';
import { frameworkRefusal } from '../shared/framework-refusals.ts';

export const CrmCode = {
  ok: 0,
  /** A body field is missing, of the wrong type, or unknown; the body is not JSON. */
  badRequest: 1001,
  /** No live CRM credential for `channel`. */
  unknownChannel: 1002,
  /** `timestamp` more than 5 minutes from the server clock, or not in milliseconds. */
  staleTimestamp: 1003,
  /** `param` is not hex, not whole DES blocks, or does not decrypt under the channel's key. */
  paramNotDecryptable: 1004,
  /** The decrypted `param` is not a UTF-8 JSON object. */
  paramNotJson: 1005,
  /** The decrypted `param` has neither `memberId` nor `platformId`. */
  memberIdMissing: 1006,
  /** No such member in the channel's tenant. */
  memberNotFound: 1007,
  forbidden: 1008,
  rateLimited: 1009,
  /** A state conflict (not reachable through this read-only route; kept for completeness). */
  conflict: 1010,
  internal: 9999,
} as const;
export type CrmCode = (typeof CrmCode)[keyof typeof CrmCode];

interface CrmErrorEntry {
  code: CrmCode;
  /** Short Chinese title partners' consoles show; the English detail naming the field follows. */
  title: string;
}

export const CRM_ERRORS = {
  validation_failed: { code: CrmCode.badRequest, title: '参数错误' },
  invalid_json: { code: CrmCode.badRequest, title: '参数错误' },
  not_found: { code: CrmCode.memberNotFound, title: '会员不存在' },
  already_exists: { code: CrmCode.conflict, title: '已存在' },
  unauthorized: { code: CrmCode.unknownChannel, title: '渠道无效' },
  forbidden: { code: CrmCode.forbidden, title: '无权操作' },
  out_of_stock: { code: CrmCode.conflict, title: '库存不足' },
  limit_reached: { code: CrmCode.conflict, title: '超出领用限制' },
  not_claimable: { code: CrmCode.conflict, title: '不在领用时间内' },
  coupon_not_usable: { code: CrmCode.conflict, title: '优惠券不可用' },
  already_reversed: { code: CrmCode.conflict, title: '已冲正' },
  illegal_transition: { code: CrmCode.conflict, title: '当前状态不允许此操作' },
  idempotency_key_reused: { code: CrmCode.badRequest, title: '参数错误' },
  idempotency_in_progress: { code: CrmCode.rateLimited, title: '请求处理中' },
  // The CRM scheme has no nonce; were one ever checked, a replay is a freshness failure.
  replayed_request: { code: CrmCode.staleTimestamp, title: '重复请求' },
  stale_request: { code: CrmCode.staleTimestamp, title: '请求已过期' },
  rate_limited: { code: CrmCode.rateLimited, title: '请求过于频繁' },
  internal: { code: CrmCode.internal, title: '系统错误' },
} as const satisfies Record<ErrorCode, CrmErrorEntry>;

/** A failure of the CRM wire format itself, with its own code. */
export class CrmError extends Error {
  readonly code: CrmCode;
  readonly title: string;
  constructor(code: CrmCode, title: string, message: string) {
    super(message);
    this.name = 'CrmError';
    this.code = code;
    this.title = title;
  }
}

/** The envelope code and message for any error; unknown errors are logged and their text hidden. */
export function crmFailure(error: unknown, request: FastifyRequest): { code: CrmCode; msg: string } {
  if (error instanceof CrmError) return { code: error.code, msg: `${error.title}: ${error.message}` };
  if (isDomainError(error)) {
    const e = CRM_ERRORS[error.code];
    return { code: e.code, msg: `${e.title}: ${error.message}` };
  }
  const status = (error as FastifyError | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { code: CrmCode.badRequest, msg: `参数错误: ${frameworkRefusal(status) ?? (error as Error).message}` };
  }
  request.log.error({ err: error }, 'crm-openapi: unhandled error');
  return { code: CrmCode.internal, msg: `${CRM_ERRORS.internal.title}: something went wrong on our side; it has been logged` };
}

/** The plugin's error handler: every failure is HTTP 200 with the CRM envelope. */
export function crmErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const f = crmFailure(error, request);
  return reply.code(200).send(failure(f.msg, f.code));
}
