/** Helpers shared by use cases: loading the tenant, building events. */
import type { Actor, Tenant } from '../domain/catalog.ts';
import { DomainError } from '../domain/errors.ts';
import type { NewEvent } from '../store/queries/events.ts';
import type { Queries } from '../store/store.ts';

/** Every use case acting inside a tenant says which one and who acts. */
export interface TenantInput {
  tenantId: string;
  actor: Actor;
}

export async function requireTenant(q: Queries, tenantId: string): Promise<Tenant> {
  const t = await q.tenants.get(tenantId);
  if (!t) throw DomainError.notFound('tenant', tenantId);
  return t;
}

export function event(
  input: TenantInput,
  at: number,
  action: string,
  subjectType: string,
  subjectId: string,
  data: Record<string, unknown> = {},
): NewEvent {
  return { tenantId: input.tenantId, at, actor: input.actor, action, subjectType, subjectId, data };
}

/** Fields that differ between two plain objects: { field: { from, to } } (for the trail). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}
