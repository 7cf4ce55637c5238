/**
 * Ticket administration (seed 004, SPEC §7): merchants' back offices create coupons in the WeChat
 * card format, list and update them. Bearer API keys of merchants; answers and errors in the
 * seed's Laravel / Dingo shapes. A ticket is a template of the engine (its `id` is the template's
 * per-tenant number), so it can be claimed, redeemed and listed through every other dialect.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CardType, typeKey } from '../../app/wechat/card.ts';
import { createTicket, listTickets, updateTicket } from '../../app/wechat/tickets.ts';
import { ApiRole } from '../../domain/credential.ts';
import { DomainError } from '../../domain/errors.ts';
import { requireRole, tenantOf } from '../shared/auth.ts';
import type { DialectOptions } from '../shared/dialect.ts';
import { inTicketTerms, ticketErrorHandler } from './errors.ts';
import { pagination, ticketListItem, ticketOut } from './mapping.ts';
import { parseTicketBody } from './request.ts';
import { parseTicketQuery } from './search.ts';

/** The create routes and the card type each takes (`coupon` is the cash coupon, 代金券). */
const CREATE_ROUTES: Array<[string, CardType]> = [
  ['/discount/ticket', CardType.DISCOUNT],
  ['/coupon/ticket', CardType.CASH],
  ['/groupon/ticket', CardType.GROUPON],
  ['/gift/ticket', CardType.GIFT],
];

/** The URL of another page of the same list (fractal's links are absolute). */
function pageLink(request: FastifyRequest): (page: number) => string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  return (page) => {
    url.searchParams.set('page', String(page));
    return url.toString();
  };
}

function ticketNumber(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw DomainError.notFound('ticket', raw);
  return Number(raw);
}

export async function ticketAdminRoutes(app: FastifyInstance, { deps, config }: DialectOptions): Promise<void> {
  app.setErrorHandler(ticketErrorHandler);
  // On request, before the body is read: no key answers 401 whatever the body holds.
  const onRequest = requireRole(deps, config.adminKey, [ApiRole.merchant]);

  for (const [path, type] of CREATE_ROUTES) {
    app.post(path, { onRequest, config: { idempotent: true } }, async (request) => {
      const { tenantId, actor } = tenantOf(request);
      const ticket = parseTicketBody(request.body, { route: type, now: deps.clock.now() });
      const view = await inTicketTerms(typeKey(type), () => createTicket(deps, { tenantId, actor, ...ticket }));
      return { data: ticketOut(view, tenantId) };
    });
  }

  app.get('/tickets', { onRequest }, async (request) => {
    const { tenantId, timezone } = tenantOf(request);
    const { query, page, perPage } = parseTicketQuery(request.query as Record<string, unknown>, timezone);
    const { items, total } = await listTickets(deps, tenantId, query, { limit: perPage, offset: (page - 1) * perPage });
    return { data: items.map((v) => ticketListItem(v, tenantId)), meta: pagination(total, items.length, perPage, page, pageLink(request)) };
  });

  app.put<{ Params: { id: string } }>('/ticket/:id', { onRequest }, async (request) => {
    const { tenantId, actor } = tenantOf(request);
    const number = ticketNumber(request.params.id);
    const ticket = parseTicketBody(request.body, { route: undefined, now: deps.clock.now() });
    const view = await inTicketTerms(typeKey(ticket.card.card_type), () => updateTicket(deps, { tenantId, actor, number, ...ticket }));
    return { data: ticketOut(view, tenantId) };
  });
}
