import { sql } from 'kysely';
import type { Actor } from '../../domain/catalog.ts';
import type { Redemption } from '../../domain/redemption.ts';
import type { RedemptionsTable } from '../schema.ts';
import { insertRows } from './bulk.ts';
import { CouponQueries, markUsedUpdate } from './coupons.ts';
import { EventQueries } from './events.ts';
import type { Executor, StoreDialect } from './index.ts';
import { toJson } from './json.ts';
import { prepared } from './prepared.ts';
import { IdempotencyQueries } from './requests.ts';

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

const redemptionRow = (r: Redemption) => ({
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
});

/**
 * A redemption decided on a coupon as it was read (`seenUpdatedAt`), with the event and the
 * Idempotency-Key answer to store beside it.
 */
export interface Spend {
  redemption: Redemption;
  seenUpdatedAt: number;
  actor: Actor;
  event: Record<string, unknown>;
  key: { scope: string; key: string; fingerprint: string; reservedAt: number; statusCode: number; response: string };
}

/** The key of a Spend was taken by another request: nothing was written. */
export class KeyTakenError extends Error {
  constructor() {
    super('the Idempotency-Key is taken');
    this.name = 'KeyTakenError';
  }
}

type SpendParams = { tenantId: string; couponId: string; seen: number; now: number; id: string; code: string; orderId: string; orderAmount: number; discount: number; actorType: string; actorId: string; data: string; scope: string; key: string; fingerprint: string; statusCode: number; response: string; reservedAt: number };

/**
 * PostgreSQL: the whole spend as one statement (one round trip, its own commit). Every insert
 * selects from the update's rows, so when the coupon moved since it was read nothing is written;
 * a taken key fails the statement on its primary key, and nothing is written either.
 */
const spendStatement = prepared<SpendParams, { spent: number }>('redemption-spend', (db, p) => ({
  compile: () =>
    sql<{ spent: number }>`with spent as (
      update coupons set status = 'used', updated_at = ${p('now')}
      where tenant_id = ${p('tenantId')} and id = ${p('couponId')} and status = 'usable' and updated_at = ${p('seen')} and valid_from <= ${p('now')} and valid_to >= ${p('now')}
      returning id
    ), redemption as (
      insert into redemptions (tenant_id, id, coupon_id, code, order_id, order_amount, discount_amount, status, created_at, reversed_at)
      select ${p('tenantId')}, ${p('id')}, id, ${p('code')}, ${p('orderId')}, ${p('orderAmount')}, ${p('discount')}, 'active', ${p('now')}, null from spent
      returning id
    ), trail as (
      insert into events (tenant_id, at, actor_type, actor_id, action, subject_type, subject_id, data)
      select ${p('tenantId')}, ${p('now')}, ${p('actorType')}, ${p('actorId')}, 'coupon.redeemed', 'coupon', id, ${p('data')} from spent
    ), answer as (
      insert into idempotency_keys (scope, key, fingerprint, status_code, response, created_at)
      select ${p('scope')}, ${p('key')}, ${p('fingerprint')}, ${p('statusCode')}, ${p('response')}, ${p('reservedAt')} from spent
    )
    select count(*)::int as spent from redemption`.compile(db),
}));

/**
 * PostgreSQL: several spends of one tenant as one statement (spendMany). The same writes as
 * spendStatement, for every spend whose coupon is still as read; the spends come as one JSON
 * array, with distinct coupons (a coupon twice would be updated once and redeemed twice).
 */
const spendManyStatement = prepared<{ tenantId: string; spends: string }, { coupon_id: string }>('redemption-spend-many', (db, p) => ({
  compile: () =>
    sql<{ coupon_id: string }>`with input as (
      select * from json_to_recordset(${p('spends')}::json) as x(coupon_id text, seen bigint, now bigint, id text, code text, order_id text, order_amount bigint, discount bigint, actor_type text, actor_id text, data text, scope text, key text, fingerprint text, status_code int, response text, reserved_at bigint)
    ), spent as (
      update coupons c set status = 'used', updated_at = i.now
      from input i
      where c.tenant_id = ${p('tenantId')} and c.id = i.coupon_id and c.status = 'usable' and c.updated_at = i.seen and c.valid_from <= i.now and c.valid_to >= i.now
      returning c.id
    ), redemption as (
      insert into redemptions (tenant_id, id, coupon_id, code, order_id, order_amount, discount_amount, status, created_at, reversed_at)
      select ${p('tenantId')}, i.id, i.coupon_id, i.code, i.order_id, i.order_amount, i.discount, 'active', i.now, null from input i join spent s on s.id = i.coupon_id
      returning coupon_id
    ), trail as (
      insert into events (tenant_id, at, actor_type, actor_id, action, subject_type, subject_id, data)
      select ${p('tenantId')}, i.now, i.actor_type, i.actor_id, 'coupon.redeemed', 'coupon', i.coupon_id, i.data from input i join spent s on s.id = i.coupon_id
    ), answer as (
      insert into idempotency_keys (scope, key, fingerprint, status_code, response, created_at)
      select i.scope, i.key, i.fingerprint, i.status_code, i.response, i.reserved_at from input i join spent s on s.id = i.coupon_id
    )
    select coupon_id from redemption`.compile(db),
}));

