import { Type } from 'typebox';
import { listEvents } from '../../../app/events/list-events.ts';
import { dailyStats, templateStats } from '../../../app/stats/statistics.ts';
import { Id } from '../../../app/schemas/fields.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { eventOut } from '../mapping.ts';
import { problemResponses } from '../schemas.ts';

export function insightRoutes(app: App, ctx: NativeContext): void {
  app.get('/v1/events', { preValidation: allow(ctx, ROLES.merchant), schema: { tags: ['events'], summary: 'The audit trail, oldest first after a sequence number', querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), subjectType: Type.Optional(Type.String({ maxLength: 40 })), subjectId: Type.Optional(Id), action: Type.Optional(Type.String({ maxLength: 60 })) }), response: { 200: Type.Object({ data: Type.Array(Type.Ref('Event')), nextAfter: Type.Integer() }), ...problemResponses } } }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { after = 0, limit = 100, ...filter } = request.query;
    const events = await listEvents(ctx.deps, tenantId, filter, { after, limit });
    return { data: events.map((e) => eventOut(e, timezone)), nextAfter: events.at(-1)?.seq ?? after };
  });

  app.get('/v1/stats/daily', { preValidation: allow(ctx, ROLES.merchant), schema: { tags: ['statistics'], summary: 'Claims and redemptions per local day', querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }), response: { 200: Type.Object({ data: Type.Array(Type.Object({ date: Type.String(), claims: Type.Integer(), redemptions: Type.Integer() })) }), ...problemResponses } } }, async (request) => {
    return { data: await dailyStats(ctx.deps, tenantOf(request).tenantId, request.query.days ?? 30) };
  });

  app.get('/v1/stats/templates', { preValidation: allow(ctx, ROLES.merchant), schema: { tags: ['statistics'], summary: 'Per template: stock, claimed, remaining, issued, used, redemption rate', response: { 200: Type.Object({ data: Type.Array(Type.Object({ templateId: Type.String(), name: Type.String(), kind: Type.String(), stock: Type.Union([Type.Integer(), Type.Null()]), claimed: Type.Integer(), remaining: Type.Union([Type.Integer(), Type.Null()]), issued: Type.Integer(), used: Type.Integer(), redemptionRate: Type.Number() })) }), ...problemResponses } } }, async (request) => {
    return { data: await templateStats(ctx.deps, tenantOf(request).tenantId) };
  });
}
