import { Type } from 'typebox';
import { createCredential } from '../../../app/credentials/create-credential.ts';
import { createTenant } from '../../../app/tenants/create-tenant.ts';
import { getTenant, listTenants } from '../../../app/tenants/read-tenants.ts';
import { updateTenant } from '../../../app/tenants/update-tenant.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { FastifyRequest } from 'fastify';
import { Id, Name } from '../../../app/schemas/fields.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { issuedOut, tenantOut } from '../mapping.ts';
import { problemResponses } from '../schemas.ts';
import { CredentialBody, toCredentialInput } from './credentials.ts';

const TenantBody = Type.Object(
  { id: Type.Optional(Id), name: Name, timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone, default Asia/Shanghai' })), servicePhone: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);
const TenantPatch = Type.Object({ name: Type.Optional(Name), servicePhone: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false });
const TenantParams = Type.Object({ tenantId: Id });

/** A tenant key sees its own tenant only; any other id is absent (404). */
function visibleTenant(request: FastifyRequest, tenantId: string): void {
  const own = request.auth?.tenant?.id;
  if (request.auth?.role !== 'platform' && own !== tenantId) throw DomainError.notFound('tenant', tenantId);
}

export function tenantRoutes(app: App, ctx: NativeContext): void {
  const tags = ['tenants'];
  app.post('/v1/tenants', { preValidation: allow(ctx, ROLES.platform), config: { idempotent: true }, schema: { tags, summary: 'Create a tenant', body: TenantBody, response: { 201: Type.Ref('Tenant'), ...problemResponses } } }, async (request, reply) => {
    const t = await createTenant(ctx.deps, { ...request.body, actor: request.auth!.actor });
    return reply.code(201).send(tenantOut(t));
  });

  app.get('/v1/tenants', { preValidation: allow(ctx, ROLES.platform), schema: { tags, summary: 'List tenants', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), after: Type.Optional(Id) }), response: { 200: Type.Object({ data: Type.Array(Type.Ref('Tenant')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses } } }, async (request) => {
    const page = await listTenants(ctx.deps, { limit: request.query.limit ?? 50, after: request.query.after ?? null });
    return { data: page.items.map(tenantOut), nextCursor: page.next };
  });

  app.get('/v1/tenant', { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: "The calling key's tenant", response: { 200: Type.Ref('Tenant'), ...problemResponses } } }, async (request) => tenantOut(await getTenant(ctx.deps, request.auth!.tenant!.id)));

  app.get('/v1/tenants/:tenantId', { preValidation: allow(ctx, [...ROLES.platform, ...ROLES.tenantAny]), schema: { tags, summary: 'Get a tenant', params: TenantParams, response: { 200: Type.Ref('Tenant'), ...problemResponses } } }, async (request) => {
    visibleTenant(request, request.params.tenantId);
    return tenantOut(await getTenant(ctx.deps, request.params.tenantId));
  });

  app.patch('/v1/tenants/:tenantId', { preValidation: allow(ctx, ROLES.platformOrMerchant), schema: { tags, summary: 'Rename a tenant or change its service phone', params: TenantParams, body: TenantPatch, response: { 200: Type.Ref('Tenant'), ...problemResponses } } }, async (request) => {
    visibleTenant(request, request.params.tenantId);
    return tenantOut(await updateTenant(ctx.deps, { tenantId: request.params.tenantId, ...request.body, actor: request.auth!.actor }));
  });

  app.post('/v1/tenants/:tenantId/credentials', { preValidation: allow(ctx, ROLES.platform), config: { idempotent: true }, schema: { tags, summary: "Create a credential for a tenant (its first merchant key, say)", params: TenantParams, body: CredentialBody, response: { 201: Type.Ref('IssuedCredential'), ...problemResponses } } }, async (request, reply) => {
    const t = await getTenant(ctx.deps, request.params.tenantId);
    const issued = await createCredential(ctx.deps, { ...toCredentialInput(request.body), tenantId: t.id, actor: request.auth!.actor });
    return reply.code(201).send(issuedOut(issued, t.timezone));
  });
}
