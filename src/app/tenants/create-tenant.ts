import type { Actor, Tenant } from '../../domain/catalog.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { isValidTimeZone } from '../../domain/time.ts';
import type { Deps } from '../ports.ts';

export interface CreateTenantInput {
  id?: string | undefined;
  name: string;
  timezone?: string | undefined;
  servicePhone?: string | undefined;
  actor: Actor;
}

export function checkTenantFields(t: { name?: string | undefined; timezone?: string | undefined }): void {
  const problems: FieldProblem[] = [];
  if (t.name !== undefined && t.name.trim() === '') problems.push({ field: 'name', message: 'must not be empty' });
  if (t.timezone !== undefined && !isValidTimeZone(t.timezone)) problems.push({ field: 'timezone', message: `unknown IANA time zone ${JSON.stringify(t.timezone)}` });
  if (problems.length > 0) throw DomainError.invalid(problems);
}

/** Creates a tenant (platform role). Its timezone fixes how every date of its templates is read. */
export async function createTenant({ store, clock, ids }: Deps, input: CreateTenantInput): Promise<Tenant> {
  checkTenantFields(input);
  const tenant: Tenant = {
    id: input.id ?? ids.id(),
    name: input.name,
    timezone: input.timezone ?? 'Asia/Shanghai',
    servicePhone: input.servicePhone ?? '',
    createdAt: clock.now(),
  };
  return store.transaction(async (q) => {
    if (!(await q.tenants.insert(tenant))) throw new DomainError(ErrorCode.already_exists, `tenant ${tenant.id} exists already`, { id: tenant.id });
    await q.events.append([{ tenantId: tenant.id, at: tenant.createdAt, actor: input.actor, action: 'tenant.created', subjectType: 'tenant', subjectId: tenant.id, data: { name: tenant.name, timezone: tenant.timezone } }]);
    return tenant;
  });
}
