import { Type } from 'typebox';
import { getChat, getUser, listNamed, putChat, putNamed, putUser } from '../../../app/catalog/catalog.ts';
import { Id, Name } from '../../../app/schemas/fields.ts';
import type { NamedKind } from '../../../app/catalog/catalog.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { problemResponses } from '../schemas.ts';

const COLLECTIONS: Array<{ path: string; kind: NamedKind; what: string }> = [
  { path: 'product-kinds', kind: 'product_kinds', what: 'product kind (品类)' },
  { path: 'channels', kind: 'channels', what: 'channel (渠道)' },
  { path: 'themes', kind: 'themes', what: 'theme (主题)' },
  { path: 'operators', kind: 'operators', what: 'operator (OP)' },
];

export function catalogRoutes(app: App, ctx: NativeContext): void {
  const tags = ['catalog'];
  for (const c of COLLECTIONS) {
    app.get(`/v1/${c.path}`, { preValidation: allow(ctx, ROLES.tenantAny), schema: { tags, summary: `List every ${c.what}`, response: { 200: Type.Object({ data: Type.Array(Type.Ref('Named')) }), ...problemResponses } } }, async (request) => {
      return { data: await listNamed(ctx.deps, tenantOf(request).tenantId, c.kind) };
    });
    app.put(`/v1/${c.path}/:id`, { preValidation: allow(ctx, ROLES.merchant), schema: { tags, summary: `Create or rename a ${c.what}`, params: Type.Object({ id: Id }), body: Type.Object({ name: Name }, { additionalProperties: false }), response: { 200: Type.Ref('Named'), ...problemResponses } } }, async (request) => {
      const { tenantId, actor } = tenantOf(request);
      return putNamed(ctx.deps, { tenantId, actor, kind: c.kind, item: { id: request.params.id, name: request.body.name } });
    });
  }

  const userParams = Type.Object({ userId: Id });
  app.get('/v1/users/:userId', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: ['users'], summary: 'Get a user', params: userParams, response: { 200: Type.Ref('User'), ...problemResponses } } }, async (request) => {
    return getUser(ctx.deps, tenantOf(request).tenantId, request.params.userId);
  });
  app.put('/v1/users/:userId', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: ['users'], summary: 'Create a user or link platform ids (WeChat openids…) to it', params: userParams, body: Type.Object({ platformIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 20 }) }, { additionalProperties: false }), response: { 200: Type.Ref('User'), ...problemResponses } } }, async (request) => {
    const { tenantId, actor } = tenantOf(request);
    return putUser(ctx.deps, { tenantId, actor, userId: request.params.userId, platformIds: request.body.platformIds });
  });

  const chatParams = Type.Object({ chatId: Id });
  app.get('/v1/chats/:chatId', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: ['chats'], summary: 'Get a chat', params: chatParams, response: { 200: Type.Ref('Chat'), ...problemResponses } } }, async (request) => {
    return getChat(ctx.deps, tenantOf(request).tenantId, request.params.chatId);
  });
  app.put('/v1/chats/:chatId', { preValidation: allow(ctx, ROLES.merchantOrClient), schema: { tags: ['chats'], summary: 'Open a chat (会话) between a user and an operator', params: chatParams, body: Type.Object({ userId: Id, operatorId: Id }, { additionalProperties: false }), response: { 200: Type.Ref('Chat'), ...problemResponses } } }, async (request) => {
    const { tenantId, actor } = tenantOf(request);
    return putChat(ctx.deps, { tenantId, actor, chat: { id: request.params.chatId, ...request.body } });
  });
}
