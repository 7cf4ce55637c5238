/**
 * Calendar arithmetic in a tenant's IANA time zone, on the standard library's Intl only.
 * Instants are epoch milliseconds; "local" values are wall-clock parts in the zone.
 */
import { DomainError } from './errors.ts';

export const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the zone is a name Intl knows (e.g. "Asia/Shanghai", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Parts straight from Intl (slow: a few microseconds); the source of truth for offsets. */
function intlParts(ms: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0, weekday: 0 };
  for (const p of formatter(timeZone).formatToParts(ms)) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      case 'hour': out.hour = Number(p.value); break;
      case 'minute': out.minute = Number(p.value); break;
      case 'second': out.second = Number(p.value); break;
      case 'weekday': out.weekday = WEEKDAYS[p.value] ?? 0; break;
    }
  }
  out.millisecond = ((ms % 1000) + 1000) % 1000;
  return out;
}

const QUARTER_HOUR = 900_000;
/**
 * Since 1970 every zone changes its offset on a quarter-hour boundary, so offsets cache per
 * quarter hour: per zone, by the quarter hour's number (no key string to build per call).
 */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSETS_KEPT = 50_000;
let offsetsKept = 0;

/** Offset of the zone from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let zone = offsetCache.get(timeZone);
  let offset = ms >= 0 ? zone?.get(bucket) : undefined;
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR;
    const p = intlParts(at, timeZone);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    if (ms >= 0) {
      if (offsetsKept >= OFFSETS_KEPT) {
        offsetCache.clear();
        offsetsKept = 0;
        zone = undefined;
      }
      if (!zone) {
        zone = new Map();
        offsetCache.set(timeZone, zone);
      }
      zone.set(bucket, offset);
      offsetsKept++;
    }
  }
  return offset;
}

/** Wall-clock parts of an instant in a zone. */
export function localParts(ms: number, timeZone: string): LocalParts {
  if (ms < 0) return intlParts(ms, timeZone);
  const d = new Date(ms + zoneOffsetMs(ms, timeZone));
  const weekday = d.getUTCDay();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/** The instant at which the given wall-clock time occurs in the zone (first occurrence). */
export function localToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = guess - zoneOffsetMs(guess, timeZone);
  // A second pass settles instants near an offset change (DST).
  const second = guess - zoneOffsetMs(instant, timeZone);
  if (second !== instant) instant = Math.min(instant, second);
  return instant;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `yyyy-MM-dd` strictly (a real calendar day) into its parts, or null. */
export function parseDate(value: string): { year: number; month: number; day: number } | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

function requireDate(value: string, field: string): { year: number; month: number; day: number } {
  const d = parseDate(value);
  if (!d) throw DomainError.field(field, `must be a calendar date yyyy-MM-dd, got ${JSON.stringify(value)}`);
  return d;
}

/** First millisecond of a local calendar day. */
export function startOfLocalDay(date: string, timeZone: string, field = 'date'): number {
  const d = requireDate(date, field);
  return localToInstant(d.year, d.month, d.day, 0, 0, timeZone);
}

/** Last millisecond of a local calendar day (dates used as an end include their whole day). */
export function endOfLocalDay(date: string, timeZone: string, field = 'date'): number {
  const d = requireDate(date, field);
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return localToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone) - 1;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `yyyy-MM-dd` of an instant in the zone. */
export function formatLocalDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `yyyy-MM-dd HH:mm:ss` of an instant in the zone. */
export function formatLocalDateTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** ISO 8601 with the zone's offset, e.g. `2015-12-11T00:00:00.000+08:00`. Every response formats several. */
export function formatIsoInZone(ms: number, timeZone: string): string {
  const offsetMs = zoneOffsetMs(ms, timeZone);
  if (ms < 0) {
    // Before 1970 the wall clock comes from Intl (offsets then did not keep to quarter hours).
    const p = intlParts(ms, timeZone);
    return isoOf(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond, offsetMs, ms);
  }
  const d = new Date(ms + offsetMs);
  return isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), offsetMs, ms);
}

/** 00 … 99: the two-digit fields of a formatted instant, without a padStart each. */
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function isoOf(year: number, month: number, day: number, hour: number, minute: number, second: number, milli: number, offsetMs: number, ms: number): string {
  // East of UTC the engine's "no end" (9999-12-31T23:59:59.999Z) falls in local year 10000,
  // which ISO 8601 cannot write in four digits: say it in UTC instead. (Within hours of the last
  // instant a Date can hold, the local time cannot be held at all: NaN.)
  if (!(year <= 9999)) return new Date(ms).toISOString();
  const offset = Math.round(offsetMs / 60_000);
  const abs = Math.abs(offset);
  return `${year < 1000 ? pad(year, 4) : year}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${milli < 100 ? `0${TWO[milli]}` : milli}${offset < 0 ? '-' : '+'}${TWO[Math.floor(abs / 60)]}:${TWO[abs % 60]}`;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a start or end given as a local date (`yyyy-MM-dd`, the whole day) or an ISO instant
 * with an explicit offset. `edge` says which end of a date is meant.
 */
export function parseDateOrInstant(value: string, timeZone: string, edge: 'start' | 'end', field: string): number {
  if (DATE_RE.test(value)) return edge === 'start' ? startOfLocalDay(value, timeZone, field) : endOfLocalDay(value, timeZone, field);
  if (ISO_RE.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw DomainError.field(field, `must be a date yyyy-MM-dd or an ISO 8601 instant with an offset, got ${JSON.stringify(value)}`);
}

/** Minutes since local midnight of an `HH:mm` string, or null when malformed. `24:00` is allowed as an end. */
export function parseClock(value: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}
