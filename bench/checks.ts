/**
 * Correctness after the load, judged from the database after the server was killed with
 * SIGKILL: every acknowledged claim and redemption exists, nothing was oversold or spent twice,
 * and the stock counter agrees with the coupons.
 */
import { BENCH } from './bench-data.ts';
import type { BenchDb } from './db.ts';
import type { Ledger } from './scenarios.ts';

export interface Check {
  /** The scenario whose acknowledgements were checked. */
  scenario: string;
  what: string;
  ok: boolean;
  line: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Acknowledged ids that the table does not hold (looked up 500 at a time). */
async function missingIds(db: BenchDb, table: 'coupons' | 'redemptions', ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.all<{ id: string }>(`SELECT id FROM ${table} WHERE tenant_id = ? AND id IN (${chunk.map(() => '?').join(',')})`, [BENCH.tenantId, ...chunk]);
    const found = new Set(rows.map((r) => r.id));
    for (const id of chunk) if (!found.has(id)) missing.push(id);
  }
  return missing;
}

async function one(db: BenchDb, sql: string, params: Array<string | number> = []): Promise<number> {
  const rows = await db.all<{ n: number | string | null }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Claims on a hot template: acknowledged ⊆ stored, stored − acknowledged ≤ in flight, counter =
 * coupons ≤ stock; on the template limited to one per user, no user holds two and the per-user
 * counters add up to the coupons.
 */
export async function checkClaims(db: BenchDb, scenario: string, ledger: Ledger, templateId: string = BENCH.hotTemplateId): Promise<Check> {
  const stored = await one(db, 'SELECT count(*) AS n FROM coupons WHERE tenant_id = ? AND template_id = ?', [BENCH.tenantId, templateId]);
  const counter = await one(db, 'SELECT claimed AS n FROM templates WHERE tenant_id = ? AND id = ?', [BENCH.tenantId, templateId]);
  const missing = await missingIds(db, 'coupons', ledger.acked);
  const acked = ledger.acked.length;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${fmt(missing.length)} acknowledged claim(s) missing (e.g. ${missing[0]})`);
  if (stored !== counter) problems.push(`stock counter ${fmt(counter)} ≠ ${fmt(stored)} coupons`);
  if (stored > BENCH.hotStock) problems.push(`oversold: ${fmt(stored)} > stock ${fmt(BENCH.hotStock)}`);
  if (stored - acked > ledger.inFlight) problems.push(`${fmt(stored - acked)} unacknowledged coupons but only ${fmt(ledger.inFlight)} requests were in flight`);
  if (ledger.badBodies > 0) problems.push(`${fmt(ledger.badBodies)} 201 bodies without an id`);
  if (templateId === BENCH.hotLimitedTemplateId) {
    const twice = await one(db, 'SELECT count(*) AS n FROM (SELECT owner_id FROM coupons WHERE tenant_id = ? AND template_id = ? GROUP BY owner_id HAVING count(*) > 1) x', [BENCH.tenantId, templateId]);
    const counted = await one(db, 'SELECT coalesce(sum(count), 0) AS n FROM template_claims WHERE tenant_id = ? AND subject_id = ?', [BENCH.tenantId, templateId]);
    if (twice > 0) problems.push(`${fmt(twice)} user(s) hold two coupons of a one-per-user template`);
    if (counted !== stored) problems.push(`per-user counters add up to ${fmt(counted)}, not the ${fmt(stored)} coupons`);
  }
  const facts = `${fmt(acked)} acknowledged, ${fmt(stored)} stored (≤ ${fmt(ledger.inFlight)} in flight at stops), counter ${fmt(counter)}, ${fmt(missing.length)} missing after kill -9`;
  return { scenario, what: 'claims', ok: problems.length === 0, line: problems.length === 0 ? facts : `${problems.join('; ')} — ${facts}` };
}

/** Redemptions: acknowledged ⊆ stored, one redemption per used coupon (nothing spent twice). */
export async function checkRedemptions(db: BenchDb, scenario: string, ledger: Ledger): Promise<Check> {
  const stored = await one(db, "SELECT count(*) AS n FROM redemptions WHERE tenant_id = ? AND status = 'active'", [BENCH.tenantId]);
  const used = await one(db, "SELECT count(*) AS n FROM coupons WHERE tenant_id = ? AND template_id = ? AND status = 'used'", [BENCH.tenantId, BENCH.redeemTemplateId]);
  const perCoupon = await one(db, "SELECT count(*) AS n FROM (SELECT coupon_id FROM redemptions WHERE tenant_id = ? AND status = 'active' GROUP BY coupon_id HAVING count(*) > 1) AS twice", [BENCH.tenantId]);
  const missing = await missingIds(db, 'redemptions', ledger.acked);
  const acked = ledger.acked.length;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${fmt(missing.length)} acknowledged redemption(s) missing (e.g. ${missing[0]})`);
  if (perCoupon > 0) problems.push(`${fmt(perCoupon)} coupon(s) redeemed twice`);
  if (used !== stored) problems.push(`${fmt(used)} used coupons ≠ ${fmt(stored)} redemptions`);
  if (stored - acked > ledger.inFlight) problems.push(`${fmt(stored - acked)} unacknowledged redemptions but only ${fmt(ledger.inFlight)} requests were in flight`);
  if (ledger.poolOverrun > 0) problems.push(`${fmt(ledger.poolOverrun)} requests ran past the pre-issued pool (raise the pool or lower --duration)`);
  const facts = `${fmt(acked)} acknowledged, ${fmt(stored)} stored, ${fmt(used)} coupons used, ${fmt(missing.length)} missing after kill -9`;
  return { scenario, what: 'redemptions', ok: problems.length === 0, line: problems.length === 0 ? facts : `${problems.join('; ')} — ${facts}` };
}
