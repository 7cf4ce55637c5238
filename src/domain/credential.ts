/**
 * Credentials a tenant hands out: native API keys with a role, and one kind per partner dialect.
 * API keys are stored as a SHA-256 hash (shown once); partner secrets are kept because the
 * dialects must recompute signatures with them.
 */
export const CredentialKind = {
  api: 'api',
  /** OP v2: client + secret (MD5 sign). */
  op: 'op',
  /** CRM open API: channel + DES key. */
  crm: 'crm',
  /** V3 CRM coupon: openId + grantCode + secret (HMAC-SHA1 token) + channel name. */
  zv: 'zv',
  /** WeChat official account: appId + appSecret for card sync. */
  wechat: 'wechat',
} as const;
export type CredentialKind = (typeof CredentialKind)[keyof typeof CredentialKind];
export const CREDENTIAL_KINDS = Object.values(CredentialKind);

export const ApiRole = {
  /** Runs the platform: tenants and their keys. */
  platform: 'platform',
  /** Runs a tenant: catalog, templates, packages, coupons, partners, statistics. */
  merchant: 'merchant',
  /** At the till: validates, redeems and reverses. */
  cashier: 'cashier',
  /** A front end acting for users: claims, wallets, operators sending coupons. */
  client: 'client',
} as const;
export type ApiRole = (typeof ApiRole)[keyof typeof ApiRole];
export const API_ROLES = Object.values(ApiRole);

export interface Credential {
  id: string;
  tenantId: string | null;
  kind: CredentialKind;
  role: ApiRole | null;
  /** First characters of an API key, to recognise it in lists. */
  keyHint: string | null;
  /** op: client · crm: channel · zv: openId · wechat: appId. */
  publicId: string | null;
  /** op: secret · crm: DES key · zv: secret · wechat: appSecret. */
  secret: string | null;
  grantCode: string | null;
  /** zv: the merchant account name reported as `channel`. */
  channel: string | null;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}
