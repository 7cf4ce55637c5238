import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { isFen } from '../../domain/money.ts';
import { evaluate, type Evaluation, type Order } from '../../domain/redemption.ts';
import { templateAt } from '../templates/template-cache.ts';
import { tenantCachedVia } from '../tenants/read-tenants.ts';
import type { Deps } from '../ports.ts';
import { couponByCode, type FoundByCode } from './coupon-reads.ts';
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
 * Loads what an evaluation needs: the coupon with its template's version in one query, the
 * template from the versioned cache, the timezone from the tenant cache (it never changes).
 * Unknown codes are 404. `find` reads the coupon (by default in `q`; outside a transaction,
 * couponByCode, which shares queries on PostgreSQL).
 */
export async function loadForOrder(q: Queries, tenantId: string, code: string, find: (tenantId: string, code: string) => Promise<FoundByCode> = (t, c) => q.coupons.byCodeWithTemplateVersion(t, c)): Promise<{ coupon: Coupon; template: Template; timezone: string }> {
  const found = await find(tenantId, code);
  if (!found) throw DomainError.notFound('coupon', code);
  const template = await templateAt(q, tenantId, found.coupon.templateId, found.templateUpdatedAt);
  if (!template) throw DomainError.notFound('template', found.coupon.templateId);
  const tenant = await tenantCachedVia(q, tenantId);
  if (!tenant) throw DomainError.notFound('tenant', tenantId);
  return { coupon: found.coupon, template, timezone: tenant.timezone };
}

/** Says whether a coupon could be used on an order now, with every reason it cannot; spends nothing. */
export async function validateOrder(deps: Deps, input: { tenantId: string; code: string; order: Order }): Promise<Evaluation & { coupon: Coupon }> {
  checkOrder(input.order);
  const { coupon, template, timezone } = await loadForOrder(deps.store.q, input.tenantId, input.code, (t, c) => couponByCode(deps.store, t, c));
  return { ...evaluate(coupon, template, input.order, deps.clock.now(), timezone), coupon };
}
