/**
 * Engine → OP v2 wire values. Pure: the caller loads the package or wallet and the catalog.
 * Field names, nesting, order and JSON types follow the seeds' example responses (2.6, 2.13);
 * where a seed's table and example disagree on a format the example wins, on a meaning the
 * table wins (SPEC §4).
 */
import type { Named } from '../../domain/catalog.ts';
import type { OwnerType } from '../../domain/coupon.ts';
import type { AliasCodeType, GiftPackage, PackageStatus } from '../../domain/package.ts';
import type { Template } from '../../domain/template.ts';
import type { CouponState, WalletGroup } from '../../app/wallets/wallet.ts';

/** 2.6 SendStatus: 1 待审核 … 7 删除. */
export const SEND_STATUS = {
  pending_review: 1,
  in_review: 2,
  rejected: 3,
  ready: 4,
  published: 5,
  closed: 6,
  deleted: 7,
} as const satisfies Record<PackageStatus, number>;

/** 2.6 TicketPackageAliasCodeType: 1 唯一编码, 2 相同编码. */
export const ALIAS_CODE_TYPE = { unique: 1, shared: 2 } as const satisfies Record<AliasCodeType, number>;

/** 2.13 useStatus: 1 尚未生效 … 6 关闭. */
export const USE_STATUS = {
  not_yet_effective: 1,
  usable: 2,
  frozen: 3,
  used: 4,
  expired: 5,
  closed: 6,
  // OP has no "deleted"; deleted coupons are never listed, and closed is the nearest meaning.
  deleted: 6,
} as const satisfies Record<CouponState, number>;

export const OWNER_TYPE = { user: 1, operator: 2 } as const satisfies Record<OwnerType, number>;

/** 2.13 canUse, per the seed's table (1 可用, 2 不可用), not its example. */
export const CAN_USE = { yes: 1, no: 2 } as const;

/** The tenant's names, by id. */
export interface CatalogNames {
  productKinds: Map<string, string>;
  channels: Map<string, string>;
  themes: Map<string, string>;
}

export function namesById(items: readonly Named[]): Map<string, string> {
  return new Map(items.map((i) => [i.id, i.name]));
}

/** A name for an id; an id missing from the catalog is shown as itself rather than dropped. */
const nameOf = (names: Map<string, string>, id: string): string => names.get(id) ?? id;

/**
 * ticketType 1 (amount off, ticketAmount in fen) or 2 (折, ticketAmount the figure such as 8.5).
 * Kinds OP does not know report the nearest: a template carrying a 折 figure is 2, any other 1.
 */
export function ticketValue(t: Pick<Template, 'amount' | 'discount'>): { ticketType: 1 | 2; ticketAmount: number } {
  if (t.discount !== null) return { ticketType: 2, ticketAmount: t.discount };
  return { ticketType: 1, ticketAmount: t.amount ?? 0 };
}

/** 2.6 times are epoch milliseconds cut to the second, as the example's `…999000` ends show. */
export const toSecondMs = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000) * 1000);

// ---- 2.6 getTicketPackageById ----

export function packageTicket(t: Template, count: number, names: CatalogNames) {
  const channels = t.rule.channelIds.map((id) => nameOf(names.channels, id));
  return {
    ticketName: t.name,
    ticketCode: t.code,
    ticketType: ticketValue(t).ticketType,
    useChannels: channels,
    count,
    ticketAmount: ticketValue(t).ticketAmount,
    themeId: t.themeId,
    themeName: t.themeId === null ? null : nameOf(names.themes, t.themeId),
    ticketRule: {
      useStartTime: toSecondMs(t.validFromMs),
      useEndTime: toSecondMs(t.validToMs),
      productKinds: t.rule.productKindIds.map((id) => nameOf(names.productKinds, id)),
      orderAmount: t.rule.minOrderAmount,
      maxAmount: t.rule.maxDiscountAmount,
      delayDay: t.rule.validDaysAfterClaim,
    },
  };
}

export interface PackageContext {
  tenantId: string;
  now: number;
  templates: Map<string, Template>;
  names: CatalogNames;
}

/**
 * useStatus 1 正常 / 2 已过期: expired once its receive window has ended (review and closing are
 * sendStatus, deletion is isDelete).
 */
