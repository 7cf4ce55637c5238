/**
 * WeChat card sync in the native API: the state of each template asked to sync (state, attempts,
 * last error, card_id, next attempt), the calls made for it, and a retry by hand.
 * "failed" means the last attempt failed: it is retried with back-off unless the error is
 * permanent (nextAttemptAt null), which waits for a retry here or a new update.
 */
import { Type } from 'typebox';
import { SYNC_STATES, getSync, listSync, listSyncAttempts, retrySync, type SyncState, type SyncView } from '../../../app/wechat/sync.ts';
import { Id, Nullable } from '../../../app/schemas/fields.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { iso } from '../mapping.ts';
import { problemResponses } from '../schemas.ts';

export const WechatSyncSchema = Type.Object(
  {
    templateId: Type.String(),
    ticketId: Type.Integer({ description: 'The template number: the ticket administration id' }),
    title: Type.String(),
    state: Type.Enum(['pending', 'syncing', 'synced', 'failed'], { description: 'failed: the last attempt failed (retried with back-off unless permanent)' }),
    attempts: Type.Integer({ description: 'Failed attempts since the last success or request' }),
    lastError: Nullable(Type.String()),
    cardId: Nullable(Type.String({ description: "WeChat's card_id once the card exists" })),
    nextAttemptAt: Nullable(Type.String({ description: 'ISO 8601; null when synced, or failed for good until retried' })),
    updatedAt: Type.String({ description: 'ISO 8601' }),
  },
  { $id: 'WechatSync' },
);

const SyncAttemptSchema = Type.Object({
  at: Type.String(),
  action: Type.String({ description: 'token, card/create, card/update, card/modifystock, or sync (a failure before any call)' }),
  ok: Type.Boolean(),
  durationMs: Type.Integer(),
  httpStatus: Nullable(Type.Integer()),
  errcode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

export function wechatSyncOut(s: SyncView, tz: string) {
  return {
    templateId: s.templateId,
    ticketId: s.ticketId,
    title: s.title,
    state: s.state,
    attempts: s.attempts,
    lastError: s.lastError,
    cardId: s.cardId,
    nextAttemptAt: s.nextAttemptAt === null ? null : iso(s.nextAttemptAt, tz),
    updatedAt: iso(s.updatedAt, tz),
  };
}

const Counts = Type.Object({ pending: Type.Integer({ description: 'pending and syncing' }), synced: Type.Integer(), failed: Type.Integer() });
const params = Type.Object({ templateId: Id });

export function wechatSyncRoutes(app: App, ctx: NativeContext): void {
  const tags = ['wechat sync'];
  const pre = allow(ctx, ROLES.merchant);
  app.addSchema(WechatSyncSchema);

  app.get('/v1/wechat/sync', {
    preValidation: pre,
    schema: {
      tags,
      summary: 'Templates asked to sync to WeChat, most recently changed first, with counts by state',
      querystring: Type.Object({ state: Type.Optional(Type.Enum(SYNC_STATES, { description: 'pending also lists syncing' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) }),
      response: { 200: Type.Object({ data: Type.Array(Type.Ref('WechatSync')), counts: Counts, total: Type.Integer() }), ...problemResponses },
    },
  }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { state, limit = 200, offset = 0 } = request.query;
    const list = await listSync(ctx.deps, tenantId, state as SyncState | undefined, { limit, offset });
    return { data: list.items.map((s) => wechatSyncOut(s, timezone)), counts: list.counts, total: list.total };
  });

  app.get('/v1/templates/:templateId/sync', { preValidation: pre, schema: { tags, summary: "A template's WeChat sync (404 when it was never asked to sync)", params, response: { 200: Type.Ref('WechatSync'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    return wechatSyncOut(await getSync(ctx.deps, tenantId, request.params.templateId), timezone);
  });

  app.get('/v1/templates/:templateId/sync/attempts', { preValidation: pre, schema: { tags, summary: 'The WeChat calls made for a template, newest first', params, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }), response: { 200: Type.Object({ data: Type.Array(SyncAttemptSchema) }), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const attempts = await listSyncAttempts(ctx.deps, tenantId, request.params.templateId, request.query.limit ?? 50);
    return { data: attempts.map((a) => ({ at: iso(a.at, timezone), action: a.action, ok: a.ok, durationMs: a.durationMs, httpStatus: a.httpStatus, errcode: a.errcode, error: a.error })) };
  });

  app.post('/v1/wechat/sync/:templateId/retry', { preValidation: pre, schema: { tags, summary: 'Re-queue now (also after a permanent error)', params, response: { 200: Type.Ref('WechatSync'), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone, actor } = tenantOf(request);
    return wechatSyncOut(await retrySync(ctx.deps, { tenantId, actor, templateId: request.params.templateId }), timezone);
  });
}
