import type { Coupon } from '../../domain/coupon.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CouponFilter } from '../../store/queries/coupons.ts';
import type { EventRecord } from '../../store/queries/events.ts';
import type { Deps } from '../ports.ts';

export async function getCoupon({ store }: Deps, tenantId: string, couponId: string): Promise<Coupon> {
  const c = await store.q.coupons.get(tenantId, couponId);
  if (!c) throw DomainError.notFound('coupon', couponId);
  return c;
}

export interface Cursor {
  issuedAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.issuedAt}:${c.id}`, 'utf8').toString('base64url');
}

/**
 * The id part takes every character an id may hold (imported ids keep `.`, `:` and `@`); the
 * first `:` ends the time, which is digits only (negative before 1970).
 */
export function decodeCursor(s: string): Cursor {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const m = /^(-?\d{1,16}):([A-Za-z0-9_.:@-]{1,100})$/.exec(text);
  if (!m) throw DomainError.field('query.cursor', 'is not a cursor this API gave out');
  return { issuedAt: Number(m[1]), id: m[2] as string };
}

export interface PageRequest {
  limit: number;
  /** The previous page's `next`, or null for the first page. */
  cursor: string | null;
}

export interface CouponPage {
  items: Coupon[];
  /** The cursor of the following page; null on the last one. */
  next: string | null;
}

/**
 * A page of coupons, newest first (issuedAt, then id, both descending), read by keyset: the
 * query starts after the previous page's last coupon, so a page costs the same wherever it is and
 * coupons issued meanwhile neither repeat nor shift a page. One row more than asked tells whether
 * another page follows.
 */
export async function couponPage({ store }: Pick<Deps, 'store'>, tenantId: string, filter: CouponFilter, now: number, page: PageRequest): Promise<CouponPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await store.q.coupons.list(tenantId, filter, now, page.limit + 1, after);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor(last) : null };
}

/** A page of coupons, newest first. */
export async function listCoupons(deps: Deps, tenantId: string, filter: CouponFilter, page: PageRequest): Promise<CouponPage> {
  return couponPage(deps, tenantId, filter, deps.clock.now(), page);
}

/** The event trail of a coupon, oldest first. */
export async function couponEvents({ store }: Deps, tenantId: string, couponId: string): Promise<EventRecord[]> {
  return store.q.events.list(tenantId, { subjectType: 'coupon', subjectId: couponId }, 0, 1000);
}
