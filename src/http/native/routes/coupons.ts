import { Type } from 'typebox';
import { moveCoupon } from '../../../app/coupons/move-coupon.ts';
import { couponEvents, getCoupon, listCoupons } from '../../../app/coupons/read-coupons.ts';
import { receiveCoupons } from '../../../app/operators/receive-coupons.ts';
import { sendCoupon } from '../../../app/operators/send-coupon.ts';
import { chatWallet, type WalletOwner } from '../../../app/wallets/chat-wallet.ts';
import { walletGroups, walletPage } from '../../../app/wallets/wallet.ts';
import { CouponCode, Id, Nullable } from '../../../app/schemas/fields.ts';
import { COUPON_STATUSES, type CouponMove, type CouponStatus } from '../../../domain/coupon.ts';
import { DomainError } from '../../../domain/errors.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { couponOut, eventOut, walletGroupOut } from '../mapping.ts';
import { list, problemResponses } from '../schemas.ts';

const StatusList = Type.String({ maxLength: 100, description: 'Effective statuses, comma separated: usable,frozen,used,expired,closed,deleted' });

function parseStatuses(value: string | undefined): CouponStatus[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const bad = parts.find((s) => !COUPON_STATUSES.includes(s as CouponStatus));
  if (bad !== undefined) throw DomainError.field('query.status', `${JSON.stringify(bad)} is not one of ${COUPON_STATUSES.join(', ')}`);
  return parts as CouponStatus[];
}

const Limit = Type.Integer({ minimum: 1, maximum: 200, description: 'Page size (default 50)' });
const Cursor = Type.String({ minLength: 1, maxLength: 200, description: "The previous page's nextCursor" });

