/**
 * OP v2 request authentication (SPEC §4): every query parameter but `sign`, sorted by name,
 * joined `name=value` with `&`, then `&body=` + the body bytes exactly as received, then
 * `&key=` + the client's secret; `sign` is the hex MD5 of that. `client` names the credential
 * and so the tenant. With `timestamp` (ms) and `nonce` the request must be fresh and unseen.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { findPartnerCredential } from '../../app/credentials/authenticate.ts';
import { requireFresh, useNonce } from '../../app/partners/replay.ts';
import type { Deps } from '../../app/ports.ts';
import { getTenantCached } from '../../app/tenants/read-tenants.ts';
import type { Tenant } from '../../domain/catalog.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';

/** The query parameters of a request, decoded, in the order sent. */
export type QueryPairs = Array<[string, string]>;

const NONCE_RE = /^[\x21-\x7e]{1,64}$/;
const TIMESTAMP_RE = /^\d{1,15}$/;
const HEX_MD5_RE = /^[0-9a-fA-F]{32}$/;

/** The query string of a URL as decoded pairs (duplicates kept, so they can be refused). */
export function queryPairs(url: string): QueryPairs {
  const i = url.indexOf('?');
  return i < 0 ? [] : [...new URLSearchParams(url.slice(i + 1))];
}

/** The text before the body: `a=1&b=2&body=` (every parameter but sign, sorted by name). */
export function signingPrefix(pairs: QueryPairs): string {
  const params = pairs.filter(([name]) => name !== 'sign').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${params.map(([n, v]) => `${n}=${v}`).join('&')}&body=`;
}

/** Lowercase hex MD5 of prefix + raw body + `&key=` + secret, over the bytes as received. */
export function computeSign(pairs: QueryPairs, rawBody: Buffer, secret: string): string {
  return createHash('md5').update(signingPrefix(pairs), 'utf8').update(rawBody).update(`&key=${secret}`, 'utf8').digest('hex');
}

/**
 * Compares a sign sent by the caller with the expected one in constant time. Any length, any
 * characters: a short, long or non-hex sign is simply unequal, never an exception. Hex letters
 * may be either case (case is not a secret).
 */
export function signMatches(expectedHex: string, given: string): boolean {
  const wellFormed = HEX_MD5_RE.test(given);
  const expected = Buffer.from(expectedHex, 'latin1');
  // Always compare 32 bytes, so the time taken says nothing about how much of the sign was right.
  const sent = Buffer.alloc(expected.length);
  if (wellFormed) sent.write(given.toLowerCase(), 'latin1');
  return timingSafeEqual(expected, sent) && wellFormed;
}

export interface OpCaller {
  client: string;
  tenant: Tenant;
}

interface Credentialed extends OpCaller {
  secret: string;
}

function single(pairs: QueryPairs): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (out.has(name)) throw DomainError.field(`query.${name}`, 'is given twice; send each query parameter once');
    out.set(name, value);
  }
  return out;
}

/** The credential's tenant for a `client`, or unauthorized. */
async function callerOf(deps: Deps, client: string | undefined): Promise<Credentialed> {
  if (!client) throw new DomainError(ErrorCode.unauthorized, 'the query parameter client is missing: send ?client=<your client id>&apiVersion=…&version=…&sign=…');
  const credential = await findPartnerCredential(deps, 'op', client);
  const tenant = credential?.tenantId ? await getTenantCached(deps, credential.tenantId) : null;
  if (!credential?.secret || !tenant) throw new DomainError(ErrorCode.unauthorized, `client ${JSON.stringify(client)} is unknown or revoked`);
  return { client, tenant, secret: credential.secret };
}

/**
 * The tenant a request's `client` names, verifying nothing: only for the foot of a failure that
 * happened before authentication (broken JSON, a bad content type). Never throws.
 */
export async function tenantNamedBy(deps: Deps, url: string): Promise<Tenant | null> {
  try {
    const client = new Map(queryPairs(url)).get('client');
    const credential = client ? await findPartnerCredential(deps, 'op', client) : null;
    return credential?.tenantId ? await getTenantCached(deps, credential.tenantId) : null;
  } catch {
    return null;
  }
}

/**
 * SPEC §4: `timestamp` and `nonce` are each optional. A timestamp must be within 5 minutes of the
 * server clock; a nonce is accepted once per client within the window (the window runs from the
 * timestamp when there is one, else from now).
 */
async function checkFreshness(deps: Deps, client: string, timestamp: string | undefined, nonce: string | undefined): Promise<void> {
  if (timestamp !== undefined && !TIMESTAMP_RE.test(timestamp)) throw DomainError.field('query.timestamp', `must be epoch milliseconds (digits only), got ${JSON.stringify(timestamp)}`);
  if (nonce !== undefined && !NONCE_RE.test(nonce)) throw DomainError.field('query.nonce', 'must be 1 to 64 printable ASCII characters without spaces');
  if (nonce !== undefined) await useNonce(deps, `op:${client}`, nonce, timestamp === undefined ? deps.clock.now() : Number(timestamp));
  else if (timestamp !== undefined) requireFresh(deps.clock.now(), Number(timestamp));
}

/**
 * Authenticates an OP v2 request. `onCaller` learns the tenant as soon as the client is known,
 * so that even a refusal after that point answers with the tenant's foot.
 * The nonce is spent only once the sign has been verified: a forger cannot burn nonces.
 */
export async function authenticateOp(deps: Deps, request: FastifyRequest, onCaller: (c: OpCaller) => void): Promise<OpCaller> {
  const pairs = queryPairs(request.url);
  const query = single(pairs);
  const caller = await callerOf(deps, query.get('client'));
  onCaller({ client: caller.client, tenant: caller.tenant });
  const sign = query.get('sign');
  if (!sign) throw new DomainError(ErrorCode.unauthorized, 'the query parameter sign is missing: sign = md5 of the sorted query parameters, "&body=", the body and "&key=" + your secret');
  const expected = computeSign(pairs, request.rawBody ?? Buffer.alloc(0), caller.secret);
  if (!signMatches(expected, sign)) {
    throw new DomainError(ErrorCode.unauthorized, `sign does not match: expected the lowercase hex md5 of "${signingPrefix(pairs)}" + the body exactly as sent + "&key=" + your secret`);
  }
  await checkFreshness(deps, caller.client, query.get('timestamp'), query.get('nonce'));
  for (const name of ['apiVersion', 'version']) {
    if (!query.get(name)) throw DomainError.field(`query.${name}`, 'is required (the seeds send apiVersion=01&version=2.0)');
  }
  return { client: caller.client, tenant: caller.tenant };
}
