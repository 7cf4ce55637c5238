import { createCredential } from '../../app/credentials/create-credential.ts';
import type { Deps } from '../../app/ports.ts';
import type { ApiRole } from '../../domain/credential.ts';
import { DomainError } from '../../domain/errors.ts';

/** `couponhub keys create --tenant ID --role ROLE`: an API key for a tenant, printed once. */
export async function createKey(deps: Deps, positionals: string[], values: { tenant?: string[] | undefined; role?: string | undefined; label?: string | undefined }): Promise<number> {
  if (positionals[0] !== 'create') throw DomainError.field('keys', 'the only keys command is: keys create --tenant ID --role merchant|cashier|client');
  const tenantId = values.tenant?.[0];
  if (!tenantId) throw DomainError.field('--tenant', 'is required');
  const issued = await createCredential(deps, { tenantId, kind: 'api', role: (values.role ?? 'merchant') as ApiRole, label: values.label ?? 'created with the CLI', actor: { type: 'cli', id: 'couponhub-cli' } });
  console.log(`API key (${issued.credential.role}) for tenant ${tenantId}, shown once:\n${issued.key}`);
  return 0;
}
