import type { Actor, Tenant } from '../../domain/catalog.ts';
import { diff, requireTenant } from '../context.ts';
import type { Deps } from '../ports.ts';
import { checkTenantFields } from './create-tenant.ts';
import { forgetTenant } from './read-tenants.ts';

export interface UpdateTenantInput {
  tenantId: string;
  name?: string | undefined;
  servicePhone?: string | undefined;
  actor: Actor;
}

/**
 * Renames a tenant or changes its service phone. The timezone is fixed at creation: every stored
 * date of the tenant was read in it.
 */
export async function updateTenant({ store, clock }: Deps, input: UpdateTenantInput): Promise<Tenant> {
  checkTenantFields(input);
  return store.transaction(async (q) => {
    const before = await requireTenant(q, input.tenantId);
    const now = clock.now();
    await q.tenants.update(input.tenantId, input, now);
    const after = await requireTenant(q, input.tenantId);
    await q.events.append([
      { tenantId: after.id, at: now, actor: input.actor, action: 'tenant.updated', subjectType: 'tenant', subjectId: after.id, data: diff({ ...before }, { ...after }) },
    ]);
    return after;
  }).finally(() => forgetTenant(input.tenantId));
}
