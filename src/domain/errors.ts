/**
 * The one error type of the engine. `code` is stable snake_case and is what every dialect maps
 * (each dialect's errors.ts holds a table typed `satisfies Record<ErrorCode, …>`).
 */
export const ErrorCode = {
  validation_failed: 'validation_failed',
  invalid_json: 'invalid_json',
  not_found: 'not_found',
  already_exists: 'already_exists',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  out_of_stock: 'out_of_stock',
  limit_reached: 'limit_reached',
  not_claimable: 'not_claimable',
  coupon_not_usable: 'coupon_not_usable',
  already_reversed: 'already_reversed',
  illegal_transition: 'illegal_transition',
  idempotency_key_reused: 'idempotency_key_reused',
  idempotency_in_progress: 'idempotency_in_progress',
  replayed_request: 'replayed_request',
  stale_request: 'stale_request',
  rate_limited: 'rate_limited',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem with one input field: `field` is a dotted path such as `rule.timeWindows.0.from`. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorDetails {
  /** Bad fields, for validation_failed. */
  errors?: FieldProblem[];
  /** Why a coupon cannot be used, for coupon_not_usable. */
  reasons?: Reason[];
  [key: string]: unknown;
}

/** A typed refusal reason (order validation): same snake_case codes as the rest of the engine. */
export interface Reason {
  code: ReasonCode;
  message: string;
}

export const ReasonCode = {
  coupon_frozen: 'coupon_frozen',
  coupon_used: 'coupon_used',
  coupon_expired: 'coupon_expired',
  coupon_closed: 'coupon_closed',
  coupon_deleted: 'coupon_deleted',
  not_yet_effective: 'not_yet_effective',
  wrong_weekday: 'wrong_weekday',
  outside_time_window: 'outside_time_window',
  below_min_order_amount: 'below_min_order_amount',
  product_kind_not_allowed: 'product_kind_not_allowed',
  channel_not_allowed: 'channel_not_allowed',
  owner_mismatch: 'owner_mismatch',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  /** A validation failure naming every bad field; the message lists them too. */
  static invalid(errors: FieldProblem[]): DomainError {
    const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new DomainError(ErrorCode.validation_failed, message, { errors });
  }

  static field(field: string, message: string): DomainError {
    return DomainError.invalid([{ field, message }]);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(ErrorCode.not_found, `${what} ${JSON.stringify(id)} does not exist`, { resource: what, id });
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
