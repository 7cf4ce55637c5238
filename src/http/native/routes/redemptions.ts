import { Type } from 'typebox';
import { redeemCoupon, redeemCouponUnderKey, type Redeemed } from '../../../app/redemptions/redeem-coupon.ts';
import { getRedemption, listRedemptions, reverseRedemption } from '../../../app/redemptions/reverse-redemption.ts';
import { validateOrder } from '../../../app/redemptions/validate-order.ts';
import { CouponCode, ExternalId, Id } from '../../../app/schemas/fields.ts';
import { DomainError, ErrorCode, isDomainError } from '../../../domain/errors.ts';
import type { Order } from '../../../domain/redemption.ts';
import { tenantOf } from '../../shared/auth.ts';
import { answerUnderKey, idempotencyKeyOf } from '../../shared/idempotency.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { evaluationOut, iso, redemptionOut } from '../mapping.ts';
import { Page, RedeemBody, problemResponses } from '../schemas.ts';

const toOrder = (o: { id: string; amount: number; productKindIds?: string[] | undefined; channelId?: string | null | undefined }): Order => ({
  id: o.id,
  amount: o.amount,
  productKindIds: o.productKindIds ?? [],
  channelId: o.channelId ?? null,
});

/**
 * already_reversed says when the first reversal happened: the engine keeps epoch milliseconds,
 * this API shows every instant as ISO 8601 in the tenant's offset, problem details included.
 */
function reversedAtInZone(e: unknown, tz: string): unknown {
  if (!isDomainError(e) || e.code !== ErrorCode.already_reversed || typeof e.details.reversedAt !== 'number') return e;
  return new DomainError(e.code, e.message, { ...e.details, reversedAt: iso(e.details.reversedAt, tz) });
}

export function redemptionRoutes(app: App, ctx: NativeContext): void {
  const tags = ['redemptions'];
  app.post('/v1/redemptions/validate', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'Would this coupon work on this order? Spends nothing', body: RedeemBody, response: { 200: Type.Ref('Evaluation'), ...problemResponses } } }, async (request) => {
    const { tenantId } = tenantOf(request);
    return evaluationOut(await validateOrder(ctx.deps, { tenantId, code: request.body.code, order: toOrder(request.body.order) }));
  });

  app.post('/v1/redemptions', {
    preValidation: allow(ctx, ROLES.merchantOrCashier),
    // The Idempotency-Key is taken, with its answer, in the redemption's own transaction: one commit.
    config: { idempotentInTransaction: true },
    schema: { tags, summary: 'Redeem (核销) a coupon on an order', description: 'The same Idempotency-Key, or the same code and order id, returns the first redemption again. 409 coupon_not_usable carries the reasons.', body: RedeemBody, response: { 201: Type.Ref('Redemption'), ...problemResponses } },
  }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const input = { tenantId, actor, code: request.body.code, order: toOrder(request.body.order) };
    const body = (r: Redeemed) => redemptionOut(r.redemption, timezone);
    const key = idempotencyKeyOf(request);
    if (!key) return reply.code(201).send(body(await redeemCoupon(ctx.deps, input)));
    return answerUnderKey(ctx.deps, request, reply, key, 201, body, (answer) => redeemCouponUnderKey(ctx.deps, input, key, answer));
  });

  app.get('/v1/redemptions', { preValidation: allow(ctx, ROLES.merchantOrCashier), schema: { tags, summary: 'Redemptions, newest first', querystring: Type.Intersect([Page, Type.Object({ orderId: Type.Optional(ExternalId), code: Type.Optional(CouponCode) })]), response: { 200: Type.Object({ data: Type.Array(Type.Ref('Redemption')) }), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { limit = 50, offset = 0, ...filter } = request.query;
    return { data: (await listRedemptions(ctx.deps, tenantId, filter, { limit, offset })).map((r) => redemptionOut(r, timezone)) };
  });

  const params = Type.Object({ redemptionId: Id });
  app.get('/v1/redemptions/:redemptionId', { preValidation: allow(ctx, ROLES.merchantOrCashier), schema: { tags, summary: 'Get a redemption', params, response: { 200: Type.Ref('Redemption'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return redemptionOut(await getRedemption(ctx.deps, tenantId, request.params.redemptionId), timezone);
  });

  app.post('/v1/redemptions/:redemptionId/reverse', { preValidation: allow(ctx, ROLES.merchantOrCashier), config: { idempotent: true }, schema: { tags, summary: 'Reverse (冲正) a redemption: the coupon is usable again', params, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) }, { additionalProperties: false })), response: { 200: Type.Ref('Redemption'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    try {
      return redemptionOut(await reverseRedemption(ctx.deps, { tenantId, actor, redemptionId: request.params.redemptionId, reason: request.body?.reason }), timezone);
    } catch (e) {
      throw reversedAtInZone(e, timezone);
    }
  });
}
