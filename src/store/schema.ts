/**
 * Table types for Kysely. Both databases hold the same shapes: text, integers (instants are epoch
 * milliseconds in bigint columns) and JSON as text, so every query in queries/ runs on both.
 */
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  timezone: string;
  service_phone: string;
  template_seq: number;
  created_at: number;
  updated_at: number;
}

export interface CredentialsTable {
  id: string;
  tenant_id: string | null;
  kind: string;
  role: string | null;
  key_hash: string | null;
  key_hint: string | null;
  public_id: string | null;
  secret: string | null;
  grant_code: string | null;
  channel: string | null;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface NamedTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  created_at: number;
}

export interface UserPlatformIdsTable {
  tenant_id: string;
  platform_id: string;
  user_id: string;
}

export interface ChatsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  operator_id: string;
  created_at: number;
}

export interface TemplatesTable {
  tenant_id: string;
  id: string;
  code: string;
  number: number;
  name: string;
  kind: string;
  amount: number | null;
  discount: number | null;
  theme_id: string | null;
  sort: number;
  rule: string;
  stock: number | null;
  per_user_limit: number | null;
  claimed: number;
  claim_from: string | null;
  claim_to: string | null;
  valid_from_ms: number | null;
  valid_to_ms: number | null;
  claim_from_ms: number | null;
  claim_to_ms: number | null;
  display: string;
  /** Dialect-owned extras (the WeChat card of the ticket administration dialect). */
  extra: string;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface ClaimCountsTable {
  tenant_id: string;
  /** template id or package id */
  subject_id: string;
  user_id: string;
  count: number;
}

export interface PackagesTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  alias: string;
  alias_code_type: string;
  channel_ids: string;
  remark: string | null;
  url: string | null;
  status: string;
  created_by: string | null;
  operator_id: string | null;
  examiner_id: string | null;
  suggestion: string | null;
  receive_from: string | null;
  receive_to: string | null;
  receive_from_ms: number | null;
  receive_to_ms: number | null;
  total_limit: number | null;
  per_user_limit: number | null;
  claimed: number;
  created_at: number;
  updated_at: number;
}

export interface PackageItemsTable {
  tenant_id: string;
  package_id: string;
  position: number;
  template_id: string;
  count: number;
}

export interface PackageReceiptsTable {
  tenant_id: string;
  id: string;
  package_id: string;
  user_id: string;
  receipt_code: string;
  created_at: number;
}

export interface CouponsTable {
  tenant_id: string;
  id: string;
  code: string;
  template_id: string;
  owner_type: string;
  owner_id: string;
  sender_id: string | null;
  chat_id: string | null;
  package_id: string | null;
  status: string;
  valid_from: number;
  valid_to: number;
  issued_at: number;
  updated_at: number;
  /** The sequence number of a 12-digit code (src/domain/coupon-codes.ts); null for codes of other forms. */
  code_seq: number | null;
}

export interface RedemptionsTable {
  tenant_id: string;
  id: string;
  coupon_id: string;
  code: string;
  order_id: string;
  order_amount: number;
  discount_amount: number;
  status: string;
  created_at: number;
  reversed_at: number | null;
}

export interface EventsTable {
  seq: Generated<number>;
  tenant_id: string;
  at: number;
  actor_type: string;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
  data: string;
}

export interface IdempotencyTable {
  scope: string;
  key: string;
  fingerprint: string;
  status_code: number | null;
  response: string | null;
  created_at: number;
}

export interface NoncesTable {
  scope: string;
  nonce: string;
  expires_at: number;
}

/** WeChat card sync queue: one row per template asked to sync (migration 0002). */
export interface WechatSyncTable {
  tenant_id: string;
  template_id: string;
  state: string;
  version: number;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  app_id: string | null;
  card_id: string | null;
  pushed_quantity: number | null;
  pushed_updated_at: number | null;
  synced_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Every call made to WeChat for a template's sync. */
export interface WechatSyncAttemptsTable {
  seq: Generated<number>;
  tenant_id: string;
  template_id: string;
  at: number;
  action: string;
  ok: number;
  duration_ms: number;
  http_status: number | null;
  errcode: number | null;
  error: string | null;
}

/** WeChat access tokens, shared by the processes of one database. */
export interface WechatTokensTable {
  app_id: string;
  access_token: string;
  expires_at: number;
  fetched_at: number;
}

/** Bulk issuing jobs (migration 0003). */
export interface IssueJobsTable {
  id: string;
  tenant_id: string;
  template_id: string;
  fingerprint: string;
  source: string;
  total: number;
  done: number;
  issued: number;
  refused: number;
  status: string;
  created_at: number;
  updated_at: number;
}

/** A version per coupon set a chat shows, moved by triggers on coupons (migration 0004). */
export interface CouponSetVersionsTable {
  tenant_id: string;
  /** `chat:<chatId>` or `operator:<operatorId>`. */
  set_key: string;
  version: number;
}

export interface Database {
  issue_jobs: IssueJobsTable;
  coupon_set_versions: CouponSetVersionsTable;
  tenants: TenantsTable;
  credentials: CredentialsTable;
  product_kinds: NamedTable;
  channels: NamedTable;
  themes: NamedTable;
  operators: NamedTable;
  users: UsersTable;
  user_platform_ids: UserPlatformIdsTable;
  chats: ChatsTable;
  templates: TemplatesTable;
  template_claims: ClaimCountsTable;
  packages: PackagesTable;
  package_items: PackageItemsTable;
  package_claims: ClaimCountsTable;
  package_receipts: PackageReceiptsTable;
  coupons: CouponsTable;
  coupon_code_key: { id: number; key: string };
  coupon_code_counter: { id: number; next: number };
  redemptions: RedemptionsTable;
  events: EventsTable;
  idempotency_keys: IdempotencyTable;
  nonces: NoncesTable;
  wechat_sync: WechatSyncTable;
  wechat_sync_attempts: WechatSyncAttemptsTable;
  wechat_tokens: WechatTokensTable;
}
