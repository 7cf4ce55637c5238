/**
 * Per-user claim counters exist only while a template has a per-user limit: claims of a template
 * without one write no counter. When a limit is set later, the counters are rebuilt from the
 * coupons users hold, under the template's lock, so the limit counts every earlier claim.
 */
import type { Queries } from '../../store/store.ts';

export async function rebuildUserCounts(q: Queries, tenantId: string, templateId: string): Promise<void> {
  await q.templates.lockForClaim(tenantId, templateId);
  await q.templates.clearUserCounts('template_claims', tenantId, templateId);
  const counts = new Map((await q.coupons.claimCounts(tenantId, templateId)).map((r) => [r.userId, r.n]));
  await q.templates.writeUserCounts('template_claims', tenantId, templateId, counts);
}
