import type { Redemption } from '../../domain/redemption.ts';
import type { RedemptionsTable } from '../schema.ts';
import { insertRows } from './bulk.ts';
import type { Executor } from './index.ts';
import { prepared } from './prepared.ts';

const toRedemption = (r: RedemptionsTable): Redemption => ({
  tenantId: r.tenant_id,
  id: r.id,
  couponId: r.coupon_id,
  code: r.code,
  orderId: r.order_id,
  orderAmount: r.order_amount,
  discountAmount: r.discount_amount,
  status: r.status as Redemption['status'],
  createdAt: r.created_at,
  reversedAt: r.reversed_at,
});

const activeRedemptionFor = prepared<{ tenantId: string; couponId: string; orderId: string }, RedemptionsTable>('active-redemption-for', (db, p) =>
  db
    .selectFrom('redemptions')
    .selectAll()
    .where('tenant_id', '=', p<string>('tenantId'))
    .where('coupon_id', '=', p<string>('couponId'))
    .where('order_id', '=', p<string>('orderId'))
    .where('status', '=', 'active'),
);

export class RedemptionQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  async insert(r: Redemption): Promise<void> {
    await insertRows(this.#db, 'redemptions', [
      {
        tenant_id: r.tenantId,
        id: r.id,
        coupon_id: r.couponId,
        code: r.code,
        order_id: r.orderId,
        order_amount: r.orderAmount,
        discount_amount: r.discountAmount,
        status: r.status,
        created_at: r.createdAt,
        reversed_at: r.reversedAt,
      },
    ]);
  }

  async get(tenantId: string, id: string): Promise<Redemption | undefined> {
    const r = await this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toRedemption(r);
  }

  /** The live redemption of a coupon for an order, if any (same code + order id → same result). */
  async activeFor(tenantId: string, couponId: string, orderId: string): Promise<Redemption | undefined> {
    const r = (await activeRedemptionFor(this.#db, { tenantId, couponId, orderId })).rows[0];
    return r && toRedemption(r);
  }

  async listForCoupon(tenantId: string, couponId: string): Promise<Redemption[]> {
    const rows = await this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId).where('coupon_id', '=', couponId).orderBy('created_at').execute();
    return rows.map(toRedemption);
  }

  /** The live (not reversed) redemptions of these coupons: when each used coupon was spent. */
  async activeForCoupons(tenantId: string, couponIds: readonly string[]): Promise<Redemption[]> {
    const out: Redemption[] = [];
    // Chunks stay well under both databases' bound-parameter limits.
    for (let i = 0; i < couponIds.length; i += 500) {
      const chunk = couponIds.slice(i, i + 500);
      const rows = await this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId).where('coupon_id', 'in', chunk).where('status', '=', 'active').execute();
      out.push(...rows.map(toRedemption));
    }
    return out;
  }

  async list(tenantId: string, filter: { orderId?: string | undefined; code?: string | undefined }, limit: number, offset: number): Promise<Redemption[]> {
    let q = this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId);
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    if (filter.code) q = q.where('code', '=', filter.code);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return rows.map(toRedemption);
  }

  /** A page of a tenant's redemptions in id order, after `afterId` (export: bounded memory). */
  async pageForExport(tenantId: string, afterId: string | null, limit: number): Promise<Redemption[]> {
    let q = this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return (await q.execute()).map(toRedemption);
  }

  /** active → reversed, once. */
  async reverse(tenantId: string, id: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('redemptions')
      .set({ status: 'reversed', reversed_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
