import { Type, type Static } from 'typebox';
import { createCredential, type CredentialInput } from '../../../app/credentials/create-credential.ts';
import { listCredentials, revokeCredential, rotateCredential } from '../../../app/credentials/manage-credentials.ts';
import { Id } from '../../../app/schemas/fields.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { credentialOut, issuedOut } from '../mapping.ts';
import { problemResponses } from '../schemas.ts';

const Short = Type.String({ minLength: 1, maxLength: 200 });

export const CredentialBody = Type.Object(
  {
    kind: Type.Enum(['api', 'op', 'crm', 'zv', 'wechat']),
    label: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    role: Type.Optional(Type.Enum(['merchant', 'cashier', 'client'], { description: 'api keys' })),
    client: Type.Optional(Short),
    secret: Type.Optional(Short),
    channel: Type.Optional(Type.String({ maxLength: 200 })),
    desKey: Type.Optional(Short),
    openId: Type.Optional(Short),
    grantCode: Type.Optional(Short),
    appId: Type.Optional(Short),
    appSecret: Type.Optional(Short),
  },
  { additionalProperties: false, description: 'What is left out is generated (API keys always are)' },
);

export function toCredentialInput(body: Static<typeof CredentialBody>): CredentialInput {
  const { label, ...rest } = body;
  return { ...rest, label: label ?? null } as CredentialInput;
}

export function credentialRoutes(app: App, ctx: NativeContext): void {
  const tags = ['credentials'];
  const pre = allow(ctx, ROLES.merchant);
  const params = Type.Object({ credentialId: Id });

  app.get('/v1/credentials', { preValidation: pre, schema: { tags, summary: "The tenant's live credentials (secrets are never listed)", response: { 200: Type.Object({ data: Type.Array(Type.Ref('Credential')) }), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return { data: (await listCredentials(ctx.deps, tenantId)).map((c) => credentialOut(c, timezone)) };
  });

  app.post('/v1/credentials', { preValidation: pre, config: { idempotent: true }, schema: { tags, summary: 'Create a credential: an API key or a partner dialect credential', body: CredentialBody, response: { 201: Type.Ref('IssuedCredential'), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const issued = await createCredential(ctx.deps, { ...toCredentialInput(request.body), tenantId, actor });
    return reply.code(201).send(issuedOut(issued, timezone));
  });

  app.post('/v1/credentials/:credentialId/rotate', { preValidation: pre, schema: { tags, summary: 'Replace the secret (same client / channel / openId); the old one stops working', params, response: { 201: Type.Ref('IssuedCredential'), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    const issued = await rotateCredential(ctx.deps, { tenantId, id: request.params.credentialId, actor });
    return reply.code(201).send(issuedOut(issued, timezone));
  });

  app.delete('/v1/credentials/:credentialId', { preValidation: pre, schema: { tags, summary: 'Revoke a credential', params, response: { 204: Type.Null(), ...problemResponses } } }, async (request, reply) => {
    const { tenantId, actor } = tenantOf(request);
    await revokeCredential(ctx.deps, { tenantId, id: request.params.credentialId, actor });
    return reply.code(204).send(null);
  });
}
