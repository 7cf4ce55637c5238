/** Domain objects as the native API shows them (camelCase, ids as strings, instants in the tenant's offset). */
import type { IssuedCredential } from '../../app/credentials/create-credential.ts';
import type { PackageReceipt } from '../../app/claims/claim-package.ts';
import type { WalletGroup } from '../../app/wallets/wallet.ts';
import type { Tenant } from '../../domain/catalog.ts';
import { effectiveStatus, isNotYetEffective, type Coupon } from '../../domain/coupon.ts';
import type { Credential } from '../../domain/credential.ts';
import type { GiftPackage } from '../../domain/package.ts';
import type { Evaluation, Redemption } from '../../domain/redemption.ts';
import type { Template } from '../../domain/template.ts';
import { formatIsoInZone } from '../../domain/time.ts';
import type { EventRecord } from '../../app/events/list-events.ts';

export const iso = (ms: number, tz: string): string => formatIsoInZone(ms, tz);

export function tenantOut(t: Tenant) {
  return { id: t.id, name: t.name, timezone: t.timezone, servicePhone: t.servicePhone, createdAt: iso(t.createdAt, t.timezone) };
}

export function credentialOut(c: Credential, tz: string) {
  const base = { id: c.id, kind: c.kind, role: c.role, label: c.label, keyHint: c.keyHint, createdAt: iso(c.createdAt, tz) };
  switch (c.kind) {
    case 'op':
      return { ...base, client: c.publicId ?? '' };
    case 'crm':
      return { ...base, channel: c.publicId ?? '' };
    case 'zv':
      return { ...base, openId: c.publicId ?? '', grantCode: c.grantCode ?? '', channel: c.channel ?? '' };
    case 'wechat':
      return { ...base, appId: c.publicId ?? '' };
    default:
      return base;
  }
}

/** The answer to creating or rotating a credential: the secret is in it this once. */
export function issuedOut(issued: IssuedCredential, tz: string) {
  const c = issued.credential;
  const secrets: Record<string, string> = {};
  if (issued.key) secrets.key = issued.key;
  if (c.kind === 'op' && c.secret) secrets.secret = c.secret;
  if (c.kind === 'crm' && c.secret) secrets.desKey = c.secret;
  if (c.kind === 'zv' && c.secret) secrets.secret = c.secret;
  return { credential: credentialOut(c, tz), secrets };
}

export function templateOut(t: Template, tz: string) {
  return {
    id: t.id,
    code: t.code,
    number: t.number,
    name: t.name,
    kind: t.kind,
    amount: t.amount,
    discount: t.discount,
    themeId: t.themeId,
    sort: t.sort,
    rule: t.rule,
    stock: t.stock,
    perUserLimit: t.perUserLimit,
    claimed: t.claimed,
    remaining: t.stock === null ? null : Math.max(0, t.stock - t.claimed),
    claimFrom: t.claimFrom,
    claimTo: t.claimTo,
    display: t.display,
    status: t.status,
    createdAt: iso(t.createdAt, tz),
    updatedAt: iso(t.updatedAt, tz),
  };
}

export function packageOut(p: GiftPackage, tz: string) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    alias: p.alias,
    aliasCodeType: p.aliasCodeType,
    channelIds: p.channelIds,
    remark: p.remark,
    url: p.url,
    status: p.status,
    createdBy: p.createdBy,
    operatorId: p.operatorId,
    examinerId: p.examinerId,
    suggestion: p.suggestion,
    rule: p.rule,
    items: p.items,
    claimed: p.claimed,
    createdAt: iso(p.createdAt, tz),
    updatedAt: iso(p.updatedAt, tz),
  };
}

export function couponOut(c: Coupon, tz: string, now: number) {
  return {
    id: c.id,
    code: c.code,
    templateId: c.templateId,
    status: effectiveStatus(c, now),
    notYetEffective: isNotYetEffective(c, now),
    ownerType: c.ownerType,
    ownerId: c.ownerId,
    senderId: c.senderId,
    chatId: c.chatId,
    packageId: c.packageId,
    validFrom: iso(c.validFrom, tz),
    validTo: iso(c.validTo, tz),
    issuedAt: iso(c.issuedAt, tz),
    updatedAt: iso(c.updatedAt, tz),
  };
}

export function receiptOut(r: PackageReceipt, tz: string, now: number) {
  return { id: r.id, packageId: r.packageId, userId: r.userId, receiptCode: r.receiptCode, coupons: r.coupons.map((c) => couponOut(c, tz, now)) };
}

export function evaluationOut(e: Evaluation & { coupon: Coupon }) {
  return { valid: e.valid, discountAmount: e.discountAmount, reasons: e.reasons, couponId: e.coupon.id, code: e.coupon.code };
}

export function redemptionOut(r: Redemption, tz: string) {
  return {
    id: r.id,
    couponId: r.couponId,
    code: r.code,
    orderId: r.orderId,
    orderAmount: r.orderAmount,
    discountAmount: r.discountAmount,
    status: r.status,
    createdAt: iso(r.createdAt, tz),
    reversedAt: r.reversedAt === null ? null : iso(r.reversedAt, tz),
  };
}

export function eventOut(e: EventRecord, tz: string) {
  return { seq: e.seq, at: iso(e.at, tz), actor: e.actor, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, data: e.data };
}

export function walletGroupOut(g: WalletGroup, tz: string) {
  return {
    templateId: g.template.id,
    templateName: g.template.name,
    kind: g.template.kind,
    state: g.state,
    count: g.count,
    couponIds: g.coupons.map((c) => c.id),
    codes: g.coupons.map((c) => c.code),
    latestIssuedAt: iso(g.latestIssuedAt, tz),
  };
}
