/**
 * The V3 CRM coupon API's token (seed 003, SPEC §6):
 *   token = base64( HMAC-SHA1( secret, "grantCode=…&nonce=…&openId=…&params=<canonical JSON>&timestamp=…" ) )
 * Canonical JSON: object keys sorted (UTF-16 code unit order, i.e. ASCII order for ASCII keys) at
 * every level, no white space, strings escaped as JSON.stringify does (non-ASCII stays as is, `/`
 * is not escaped), numbers in their shortest JSON form. `nonce` and `timestamp` go in exactly
 * as sent (digits). The token may arrive URL-encoded (the seed's `0%2B%2B3c…%3D`) or plain.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenFields {
  grantCode: string;
  nonce: string;
  openId: string;
  params: unknown;
  timestamp: string;
}

/** JSON with keys sorted at every level and no white space. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The string the token signs: fields in name order, params as canonical JSON. */
export function canonicalString(f: TokenFields): string {
  return `grantCode=${f.grantCode}&nonce=${f.nonce}&openId=${f.openId}&params=${canonicalJson(f.params)}&timestamp=${f.timestamp}`;
}

/** The plain (not URL-encoded) base64 token for the fields. */
export function computeToken(secret: string, f: TokenFields): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(canonicalString(f), 'utf8').digest('base64');
}

/**
 * The token as base64. Base64 has no `%` and no space, so: a `%` means the partner URL-encoded
 * it (decoded once); a space can only be a `+` that went through form decoding on the way
 * (`application/x-www-form-urlencoded` turns `+` into a space), so every space is read as `+`.
 * null when the percent-encoding is broken.
 */
export function normalizeToken(raw: string): string | null {
  let token = raw;
  if (token.includes('%')) {
    try {
      token = decodeURIComponent(token);
    } catch {
      return null;
    }
  }
  return token.replaceAll(' ', '+');
}

/** Whether the token sent matches the fields under the secret (constant-time comparison). */
export function tokenMatches(sent: string, secret: string, f: TokenFields): boolean {
  const token = normalizeToken(sent);
  if (token === null) return false;
  const a = Buffer.from(token, 'utf8');
  const b = Buffer.from(computeToken(secret, f), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
