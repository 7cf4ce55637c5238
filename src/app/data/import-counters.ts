/**
 * After an import has written coupons and receipts, the counters that enforce limits must count
 * them too, or a limit stops holding: a template's `claimed` (stock) and per-user claim counts, a
 * package's `claimed` (total) and per-user receipt counts. This runs for every template and
 * package the import touched, whether the import created it or it existed already.
 */
import { DomainError } from '../../domain/errors.ts';
import type { Queries } from '../../store/store.ts';
import { rebuildUserCounts } from '../claims/user-counts.ts';
import type { TenantData } from './dataset.ts';

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Where the file names an id: its own entry, else the first entry that refers to it. */
function fieldOf(path: string, candidates: Array<[list: string, items: ReadonlyArray<Record<string, unknown>> | undefined, key: string, field: string]>, id: string): string {
  for (const [list, items, key, field] of candidates) {
    const i = (items ?? []).findIndex((x) => x[key] === id);
    if (i >= 0) return `${path}.${list}.${i}.${field}`;
  }
  return path;
}

/**
 * claimed = max(claimed, coupons issued); more than the stock refuses the import. Per-user counts
 * of limited templates are rebuilt from the coupons users hold. Template rows are locked in id
 * order (the order package claims take their stock in), so no claim moves a counter while it is
 * recomputed.
 */
async function templateCounters(q: Queries, t: TenantData, path: string, templateIds: ReadonlySet<string>): Promise<void> {
  const ids = [...templateIds].sort(byId);
  const locked = [];
  for (const id of ids) {
    const tpl = await q.templates.lockForClaim(t.id, id);
    if (tpl) locked.push(tpl);
  }
  const issued = await q.coupons.issuedPerTemplate(t.id);
  for (const tpl of locked) {
    const claimed = Math.max(tpl.claimed, issued.get(tpl.id) ?? 0);
    if (tpl.stock !== null && claimed > tpl.stock) {
      const field = fieldOf(path, [['templates', t.templates, 'id', 'stock'], ['coupons', t.coupons, 'templateId', 'templateId']], tpl.id);
      throw DomainError.field(field, `template ${tpl.id} has a stock of ${tpl.stock} but ${claimed} of its coupons would exist`);
    }
    if (claimed !== tpl.claimed) await q.templates.setClaimed(t.id, tpl.id, claimed);
    if (tpl.perUserLimit !== null) await rebuildUserCounts(q, t.id, tpl.id);
  }
}

/**
 * Receipts per user: the receipts stored, or — for data sets that carry none — as many as the
 * user's coupons from the package need (one receipt issues every item's count), whichever is more.
 */
async function receiptsPerUser(q: Queries, tenantId: string, packageId: string, perReceipt: number): Promise<Map<string, number>> {
  const counts = await q.packages.receiptCounts(tenantId, packageId);
  for (const [userId, n] of await q.coupons.packageCounts(tenantId, packageId)) {
    counts.set(userId, Math.max(counts.get(userId) ?? 0, Math.ceil(n / perReceipt)));
  }
  // In user order, so two imports of one package write (and lock) its per-user rows in one order.
  return new Map([...counts].sort(([a], [b]) => byId(a, b)));
}

/**
 * Per-user receipt counts and the package's total only ever go up here, so a concurrent claim's
 * own increments are never undone. A package claim takes its user's count row, then the package
 * row, and commits its receipt after both; the import takes the same locks in the same order —
 * the users' rows (raising them to what it sees), then the package row — and only then counts
 * again: every claim that got in first has committed by then and is counted, and none can start.
 */
async function packageCounters(q: Queries, t: TenantData, path: string, packageIds: ReadonlySet<string>): Promise<void> {
  for (const id of [...packageIds].sort(byId)) {
    const seen = await q.packages.get(t.id, id);
    if (!seen) continue;
    const perReceipt = Math.max(1, seen.items.reduce((n, item) => n + item.count, 0));
    await q.templates.raiseUserCounts('package_claims', t.id, id, await receiptsPerUser(q, t.id, id, perReceipt));
    const p = await q.packages.lock(t.id, id);
    if (!p) continue;
    const counts = await receiptsPerUser(q, t.id, id, Math.max(1, p.items.reduce((n, item) => n + item.count, 0)));
    const received = [...counts.values()].reduce((a, b) => a + b, 0);
    const claimed = Math.max(p.claimed, received);
    if (p.rule.totalLimit !== null && claimed > p.rule.totalLimit) {
      const field = fieldOf(
        path,
        [['packages', t.packages, 'id', 'rule.totalLimit'], ['receipts', t.receipts, 'packageId', 'packageId'], ['coupons', t.coupons, 'packageId', 'packageId']],
        id,
      );
      throw DomainError.field(field, `package ${id} has a total limit of ${p.rule.totalLimit} but would have been received ${claimed} times`);
    }
    await q.templates.raiseUserCounts('package_claims', t.id, id, counts);
    await q.packages.raiseClaimed(t.id, id, claimed);
  }
}

/**
 * Brings every limit counter of what this import touched in line with the data now stored.
 * Packages before templates, as a package claim takes its locks: per-user receipt count, package
 * row, then template rows in id order. The other way round (templates first) an import holding a
 * template would wait on a package whose claim waits on that template: a PostgreSQL deadlock.
 */
export async function rebuildCounters(q: Queries, t: TenantData, path: string, touched: { templateIds: ReadonlySet<string>; packageIds: ReadonlySet<string> }): Promise<void> {
  await packageCounters(q, t, path, touched.packageIds);
  await templateCounters(q, t, path, touched.templateIds);
}

/** The templates and packages an import touches: those it creates and those its rows refer to. */
export function touchedBy(t: TenantData, created: { templateIds: Iterable<string>; packageIds: Iterable<string> }): { templateIds: Set<string>; packageIds: Set<string> } {
  const templateIds = new Set(created.templateIds);
  const packageIds = new Set(created.packageIds);
  for (const c of t.coupons ?? []) {
    templateIds.add(c.templateId);
    if (c.packageId) packageIds.add(c.packageId);
  }
  for (const r of t.receipts ?? []) packageIds.add(r.packageId);
  return { templateIds, packageIds };
}
