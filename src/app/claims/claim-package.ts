import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { AliasCodeType, packageClaimRefusal } from '../../domain/package.ts';
import type { Template } from '../../domain/template.ts';
import type { TenantInput } from '../context.ts';
import type { Deps } from '../ports.ts';
import { NO_LIMIT, checkClaimChat, issuedEvents, newCoupons, outOfStock, refuseUnlessClaimable } from './issue.ts';

export interface ClaimPackageInput extends TenantInput {
  packageId: string;
  userId: string;
  chatId?: string | null | undefined;
}

export interface PackageReceipt {
  id: string;
  packageId: string;
  userId: string;
  /** The package code when aliasCodeType is shared, a code of this receipt's own when unique. */
  receiptCode: string;
  coupons: Coupon[];
}

/**
 * Receives a whole package for a user: every item's coupons or none. The package's window, its
 * total and per-user limits and each template's stock are all enforced by conditional writes in
 * one transaction; the first refusal rolls everything back.
 */
export async function claimPackage({ store, clock, ids }: Deps, input: ClaimPackageInput): Promise<PackageReceipt> {
  return store.transaction(async (q) => {
    const now = clock.now();
    const p = await q.packages.get(input.tenantId, input.packageId);
    if (!p || p.status === 'deleted') throw DomainError.notFound('package', input.packageId);
    const why = packageClaimRefusal(p, now);
    if (why) throw new DomainError(ErrorCode.not_claimable, why, { packageId: p.id });
    const chatId = input.chatId ?? null;
    await checkClaimChat(q, input.tenantId, chatId, input.userId);
    if (!(await q.templates.bumpUserCount('package_claims', input.tenantId, p.id, input.userId, p.rule.perUserLimit ?? NO_LIMIT))) {
      throw new DomainError(ErrorCode.limit_reached, `user ${input.userId} has received package ${p.id} the most times allowed (${p.rule.perUserLimit})`, { packageId: p.id });
    }
    if (!(await q.packages.takeReceipt(input.tenantId, p.id))) {
      throw new DomainError(ErrorCode.out_of_stock, `package ${p.id} has been received ${p.rule.totalLimit} times, its total limit`, { packageId: p.id });
    }
    const templates = new Map((await q.templates.getMany(input.tenantId, p.items.map((i) => i.templateId))).map((t) => [t.id, t]));
    // Stock is taken in template id order so concurrent package claims lock rows in one order.
    const items = [...p.items].sort((a, b) => (a.templateId < b.templateId ? -1 : a.templateId > b.templateId ? 1 : 0));
    for (const item of items) {
      const t = templates.get(item.templateId) as Template;
      refuseUnlessClaimable(t, now);
      if (!(await q.templates.takeStock(input.tenantId, t.id, item.count))) throw outOfStock(t, item.count);
    }
    await q.catalog.ensureUser(input.tenantId, input.userId, now);
    const spec = { tenantId: input.tenantId, ownerType: 'user' as const, ownerId: input.userId, chatId, senderId: null, packageId: p.id };
    const codes = await q.coupons.drawCodes(p.items.reduce((n, item) => n + item.count, 0));
    let drawn = 0;
    const coupons = p.items.flatMap((item) => newCoupons(ids, templates.get(item.templateId) as Template, spec, codes.slice(drawn, (drawn += item.count)), now));
    await q.coupons.insertNew(coupons);
    const receipt: PackageReceipt = {
      id: ids.id(),
      packageId: p.id,
      userId: input.userId,
      receiptCode: p.aliasCodeType === AliasCodeType.shared ? p.code : ids.packageCode(),
      coupons,
    };
    await q.packages.insertReceipt({ tenantId: input.tenantId, id: receipt.id, packageId: p.id, userId: input.userId, receiptCode: receipt.receiptCode, createdAt: now });
    await q.events.append([
      { tenantId: input.tenantId, at: now, actor: input.actor, action: 'package.received', subjectType: 'package', subjectId: p.id, data: { userId: input.userId, receiptId: receipt.id, couponIds: coupons.map((c) => c.id) } },
      ...issuedEvents(coupons, input.actor, { via: 'package', receiptId: receipt.id }),
    ]);
    return receipt;
  });
}
