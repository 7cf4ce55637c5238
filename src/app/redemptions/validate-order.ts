import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { isFen } from '../../domain/money.ts';
import { evaluate, type Evaluation, type Order } from '../../domain/redemption.ts';
import { tenantCachedVia } from '../tenants/read-tenants.ts';
import type { Deps } from '../ports.ts';
import type { Queries } from '../../store/store.ts';
import type { Coupon } from '../../domain/coupon.ts';
import type { Template } from '../../domain/template.ts';

export function checkOrder(order: Order): void {
  const problems: FieldProblem[] = [];
  if (order.id.trim() === '') problems.push({ field: 'order.id', message: 'must not be empty' });
  if (!isFen(order.amount)) problems.push({ field: 'order.amount', message: 'must be a non-negative integer number of fen' });
  if (problems.length > 0) throw DomainError.invalid(problems);
}

/**
 * Loads what an evaluation needs in one query (coupon joined with its template); the timezone
 * comes from the tenant cache, as it never changes. Unknown codes are 404.
 */
export async function loadForOrder(q: Queries, tenantId: string, code: string): Promise<{ coupon: Coupon; template: Template; timezone: string }> {
  const found = await q.coupons.byCodeWithTemplate(tenantId, code);
  if (!found) throw DomainError.notFound('coupon', code);
  const tenant = await tenantCachedVia(q, tenantId);
  if (!tenant) throw DomainError.notFound('tenant', tenantId);
  return { ...found, timezone: tenant.timezone };
}

/** Says whether a coupon could be used on an order now, with every reason it cannot; spends nothing. */
export async function validateOrder(deps: Deps, input: { tenantId: string; code: string; order: Order }): Promise<Evaluation & { coupon: Coupon }> {
  checkOrder(input.order);
  const { coupon, template, timezone } = await loadForOrder(deps.store.q, input.tenantId, input.code);
  return { ...evaluate(coupon, template, input.order, deps.clock.now(), timezone), coupon };
}
