/**
 * Wallets: the coupons a user or an operator holds, optionally in one chat, listed a page at a
 * time or grouped by template. Grouping reads one query for the coupons and one for their
 * templates, whatever the wallet's size.
 */
import { effectiveStatus, type Coupon, type CouponStatus, type OwnerType } from '../../domain/coupon.ts';
import type { Template } from '../../domain/template.ts';
import { couponPage, type CouponPage, type PageRequest } from '../coupons/read-coupons.ts';
import type { Deps } from '../ports.ts';

/** A coupon's state as people see it: its effective status, or not_yet_effective. */
export type CouponState = CouponStatus | 'not_yet_effective';

export function couponState(c: Coupon, now: number): CouponState {
  const s = effectiveStatus(c, now);
  return s === 'usable' && now < c.validFrom ? 'not_yet_effective' : s;
}

export interface WalletQuery {
  tenantId: string;
  ownerType: OwnerType;
  ownerId: string;
  chatId?: string | undefined;
  /** Effective statuses to include; all when absent. */
  statuses?: readonly CouponStatus[] | undefined;
}

export interface WalletGroup {
  template: Template;
  state: CouponState;
  count: number;
  coupons: Coupon[];
  /** Newest issue time in the group. */
  latestIssuedAt: number;
}

const walletFilter = (w: WalletQuery) => ({ ownerType: w.ownerType, ownerId: w.ownerId, chatId: w.chatId, status: w.statuses });

/**
 * One page of a wallet, newest first (issuedAt, then id, both descending), by keyset on the
 * owner's index: a wallet of any size is read a page at a time. `now` is the moment the page's
 * statuses were decided, for showing them.
 */
export async function walletPage(deps: Deps, w: WalletQuery, page: PageRequest): Promise<CouponPage & { now: number }> {
  const now = deps.clock.now();
  return { ...(await couponPage(deps, w.tenantId, walletFilter(w), now, page)), now };
}

/** The whole wallet at once (grouping needs every coupon); callers bound it by owner. */
export async function walletCoupons({ store, clock }: Deps, w: WalletQuery): Promise<{ coupons: Coupon[]; templates: Map<string, Template>; now: number }> {
  const now = clock.now();
  const coupons = await store.q.coupons.all(w.tenantId, walletFilter(w), now);
  const templateIds = [...new Set(coupons.map((c) => c.templateId))];
  const templates = new Map((await store.q.templates.getMany(w.tenantId, templateIds)).map((t) => [t.id, t]));
  return { coupons, templates, now };
}

/**
 * Groups by template and state, ordered by the template's sort ascending, then newest first.
 * Coupons inside a group are newest first.
 */
export async function walletGroups(deps: Deps, w: WalletQuery): Promise<WalletGroup[]> {
  return (await walletGroupsAsOf(deps, w)).groups;
}

/**
 * The groups, the moment they were decided (`asOf`) and the first moment after it at which the
 * clock alone would change them (`validUntil`: a coupon becoming effective or expiring), so a
 * cached answer can be used in between.
 */
export async function walletGroupsAsOf(deps: Deps, w: WalletQuery): Promise<{ groups: WalletGroup[]; asOf: number; validUntil: number }> {
  const { coupons, templates, now } = await walletCoupons(deps, w);
  return { groups: groupCoupons(coupons, templates, now), asOf: now, validUntil: nextStateChange(coupons, now) };
}

/** The first instant after `now` at which one of these coupons changes state by the clock alone. */
function nextStateChange(coupons: readonly Coupon[], now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const c of coupons) {
    // not_yet_effective → usable at validFrom; usable/frozen → expired once validTo has passed.
    if (c.validFrom > now && c.validFrom < next) next = c.validFrom;
    if (c.validTo >= now && c.validTo + 1 < next) next = c.validTo + 1;
  }
  return next;
}

function groupCoupons(coupons: readonly Coupon[], templates: Map<string, Template>, now: number): WalletGroup[] {
  const groups = new Map<string, WalletGroup>();
  for (const c of coupons) {
    const state = couponState(c, now);
    const key = `${c.templateId}\u0000${state}`;
    let g = groups.get(key);
    if (!g) {
      g = { template: templates.get(c.templateId) as Template, state, count: 0, coupons: [], latestIssuedAt: c.issuedAt };
      groups.set(key, g);
    }
    g.count++;
    g.coupons.push(c);
    if (c.issuedAt > g.latestIssuedAt) g.latestIssuedAt = c.issuedAt;
  }
  return [...groups.values()].sort((a, b) => a.template.sort - b.template.sort || b.latestIssuedAt - a.latestIssuedAt || (a.template.id < b.template.id ? -1 : 1));
}
