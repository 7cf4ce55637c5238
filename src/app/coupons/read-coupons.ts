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

export async function getCouponByCode({ store }: Deps, tenantId: string, code: string): Promise<Coupon> {
  const c = await store.q.coupons.byCode(tenantId, code);
  if (!c) throw DomainError.notFound('coupon', code);
  return c;
}

export interface Cursor {
  issuedAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.issuedAt}:${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(s: string): Cursor {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([\w-]{1,100})$/.exec(text);
  if (!m) throw DomainError.field('cursor', 'is not a cursor this API gave out');
  return { issuedAt: Number(m[1]), id: m[2] as string };
}

/** A page of coupons, newest first. */
export async function listCoupons({ store, clock }: Deps, tenantId: string, filter: CouponFilter, page: { limit: number; cursor: string | null }): Promise<{ items: Coupon[]; next: string | null }> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await store.q.coupons.list(tenantId, filter, clock.now(), page.limit + 1, after);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor(last) : null };
}

/** The event trail of a coupon, oldest first. */
export async function couponEvents({ store }: Deps, tenantId: string, couponId: string): Promise<EventRecord[]> {
  return store.q.events.list(tenantId, { subjectType: 'coupon', subjectId: couponId }, 0, 1000);
}
