/**
 * Coupon templates: what a coupon is worth, when and where it can be used, how many exist.
 */
import { DomainError, type FieldProblem } from './errors.ts';
import { isDiscountFigure, isFen } from './money.ts';
import { DAY_MS, endOfLocalDay, parseClock, parseDate, startOfLocalDay } from './time.ts';

export const TemplateKind = {
  cash: 'cash',
  discount: 'discount',
  groupon: 'groupon',
  gift: 'gift',
  general: 'general',
  member_card: 'member_card',
  free_order: 'free_order',
  exchange: 'exchange',
  buy_m_get_n: 'buy_m_get_n',
  product: 'product',
  free_shipping: 'free_shipping',
  skip_queue: 'skip_queue',
  parking: 'parking',
} as const;
export type TemplateKind = (typeof TemplateKind)[keyof typeof TemplateKind];
export const TEMPLATE_KINDS = Object.values(TemplateKind);

export const TemplateStatus = { active: 'active', archived: 'archived' } as const;
export type TemplateStatus = (typeof TemplateStatus)[keyof typeof TemplateStatus];

/** Latest instant the engine represents: 9999-12-31T23:59:59.999Z ("no end"). */
export const FOREVER = 253_402_300_799_999;

export interface TimeWindow {
  /** `HH:mm` local, inclusive. */
  from: string;
  /** `HH:mm` local, exclusive; `24:00` is the end of the day. */
  to: string;
}

export interface TemplateRule {
  validFrom: string | null;
  validTo: string | null;
  validDaysAfterClaim: number | null;
  minOrderAmount: number;
  maxDiscountAmount: number;
  productKindIds: string[];
  channelIds: string[];
  /** 1 = Monday … 7 = Sunday; empty means every day. */
  weekdays: number[];
  /** Empty means all day. */
  timeWindows: TimeWindow[];
}

/** The fields a merchant sets; everything else is derived or counted by the engine. */
export interface TemplateData {
  name: string;
  kind: TemplateKind;
  amount: number | null;
  discount: number | null;
  themeId: string | null;
  sort: number;
  rule: TemplateRule;
  /** null: unlimited. */
  stock: number | null;
  /** null: no per-user limit. */
  perUserLimit: number | null;
  claimFrom: string | null;
  claimTo: string | null;
  display: Record<string, unknown>;
}

/** Instants derived from the dates in the tenant's timezone when the template is saved. */
export interface TemplateWindow {
  validFromMs: number | null;
  validToMs: number | null;
  claimFromMs: number | null;
  claimToMs: number | null;
}

export interface Template extends TemplateData, TemplateWindow {
  tenantId: string;
  id: string;
  code: string;
  /** Small integer id, stable per tenant (ticket administration `id`, V3 `templateId`). */
  number: number;
  claimed: number;
  status: TemplateStatus;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_RULE: TemplateRule = {
  validFrom: null,
  validTo: null,
  validDaysAfterClaim: null,
  minOrderAmount: 0,
  maxDiscountAmount: 0,
  productKindIds: [],
  channelIds: [],
  weekdays: [],
  timeWindows: [],
};

const MAX_DAYS = 36_500;
const MAX_COUNT = 1_000_000_000;

function checkDate(problems: FieldProblem[], field: string, value: string | null): void {
  if (value !== null && !parseDate(value)) problems.push({ field, message: `must be a calendar date yyyy-MM-dd, got ${JSON.stringify(value)}` });
}

function checkCount(problems: FieldProblem[], field: string, value: number | null, min: number): void {
  if (value === null) return;
  if (!Number.isSafeInteger(value) || value < min || value > MAX_COUNT) problems.push({ field, message: `must be an integer from ${min} to ${MAX_COUNT}` });
}

function checkRule(problems: FieldProblem[], rule: TemplateRule): void {
  checkDate(problems, 'rule.validFrom', rule.validFrom);
  checkDate(problems, 'rule.validTo', rule.validTo);
  if (rule.validFrom && rule.validTo && parseDate(rule.validFrom) && parseDate(rule.validTo) && rule.validFrom > rule.validTo) {
    problems.push({ field: 'rule.validTo', message: 'must not be before rule.validFrom' });
  }
  const days = rule.validDaysAfterClaim;
  if (days !== null && (!Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS)) {
    problems.push({ field: 'rule.validDaysAfterClaim', message: `must be an integer number of days from 1 to ${MAX_DAYS}` });
  }
  if (!isFen(rule.minOrderAmount)) problems.push({ field: 'rule.minOrderAmount', message: 'must be a non-negative integer number of fen' });
  if (!isFen(rule.maxDiscountAmount)) problems.push({ field: 'rule.maxDiscountAmount', message: 'must be a non-negative integer number of fen (0: no cap)' });
  const seen = new Set<number>();
  rule.weekdays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 7) problems.push({ field: `rule.weekdays.${i}`, message: 'must be 1 (Monday) to 7 (Sunday)' });
    else if (seen.has(d)) problems.push({ field: `rule.weekdays.${i}`, message: `weekday ${d} is listed twice` });
    seen.add(d);
  });
  rule.timeWindows.forEach((w, i) => {
    const from = parseClock(w.from);
    const to = parseClock(w.to);
    if (from === null || from >= 24 * 60) problems.push({ field: `rule.timeWindows.${i}.from`, message: `must be a local time HH:mm, got ${JSON.stringify(w.from)}` });
    if (to === null) problems.push({ field: `rule.timeWindows.${i}.to`, message: `must be a local time HH:mm (24:00 allowed), got ${JSON.stringify(w.to)}` });
    if (from !== null && to !== null && from >= to) problems.push({ field: `rule.timeWindows.${i}.to`, message: 'must be after from (to is exclusive)' });
  });
}