/** markUsed, and only if the coupon is still as read (same updated_at). */
const markSeenCouponUsed = prepared<{ tenantId: string; id: string; seen: number; now: number }, never>('coupon-mark-seen-used', (db, p) =>
  markUsedUpdate(db, p).where('updated_at', '=', p<number>('seen')),
);

export class RedemptionQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Marks the coupon used — only if it is still exactly as read (usable, same updated_at, within
   * its validity) — and writes the redemption, its event and the key's answer. 'stale' when the
   * coupon had moved (nothing written); throws KeyTakenError when the key is taken. On PostgreSQL
   * one statement, run outside a transaction; on SQLite several, so run it inside one (the throw
   * rolls back what came before the key).
   */
  async spend(s: Spend): Promise<'spent' | 'stale'> {
    const r = s.redemption;
    if (this.#dialect.kind === 'postgres') {
      try {
        const { rows } = await spendStatement(this.#db, {
          tenantId: r.tenantId, couponId: r.couponId, seen: s.seenUpdatedAt, now: r.createdAt, id: r.id, code: r.code, orderId: r.orderId,
          orderAmount: r.orderAmount, discount: r.discountAmount, actorType: s.actor.type, actorId: s.actor.id, data: toJson(s.event),
          scope: s.key.scope, key: s.key.key, fingerprint: s.key.fingerprint, statusCode: s.key.statusCode, response: s.key.response, reservedAt: s.key.reservedAt,
        });
        return Number(rows[0]?.spent ?? 0) > 0 ? 'spent' : 'stale';
      } catch (e) {
        if (this.#dialect.isUniqueViolation(e) && (e as { constraint?: string }).constraint === 'idempotency_keys_pk') throw new KeyTakenError();
        throw e;
      }
    }
    const used = await markSeenCouponUsed(this.#db, { tenantId: r.tenantId, id: r.couponId, seen: s.seenUpdatedAt, now: r.createdAt });
    if (Number(used.numAffectedRows ?? 0) === 0) return 'stale';
    await this.insert(r);
    await new EventQueries(this.#db).append([{ tenantId: r.tenantId, at: r.createdAt, actor: s.actor, action: 'coupon.redeemed', subjectType: 'coupon', subjectId: r.couponId, data: s.event }]);
    if (!(await new IdempotencyQueries(this.#db).take(s.key.scope, s.key.key, s.key.fingerprint, s.key.reservedAt, { statusCode: s.key.statusCode, response: s.key.response }))) throw new KeyTakenError();
    return 'spent';
  }

  /**
   * SQLite, inside a transaction: several spends decided in order, each as if it ran alone — its
   * key taken (in the store, or by a spend before it here) makes it 'taken', a coupon no longer
   * exactly as read makes it 'stale' (nothing written for either) — and the redemptions, events
   * and keys of those spent written by one statement each. The transaction holds SQLite's write
   * lock, so nothing read here can move before the writes; no savepoints are needed, since nothing
   * is written for a spend that is refused. A failure of the writes (which the checks leave no
   * reason for) fails the whole transaction.
   */
  async spendEach(spends: readonly Spend[]): Promise<Array<'spent' | 'stale' | 'taken'>> {
    if (this.#dialect.kind !== 'sqlite') throw new Error('spendEach runs on SQLite only');
    const keys = new IdempotencyQueries(this.#db);
    const taken = new Set<string>();
    const spent: Spend[] = [];
    const outcomes: Array<'spent' | 'stale' | 'taken'> = [];
    for (const s of spends) {
      const k = `${s.key.scope}\u0000${s.key.key}`;
      if (taken.has(k) || (await keys.get(s.key.scope, s.key.key))) {
        outcomes.push('taken');
        continue;
      }
      const r = s.redemption;
      const used = await markSeenCouponUsed(this.#db, { tenantId: r.tenantId, id: r.couponId, seen: s.seenUpdatedAt, now: r.createdAt });
      if (Number(used.numAffectedRows ?? 0) === 0) {
        outcomes.push('stale');
        continue;
      }
      taken.add(k);
      spent.push(s);
      outcomes.push('spent');
    }
    if (spent.length > 0) {
      await insertRows(this.#db, 'redemptions', spent.map((s) => redemptionRow(s.redemption)));
      await new EventQueries(this.#db).append(spent.map((s) => ({ tenantId: s.redemption.tenantId, at: s.redemption.createdAt, actor: s.actor, action: 'coupon.redeemed', subjectType: 'coupon', subjectId: s.redemption.couponId, data: s.event })));
      await insertRows(this.#db, 'idempotency_keys', spent.map(({ key: k }) => ({ scope: k.scope, key: k.key, fingerprint: k.fingerprint, status_code: k.statusCode, response: k.response, created_at: k.reservedAt })));
    }
    return outcomes;
  }

  /**
   * PostgreSQL: several spends in one statement (one round trip and one commit), each holding
   * only if its coupon is still as read; returns the coupon ids spent (the others are stale:
   * nothing written for them). All spends of one tenant, of distinct coupons.
   * A taken key fails the whole statement with KeyTakenError (nothing written): spend them one
   * by one then, to learn whose it was. Coupons are updated in id order, so two such statements
   * over the same coupons cannot deadlock on each other. Run outside a transaction.
   */
  async spendMany(tenantId: string, spends: readonly Spend[]): Promise<Set<string>> {
    if (this.#dialect.kind !== 'postgres') throw new Error('spendMany runs on PostgreSQL only');
    if (new Set(spends.map((s) => s.redemption.couponId)).size !== spends.length) throw new Error('spendMany needs distinct coupons');
    // In coupon order: two statements over the same coupons lock them in the same order.
    const sorted = [...spends].sort((a, b) => (a.redemption.couponId < b.redemption.couponId ? -1 : a.redemption.couponId > b.redemption.couponId ? 1 : 0));
    const rows = sorted.map((s) => {
      const r = s.redemption;
      if (r.tenantId !== tenantId) throw new Error('spendMany: every spend of one tenant');
      return {
        coupon_id: r.couponId, seen: s.seenUpdatedAt, now: r.createdAt, id: r.id, code: r.code, order_id: r.orderId, order_amount: r.orderAmount, discount: r.discountAmount,
        actor_type: s.actor.type, actor_id: s.actor.id, data: toJson(s.event), scope: s.key.scope, key: s.key.key, fingerprint: s.key.fingerprint,
        status_code: s.key.statusCode, response: s.key.response, reserved_at: s.key.reservedAt,
      };
    });
    try {
      const { rows: spent } = await spendManyStatement(this.#db, { tenantId, spends: JSON.stringify(rows) });
      return new Set(spent.map((r) => r.coupon_id));
    } catch (e) {
      if (this.#dialect.isUniqueViolation(e) && (e as { constraint?: string }).constraint === 'idempotency_keys_pk') throw new KeyTakenError();
      throw e;
    }
  }

  async insert(r: Redemption): Promise<void> {
    await insertRows(this.#db, 'redemptions', [redemptionRow(r)]);
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

  /**
   * A page of the tenant's redemptions, newest first; by order id through its index, by code
   * through the coupons that have the code (a redemption's code is always its coupon's).
   */
  async list(tenantId: string, filter: { orderId?: string | undefined; code?: string | undefined }, limit: number, offset: number): Promise<Redemption[]> {
    let q = this.#db.selectFrom('redemptions').selectAll().where('tenant_id', '=', tenantId);
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    if (filter.code) {
      const coupons = await new CouponQueries(this.#db, this.#dialect).idsWithCode(tenantId, filter.code);
      if (coupons.length === 0) return [];
      q = q.where('coupon_id', 'in', coupons).where('code', '=', filter.code);
    }
    // Filtered, the few rows found are sorted: ordering by the bare column would let SQLite (no
    // statistics) walk the tenant's whole time index instead of the filter's index.
    const newest = filter.orderId || filter.code ? sql<number>`created_at + 0` : sql<number>`created_at`;
    const rows = await q.orderBy(newest, 'desc').orderBy('id').limit(limit).offset(offset).execute();
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
