import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { isFen } from '../../domain/money.ts';
import { evaluate, type Evaluation, type Order } from '../../domain/redemption.ts';
import { requireTenant } from '../context.ts';
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

/** Loads what an evaluation needs; unknown codes are 404. */
export async function loadForOrder(q: Queries, tenantId: string, code: string): Promise<{ coupon: Coupon; template: Template; timezone: string }> {
  const coupon = await q.coupons.byCode(tenantId, code);
  if (!coupon) throw DomainError.notFound('coupon', code);
  const template = await q.templates.get(tenantId, coupon.templateId);
  if (!template) throw DomainError.notFound('template', coupon.templateId);
  const tenant = await requireTenant(q, tenantId);
  return { coupon, template, timezone: tenant.timezone };
}

/** Says whether a coupon could be used on an order now, with every reason it cannot; spends nothing. */
export async function validateOrder({ store, clock }: Deps, input: { tenantId: string; code: string; order: Order }): Promise<Evaluation & { coupon: Coupon }> {
  checkOrder(input.order);
  const { coupon, template, timezone } = await loadForOrder(store.q, input.tenantId, input.code);
  return { ...evaluate(coupon, template, input.order, clock.now(), timezone), coupon };
}
