/**
 * A template → the WeChat card that shows it. The engine is the truth for what it enforces (title,
 * stock, limits, validity, amounts, weekdays, hours, product kinds), so a change made through the
 * native API shows here and is what the sync sends; the stored card supplies everything else, and
 * values that still mean the same are shown exactly as the partner sent them (timestamps, time_limit).
 * A template made elsewhere, with no stored card, gets WeChat's defaults.
 */
import type { Template, TimeWindow } from '../../domain/template.ts';
import { formatLocalDate } from '../../domain/time.ts';
import { readTimeLimit, windowsByDay } from './card-advanced.ts';
import { acceptedKindIds, lastDayOf, type CardContext } from './card-to-template.ts';
import {
  CardType,
  DateType,
  HOLIDAY,
  MAX_QUANTITY,
  WEEKDAY_NAMES,
  cardTypeOfKind,
  cloneJson,
  discountFigureToPercent,
  isJson,
  kindOfCardType,
  typeKey,
  typedPart,
  type Json,
  type TypedCard,
  type WechatCard,
} from './card.ts';

const seconds = (ms: number): number => Math.floor(ms / 1000);

function dateInfo(t: Template, stored: Json, tz: string): Json {
  const r = t.rule;
  const keepEnd = typeof stored.end_timestamp === 'number' && r.validTo !== null && lastDayOf(stored.end_timestamp, tz) === r.validTo;
  const end = r.validTo === null ? undefined : keepEnd ? stored.end_timestamp : seconds(t.validToMs ?? 0);
  if (r.validDaysAfterClaim !== null) {
    return { type: DateType.term, fixed_term: r.validDaysAfterClaim, fixed_begin_term: 0, ...(end !== undefined ? { end_timestamp: end } : {}) };
  }
  if (r.validFrom === null && r.validTo === null) return { type: DateType.permanent };
  const keepBegin = stored.type === DateType.range && typeof stored.begin_timestamp === 'number' && formatLocalDate(stored.begin_timestamp * 1000, tz) === r.validFrom;
  const begin = keepBegin ? stored.begin_timestamp : seconds(t.validFromMs ?? t.createdAt);
  return { type: DateType.range, begin_timestamp: begin, end_timestamp: end ?? seconds(t.validToMs ?? 253_402_300_799_999) };
}

const windowsKey = (m: Map<number, TimeWindow[]>): string => JSON.stringify([...m].map(([d, ws]) => [d, ws.map((w) => `${w.from}-${w.to}`).sort()]));

function timeLimit(t: Template, stored: unknown): Json[] | undefined {
  const storedList = Array.isArray(stored) ? stored.filter(isJson) : [];
  const { weekdays, timeWindows } = t.rule;
  const days = weekdays.length > 0 ? weekdays : timeWindows.length > 0 ? [1, 2, 3, 4, 5, 6, 7] : [];
  const engine = new Map<number, TimeWindow[]>(days.map((d) => [d, timeWindows]));
  if (storedList.length > 0 && windowsKey(windowsByDay(readTimeLimit(storedList))) === windowsKey(engine)) return storedList;
  const entries: Json[] = [];
  for (const d of days) {
    const type = WEEKDAY_NAMES[d - 1];
    if (timeWindows.length === 0) entries.push({ type });
    for (const w of timeWindows) {
      const [bh, bm] = w.from.split(':').map(Number);
      const [eh, em] = w.to.split(':').map(Number);
      entries.push({ type, begin_hour: bh, begin_minute: bm, end_hour: eh, end_minute: em });
    }
  }
  entries.push(...storedList.filter((e) => e.type === HOLIDAY));
  return entries.length > 0 ? entries : undefined;
}

function acceptCategory(t: Template, stored: unknown, ctx: CardContext): string | undefined {
  const ids = t.rule.productKindIds;
  const storedIds = acceptedKindIds(stored, ctx.productKinds);
  const same = storedIds.length === ids.length && storedIds.every((id) => ids.includes(id));
  if (same) return typeof stored === 'string' && stored !== '' ? stored : undefined;
  if (ids.length > 0) return ids.map((id) => ctx.productKinds.find((k) => k.id === id)?.name ?? id).join('、');
  return undefined;
}

function advancedInfo(t: Template, typed: TypedCard, ctx: CardContext): void {
  const advanced: Json = isJson(typed.advanced_info) ? typed.advanced_info : {};
  const use: Json = isJson(advanced.use_condition) ? advanced.use_condition : {};
  const min = t.rule.minOrderAmount;
  if (use.least_cost !== undefined || (min > 0 && typed.least_cost === undefined)) use.least_cost = min;
  const category = acceptCategory(t, use.accept_category, ctx);
  if (category === undefined) delete use.accept_category;
  else use.accept_category = category;
  if (Object.keys(use).length > 0) advanced.use_condition = use;
  const limits = timeLimit(t, advanced.time_limit);
  if (limits) advanced.time_limit = limits;
  else delete advanced.time_limit;
  if (Object.keys(advanced).length > 0) typed.advanced_info = advanced;
  else delete typed.advanced_info;
}

function ownFields(type: CardType, typed: TypedCard, t: Template): void {
  const percent = t.discount === null ? undefined : discountFigureToPercent(t.discount);
  switch (type) {
    case CardType.CASH:
      typed.least_cost = t.rule.minOrderAmount;
      typed.reduce_cost = t.amount ?? 0;
      break;
    case CardType.DISCOUNT:
      typed.discount = percent ?? 0;
      break;
    case CardType.GROUPON:
      typed.deal_detail ??= t.name;
      break;
    case CardType.GIFT:
      typed.gift ??= t.name;
      break;
    case CardType.GENERAL_COUPON:
      typed.default_detail ??= t.name;
      break;
    case CardType.MEMBER_CARD:
      typed.prerogative ??= t.name;
      if (percent !== undefined) typed.discount = percent;
      break;
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function baseInfo(t: Template, typed: TypedCard, tz: string): void {
  const b = typed.base_info;
  b.logo_url = text(t.display.picUrl) ?? b.logo_url ?? '';
  b.code_type ??= 'CODE_TYPE_TEXT';
  b.brand_name = text(t.display.brandName) ?? b.brand_name ?? '';
  b.title = t.name;
  b.color = text(t.display.color) ?? b.color ?? 'Color010';
  b.notice ??= '';
  b.description ??= '';
  b.sku = { quantity: t.stock ?? MAX_QUANTITY };
  b.date_info = dateInfo(t, isJson(b.date_info) ? b.date_info : {}, tz);
  b.get_limit = t.perUserLimit ?? 0;
}

/** The card that shows a template now: the stored card (when its type still fits) under the engine's values. */
export function ticketCard(t: Template, stored: WechatCard | null, ctx: CardContext): WechatCard {
  const fits = stored !== null && kindOfCardType(stored.card_type) === t.kind;
  const type = fits ? stored.card_type : cardTypeOfKind(t.kind);
  const typed: TypedCard = fits ? cloneJson(typedPart(stored)) : { base_info: {} };
  baseInfo(t, typed, ctx.timeZone);
  ownFields(type, typed, t);
  advancedInfo(t, typed, ctx);
  return { card_type: type, [typeKey(type)]: typed };
}
