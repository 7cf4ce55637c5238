/**
 * Issued coupons and their lifecycle. The stored status is what a write decided; the reported
 * status also follows the clock: a usable or frozen coupon past its validTo is expired whether or
 * not the sweeper has written that yet, and one before its validFrom is "not yet effective".
 */
import { DomainError, ErrorCode } from './errors.ts';

export const CouponStatus = {
  usable: 'usable',
  frozen: 'frozen',
  used: 'used',
  expired: 'expired',
  closed: 'closed',
  deleted: 'deleted',
} as const;
export type CouponStatus = (typeof CouponStatus)[keyof typeof CouponStatus];
export const COUPON_STATUSES = Object.values(CouponStatus);

export const OwnerType = { user: 'user', operator: 'operator' } as const;
export type OwnerType = (typeof OwnerType)[keyof typeof OwnerType];

export interface Coupon {
  tenantId: string;
  id: string;
  code: string;
  templateId: string;
  ownerType: OwnerType;
  ownerId: string;
  senderId: string | null;
  chatId: string | null;
  packageId: string | null;
  status: CouponStatus;
  /** Inclusive milliseconds. */
  validFrom: number;
  validTo: number;
  issuedAt: number;
  updatedAt: number;
}

export function effectiveStatus(c: Pick<Coupon, 'status' | 'validTo'>, now: number): CouponStatus {
  if ((c.status === CouponStatus.usable || c.status === CouponStatus.frozen) && now > c.validTo) return CouponStatus.expired;
  return c.status;
}

export function isNotYetEffective(c: Pick<Coupon, 'status' | 'validFrom' | 'validTo'>, now: number): boolean {
  const s = effectiveStatus(c, now);
  return (s === CouponStatus.usable || s === CouponStatus.frozen) && now < c.validFrom;
}

/** The status moves a person (not a redemption) can make. */
export const CouponMove = {
  freeze: 'freeze',
  unfreeze: 'unfreeze',
  close: 'close',
  delete: 'delete',
} as const;
export type CouponMove = (typeof CouponMove)[keyof typeof CouponMove];

const MOVES: Record<CouponMove, { from: readonly CouponStatus[]; to: CouponStatus }> = {
  freeze: { from: [CouponStatus.usable], to: CouponStatus.frozen },
  unfreeze: { from: [CouponStatus.frozen], to: CouponStatus.usable },
  close: { from: [CouponStatus.usable, CouponStatus.frozen], to: CouponStatus.closed },
  delete: { from: [CouponStatus.usable, CouponStatus.frozen, CouponStatus.expired, CouponStatus.closed], to: CouponStatus.deleted },
};

/**
 * The status a move leads to from the coupon's effective status; refuses an illegal move.
 * A used coupon cannot be deleted (its redemption must be reversed first).
 */
export function applyMove(c: Pick<Coupon, 'id' | 'status' | 'validTo'>, move: CouponMove, now: number): CouponStatus {
  const current = effectiveStatus(c, now);
  const rule = MOVES[move];
  if (!rule.from.includes(current)) {
    throw new DomainError(ErrorCode.illegal_transition, `cannot ${move} coupon ${c.id}: it is ${current} (allowed from ${rule.from.join(', ')})`, {
      currentStatus: current,
      move,
    });
  }
  return rule.to;
}
