/** Numbers for the dashboard, aggregated by SQL in the store. */
import { DAY_MS, formatLocalDate, zoneOffsetMs } from '../../domain/time.ts';
import { requireTenant } from '../context.ts';
import type { Deps } from '../ports.ts';

export interface DailyPoint {
  date: string;
  claims: number;
  redemptions: number;
}

/** Claims (coupons issued) and redemptions per local day over the last `days` days, today included. */
export async function dailyStats({ store, clock }: Deps, tenantId: string, days: number): Promise<DailyPoint[]> {
  const tenant = await requireTenant(store.q, tenantId);
  const now = clock.now();
  const offset = zoneOffsetMs(now, tenant.timezone);
  const today = Math.floor((now + offset) / DAY_MS);
  const firstDay = today - days + 1;
  const from = firstDay * DAY_MS - offset;
  const [claims, redemptions] = await Promise.all([store.q.stats.claimsPerDay(tenantId, from, offset), store.q.stats.redemptionsPerDay(tenantId, from, offset)]);
  const c = new Map(claims.map((r) => [r.day, r.n]));
  const r = new Map(redemptions.map((x) => [x.day, x.n]));
  const out: DailyPoint[] = [];
  for (let d = firstDay; d <= today; d++) {
    out.push({ date: formatLocalDate(d * DAY_MS - offset, tenant.timezone), claims: c.get(d) ?? 0, redemptions: r.get(d) ?? 0 });
  }
  return out;
}

export interface TemplateStats {
  templateId: string;
  name: string;
  kind: string;
  stock: number | null;
  claimed: number;
  /** null when the stock is unlimited. */
  remaining: number | null;
  issued: number;
  used: number;
  /** used / issued, 0 when nothing was issued. */
  redemptionRate: number;
}

/** Per template, most claimed first. */
export async function templateStats({ store }: Deps, tenantId: string): Promise<TemplateStats[]> {
  await requireTenant(store.q, tenantId);
  const rows = await store.q.stats.perTemplate(tenantId);
  return rows.map((r) => ({
    ...r,
    remaining: r.stock === null ? null : Math.max(0, r.stock - r.claimed),
    redemptionRate: r.issued === 0 ? 0 : Math.round((r.used / r.issued) * 10_000) / 10_000,
  }));
}
