/**
 * `GET /v1/credentials/{id}/example`: a ready-to-send request signed with the credential's own
 * secret, for each partner dialect. The server signs because only it holds the secrets (the
 * console cannot compute DES or MD5 signatures in the browser, and never sees the secret again).
 */
import { randomInt } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireCredential } from '../../../app/credentials/manage-credentials.ts';
import { Id } from '../../../app/schemas/fields.ts';
import type { Credential } from '../../../domain/credential.ts';
import { DomainError } from '../../../domain/errors.ts';
import { encryptParam } from '../../crm-openapi/signature.ts';
import { computeSign } from '../../op-v2/signature.ts';
import { computeToken } from '../../v3-crm/signature.ts';
import { tenantOf } from '../../shared/auth.ts';
import { allow, ROLES, type App, type NativeContext } from '../context.ts';
import { problemResponses } from '../schemas.ts';

interface Example {
  dialect: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  curl: string;
  note: string;
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

function curlOf(e: Omit<Example, 'curl' | 'dialect' | 'note'>): string {
  const headers = Object.entries(e.headers).map(([k, v]) => `-H ${q(`${k}: ${v}`)}`);
  return ['curl -s', `-X ${e.method}`, q(e.url), ...headers, ...(e.body === null ? [] : [`--data-raw ${q(e.body)}`])].join(' ');
}

function example(dialect: string, note: string, e: Omit<Example, 'curl' | 'dialect' | 'note'>): Example {
  return { dialect, note, ...e, curl: curlOf(e) };
}

function build(c: Credential, base: string, now: number): Example {
  const json = { 'Content-Type': 'application/json' };
  switch (c.kind) {
    case 'api':
      return example('native', 'Use the key shown when it was created; keys are stored hashed and cannot be shown again.', { method: 'GET', url: `${base}/v1/me`, headers: { Authorization: 'Bearer <your key>' }, body: null });
    case 'op': {
      const body = JSON.stringify({ TicketPackageId: '<package id>' });
      const pairs: Array<[string, string]> = [['apiVersion', '01'], ['client', c.publicId ?? ''], ['version', '2.0']];
      const sign = computeSign(pairs, Buffer.from(body, 'utf8'), c.secret ?? '');
      return example('op-v2', 'Signed without timestamp and nonce, so it stays valid. Changing the body changes the sign.', {
        method: 'POST',
        url: `${base}/op/v2/getTicketPackageById?${new URLSearchParams([...pairs, ['sign', sign]])}`,
        headers: json,
        body,
      });
    }
    case 'crm': {
      const body = JSON.stringify({ channel: c.publicId, timestamp: String(now), param: encryptParam(JSON.stringify({ memberId: '<member id>' }), c.secret ?? '') });
      return example('crm-openapi', 'The timestamp is valid for 5 minutes: ask for a new example after that.', { method: 'POST', url: `${base}/openapi/v1/listCpnItemByMember`, headers: json, body });
    }
    case 'zv': {
      const params = { customerId: '<customer id>' };
      const fields = { grantCode: c.grantCode ?? '', nonce: String(randomInt(100_000, 1_000_000_000)), openId: c.publicId ?? '', params, timestamp: String(Math.floor(now / 1000)) };
      const token = computeToken(c.secret ?? '', fields);
      const body = JSON.stringify({ openId: fields.openId, grantCode: fields.grantCode, timestamp: fields.timestamp, nonce: fields.nonce, token: encodeURIComponent(token), params });
      return example('v3-crm', 'Valid for 5 minutes and once (its nonce is spent by the first use).', { method: 'POST', url: `${base}/v3/crm/coupon/getCustomerCoupons`, headers: json, body });
    }
    case 'wechat':
      throw DomainError.notFound('example for a WeChat credential (couponhub calls WeChat with it; partners send nothing signed with it)', c.id);
  }
}

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export function credentialExampleRoutes(app: App, ctx: NativeContext): void {
  const ExampleSchema = Type.Object({ dialect: Type.String(), method: Type.String(), url: Type.String(), headers: Type.Record(Type.String(), Type.String()), body: Type.Union([Type.String(), Type.Null()]), curl: Type.String(), note: Type.String() });
  app.get('/v1/credentials/:credentialId/example', {
    preValidation: allow(ctx, ROLES.merchant),
    schema: { tags: ['credentials'], summary: 'A request signed with this credential, ready to send (partner dialects)', params: Type.Object({ credentialId: Id }), response: { 200: ExampleSchema, ...problemResponses } },
  }, async (request) => {
    const { tenantId } = tenantOf(request);
    const c = await requireCredential(ctx.deps, tenantId, request.params.credentialId);
    return build(c, baseUrl(request), ctx.deps.clock.now());
  });
}
