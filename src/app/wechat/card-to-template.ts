/**
 * A checked WeChat card → the engine's template fields. What the engine can enforce is mapped
 * (title, stock, per-user limit, validity, amounts, threshold, weekdays and hours, product kinds);
 * everything else stays only in the stored card (notice, description, code type, colour names,
 * HOLIDAY entries, reject_category, …) and is shown back as sent.
 */
import type { Named } from '../../domain/catalog.ts';
import type { TemplateRule } from '../../domain/template.ts';
import { formatLocalDate } from '../../domain/time.ts';
import type { TemplateInput } from '../templates/template-input.ts';
import { readTimeLimit, windowsByDay } from './card-advanced.ts';
import { CardType, DEFAULT_GET_LIMIT, DateType, discountPercentToFigure, isJson, kindOfCardType, typedPart, type Json, type WechatCard } from './card.ts';

/** What mapping needs besides the card: the tenant's zone (dates) and product kinds (categories). */
export interface CardContext {
  timeZone: string;
  productKinds: Named[];
}

/** The claim window of a ticket: `begin_at` / `end_at`, calendar days. */
export interface TicketDates {
  beginAt: string;
  endAt: string;
}

const CATEGORY_SEPARATORS = /[,，、;；/|]/;

/**
 * accept_category names product kinds when every listed name is one of the tenant's product
 * kinds; otherwise it is text for the card face only (mapping part of it would narrow the coupon
 * to fewer categories than the merchant wrote).
 */
export function acceptedKindIds(category: unknown, kinds: Named[]): string[] {
  if (typeof category !== 'string' || category.trim() === '') return [];
  const names = category.split(CATEGORY_SEPARATORS).map((s) => s.trim()).filter((s) => s !== '');
  const ids = names.map((n) => kinds.find((k) => k.name === n)?.id);
  return ids.every((id) => id !== undefined) ? [...new Set(ids as string[])] : [];
}

/** The last calendar day an end timestamp covers: an end at 00:00:00 closes the day before. */
export const lastDayOf = (endSeconds: number, timeZone: string): string => formatLocalDate(endSeconds * 1000 - 1, timeZone);

function validity(date: Json, timeZone: string): Pick<TemplateRule, 'validFrom' | 'validTo' | 'validDaysAfterClaim'> {
  const end = typeof date.end_timestamp === 'number' ? lastDayOf(date.end_timestamp, timeZone) : null;
  if (date.type === DateType.permanent) return { validFrom: null, validTo: null, validDaysAfterClaim: null };
  if (date.type === DateType.term) return { validFrom: null, validTo: end, validDaysAfterClaim: Number(date.fixed_term) };
  return { validFrom: formatLocalDate(Number(date.begin_timestamp) * 1000, timeZone), validTo: end, validDaysAfterClaim: null };
}

function weekRule(timeLimit: unknown): Pick<TemplateRule, 'weekdays' | 'timeWindows'> {
  if (!Array.isArray(timeLimit)) return { weekdays: [], timeWindows: [] };
  const byDay = windowsByDay(readTimeLimit(timeLimit));
  const windows = [...byDay.values()][0] ?? [];
  return { weekdays: [...byDay.keys()], timeWindows: [...windows].sort((a, b) => a.from.localeCompare(b.from)) };
}

/** The order threshold: CASH has least_cost of its own; every type may say it in use_condition. */
function minOrderAmount(typed: Json, use: Json): number {
  if (typeof use.least_cost === 'number') return use.least_cost;
  return typeof typed.least_cost === 'number' ? typed.least_cost : 0;
}

/** DISCOUNT's percentage off as the 折 figure; a member card may carry one too (0: none). */
function discountOf(type: CardType, percentOff: unknown): number | null {
  if (type === CardType.DISCOUNT) return discountPercentToFigure(Number(percentOff));
  return type === CardType.MEMBER_CARD && typeof percentOff === 'number' && percentOff > 0 ? discountPercentToFigure(percentOff) : null;
}

/** get_limit: left out means WeChat's default (50); 0 means no per-user limit. */
function perUserLimit(getLimit: unknown): number | null {
  if (getLimit === undefined || getLimit === null) return DEFAULT_GET_LIMIT;
  return getLimit === 0 ? null : Number(getLimit);
}

/** The template fields a card stands for, and the display keys other dialects read (picUrl, color, brandName). */
export function cardToTemplate(card: WechatCard, dates: TicketDates, ctx: CardContext): { template: TemplateInput; display: Json } {
  const typed = typedPart(card);
  const base = typed.base_info;
  const advanced = isJson(typed.advanced_info) ? typed.advanced_info : {};
  const use = isJson(advanced.use_condition) ? advanced.use_condition : {};
  const sku = base.sku as Json;
  const template: TemplateInput = {
    name: String(base.title),
    kind: kindOfCardType(card.card_type),
    amount: card.card_type === CardType.CASH ? Number(typed.reduce_cost) : null,
    discount: discountOf(card.card_type, typed.discount),
    rule: {
      ...validity(base.date_info as Json, ctx.timeZone),
      ...weekRule(advanced.time_limit),
      minOrderAmount: minOrderAmount(typed, use),
      productKindIds: acceptedKindIds(use.accept_category, ctx.productKinds),
    },
    stock: Number(sku.quantity),
    perUserLimit: perUserLimit(base.get_limit),
    claimFrom: dates.beginAt,
    claimTo: dates.endAt,
  };
  return { template, display: { picUrl: base.logo_url, color: base.color, brandName: base.brand_name } };
}