/**
 * Checks a template's own fields (references to themes, product kinds and channels are checked
 * by the use case against the store). Throws validation_failed naming every bad field.
 */
export function validateTemplateData(t: TemplateData): void {
  const problems: FieldProblem[] = [];
  if (t.name.trim() === '') problems.push({ field: 'name', message: 'must not be empty' });
  if (!TEMPLATE_KINDS.includes(t.kind)) problems.push({ field: 'kind', message: `must be one of ${TEMPLATE_KINDS.join(', ')}` });
  if (t.amount !== null && !isFen(t.amount)) problems.push({ field: 'amount', message: 'must be a non-negative integer number of fen' });
  if (t.discount !== null && !isDiscountFigure(t.discount)) {
    problems.push({ field: 'discount', message: 'must be a 折 figure above 0 and below 10 with at most two decimals (8.5 = pay 85 %)' });
  }
  if (t.kind === TemplateKind.cash && (t.amount === null || t.amount <= 0)) problems.push({ field: 'amount', message: 'a cash template needs an amount above 0 fen' });
  if (t.kind === TemplateKind.discount && t.discount === null) problems.push({ field: 'discount', message: 'a discount template needs its 折 figure' });
  if (t.kind !== TemplateKind.discount && t.kind !== TemplateKind.member_card && t.discount !== null) {
    problems.push({ field: 'discount', message: `only discount and member_card templates carry a discount, this one is ${t.kind}` });
  }
  if (!Number.isSafeInteger(t.sort)) problems.push({ field: 'sort', message: 'must be an integer' });
  checkCount(problems, 'stock', t.stock, 0);
  checkCount(problems, 'perUserLimit', t.perUserLimit, 1);
  checkDate(problems, 'claimFrom', t.claimFrom);
  checkDate(problems, 'claimTo', t.claimTo);
  if (t.claimFrom && t.claimTo && t.claimFrom > t.claimTo) problems.push({ field: 'claimTo', message: 'must not be before claimFrom' });
  checkRule(problems, t.rule);
  if (problems.length > 0) throw DomainError.invalid(problems);
}

/** The instants a template's dates stand for in the tenant's timezone. */
export function templateWindow(t: TemplateData, timeZone: string): TemplateWindow {
  return {
    validFromMs: t.rule.validFrom ? startOfLocalDay(t.rule.validFrom, timeZone, 'rule.validFrom') : null,
    validToMs: t.rule.validTo ? endOfLocalDay(t.rule.validTo, timeZone, 'rule.validTo') : null,
    claimFromMs: t.claimFrom ? startOfLocalDay(t.claimFrom, timeZone, 'claimFrom') : null,
    claimToMs: t.claimTo ? endOfLocalDay(t.claimTo, timeZone, 'claimTo') : null,
  };
}

/**
 * Validity of a coupon issued at `issuedAt`. With `validDaysAfterClaim` (the seeds' delayDay,
 * 领用后多少天内有效) it is valid from the moment it is issued for that many 24-hour days, capped
 * by validTo (SPEC §2). validFrom does not delay it: that date bounds fixed validity only, and a
 * coupon claimed early is usable at once, as the partner who promised "N days after claiming" expects.
 * Otherwise the template's dates. Both ends are inclusive milliseconds.
 */
export function couponValidity(t: TemplateData & TemplateWindow, issuedAt: number): { validFrom: number; validTo: number } {
  const days = t.rule.validDaysAfterClaim;
  if (days !== null) {
    const to = issuedAt + days * DAY_MS - 1;
    return { validFrom: issuedAt, validTo: t.validToMs !== null && t.validToMs < to ? t.validToMs : to };
  }
  return { validFrom: t.validFromMs ?? issuedAt, validTo: t.validToMs ?? FOREVER };
}

/** Why a template cannot be claimed now, or null when it can. */
export function claimRefusal(t: Template, now: number): string | null {
  if (t.status !== TemplateStatus.active) return `template ${t.id} is ${t.status}`;
  if (t.claimFromMs !== null && now < t.claimFromMs) return `template ${t.id} can be claimed from ${t.claimFrom}`;
  if (t.claimToMs !== null && now > t.claimToMs) return `template ${t.id} could be claimed until ${t.claimTo}`;
  if (t.validToMs !== null && now > t.validToMs) return `template ${t.id} was valid until ${t.rule.validTo}`;
  return null;
}
