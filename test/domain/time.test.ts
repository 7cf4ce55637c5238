import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endOfLocalDay, formatIsoInZone, formatLocalDateTime, localParts, parseClock, parseDate, parseDateOrInstant, startOfLocalDay } from '../../src/domain/time.ts';

describe('time', () => {
  it('time › a date in Asia/Shanghai starts at 16:00 UTC the day before', () => {
    assert.equal(new Date(startOfLocalDay('2015-12-11', 'Asia/Shanghai')).toISOString(), '2015-12-10T16:00:00.000Z');
    assert.equal(startOfLocalDay('2015-12-11', 'Asia/Shanghai'), 1449763200000);
  });

  it('time › a date used as an end includes its last millisecond', () => {
    assert.equal(endOfLocalDay('2015-12-12', 'Asia/Shanghai'), 1449935999999);
    assert.equal(endOfLocalDay('2015-12-12', 'UTC'), Date.parse('2015-12-12T23:59:59.999Z'));
  });

  it('time › days across a DST change keep their local midnight', () => {
    // New York springs forward on 2024-03-10: that day has 23 hours.
    const start = startOfLocalDay('2024-03-10', 'America/New_York');
    const end = endOfLocalDay('2024-03-10', 'America/New_York');
    assert.equal(new Date(start).toISOString(), '2024-03-10T05:00:00.000Z');
    assert.equal(end - start + 1, 23 * 3600_000);
  });

  it('time › local parts give the ISO weekday (1 = Monday)', () => {
    // 2026-11-23 is a Monday; at 23:30 UTC it is already Tuesday in Shanghai.
    assert.equal(localParts(Date.parse('2026-11-23T10:00:00Z'), 'Asia/Shanghai').weekday, 1);
    assert.equal(localParts(Date.parse('2026-11-23T23:30:00Z'), 'Asia/Shanghai').weekday, 2);
    assert.equal(localParts(Date.parse('2026-11-29T10:00:00Z'), 'Asia/Shanghai').weekday, 7);
  });

  it('time › formats in the zone', () => {
    assert.equal(formatLocalDateTime(1449838069000, 'Asia/Shanghai'), '2015-12-11 20:47:49');
    assert.equal(formatIsoInZone(1449763200000, 'Asia/Shanghai'), '2015-12-11T00:00:00.000+08:00');
  });

  it('time › refuses dates that are not calendar days', () => {
    assert.equal(parseDate('2015-02-29'), null);
    assert.equal(parseDate('2016-02-29')?.day, 29);
    assert.equal(parseDate('2015-1-1'), null);
    assert.throws(() => startOfLocalDay('2015-13-01', 'UTC'), /calendar date/);
  });

  it('time › reads dates or instants with offsets, nothing ambiguous', () => {
    assert.equal(parseDateOrInstant('2015-12-11T06:31:07.606Z', 'Asia/Shanghai', 'start', 'x'), 1449815467606);
    assert.equal(parseDateOrInstant('2015-12-11', 'Asia/Shanghai', 'end', 'x'), 1449849599999);
    assert.throws(() => parseDateOrInstant('2015-12-11T06:31:07', 'UTC', 'start', 'issuedAt'), /issuedAt/);
  });

  it('time › clock strings are HH:mm with 24:00 as an end', () => {
    assert.equal(parseClock('11:00'), 660);
    assert.equal(parseClock('24:00'), 1440);
    assert.equal(parseClock('24:01'), null);
    assert.equal(parseClock('9:00'), null);
  });
});

describe('time › cached offsets', () => {
  it('time › cached local parts agree with Intl across a year of DST zones, every 7 minutes', () => {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    for (let ms = Date.parse('2024-01-01T00:00:00Z'); ms < Date.parse('2025-01-01T00:00:00Z'); ms += 7 * 60_000 + 13_000) {
      const p = localParts(ms, 'America/New_York');
      const parts = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      assert.deepEqual([p.year, p.month, p.day, p.hour, p.minute], [parts.year, parts.month, parts.day, parts.hour, parts.minute], new Date(ms).toISOString());
    }
  });
});

describe('time › ISO formatting', () => {
  /** The same instant written from Intl alone: wall-clock parts and the zone's longOffset name. */
  function reference(ms: number, timeZone: string): string {
    const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' });
    const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
    const offset = p.timeZoneName === 'GMT' ? '+00:00' : (p.timeZoneName as string).slice(3);
    return `${(p.year as string).padStart(4, '0')}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}${offset}`;
  }

  it('time › instants format as Intl writes them, in zones with half- and quarter-hour offsets and DST, 1960–2100', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Europe/London', 'UTC'];
    const from = Date.parse('1960-01-01T00:00:00Z');
    const span = Date.parse('2100-01-01T00:00:00Z') - from;
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 3000; i++) {
      // A third of them with milliseconds under 10, a third under 100.
      const second = Math.floor((from + next() * span) / 1000) * 1000;
      const ms = second + [i % 10, 10 + (i % 90), Math.floor(next() * 1000)][i % 3]!;
      const tz = zones[i % zones.length] as string;
      assert.equal(formatIsoInZone(ms, tz), reference(ms, tz), `${new Date(ms).toISOString()} in ${tz}`);
    }
  });
});

describe('time › the far end', () => {
  it('time › "no end" (9999-12-31T23:59:59.999Z) formats as a parseable instant in every zone', async () => {
    const { FOREVER } = await import('../../src/domain/template.ts');
    for (const tz of ['Asia/Shanghai', 'Pacific/Kiritimati', 'UTC', 'America/New_York']) {
      assert.equal(Date.parse(formatIsoInZone(FOREVER, tz)), FOREVER, tz);
    }
  });

  it('time › the last instant a Date holds formats as a parseable instant east of UTC too (its local time cannot be held)', () => {
    const LAST = 8.64e15;
    for (const tz of ['Asia/Shanghai', 'UTC']) assert.equal(Date.parse(formatIsoInZone(LAST, tz)), LAST, tz);
  });
});