const WalletQuerystring = Type.Object({
  status: Type.Optional(StatusList),
  groupBy: Type.Optional(Type.Enum(['template'], { description: 'Group by template and state, with counts (the whole wallet: no pages)' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
const WalletResponse = Type.Object({
  data: Type.Array(Type.Ref('Coupon')),
  nextCursor: Type.Optional(Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page (absent when grouped)' }))),
  groups: Type.Optional(Type.Array(Type.Ref('WalletGroup'))),
});
const WALLET_ORDER = 'Pages of coupons newest first (issuedAt, then id, descending): limit (default 50, max 200) and cursor = the nextCursor of the page before';

type WalletParams = { status?: string | undefined; groupBy?: string | undefined; limit?: number | undefined; cursor?: string | undefined };

export function couponRoutes(app: App, ctx: NativeContext): void {
  const wallet = async (request: { auth?: unknown } & Parameters<typeof tenantOf>[0], owner: WalletOwner, query: WalletParams) => {
    const { tenantId, timezone } = tenantOf(request);
    const w = { ...owner, tenantId, statuses: parseStatuses(query.status) };
    if (query.groupBy === 'template') {
      // Groups count the whole wallet: a page of them would miscount, so paging is refused, not ignored.
      if (query.limit !== undefined) throw DomainError.field('query.limit', 'pages the coupon list; groupBy=template answers every group at once');
      if (query.cursor !== undefined) throw DomainError.field('query.cursor', 'pages the coupon list; groupBy=template answers every group at once');
      return { data: [], groups: (await walletGroups(ctx.deps, w)).map((g) => walletGroupOut(g, timezone)) };
    }
    const page = await walletPage(ctx.deps, w, { limit: query.limit ?? 50, cursor: query.cursor ?? null });
    return { data: page.items.map((c) => couponOut(c, timezone, page.now)), nextCursor: page.next };
  };
  const wtags = ['wallets'];

  app.get('/v1/users/:userId/coupons', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: wtags, summary: "A user's wallet, optionally in one chat, by status (newest first, cursor pages), or grouped by template", description: WALLET_ORDER, params: Type.Object({ userId: Id }), querystring: Type.Intersect([WalletQuerystring, Type.Object({ chatId: Type.Optional(Id) })]), response: { 200: WalletResponse, ...problemResponses } } }, async (request) => {
    return wallet(request, { ownerType: 'user', ownerId: request.params.userId, chatId: request.query.chatId }, request.query);
  });

  app.get('/v1/operators/:operatorId/coupons', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: wtags, summary: "An operator's holdings, by status (newest first, cursor pages), or grouped by template", description: WALLET_ORDER, params: Type.Object({ operatorId: Id }), querystring: WalletQuerystring, response: { 200: WalletResponse, ...problemResponses } } }, async (request) => {
    return wallet(request, { ownerType: 'operator', ownerId: request.params.operatorId }, request.query);
  });

  app.get('/v1/chats/:chatId/coupons', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: wtags, summary: "A chat's coupons: its user's in that chat (ownerType user) or its operator's holdings (ownerType operator); newest first, cursor pages, or grouped by template", description: WALLET_ORDER, params: Type.Object({ chatId: Id }), querystring: Type.Intersect([WalletQuerystring, Type.Object({ ownerType: Type.Optional(Type.Enum(['user', 'operator'])) })]), response: { 200: WalletResponse, ...problemResponses } } }, async (request) => {
    const { owner } = await chatWallet(ctx.deps, tenantOf(request).tenantId, request.params.chatId, request.query.ownerType ?? 'user');
    return wallet(request, owner, request.query);
  });

  app.post('/v1/operators/:operatorId/coupons', { preValidation: allow(ctx, ROLES.merchantOrClient), config: { idempotent: true }, schema: { tags: ['operators'], summary: 'An operator (OP) receives coupons of a template into their holdings', params: Type.Object({ operatorId: Id }), body: Type.Object({ templateId: Id, count: Type.Integer({ minimum: 1, maximum: 10000 }) }, { additionalProperties: false }), response: { 201: Type.Object({ data: Type.Array(Type.Ref('Coupon')) }), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const coupons = await receiveCoupons(ctx.deps, { tenantId, actor, operatorId: request.params.operatorId, ...request.body });
    return reply.code(201).send({ data: coupons.map((c) => couponOut(c, timezone, c.issuedAt)) });
  });

  const params = Type.Object({ couponId: Id });
  app.post('/v1/coupons/:couponId/send', { preValidation: allow(ctx, ROLES.merchantOrClient), config: { idempotent: true }, schema: { tags: ['operators'], summary: "Send an operator's coupon to the user of a chat (ownership moves; senderId and chatId recorded)", params, body: Type.Object({ chatId: Id, userId: Type.Optional(Id) }, { additionalProperties: false }), response: { 200: Type.Ref('Coupon'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const c = await sendCoupon(ctx.deps, { tenantId, actor, couponId: request.params.couponId, ...request.body });
    return couponOut(c, timezone, ctx.deps.clock.now());
  });

  const tags = ['coupons'];
  app.get('/v1/coupons', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'Search coupons by code, user, chat, template, package, status (newest first, cursor pages)', querystring: Type.Object({ code: Type.Optional(CouponCode), userId: Type.Optional(Id), operatorId: Type.Optional(Id), chatId: Type.Optional(Id), templateId: Type.Optional(Id), packageId: Type.Optional(Id), status: Type.Optional(StatusList), limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }), response: { 200: list('Coupon'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const q = request.query;
    if (q.userId && q.operatorId) throw DomainError.field('query.operatorId', 'give userId or operatorId, not both');
    const owner = q.userId ? { ownerType: 'user' as const, ownerId: q.userId } : q.operatorId ? { ownerType: 'operator' as const, ownerId: q.operatorId } : {};
    const page = await listCoupons(ctx.deps, tenantId, { ...owner, code: q.code, chatId: q.chatId, templateId: q.templateId, packageId: q.packageId, status: parseStatuses(q.status) }, { limit: q.limit ?? 50, cursor: q.cursor ?? null });
    const now = ctx.deps.clock.now();
    return { data: page.items.map((c) => couponOut(c, timezone, now)), nextCursor: page.next };
  });

  app.get('/v1/coupons/:couponId', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'Get a coupon', params, response: { 200: Type.Ref('Coupon'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return couponOut(await getCoupon(ctx.deps, tenantId, request.params.couponId), timezone, ctx.deps.clock.now());
  });

  app.get('/v1/coupons/:couponId/events', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: "The coupon's event trail, oldest first", params, response: { 200: Type.Object({ data: Type.Array(Type.Ref('Event')) }), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    await getCoupon(ctx.deps, tenantId, request.params.couponId);
    return { data: (await couponEvents(ctx.deps, tenantId, request.params.couponId)).map((e) => eventOut(e, timezone)) };
  });

  const moveBody = Type.Optional(Type.Object({ reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) }, { additionalProperties: false }));
  const MOVES: Array<{ move: CouponMove; summary: string }> = [
    { move: 'freeze', summary: 'Freeze (usable → frozen)' },
    { move: 'unfreeze', summary: 'Unfreeze (frozen → usable)' },
    { move: 'close', summary: 'Force-close (usable or frozen → closed)' },
  ];
  for (const m of MOVES) {
    app.post(`/v1/coupons/:couponId/${m.move}`, { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: m.summary, params, body: moveBody, response: { 200: Type.Ref('Coupon'), ...problemResponses } } }, async (request) => {
      const { tenantId, timezone, actor } = tenantOf(request);
      const c = await moveCoupon(ctx.deps, { tenantId, actor, couponId: request.params.couponId, move: m.move, reason: request.body?.reason });
      return couponOut(c, timezone, ctx.deps.clock.now());
    });
  }
  app.delete('/v1/coupons/:couponId', { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: 'Delete a coupon (not a used one: reverse its redemption first)', params, response: { 200: Type.Ref('Coupon'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return couponOut(await moveCoupon(ctx.deps, { tenantId, actor, couponId: request.params.couponId, move: 'delete' }), timezone, ctx.deps.clock.now());
  });
}
