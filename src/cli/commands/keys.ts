import { createCredential } from '../../app/credentials/create-credential.ts';
import type { Deps } from '../../app/ports.ts';
import { ApiRole } from '../../domain/credential.ts';
import { DomainError } from '../../domain/errors.ts';

/** The roles a tenant's key can have: the platform key is not a tenant's (it is COUPONHUB_ADMIN_KEY). */
const TENANT_ROLES: readonly string[] = [ApiRole.merchant, ApiRole.cashier, ApiRole.client];

function tenantRole(role: string | undefined): ApiRole {
  if (role === undefined) return ApiRole.merchant;
  if (role === ApiRole.platform) throw DomainError.field('--role', 'platform keys are not tenant keys: the platform key is the value of COUPONHUB_ADMIN_KEY');
  if (!TENANT_ROLES.includes(role)) throw DomainError.field('--role', `must be one of ${TENANT_ROLES.join(', ')}, not ${JSON.stringify(role)}`);
  return role as ApiRole;
}

/** `couponhub keys create --tenant ID --role ROLE`: an API key for a tenant, printed once. */
export async function createKey(deps: Deps, positionals: string[], values: { tenant?: string[] | undefined; role?: string | undefined; label?: string | undefined }): Promise<number> {
  if (positionals[0] !== 'create') throw DomainError.field('keys', 'the only keys command is: keys create --tenant ID --role merchant|cashier|client');
  const tenantId = values.tenant?.[0];
  if (!tenantId) throw DomainError.field('--tenant', 'is required');
  const role = tenantRole(values.role);
  const issued = await createCredential(deps, { tenantId, kind: 'api', role, label: values.label ?? 'created with the CLI', actor: { type: 'cli', id: 'couponhub-cli' } });
  console.log(`API key (${issued.credential.role}) for tenant ${tenantId}, shown once:\n${issued.key}`);
  return 0;
}
