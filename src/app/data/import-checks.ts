/**
 * Checks a data set can make on its own, before anything is written: each problem is reported
 * with the path of the field in the file, where a database constraint would otherwise fail
 * half-way with a message naming no field.
 */
import type { FieldProblem } from '../../domain/errors.ts';
import type { Dataset, TenantData } from './dataset.ts';

/** Two entries of one list with the same id: the second would be skipped silently or clash. */
function duplicateIds(path: string, list: string, items: ReadonlyArray<{ id: string }> | undefined): FieldProblem[] {
  const seen = new Map<string, number>();
  const out: FieldProblem[] = [];
  const at = path ? `${path}.${list}` : list;
  for (const [i, item] of (items ?? []).entries()) {
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, i);
    else out.push({ field: `${at}.${i}.id`, message: `${item.id} is also the id of ${list}.${first}` });
  }
  return out;
}

/**
 * Two entries of one list giving the same value for a field the store keeps unique per tenant
 * (template number and code, package code): the second would reach the insert and fail there on
 * the constraint, naming no field.
 */
function duplicateValues<K extends string>(path: string, list: string, key: K, items: ReadonlyArray<Partial<Record<K, string | number>>> | undefined): FieldProblem[] {
  const seen = new Map<string | number, number>();
  const out: FieldProblem[] = [];
  for (const [i, item] of (items ?? []).entries()) {
    const value = item[key];
    if (value === undefined) continue;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else out.push({ field: `${path}.${list}.${i}.${key}`, message: `${value} is also the ${key} of ${list}.${first} (unique per tenant)` });
  }
  return out;
}

/**
 * A redemption never takes more than its order, a live one has no reversal time, and a coupon has
 * at most one live redemption (the store's unique index) until it is reversed.
 */
function redemptionProblems(path: string, t: TenantData): FieldProblem[] {
  const out: FieldProblem[] = [];
  const liveOf = new Map<string, number>();
  for (const [i, r] of (t.redemptions ?? []).entries()) {
    const at = `${path}.redemptions.${i}`;
    if (r.discountAmount > r.orderAmount) out.push({ field: `${at}.discountAmount`, message: `is ${r.discountAmount} but the order amount is ${r.orderAmount}: a discount never exceeds its order` });
    if (r.status !== 'active') continue;
    if (r.reversedAt) out.push({ field: `${at}.reversedAt`, message: 'must be null while the redemption is active' });
    const first = liveOf.get(r.couponId);
    if (first === undefined) liveOf.set(r.couponId, i);
    else out.push({ field: `${at}.couponId`, message: `coupon ${r.couponId} already has an active redemption (redemptions.${first}); a coupon is redeemed once until that is reversed` });
  }
  return out;
}

/** Every problem of the document that needs no database, each naming its field. */
export function datasetProblems(doc: Dataset): FieldProblem[] {
  return duplicateIds('', 'tenants', doc.tenants).concat(
    doc.tenants.flatMap((t, i) => {
      const path = `tenants.${i}`;
      return [
        ...duplicateIds(path, 'templates', t.templates),
        ...duplicateValues(path, 'templates', 'number', t.templates),
        ...duplicateValues(path, 'templates', 'code', t.templates),
        ...duplicateIds(path, 'packages', t.packages),
        ...duplicateValues(path, 'packages', 'code', t.packages),
        ...duplicateIds(path, 'coupons', t.coupons),
        ...duplicateIds(path, 'receipts', t.receipts),
        ...duplicateIds(path, 'redemptions', t.redemptions),
        ...redemptionProblems(path, t),
      ];
    }),
  );
}