export function packageView(p: GiftPackage, ctx: PackageContext) {
  const channels = p.channelIds.map((id) => nameOf(ctx.names.channels, id));
  const tickets = p.items.flatMap((item) => {
    const t = ctx.templates.get(item.templateId);
    return t ? [packageTicket(t, item.count, ctx.names)] : [];
  });
  return {
    id: p.id,
    ticketPackageCode: p.code,
    ticketPackageName: p.name,
    ticketPackageAliasCodeType: ALIAS_CODE_TYPE[p.aliasCodeType],
    ticketPackageAlias: p.alias,
    // The engine has no per-package company list: every package belongs to one tenant.
    useCompanyList: null,
    useChannels: channels,
    useStatus: p.receiveToMs !== null && ctx.now > p.receiveToMs ? 2 : 1,
    isDelete: p.status === 'deleted',
    sendStatus: SEND_STATUS[p.status],
    operatorId: p.operatorId,
    createUserId: p.createdBy,
    createCompanyId: ctx.tenantId,
    createTime: p.createdAt,
    updateTime: p.updatedAt,
    examinerId: p.examinerId,
    suggestion: p.suggestion,
    url: p.url,
    remark: p.remark,
    ticketPackageRule: {
      receiveStartTime: toSecondMs(p.receiveFromMs),
      receiveEndTime: toSecondMs(p.receiveToMs),
      totalCountLimit: p.rule.totalLimit,
      personalCountLimit: p.rule.perUserLimit,
      useChannels: [...channels],
    },
    tickets,
  };
}

// ---- 2.13 getMergeTicketUsersByChatId ----

export interface GroupContext {
  tenantId: string;
  ownerType: OwnerType;
  ownerId: string;
  /** Package code by package id, for the packages the groups' coupons came from. */
  packageCodes: Map<string, string>;
  names: CatalogNames;
}

/**
 * One TicketUserGroup. Fields describing a single coupon (createTime, senderId,
 * ticketPackageCode) describe the group's newest coupon, the one that orders the group.
 */
export function ticketUserGroup(g: WalletGroup, ctx: GroupContext) {
  const t = g.template;
  const newest = g.coupons[0];
  const value = ticketValue(t);
  return {
    ticketUserIds: g.coupons.map((c) => c.id),
    userTicketCodes: g.coupons.map((c) => c.code),
    count: g.count,
    ticketCode: t.code,
    ticketName: t.name,
    ticketRule: {
      useStartTime: t.rule.validFrom,
      useEndTime: t.rule.validTo,
      productKinds: t.rule.productKindIds.map((id) => ({ id, name: nameOf(ctx.names.productKinds, id) })),
      orderAmount: t.rule.minOrderAmount,
      maxAmount: t.rule.maxDiscountAmount,
      delayDay: t.rule.validDaysAfterClaim,
    },
    themeId: t.themeId,
    themeName: t.themeId === null ? null : nameOf(ctx.names.themes, t.themeId),
    ticketPackageCode: newest?.packageId ? (ctx.packageCodes.get(newest.packageId) ?? null) : null,
    ownerId: ctx.ownerId,
    ownerType: OWNER_TYPE[ctx.ownerType],
    senderId: newest?.senderId ?? null,
    ticketType: value.ticketType,
    ticketAmount: value.ticketAmount,
    useStatus: USE_STATUS[g.state],
    createCompanyId: ctx.tenantId,
    createTime: g.latestIssuedAt,
    sort: t.sort,
    canUse: g.state === 'usable' ? CAN_USE.yes : CAN_USE.no,
    useChannels: t.rule.channelIds.map((id) => ({ id, name: nameOf(ctx.names.channels, id) })),
  };
}

export type TicketUserGroup = ReturnType<typeof ticketUserGroup>;

/**
 * canUse holds the usable groups, freeze the frozen ones; groups keep the wallet's order (sort
 * ascending, then newest first). Not-yet-effective coupons belong to neither list.
 */
export function mergedTickets(groups: readonly WalletGroup[], ctx: GroupContext): { canUse: TicketUserGroup[]; freeze: TicketUserGroup[] } {
  return {
    canUse: groups.filter((g) => g.state === 'usable').map((g) => ticketUserGroup(g, ctx)),
    freeze: groups.filter((g) => g.state === 'frozen').map((g) => ticketUserGroup(g, ctx)),
  };
}
