/**
 * Tickets: templates described by a WeChat card (ticket administration, seed 004). The card is
 * mapped onto the template and kept whole in the template's `extra`; when the merchant asks for
 * it, the WeChat sync is queued in the same transaction as the template write.
 */
import type { Named } from '../../domain/catalog.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Template } from '../../domain/template.ts';
import type { TicketQuery, TicketRow } from '../../store/queries/tickets.ts';
import { requireTenant, type TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { createTemplate } from '../templates/create-template.ts';
import { updateTemplate } from '../templates/update-template.ts';
import { cardToTemplate, type CardContext, type TicketDates } from './card-to-template.ts';
import { isJson, type CardType, type WechatCard } from './card.ts';
import { requestSync, wechatAppFor } from './sync.ts';
import { ticketCard } from './template-to-card.ts';

export type { TicketCondition, TicketField, TicketOp, TicketQuery } from '../../store/queries/tickets.ts';

/** Where the card lives in the template's extras. */
const CARD_KEY = 'wechatCard';

export interface TicketView {
  template: Template;
  /** The card as it shows the template now (the engine's values over the stored card). */
  card: WechatCard;
  timeZone: string;
  /** WeChat holds the template as it is now. */
  synced: boolean;
  cardId: string | null;
  /** The WeChat app the card lives in, or the tenant's, or null. */
  wechatAppId: string | null;
}

export interface SaveTicketInput extends TenantInput {
  /** A card checked by checkCard. */
  card: WechatCard;
  dates: TicketDates;
  /** Also create / update it in WeChat. */
  sync: boolean;
}

interface ViewContext extends CardContext {
  defaultAppId: string | null;
}

async function viewContext(deps: Deps, tenantId: string): Promise<ViewContext> {
  const tenant = await requireTenant(deps.store.q, tenantId);
  const [productKinds, app] = await Promise.all([deps.store.q.catalog.listNamed('product_kinds', tenantId), wechatAppFor(deps, tenantId, null)]);
  return { timeZone: tenant.timezone, productKinds: productKinds as Named[], defaultAppId: app?.appId ?? null };
}

function toView(row: TicketRow, ctx: ViewContext): TicketView {
  const stored = isJson(row.extra[CARD_KEY]) ? (row.extra[CARD_KEY] as unknown as WechatCard) : null;
  const sync = row.sync;
  return {
    template: row.template,
    card: ticketCard(row.template, stored, ctx),
    timeZone: ctx.timeZone,
    synced: sync !== null && sync.state === 'synced' && sync.pushedUpdatedAt === row.template.updatedAt,
    cardId: sync?.cardId ?? null,
    wechatAppId: sync?.appId ?? ctx.defaultAppId,
  };
}

async function rowByNumber(deps: Deps, tenantId: string, number: number): Promise<TicketRow> {
  const row = await deps.store.q.tickets.byNumber(tenantId, number);
  if (!row) throw DomainError.notFound('ticket', String(number));
  return row;
}

export async function getTicket(deps: Deps, tenantId: string, number: number): Promise<TicketView> {
  const ctx = await viewContext(deps, tenantId);
  return toView(await rowByNumber(deps, tenantId, number), ctx);
}

/** A page of tickets; every template of the tenant is a ticket, made here or not. */
export async function listTickets(deps: Deps, tenantId: string, query: TicketQuery, page: { limit: number; offset: number }): Promise<{ items: TicketView[]; total: number }> {
  const ctx = await viewContext(deps, tenantId);
  const { items, total } = await deps.store.q.tickets.list(tenantId, query, page.limit, page.offset);
  return { items: items.map((r) => toView(r, ctx)), total };
}

/** Creates the template a card describes; with `sync`, WeChat's card is queued in the same transaction. */
export async function createTicket(deps: Deps, input: SaveTicketInput): Promise<TicketView> {
  const ctx = await viewContext(deps, input.tenantId);
  const { template, display } = cardToTemplate(input.card, input.dates, ctx);
  const now = deps.clock.now();
  const t = await createTemplate(deps, {
    tenantId: input.tenantId,
    actor: input.actor,
    template: { ...template, display },
    extra: { [CARD_KEY]: input.card },
    within: input.sync ? (q, t) => requestSync(q, { ...input, templateId: t.id }, now) : undefined,
  });
  return getTicket(deps, input.tenantId, t.number);
}

/**
 * Replaces a ticket's card (PUT). The type stays (a WeChat card keeps its type); the stored card is
 * replaced and other extras kept; with `sync`, the update (and a stock change) is queued.
 */
export async function updateTicket(deps: Deps, input: SaveTicketInput & { number: number }): Promise<TicketView> {
  const ctx = await viewContext(deps, input.tenantId);
  const before = toView(await rowByNumber(deps, input.tenantId, input.number), ctx);
  const type: CardType = before.card.card_type;
  if (input.card.card_type !== type) {
    throw DomainError.field('ticket_type', `ticket ${input.number} is a ${type} card and keeps its type; create a new ticket for a ${input.card.card_type} card`);
  }
  const { template, display } = cardToTemplate(input.card, input.dates, ctx);
  const now = deps.clock.now();
  await updateTemplate(deps, {
    tenantId: input.tenantId,
    actor: input.actor,
    templateId: before.template.id,
    // The kind stays: a general coupon card shows several engine kinds (free order, parking, …).
    patch: { ...template, kind: before.template.kind, display: { ...before.template.display, ...display } },
    followInWechat: false,
    within: async (q, t) => {
      const extra = (await q.templates.getExtra(t.tenantId, t.id)) ?? {};
      await q.templates.setExtra(t.tenantId, t.id, { ...extra, [CARD_KEY]: input.card });
      if (input.sync) await requestSync(q, { ...input, templateId: t.id }, now);
    },
  });
  return getTicket(deps, input.tenantId, input.number);
}

/** What the sync sends for a template: its card as it stands now; null when the template is gone. */
export async function cardForSync(deps: Deps, tenantId: string, templateId: string): Promise<{ template: Template; card: WechatCard } | null> {
  const ctx = await viewContext(deps, tenantId);
  const template = await deps.store.q.templates.get(tenantId, templateId);
  if (!template) return null;
  const extra = (await deps.store.q.templates.getExtra(tenantId, templateId)) ?? {};
  const stored = isJson(extra[CARD_KEY]) ? (extra[CARD_KEY] as unknown as WechatCard) : null;
  return { template, card: ticketCard(template, stored, ctx) };
}
