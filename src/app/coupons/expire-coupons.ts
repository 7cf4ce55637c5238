import { SYSTEM_ACTOR } from '../../domain/catalog.ts';
import type { Deps } from '../ports.ts';

const BATCH = 500;

/**
 * The sweeper: writes `expired` on live coupons past their validity, with an event each. Reads
 * never depend on it (they derive expiry from the clock); it keeps stored statuses honest for
 * exports, statistics and partners reading raw states. Returns how many it expired.
 */
export async function expireCoupons({ store, clock }: Deps, options: { maxBatches?: number } = {}): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
    const now = clock.now();
    const due = await store.q.coupons.dueForExpiry(now, BATCH);
    if (due.length === 0) break;
    const n = await store.transaction(async (q) => {
      const events = [];
      // One statement per tenant, tenants in order: see CouponQueries.expireMany.
      for (const [tenantId, coupons] of [...Map.groupBy(due, (c) => c.tenantId)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const expired = new Set(await q.coupons.expireMany(tenantId, coupons.map((c) => c.id), now));
        for (const c of coupons) {
          if (expired.has(c.id)) events.push({ tenantId, at: now, actor: SYSTEM_ACTOR, action: 'coupon.expired', subjectType: 'coupon', subjectId: c.id, data: { from: c.status } });
        }
      }
      await q.events.append(events);
      return events.length;
    });
    total += n;
    if (due.length < BATCH) break;
  }
  return total;
}
