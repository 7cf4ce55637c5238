/**
 * Tickets as the seed shows them: `{"data": {"id", "card_type", "<type>_info", "app_id",
 * "wechat_app_id", "status", "sync", …}}` for one, the list item shape for GET /tickets, dates as
 * PHP DateTime objects in the tenant's zone and `meta.pagination` with fractal's links.
 */
import { typeKey, typedPart } from '../../app/wechat/card.ts';
import type { TicketView } from '../../app/wechat/tickets.ts';
import { formatLocalDateTime } from '../../domain/time.ts';

/** A PHP DateTime as json_encode writes it (timezone_type 3: a zone name). */
export interface PhpDate {
  date: string;
  timezone_type: 3;
  timezone: string;
}

/** To the second, as a Laravel model's timestamps are (SPEC §7: `yyyy-MM-dd HH:mm:ss.000000`). */
export function phpDate(ms: number, timeZone: string): PhpDate {
  return { date: `${formatLocalDateTime(ms, timeZone)}.000000`, timezone_type: 3, timezone: timeZone };
}

/** A calendar day (begin_at / end_at) as the DateTime of its midnight. */
export function dayDate(day: string | null, timeZone: string): PhpDate | null {
  return day === null ? null : { date: `${day} 00:00:00.000000`, timezone_type: 3, timezone: timeZone };
}

/** The key the typed card object goes under: `cash_info`, `discount_info`, …, and `member_info` for member cards. */
export const infoKey = (key: string): string => (key === 'member_card' ? 'member_info' : `${key}_info`);

function common(v: TicketView, appId: string) {
  return {
    app_id: appId,
    wechat_app_id: v.wechatAppId,
    card_id: v.cardId,
    status: v.template.status === 'active' ? 0 : 1,
    sync: v.synced ? 1 : 0,
    begin_at: dayDate(v.template.claimFrom, v.timeZone),
    end_at: dayDate(v.template.claimTo, v.timeZone),
    created_at: phpDate(v.template.createdAt, v.timeZone),
    updated_at: phpDate(v.template.updatedAt, v.timeZone),
  };
}

/** One ticket (POST, PUT): the typed card object under `<type>_info`. `appId` is the merchant (tenant) id. */
export function ticketOut(v: TicketView, appId: string) {
  const key = typeKey(v.card.card_type);
  return { id: v.template.number, card_type: key, [infoKey(key)]: typedPart(v.card), ...common(v, appId) };
}

/** A ticket in GET /tickets: the card's face fields at the top level. */
export function ticketListItem(v: TicketView, appId: string) {
  const typed = typedPart(v.card);
  const b = typed.base_info;
  const { app_id, wechat_app_id, card_id, status, sync, begin_at, end_at, created_at, updated_at } = common(v, appId);
  return {
    id: v.template.number,
    color: b.color,
    background_pic_url: typed.background_pic_url ?? null,
    logo_url: b.logo_url,
    card_type: typeKey(v.card.card_type),
    brand_name: b.brand_name,
    code_type: b.code_type,
    title: b.title,
    sku: b.sku,
    app_id,
    wechat_app_id,
    ali_app_id: null,
    card_id,
    status,
    sync,
    begin_at,
    end_at,
    created_at,
    updated_at,
  };
}

/** fractal's pagination: links is `[]` (PHP's empty array) when there is neither a previous nor a next page. */
export function pagination(total: number, count: number, perPage: number, page: number, linkTo: (page: number) => string) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const links: Record<string, string> = {};
  if (page > 1) links.previous = linkTo(Math.min(page - 1, totalPages));
  if (page < totalPages) links.next = linkTo(page + 1);
  return { pagination: { total, count, per_page: perPage, current_page: page, total_pages: totalPages, links: Object.keys(links).length > 0 ? links : [] } };
}
