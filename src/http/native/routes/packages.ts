import { Type } from 'typebox';
import { claimPackage } from '../../../app/claims/claim-package.ts';
import { createPackage, updatePackage } from '../../../app/packages/create-package.ts';
import { movePackage } from '../../../app/packages/move-package.ts';
import { getPackage, listPackages } from '../../../app/packages/read-packages.ts';
import { Id, Name, PackageFieldsSchema, PackageStatusSchema, PackageItemSchema } from '../../../app/schemas/fields.ts';
import type { PackageMove } from '../../../domain/package.ts';
import { DomainError } from '../../../domain/errors.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { packageOut, receiptOut } from '../mapping.ts';
import { Page, list, problemResponses } from '../schemas.ts';
import { ClaimBody } from './templates.ts';

const CreateBody = Type.Object(
  { ...PackageFieldsSchema, id: Type.Optional(Id), code: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,32}$' })), name: Name, items: Type.Array(PackageItemSchema, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
const PatchBody = Type.Object(PackageFieldsSchema, { additionalProperties: false });
const params = Type.Object({ packageId: Id });
const ReviewBody = Type.Object({ suggestion: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])) }, { additionalProperties: false });

const MOVES: Array<{ move: PackageMove; summary: string; reviewer: boolean }> = [
  { move: 'submit', summary: 'Submit for review (pending_review or rejected → in_review)', reviewer: false },
  { move: 'approve', summary: 'Approve (in_review → ready), with an optional suggestion', reviewer: true },
  { move: 'reject', summary: 'Reject (in_review → rejected) with a suggestion', reviewer: true },
  { move: 'publish', summary: 'Publish (ready → published): users can receive it', reviewer: false },
  { move: 'close', summary: 'Close (published → closed)', reviewer: false },
];

export function packageRoutes(app: App, ctx: NativeContext): void {
  const tags = ['packages'];
  app.post('/v1/packages', { preValidation: allow(ctx, ROLES.merchant), config: { idempotent: true }, schema: { tags, summary: 'Create a gift package (礼包), pending review', body: CreateBody, response: { 201: Type.Ref('Package'), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return reply.code(201).send(packageOut(await createPackage(ctx.deps, { tenantId, actor, package: request.body }), timezone));
  });

  app.get('/v1/packages', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'List packages, newest first (deleted ones only when asked by status)', querystring: Type.Intersect([Page, Type.Object({ status: Type.Optional(PackageStatusSchema), q: Type.Optional(Type.String({ maxLength: 100 })) })]), response: { 200: list('Package'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { limit = 50, offset = 0, ...filter } = request.query;
    const page = await listPackages(ctx.deps, tenantId, filter, { limit, offset });
    return { data: page.items.map((p) => packageOut(p, timezone)), total: page.total };
  });

  app.get('/v1/packages/:packageId', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'Get a package', params, response: { 200: Type.Ref('Package'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return packageOut(await getPackage(ctx.deps, tenantId, request.params.packageId), timezone);
  });

  app.patch('/v1/packages/:packageId', { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: 'Edit a package while pending review or rejected', params, body: PatchBody, response: { 200: Type.Ref('Package'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return packageOut(await updatePackage(ctx.deps, { tenantId, actor, packageId: request.params.packageId, patch: request.body }), timezone);
  });

  for (const m of MOVES) {
    app.post(`/v1/packages/:packageId/${m.move}`, { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: m.summary, params, body: Type.Optional(ReviewBody), response: { 200: Type.Ref('Package'), ...problemResponses } } }, async (request) => {
      const { tenantId, timezone, actor } = tenantOf(request);
      const suggestion = request.body?.suggestion;
      if (!m.reviewer && suggestion !== undefined) throw DomainError.field('suggestion', `only approve and reject take a suggestion`);
      return packageOut(await movePackage(ctx.deps, { tenantId, actor, packageId: request.params.packageId, move: m.move, suggestion }), timezone);
    });
  }

  app.delete('/v1/packages/:packageId', { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: 'Delete a package (not while published: close it first)', params, response: { 200: Type.Ref('Package'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return packageOut(await movePackage(ctx.deps, { tenantId, actor, packageId: request.params.packageId, move: 'delete' }), timezone);
  });

  app.post('/v1/packages/:packageId/claims', {
    preValidation: allow(ctx, ROLES.merchantOrClient),
    config: { idempotent: true },
    schema: { tags: ['claims'], summary: 'Receive the whole package for a user: every coupon or none', params, body: ClaimBody, response: { 201: Type.Ref('PackageReceipt'), ...problemResponses } },
  }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const r = await claimPackage(ctx.deps, { tenantId, actor, packageId: request.params.packageId, userId: request.body.userId, chatId: request.body.chatId ?? null });
    return reply.code(201).send(receiptOut(r, timezone, ctx.deps.clock.now()));
  });
}
