import type { Actor } from '../../domain/catalog.ts';
import { CredentialKind, type Credential } from '../../domain/credential.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { createCredential, type IssuedCredential } from './create-credential.ts';
import { forgetCredential } from './authenticate.ts';

export async function listCredentials({ store }: Deps, tenantId: string): Promise<Credential[]> {
  return store.q.credentials.listForTenant(tenantId, false);
}

/** A live credential of the tenant, secret included (for server-side signing of examples). */
export async function requireCredential(deps: Deps, tenantId: string, id: string): Promise<Credential> {
  const c = await deps.store.q.credentials.get(id);
  if (!c || c.tenantId !== tenantId || c.revokedAt !== null) throw DomainError.notFound('credential', id);
  return c;
}

/** Revokes a credential at once (in this process; other processes within the auth cache's TTL). */
export async function revokeCredential(deps: Deps, input: { tenantId: string; id: string; actor: Actor }): Promise<void> {
  const c = await requireCredential(deps, input.tenantId, input.id);
  const now = deps.clock.now();
  await deps.store.transaction(async (q) => {
    await q.credentials.revoke(c.id, now);
    await q.events.append([{ tenantId: input.tenantId, at: now, actor: input.actor, action: 'credential.revoked', subjectType: 'credential', subjectId: c.id, data: { kind: c.kind } }]);
  });
  forgetCredential(c.id);
}

/**
 * Rotation: a new secret under the same public id for partner kinds (partners keep their client,
 * channel or openId), a new key with the same role for API keys. The old one stops working.
 */
export async function rotateCredential(deps: Deps, input: { tenantId: string; id: string; actor: Actor }): Promise<IssuedCredential> {
  const old = await requireCredential(deps, input.tenantId, input.id);
  await revokeCredential(deps, input);
  const base = { tenantId: input.tenantId, actor: input.actor, kind: old.kind, label: old.label };
  switch (old.kind) {
    case CredentialKind.api:
      return createCredential(deps, { ...base, role: old.role ?? undefined });
    case CredentialKind.op:
      return createCredential(deps, { ...base, client: old.publicId ?? undefined });
    case CredentialKind.crm:
      return createCredential(deps, { ...base, channel: old.publicId ?? undefined });
    case CredentialKind.zv:
      return createCredential(deps, { ...base, openId: old.publicId ?? undefined, grantCode: old.grantCode ?? undefined, channel: old.channel ?? undefined });
    case CredentialKind.wechat:
      throw DomainError.field('kind', 'WeChat app secrets are rotated at WeChat: revoke this one and add the new secret');
  }
}
