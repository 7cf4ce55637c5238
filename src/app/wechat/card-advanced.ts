/**
 * advanced_info of a WeChat card: use_condition, abstract, text_image_list, business_service and
 * time_limit. time_limit becomes the template's weekdays and time windows, and the engine applies
 * one set of windows to all its weekdays, so days listed with different hours are refused here
 * rather than silently widened.
 */
import { MAX_FEN } from '../../domain/money.ts';
import type { TimeWindow } from '../../domain/template.ts';
import type { Checker } from './card-check.ts';
import { BUSINESS_SERVICES, HOLIDAY, WEEKDAY_NAMES, isJson, type Json } from './card.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** One time_limit entry as the engine sees it: a weekday (1–7) or HOLIDAY, and a window or the whole day. */
export interface TimeLimitEntry {
  day: number | 'HOLIDAY';
  window: TimeWindow | null;
}

/** Reads time_limit entries that passed checkTimeLimit. */
export function readTimeLimit(list: unknown[]): TimeLimitEntry[] {
  return list.filter(isJson).map((e) => {
    const day = e.type === HOLIDAY ? HOLIDAY : WEEKDAY_NAMES.indexOf(e.type as (typeof WEEKDAY_NAMES)[number]) + 1;
    const hasHours = e.begin_hour !== undefined || e.end_hour !== undefined;
    const window = hasHours
      ? { from: `${pad(Number(e.begin_hour))}:${pad(Number(e.begin_minute ?? 0))}`, to: `${pad(Number(e.end_hour))}:${pad(Number(e.end_minute ?? 0))}` }
      : null;
    return { day, window };
  });
}

/** The windows per weekday; a day listed without hours is open all day (empty list). */
export function windowsByDay(entries: TimeLimitEntry[]): Map<number, TimeWindow[]> {
  const windows = new Map<number, TimeWindow[]>();
  const allDay = new Set<number>();
  for (const e of entries) {
    if (e.day === HOLIDAY) continue;
    if (e.window === null) allDay.add(e.day);
    else if (!(windows.get(e.day) ?? []).some((w) => w.from === e.window?.from && w.to === e.window.to)) windows.set(e.day, [...(windows.get(e.day) ?? []), e.window]);
  }
  const byDay = new Map<number, TimeWindow[]>();
  for (const day of [...allDay, ...windows.keys()].sort()) byDay.set(day, allDay.has(day) ? [] : (windows.get(day) ?? []));
  return byDay;
}

const windowsKey = (ws: TimeWindow[]): string => ws.map((w) => `${w.from}-${w.to}`).sort().join(',');

function checkTimeLimitEntry(c: Checker, e: unknown, path: string): void {
  if (!isJson(e)) return c.add(path, 'must be an object {"type": "MONDAY", "begin_hour": 10, …}');
  c.known(e, ['type', 'begin_hour', 'begin_minute', 'end_hour', 'end_minute'], path, 'a time_limit entry');
  c.text(e, 'type', `${path}.type`, { required: true, maxBytes: 24, oneOf: [...WEEKDAY_NAMES, HOLIDAY] });
  const bh = c.int(e, 'begin_hour', `${path}.begin_hour`, { min: 0, max: 23 });
  const bm = c.int(e, 'begin_minute', `${path}.begin_minute`, { min: 0, max: 59 });
  const eh = c.int(e, 'end_hour', `${path}.end_hour`, { min: 0, max: 24 });
  const em = c.int(e, 'end_minute', `${path}.end_minute`, { min: 0, max: 59 });
  const given = [e.begin_hour, e.begin_minute, e.end_hour, e.end_minute].some((v) => v !== undefined && v !== null);
  if (given && (e.begin_hour === undefined || e.end_hour === undefined)) return c.add(path, 'needs both begin_hour and end_hour when it limits the hours');
  if (bh === undefined || eh === undefined) return;
  const from = bh * 60 + (bm ?? 0);
  const to = eh * 60 + (em ?? 0);
  if (to > 24 * 60) c.add(`${path}.end_minute`, 'the end of the day is 24:00');
  else if (to <= from) c.add(path, `ends (${pad(eh)}:${pad(em ?? 0)}) before it begins (${pad(bh)}:${pad(bm ?? 0)})`);
}

function checkTimeLimit(c: Checker, list: unknown[], path: string): void {
  const before = c.problems.length;
  list.forEach((e, i) => checkTimeLimitEntry(c, e, `${path}.${i}`));
  if (c.problems.length > before) return;
  const byDay = windowsByDay(readTimeLimit(list));
  const keys = new Set([...byDay.values()].map(windowsKey));
  if (keys.size > 1) {
    c.add(path, 'every day listed must have the same hours: couponhub applies one set of time windows to all the weekdays of a coupon');
  }
}

function checkUseCondition(c: Checker, u: Json, path: string): void {
  c.known(u, ['accept_category', 'reject_category', 'least_cost', 'object_use_for', 'can_use_with_other_discount'], path, 'use_condition');
  for (const key of ['accept_category', 'reject_category', 'object_use_for']) c.text(u, key, `${path}.${key}`, { maxBytes: 512 });
  c.int(u, 'least_cost', `${path}.least_cost`, { min: 0, max: MAX_FEN, unit: 'fen' });
  c.bool(u, 'can_use_with_other_discount', `${path}.can_use_with_other_discount`);
}

function checkAbstract(c: Checker, a: Json, path: string): void {
  c.known(a, ['abstract', 'icon_url_list'], path, 'abstract');
  c.text(a, 'abstract', `${path}.abstract`, { maxBytes: 72 });
  c.array(a, 'icon_url_list', `${path}.icon_url_list`, 1)?.forEach((u, i) => {
    if (typeof u !== 'string' || u.length > 128) c.add(`${path}.icon_url_list.${i}`, 'must be an image URL of at most 128 bytes');
  });
}

function checkTextImages(c: Checker, list: unknown[], path: string): void {
  list.forEach((e, i) => {
    if (!isJson(e)) return c.add(`${path}.${i}`, 'must be an object {"image_url", "text"}');
    c.known(e, ['image_url', 'text'], `${path}.${i}`, 'a text_image_list entry');
    c.text(e, 'image_url', `${path}.${i}.image_url`, { maxBytes: 128, url: true });
    c.text(e, 'text', `${path}.${i}.text`, { maxBytes: 512 });
  });
}

export function checkAdvancedInfo(c: Checker, a: Json, path: string): void {
  c.known(a, ['use_condition', 'abstract', 'text_image_list', 'time_limit', 'business_service'], path, 'advanced_info');
  const use = c.object(a, 'use_condition', `${path}.use_condition`, false);
  if (use) checkUseCondition(c, use, `${path}.use_condition`);
  const abstract = c.object(a, 'abstract', `${path}.abstract`, false);
  if (abstract) checkAbstract(c, abstract, `${path}.abstract`);
  const images = c.array(a, 'text_image_list', `${path}.text_image_list`, 20);
  if (images) checkTextImages(c, images, `${path}.text_image_list`);
  c.array(a, 'business_service', `${path}.business_service`, BUSINESS_SERVICES.length)?.forEach((s, i) => {
    if (typeof s !== 'string' || !(BUSINESS_SERVICES as readonly string[]).includes(s)) c.add(`${path}.business_service.${i}`, `must be one of ${BUSINESS_SERVICES.join(', ')}`);
  });
  const limits = c.array(a, 'time_limit', `${path}.time_limit`, 50);
  if (limits) checkTimeLimit(c, limits, `${path}.time_limit`);
}
