/**
 * Issuing coupons inside a transaction: the conditional writes every claim path shares.
 * Limits are enforced by the writes themselves (a counter moves only while under its limit),
 * never by reading first, so concurrent claims cannot oversell.
 */
import type { Actor } from '../../domain/catalog.ts';
import { CouponStatus, type Coupon, type OwnerType } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { claimRefusal, couponValidity, type Template } from '../../domain/template.ts';
import type { NewEvent } from '../../store/queries/events.ts';
import type { Queries } from '../../store/store.ts';
import type { Ids } from '../ports.ts';

/** Stands for "no limit" in a conditional counter write (package receipts per user). */
export const NO_LIMIT = 2_000_000_000;

export interface IssueSpec {
  tenantId: string;
  ownerType: OwnerType;
  ownerId: string;
  chatId: string | null;
  senderId: string | null;
  packageId: string | null;
}

export function refuseUnlessClaimable(t: Template, now: number): void {
  const why = claimRefusal(t, now);
  if (why) throw new DomainError(ErrorCode.not_claimable, why, { templateId: t.id });
}

export function outOfStock(t: Template, wanted: number): DomainError {
  return new DomainError(ErrorCode.out_of_stock, `template ${t.id} has fewer than ${wanted} coupon(s) left (stock ${t.stock})`, { templateId: t.id });
}

/** Builds new coupons of a template, one per code (drawn with q.coupons.drawCodes). */
export function newCoupons(ids: Ids, t: Template, spec: IssueSpec, codes: readonly string[], now: number): Coupon[] {
  const validity = couponValidity(t, now);
  return codes.map((code) => newCoupon(ids.id(), code, t, spec, validity, now));
}

/** One new coupon of a template for each user, with codes drawn beforehand: codes[i] goes to users[i]. */
export function userCoupons(ids: Ids, t: Template, users: readonly string[], codes: readonly string[], now: number): Coupon[] {
  const validity = couponValidity(t, now);
  return users.map((ownerId, i) => newCoupon(ids.id(), codes[i] as string, t, { tenantId: t.tenantId, ownerType: 'user', ownerId, senderId: null, chatId: null, packageId: null }, validity, now));
}

function newCoupon(id: string, code: string, t: Template, spec: IssueSpec, { validFrom, validTo }: { validFrom: number; validTo: number }, now: number): Coupon {
  return {
    tenantId: spec.tenantId,
    id,
    code,
    templateId: t.id,
    ownerType: spec.ownerType,
    ownerId: spec.ownerId,
    senderId: spec.senderId,
    chatId: spec.chatId,
    packageId: spec.packageId,
    status: CouponStatus.usable,
    validFrom,
    validTo,
    issuedAt: now,
    updatedAt: now,
  };
}

export function issuedEvents(coupons: Coupon[], actor: Actor, via: Record<string, unknown>): NewEvent[] {
  return coupons.map((c) => ({
    tenantId: c.tenantId,
    at: c.issuedAt,
    actor,
    action: 'coupon.issued',
    subjectType: 'coupon',
    subjectId: c.id,
    // Only what is set: the trail row is written once per coupon on the hottest path.
    data: { code: c.code, templateId: c.templateId, ownerType: c.ownerType, ownerId: c.ownerId, ...(c.chatId ? { chatId: c.chatId } : {}), ...(c.packageId ? { packageId: c.packageId } : {}), ...via },
  }));
}

/** Checks a chat named in a claim belongs to the claiming user. */
export async function checkClaimChat(q: Queries, tenantId: string, chatId: string | null, userId: string): Promise<void> {
  if (chatId === null) return;
  const chat = await q.catalog.getChat(tenantId, chatId);
  if (!chat) throw DomainError.field('chatId', `chat ${chatId} does not exist`);
  if (chat.userId !== userId) throw DomainError.field('chatId', `chat ${chatId} belongs to user ${chat.userId}, not ${userId}`);
}
