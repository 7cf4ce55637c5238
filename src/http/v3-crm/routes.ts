/**
 * V3 CRM coupon (seed 003, SPEC §6): `POST /v3/crm/coupon/getCustomerCoupons` lists a customer's
 * coupons, or answers one when `cardId` is given. Order of checks: the body (nothing recorded
 * yet), the credential and its grantCode, the 5-minute window, the token, and only then the
 * nonce, so a forged or broken request never burns a nonce its rightful sender still needs.
 */
import type { FastifyInstance } from 'fastify';
import { findPartnerCredential } from '../../app/credentials/authenticate.ts';
import { requireFresh, useNonce } from '../../app/partners/replay.ts';
import { getTenantCached } from '../../app/tenants/read-tenants.ts';
import { findMember, memberCouponByCode, memberCoupons, type MemberCouponQuery } from '../../app/wallets/member-coupons.ts';
import type { Tenant } from '../../domain/catalog.ts';
import type { Credential } from '../../domain/credential.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { DialectOptions } from '../shared/dialect.ts';
import { success } from './envelope.ts';
import { V3Code, V3Error, v3ErrorHandler } from './errors.ts';
import { toCard, USE_STATUS_FILTER } from './mapping.ts';
import { readRequest, type V3Request } from './requests.ts';
import { canonicalString, tokenMatches } from './signature.ts';

/** Authenticates the request and records its nonce; answers the credential and its tenant. */
async function authenticate(options: DialectOptions, req: V3Request): Promise<{ credential: Credential; tenant: Tenant }> {
  const { deps } = options;
  const { openId, grantCode } = req.signed;
  const credential = await findPartnerCredential(deps, 'zv', openId);
  const tenant = credential?.tenantId ? await getTenantCached(deps, credential.tenantId) : null;
  if (!credential?.secret || !tenant) throw new DomainError(ErrorCode.unauthorized, `openId ${JSON.stringify(openId)} is unknown or revoked`);
  if (credential.grantCode !== grantCode) throw new V3Error(V3Code.grantCodeMismatch, 'grantCode 无效', `grantCode ${JSON.stringify(grantCode)} was not issued with this openId`);
  requireFresh(deps.clock.now(), req.timestampMs);
  if (!tokenMatches(req.token, credential.secret, req.signed)) {
    // The signed string holds nothing secret and is what a partner needs to find its mistake.
    throw new V3Error(V3Code.badToken, '签名错误', `token does not match base64(HMAC-SHA1(secret, ${JSON.stringify(canonicalString(req.signed))}))`);
  }
  await useNonce(deps, `zv:${openId}`, req.signed.nonce, req.timestampMs);
  return { credential, tenant };
}

export async function v3CrmRoutes(app: FastifyInstance, options: DialectOptions): Promise<void> {
  const { deps } = options;
  app.setErrorHandler(v3ErrorHandler);

  app.post('/v3/crm/coupon/getCustomerCoupons', async (request) => {
    const req = readRequest(request.body);
    const { credential, tenant } = await authenticate(options, req);
    const member = await findMember(deps, tenant.id, { memberId: req.customerId, platformId: null });
    const query: MemberCouponQuery = {
      tenantId: tenant.id,
      timezone: tenant.timezone,
      userId: member.id,
      statuses: req.useStatus === null ? undefined : USE_STATUS_FILTER[req.useStatus],
    };
    const channel = credential.channel ?? '';
    if (req.cardId !== null) return success(toCard(await memberCouponByCode(deps, { ...query, code: req.cardId }), channel, tenant.timezone));
    return success((await memberCoupons(deps, query)).map((mc) => toCard(mc, channel, tenant.timezone)));
  });
}
