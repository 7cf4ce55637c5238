/**
 * CRM open API (seed 002, SPEC §5): `POST /openapi/v1/listCpnItemByMember` lists a member's
 * coupons. The channel names the credential, whose DES key decrypts `param`; the timestamp must
 * be within 5 minutes of the server clock (this scheme has no nonce, so that is its only replay
 * bound). Read-only: nothing here changes the store.
 */
import type { FastifyInstance } from 'fastify';
import { findPartnerCredential } from '../../app/credentials/authenticate.ts';
import { requireFresh } from '../../app/partners/replay.ts';
import { getTenantCached } from '../../app/tenants/read-tenants.ts';
import { findMember, memberCoupons } from '../../app/wallets/member-coupons.ts';
import type { Tenant } from '../../domain/catalog.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { DialectOptions } from '../shared/dialect.ts';
import { success } from './envelope.ts';
import { crmErrorHandler } from './errors.ts';
import { LISTED_STATUSES, toItem } from './mapping.ts';
import { readParam, readRequest } from './requests.ts';
import { decryptParam } from './signature.ts';

/** The channel's DES key and tenant; an unknown or revoked channel is refused. */
async function channelOf(options: DialectOptions, channel: string): Promise<{ key: string; tenant: Tenant }> {
  const credential = await findPartnerCredential(options.deps, 'crm', channel);
  const tenant = credential?.tenantId ? await getTenantCached(options.deps, credential.tenantId) : null;
  if (!credential?.secret || !tenant) throw new DomainError(ErrorCode.unauthorized, `channel ${JSON.stringify(channel)} is unknown or revoked`);
  return { key: credential.secret, tenant };
}

export async function crmOpenApiRoutes(app: FastifyInstance, options: DialectOptions): Promise<void> {
  const { deps } = options;
  app.setErrorHandler(crmErrorHandler);

  app.post('/openapi/v1/listCpnItemByMember', async (request) => {
    const req = readRequest(request.body);
    const { key, tenant } = await channelOf(options, req.channel);
    requireFresh(deps.clock.now(), req.timestamp);
    const ref = readParam(decryptParam(req.param, key));
    const member = await findMember(deps, tenant.id, ref);
    const coupons = await memberCoupons(deps, { tenantId: tenant.id, timezone: tenant.timezone, userId: member.id, statuses: LISTED_STATUSES });
    const openid = ref.platformId ?? member.platformIds[0] ?? '';
    return success(coupons.map((mc) => toItem(mc, member.id, openid, tenant.timezone)));
  });
}
