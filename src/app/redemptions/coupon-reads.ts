/**
 * PostgreSQL: coupons read by code for validations and redemptions that arrive together share
 * one `code = any(…)` query per tenant (GatheredReads), each caller getting its own row. On
 * SQLite a read is a synchronous call that costs less than gathering, and goes on its own.
 */
import type { Coupon } from '../../domain/coupon.ts';
import type { Store } from '../../store/store.ts';
import { GatheredReads } from '../requests/gathered-reads.ts';
import { onePer } from '../requests/per-turn.ts';

export type FoundByCode = { coupon: Coupon; templateUpdatedAt: number } | undefined;

const readers = new WeakMap<Store, GatheredReads<NonNullable<FoundByCode>>>();

/** A coupon by code with its template's version, read outside any transaction. */
export function couponByCode(store: Store, tenantId: string, code: string): Promise<FoundByCode> {
  if (store.kind !== 'postgres') return store.q.coupons.byCodeWithTemplateVersion(tenantId, code);
  return onePer(readers, store, () => new GatheredReads((t, codes) => store.q.coupons.byCodesWithTemplateVersion(t, codes))).read(tenantId, code);
}
