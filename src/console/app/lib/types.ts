/** The native API's resources as the console reads them (see /openapi.json). */

export type Role = 'platform' | 'merchant' | 'cashier' | 'client';

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  servicePhone: string;
}

export interface Me {
  role: Role;
  credentialId: string;
  label: string | null;
  tenant: Tenant | null;
}

export interface Named {
  id: string;
  name: string;
}

export interface TimeWindow {
  from: string;
  to: string;
}

export interface TemplateRule {
  validFrom: string | null;
  validTo: string | null;
  validDaysAfterClaim: number | null;
  minOrderAmount: number;
  maxDiscountAmount: number;
  productKindIds: string[];
  channelIds: string[];
  weekdays: number[];
  timeWindows: TimeWindow[];
}

export interface Template {
  id: string;
  code: string;
  number: number;
  name: string;
  kind: string;
  amount: number | null;
  discount: number | null;
  themeId: string | null;
  sort: number;
  rule: TemplateRule;
  stock: number | null;
  perUserLimit: number | null;
  claimed: number;
  remaining: number | null;
  claimFrom: string | null;
  claimTo: string | null;
  display: Record<string, unknown>;
  status: 'active' | 'archived';
  createdAt: string;
  updatedAt: string;
}

export interface PackageItem {
  templateId: string;
  count: number;
}

export interface GiftPackage {
  id: string;
  code: string;
  name: string;
  alias: string;
  aliasCodeType: 'unique' | 'shared';
  channelIds: string[];
  remark: string | null;
  url: string | null;
  status: string;
  createdBy: string | null;
  operatorId: string | null;
  examinerId: string | null;
  suggestion: string | null;
  rule: { receiveFrom: string | null; receiveTo: string | null; totalLimit: number | null; perUserLimit: number | null };
  items: PackageItem[];
  claimed: number;
  createdAt: string;
  updatedAt: string;
}

export interface Coupon {
  id: string;
  code: string;
  templateId: string;
  status: string;
  notYetEffective: boolean;
  ownerType: 'user' | 'operator';
  ownerId: string;
  senderId: string | null;
  chatId: string | null;
  packageId: string | null;
  validFrom: string;
  validTo: string;
  issuedAt: string;
  updatedAt: string;
}

export interface EventRecord {
  seq: number;
  at: string;
  actor: { type: string; id: string };
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

export interface Evaluation {
  valid: boolean;
  discountAmount: number;
  reasons: Array<{ code: string; message: string }>;
  couponId: string;
  code: string;
}

export interface Redemption {
  id: string;
  couponId: string;
  code: string;
  orderId: string;
  orderAmount: number;
  discountAmount: number;
  status: 'active' | 'reversed';
  createdAt: string;
  reversedAt: string | null;
}

export interface Credential {
  id: string;
  kind: 'api' | 'op' | 'crm' | 'zv' | 'wechat';
  role: string | null;
  label: string | null;
  keyHint: string | null;
  client?: string;
  channel?: string;
  openId?: string;
  grantCode?: string;
  appId?: string;
  createdAt: string;
}

export interface Issued {
  credential: Credential;
  secrets: Record<string, string>;
}

export interface DailyPoint {
  date: string;
  claims: number;
  redemptions: number;
}

export interface TemplateStat {
  templateId: string;
  name: string;
  kind: string;
  stock: number | null;
  claimed: number;
  remaining: number | null;
  issued: number;
  used: number;
  redemptionRate: number;
}

export interface SyncItem {
  templateId: string;
  ticketId: number | string | null;
  title: string;
  state: 'pending' | 'syncing' | 'synced' | 'failed';
  attempts: number;
  lastError: string | null;
  cardId: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface SyncState {
  data: SyncItem[];
  counts: { pending: number; synced: number; failed: number };
  total?: number;
}

export interface SignedExample {
  dialect: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  curl: string;
}

export interface ListPage<T> {
  data: T[];
  total?: number;
  nextCursor?: string | null;
}
