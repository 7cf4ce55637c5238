import { Type } from 'typebox';
import { claimTemplate } from '../../../app/claims/claim-template.ts';
import { createTemplate } from '../../../app/templates/create-template.ts';
import { getTemplate, listTemplates } from '../../../app/templates/read-templates.ts';
import { archiveTemplate, updateTemplate } from '../../../app/templates/update-template.ts';
import { Id, Name, TemplateFieldsSchema, TemplateKindSchema } from '../../../app/schemas/fields.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { couponOut, templateOut } from '../mapping.ts';
import { Page, list, problemResponses } from '../schemas.ts';

const CreateBody = Type.Object(
  { ...TemplateFieldsSchema, id: Type.Optional(Id), code: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,32}$' })), name: Name, kind: TemplateKindSchema },
  { additionalProperties: false },
);
const PatchBody = Type.Object(TemplateFieldsSchema, { additionalProperties: false });
const params = Type.Object({ templateId: Id });
export const ClaimBody = Type.Object({ userId: Id, chatId: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false });

export function templateRoutes(app: App, ctx: NativeContext): void {
  const tags = ['templates'];
  app.post('/v1/templates', { preValidation: allow(ctx, ROLES.merchant), config: { idempotent: true }, schema: { tags, summary: 'Create a coupon template', body: CreateBody, response: { 201: Type.Ref('Template'), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const t = await createTemplate(ctx.deps, { tenantId, actor, template: request.body });
    return reply.code(201).send(templateOut(t, timezone));
  });

  app.get('/v1/templates', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'List templates (sort, then newest first)', querystring: Type.Intersect([Page, Type.Object({ kind: Type.Optional(TemplateKindSchema), status: Type.Optional(Type.Enum(['active', 'archived'])), themeId: Type.Optional(Id), q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name, or the code' })) })]), response: { 200: list('Template'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { limit = 50, offset = 0, ...filter } = request.query;
    const page = await listTemplates(ctx.deps, tenantId, filter, { limit, offset });
    return { data: page.items.map((t) => templateOut(t, timezone)), total: page.total };
  });

  app.get('/v1/templates/:templateId', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: 'Get a template', params, response: { 200: Type.Ref('Template'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return templateOut(await getTemplate(ctx.deps, tenantId, request.params.templateId), timezone);
  });

  app.patch('/v1/templates/:templateId', { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: 'Change a template (rule fields merge; stock never below claimed)', params, body: PatchBody, response: { 200: Type.Ref('Template'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return templateOut(await updateTemplate(ctx.deps, { tenantId, actor, templateId: request.params.templateId, patch: request.body }), timezone);
  });

  app.post('/v1/templates/:templateId/archive', { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: 'Archive: no more claims; issued coupons keep working', params, response: { 200: Type.Ref('Template'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return templateOut(await archiveTemplate(ctx.deps, { tenantId, actor, templateId: request.params.templateId }), timezone);
  });

  app.post('/v1/templates/:templateId/claims', {
    preValidation: allow(ctx, ROLES.merchantOrClient),
    config: { idempotent: true },
    schema: { tags: ['claims'], summary: 'Claim a coupon of the template for a user (created on first use)', description: 'Refusals: 409 out_of_stock, 409 limit_reached, 409 not_claimable, 404.', params, body: ClaimBody, response: { 201: Type.Ref('Coupon'), ...problemResponses } },
  }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const c = await claimTemplate(ctx.deps, { tenantId, actor, templateId: request.params.templateId, userId: request.body.userId, chatId: request.body.chatId ?? null });
    return reply.code(201).send(couponOut(c, timezone, c.issuedAt));
  });
}
