import type { Coupon } from '../../domain/coupon.ts';
import { effectiveStatus } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';

export interface SendCouponInput extends TenantInput {
  couponId: string;
  chatId: string;
  /** Needed only when the chat does not exist yet (it is then opened with the coupon's operator). */
  userId?: string | undefined;
}

/**
 * An operator sends a coupon they hold to the user of a chat: ownership moves to the user,
 * `senderId` records the operator and `chatId` the chat. Only the chat's own operator may send.
 */
export async function sendCoupon({ store, clock }: Deps, input: SendCouponInput): Promise<Coupon> {
  return store.transaction(async (q) => {
    const now = clock.now();
    const c = await q.coupons.get(input.tenantId, input.couponId);
    if (!c) throw DomainError.notFound('coupon', input.couponId);
    if (c.ownerType !== 'operator') throw new DomainError(ErrorCode.illegal_transition, `coupon ${c.id} is held by user ${c.ownerId}, not by an operator`);
    const status = effectiveStatus(c, now);
    if (status !== 'usable') throw new DomainError(ErrorCode.coupon_not_usable, `coupon ${c.id} is ${status} and cannot be sent`);
    let chat = await q.catalog.getChat(input.tenantId, input.chatId);
    if (!chat) {
      if (!input.userId) throw DomainError.field('userId', `chat ${input.chatId} does not exist yet: give the userId to open it`);
      chat = { id: input.chatId, userId: input.userId, operatorId: c.ownerId };
      await q.catalog.ensureUser(input.tenantId, chat.userId, now);
      await q.catalog.insertChat(input.tenantId, chat, now);
    }
    if (chat.operatorId !== c.ownerId) throw new DomainError(ErrorCode.forbidden, `chat ${chat.id} belongs to operator ${chat.operatorId}; coupon ${c.id} is held by ${c.ownerId}`);
    if (input.userId !== undefined && input.userId !== chat.userId) throw DomainError.field('userId', `chat ${chat.id} is with user ${chat.userId}, not ${input.userId}`);
    if (!(await q.coupons.transfer(input.tenantId, c.id, c.ownerId, chat.userId, chat.id, now))) {
      throw new DomainError(ErrorCode.illegal_transition, `coupon ${c.id} changed while being sent; read it again`);
    }
    await q.events.append([
      { tenantId: input.tenantId, at: now, actor: input.actor, action: 'coupon.sent', subjectType: 'coupon', subjectId: c.id, data: { from: c.ownerId, to: chat.userId, chatId: chat.id } },
    ]);
    return (await q.coupons.get(input.tenantId, c.id)) as Coupon;
  });
}
