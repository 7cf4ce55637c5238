/**
 * Bearer API keys (native API and ticket administration). The key's role decides what it may
 * do; its tenant bounds what it may see: another tenant's ids answer 404, as if absent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../../app/credentials/authenticate.ts';
import type { Deps } from '../../app/ports.ts';
import { getTenantCached } from '../../app/tenants/read-tenants.ts';
import type { ApiRole } from '../../domain/credential.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { RequestAuth } from './types.ts';

export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? (m[1] as string) : null;
}

/** Resolves the caller or throws unauthorized. */
export async function authenticate(deps: Deps, adminKey: string | null, request: FastifyRequest): Promise<RequestAuth> {
  const token = bearerToken(request);
  if (!token) throw new DomainError(ErrorCode.unauthorized, 'send an API key as "Authorization: Bearer <key>"');
  const credential = await authenticateApiKey(deps, token, adminKey);
  if (!credential || credential.kind !== 'api' || !credential.role) throw new DomainError(ErrorCode.unauthorized, 'the API key is unknown or revoked');
  const tenant = credential.tenantId ? await getTenantCached(deps, credential.tenantId) : null;
  if (credential.tenantId && !tenant) throw new DomainError(ErrorCode.unauthorized, 'the API key belongs to a tenant that no longer exists');
  return { credential, role: credential.role, tenant, actor: { type: 'api_key', id: credential.id } };
}

/** A preHandler that authenticates and admits only the given roles. */
export function requireRole(deps: Deps, adminKey: string | null, roles: readonly ApiRole[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const auth = request.auth ?? (await authenticate(deps, adminKey, request));
    request.auth = auth;
    if (!roles.includes(auth.role)) {
      throw new DomainError(ErrorCode.forbidden, `a ${auth.role} key cannot do this; it needs a ${roles.join(' or ')} key`, { role: auth.role, allowed: roles });
    }
  };
}

/** The caller's tenant; platform keys act on the tenant in the path instead. */
export function tenantOf(request: FastifyRequest): { tenantId: string; timezone: string; actor: RequestAuth['actor'] } {
  const auth = request.auth;
  if (!auth?.tenant) throw new DomainError(ErrorCode.forbidden, 'this route needs a tenant key (merchant, cashier or client)');
  return { tenantId: auth.tenant.id, timezone: auth.tenant.timezone, actor: auth.actor };
}
