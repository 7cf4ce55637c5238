import type { Coupon, CouponStatus, OwnerType } from '../../domain/coupon.ts';
import { sql } from 'kysely';
import type { CouponsTable } from '../schema.ts';
import { insertRows } from './bulk.ts';
import { padForGenericPlan, prepared, type Param } from './prepared.ts';
import type { Executor, StoreDialect } from './index.ts';
import type { CodePermutation } from '../../domain/coupon-codes.ts';
import type { CodeLookup } from './coupon-codes.ts';

export function toCoupon(r: CouponsTable): Coupon {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    code: r.code,
    templateId: r.template_id,
    ownerType: r.owner_type as OwnerType,
    ownerId: r.owner_id,
    senderId: r.sender_id,
    chatId: r.chat_id,
    packageId: r.package_id,
    status: r.status as CouponStatus,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    issuedAt: r.issued_at,
    updatedAt: r.updated_at,
  };
}

/** A coupon as its row; `codes` gives the sequence number of a 12-digit code. */
export function toRow(c: Coupon, codes: CodePermutation): CouponsTable {
  return {
    tenant_id: c.tenantId,
    id: c.id,
    code: c.code,
    template_id: c.templateId,
    owner_type: c.ownerType,
    owner_id: c.ownerId,
    sender_id: c.senderId,
    chat_id: c.chatId,
    package_id: c.packageId,
    status: c.status,
    valid_from: c.validFrom,
    valid_to: c.validTo,
    issued_at: c.issuedAt,
    updated_at: c.updatedAt,
    code_seq: codes.seq(c.code),
  };
}

export interface CouponFilter {
  ownerType?: OwnerType | undefined;
  ownerId?: string | undefined;
  chatId?: string | undefined;
  templateId?: string | undefined;
  packageId?: string | undefined;
  code?: string | undefined;
  /** Effective status: the clock decides expiry, whatever the sweeper has written. */
  status?: CouponStatus | readonly CouponStatus[] | undefined;
}

const withTemplateVersion = (db: Executor) =>
  db
    .selectFrom('coupons as c')
    .innerJoin('templates as t', (j) => j.onRef('t.tenant_id', '=', 'c.tenant_id').onRef('t.id', '=', 'c.template_id'))
    .selectAll('c')
    .select('t.updated_at as template_updated_at');

type WithVersion = CouponsTable & { template_updated_at: number };

/** A coupon with a 12-digit code, by its sequence number (the index of drawn codes). */
const couponBySeqWithVersion = prepared<{ tenantId: string; seq: number }, WithVersion>('coupon-by-seq-with-template-version', (db, p) =>
  withTemplateVersion(db).where('c.tenant_id', '=', p<string>('tenantId')).where('c.code_seq', '=', p<number>('seq')) as never,
);

/** A coupon with a code of another form, by the code (the partial index of such codes). */
const couponByOtherCodeWithVersion = prepared<{ tenantId: string; code: string }, WithVersion>('coupon-by-other-code-with-template-version', (db, p) =>
  withTemplateVersion(db).where('c.tenant_id', '=', p<string>('tenantId')).where('c.code', '=', p<string>('code')).where('c.code_seq', 'is', null) as never,
);

/** The same for several codes at once (PostgreSQL: `= any` of array parameters, each kind by its index). */
const couponsByCodesWithVersion = prepared<{ tenantId: string; seqs: number[]; codes: string[] }, WithVersion>('coupons-by-codes-with-template-version', (db, p) =>
  withTemplateVersion(db)
    .where('c.tenant_id', '=', p<string>('tenantId'))
    .where(sql<boolean>`(c.code_seq = any(${p<number[]>('seqs')}::bigint[]) or (c.code_seq is null and c.code = any(${p<string[]>('codes')}::text[])))`) as never,
);

/** A usable coupon within its validity moves to used (parameters tenantId, id, now). */
export const markUsedUpdate = (db: Executor, p: Param) =>
  db
    .updateTable('coupons')
    .set({ status: 'used', updated_at: p<number>('now') })
    .where('tenant_id', '=', p<string>('tenantId'))
    .where('id', '=', p<string>('id'))
    .where('status', '=', 'usable')
    .where('valid_from', '<=', p<number>('now'))
    .where('valid_to', '>=', p<number>('now'));

const markCouponUsed = prepared<{ tenantId: string; id: string; now: number }, never>('coupon-mark-used', markUsedUpdate);

/** Live coupons, in the words of coupons_expiry's condition (migration 0010): see dueForExpiry. */
const LIVE = sql<boolean>`status in ('usable', 'frozen')`;

/** The sweeper's query (CouponQueries.dueForExpiry); exported for the plan tests. */
export const dueForExpiryQuery = (db: Executor, now: number, limit: number) =>
  db.selectFrom('coupons').select(['tenant_id', 'id', 'status']).where(LIVE).where('valid_to', '<', now).orderBy('valid_to').limit(limit);

/** Rows per multi-row insert: well under both databases' bound-parameter limits. */
const INSERT_CHUNK = 2000;
const MAX_CODE_ATTEMPTS = 8;

export class CouponQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** `n` fresh codes (see CodeSource.draw); on SQLite call it inside the transaction that writes them. */
  drawCodes(n: number): Promise<string[]> {
    return this.#dialect.codes.draw(this.#db, n);
  }

  /**
   * Inserts new coupons, whose codes were drawn (drawCodes), in multi-row statements. A drawn code
   * can only clash with a 12-digit code imported under the same number: such coupons get newly
   * drawn codes and are tried again (the coupons are updated in place).
   */
  async insertNew(coupons: Coupon[]): Promise<void> {
    const codes = await this.#dialect.codes.permutation(this.#db);
    for (let i = 0; i < coupons.length; i += INSERT_CHUNK) {
      let pending = coupons.slice(i, i + INSERT_CHUNK);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_CODE_ATTEMPTS) throw new Error('could not find free coupon codes for new coupons');
        const { rows: inserted } = await insertRows<{ id: string }>(this.#db, 'coupons', pending.map((c) => toRow(c, codes)) as never, {
          tailKey: 'any-nothing-returning-id',
          tail: (qb) => qb.onConflict((oc) => oc.doNothing()).returning('id' as never) as never,
        });
        if (inserted.length === pending.length) break;
        const done = new Set(inserted.map((r) => r.id));
        pending = pending.filter((c) => !done.has(c.id));
        const fresh = await this.drawCodes(pending.length);
        pending.forEach((c, j) => (c.code = fresh[j] as string));
      }
    }
  }

  /**
   * Inserts coupons that bring their own id and code (imports); existing ids are left alone. A
   * code another coupon of the tenant has fails the statement (a unique violation).
   */
  async insertKept(coupons: Coupon[]): Promise<number> {
    const codes = await this.#dialect.codes.permutation(this.#db);
    let n = 0;
    for (let i = 0; i < coupons.length; i += INSERT_CHUNK) {
      const r = await insertRows(this.#db, 'coupons', coupons.slice(i, i + INSERT_CHUNK).map((c) => toRow(c, codes)) as never, {
        tailKey: 'id-nothing',
        tail: (qb) => qb.onConflict((oc) => oc.columns(['tenant_id', 'id'] as never).doNothing()) as never,
      });
      n += r.affected;
    }
    return n;
  }

  /** How to find the coupon with a code (by its sequence number, or by the code itself). */
  lookupOf(code: string): Promise<CodeLookup> {
    return this.#dialect.codes.lookup(this.#db, code);
  }

  async get(tenantId: string, id: string): Promise<Coupon | undefined> {
    const r = await this.#db.selectFrom('coupons').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toCoupon(r);
  }

  /**
   * A coupon by code with its template's `updated_at` (a version: every template write moves it
   * forward), so a cached template can be checked without reading it again.
   */
  async byCodeWithTemplateVersion(tenantId: string, code: string): Promise<{ coupon: Coupon; templateUpdatedAt: number } | undefined> {
    const at = await this.lookupOf(code);
    const r = ('seq' in at ? await couponBySeqWithVersion(this.#db, { tenantId, seq: at.seq }) : await couponByOtherCodeWithVersion(this.#db, { tenantId, code })).rows[0];
    if (!r) return undefined;
    const { template_updated_at, ...row } = r;
    return { coupon: toCoupon(row), templateUpdatedAt: template_updated_at };
  }

  /**
   * byCodeWithTemplateVersion for several codes in one query, keyed by code (absent codes are
   * missing). PostgreSQL only: it saves round trips where a round trip is what costs.
   */
  async byCodesWithTemplateVersion(tenantId: string, codes: readonly string[]): Promise<Map<string, { coupon: Coupon; templateUpdatedAt: number }>> {
    if (this.#dialect.kind !== 'postgres') throw new Error('byCodesWithTemplateVersion runs on PostgreSQL only');
    const seqs: number[] = [];
    const others: string[] = [];
    for (const code of codes) {
      const at = await this.lookupOf(code);
      if ('seq' in at) seqs.push(at.seq);
      else others.push(code);
    }
    const out = new Map<string, { coupon: Coupon; templateUpdatedAt: number }>();
    const query = { tenantId, seqs: padForGenericPlan(seqs, -1), codes: padForGenericPlan(others, '') };
    for (const r of (await couponsByCodesWithVersion(this.#db, query)).rows) {
      const { template_updated_at, ...row } = r;
      out.set(row.code, { coupon: toCoupon(row), templateUpdatedAt: template_updated_at });
    }
    return out;
  }

  async byCode(tenantId: string, code: string): Promise<Coupon | undefined> {
    const r = await this.#filtered(tenantId, {}, 0, await this.lookupOf(code)).selectAll().executeTakeFirst();
    return r && toCoupon(r);
  }

  /**
   * The ids of every coupon of the tenant with this code: the one its number finds and, for a
   * 12-digit code, one an older version stored without a number that migration 0006 could not
   * number (a drawn coupon held it: the same code twice). Two point reads, each by its index.
   */
  async idsWithCode(tenantId: string, code: string): Promise<string[]> {
    const at = await this.lookupOf(code);
    const ids = (await this.#filtered(tenantId, {}, 0, at).select('id').execute()).map((r) => r.id);
    if ('seq' in at) ids.push(...(await this.#filtered(tenantId, {}, 0, { code }).select('id').execute()).map((r) => r.id));
    return ids;
  }

  /** How to find the filter's code, when it has one. */
  #lookupFor(f: CouponFilter): Promise<CodeLookup | null> {
    return f.code ? this.lookupOf(f.code) : Promise.resolve(null);
  }

  /** `at`: how to find the code asked for, when there is one (lookupOf). */
  #filtered(tenantId: string, f: CouponFilter, now: number, at: CodeLookup | null) {
    let q = this.#db.selectFrom('coupons').where('tenant_id', '=', tenantId);
    if (f.ownerType) q = q.where('owner_type', '=', f.ownerType);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.chatId) q = q.where('chat_id', '=', f.chatId);
    if (f.templateId) q = q.where('template_id', '=', f.templateId);
    if (f.packageId) q = q.where('package_id', '=', f.packageId);
    // By the index that holds the code: its sequence number's, or that of codes of other forms.
    if (at) q = 'seq' in at ? q.where('code_seq', '=', at.seq) : q.where('code', '=', at.code).where('code_seq', 'is', null);
    if (f.status !== undefined) {
      const wanted = typeof f.status === 'string' ? [f.status] : [...f.status];
      // Filtered on the rows the other conditions find (`status || ''`, which no index holds):
      // SQLite would otherwise seek the sweeper's index of live coupons (coupons_expiry), which
      // spans every tenant, and sort all of a status's coupons to hand over one page of them.
      const status = sql<string>`${sql.ref('status')} || ''`;
      q = q.where((eb) =>
        eb.or(
          wanted.map((s) => {
            if (s === 'usable' || s === 'frozen') return eb.and([eb(status, '=', s), eb('valid_to', '>=', now)]);
            if (s === 'expired') return eb.or([eb(status, '=', 'expired'), eb.and([eb(status, 'in', ['usable', 'frozen']), eb('valid_to', '<', now)])]);
            return eb(status, '=', s);
          }),
        ),
      );
    }
    return q;
  }

  /**
   * A page of coupons, newest first, after the cursor (issuedAt, id) of the previous page (search
   * and wallets). The row-value comparison lets both databases seek the owner's or chat's index to
   * the cursor; the equivalent `a < x or (a = x and b < y)` makes PostgreSQL filter every row before it.
   */
  async list(tenantId: string, f: CouponFilter, now: number, limit: number, after: { issuedAt: number; id: string } | null): Promise<Coupon[]> {
    let q = this.#filtered(tenantId, f, now, await this.#lookupFor(f)).selectAll();
    if (after) q = q.where((eb) => eb(eb.refTuple('issued_at', 'id'), '<', eb.tuple(after.issuedAt, after.id)));
    const rows = await q.orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toCoupon);
  }

  /** Every coupon matching, in one query (wallet grouping; callers bound the owner). */
  async all(tenantId: string, f: CouponFilter, now: number): Promise<Coupon[]> {
    const rows = await this.#filtered(tenantId, f, now, await this.#lookupFor(f)).selectAll().orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toCoupon);
  }

  async count(tenantId: string, f: CouponFilter, now: number): Promise<number> {
    const r = await this.#filtered(tenantId, f, now, await this.#lookupFor(f)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Moves the stored status only if it is still `from` (the loser of a race changes nothing). */
  async setStatus(tenantId: string, id: string, from: CouponStatus, to: CouponStatus, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('coupons')
      .set({ status: to, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** usable → used, only while usable and inside its validity: exactly one redemption wins. */
  async markUsed(tenantId: string, id: string, now: number): Promise<boolean> {
    const r = await markCouponUsed(this.#db, { tenantId, id, now });
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** Hands an operator's usable coupon to a user in a chat. */
  async transfer(tenantId: string, id: string, fromOperatorId: string, toUserId: string, chatId: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('coupons')
      .set({ owner_type: 'user', owner_id: toUserId, sender_id: fromOperatorId, chat_id: chatId, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('owner_type', '=', 'operator')
      .where('owner_id', '=', fromOperatorId)
      .where('status', '=', 'usable')
      .where('valid_to', '>=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Live coupons whose validity ended before `now`, oldest first, across tenants: off
   * `coupons_expiry`, which holds the live coupons only (migration 0010). Its condition is written
   * out as the index's own text, not as bound values: SQLite proves that a query may use a partial
   * index from the query's text alone (`status in (?, ?)` proves nothing), and so does a generic
   * plan of PostgreSQL.
   */
  async dueForExpiry(now: number, limit: number): Promise<Array<{ tenantId: string; id: string; status: string }>> {
    const rows = await dueForExpiryQuery(this.#db, now, limit).execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, status: r.status }));
  }

  /**
   * Writes `expired` on those of a tenant's coupons still live and past their validity, in one
   * statement (PostgreSQL's version triggers then lock the chat sets it touches once, in order).
   * Returns the ids it expired.
   */
  async expireMany(tenantId: string, ids: readonly string[], now: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .updateTable('coupons')
      .set({ status: 'expired', updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...ids])
      .where('status', 'in', ['usable', 'frozen'])
      .where('valid_to', '<', now)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Coupons of a tenant in id order after `afterId` (export, in pages). */
  async pageForExport(tenantId: string, afterId: string | null, limit: number): Promise<Coupon[]> {
    let q = this.#db.selectFrom('coupons').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return (await q.execute()).map(toCoupon);
  }

  /**
   * Claims per (template, user): coupons users hold of a template that came neither from a
   * package nor from an operator — what per-user limits count. Rebuilds limit counters.
   */
  async claimCounts(tenantId: string, templateId?: string): Promise<Array<{ templateId: string; userId: string; n: number }>> {
    let q = this.#db
      .selectFrom('coupons')
      .select(['template_id', 'owner_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('owner_type', '=', 'user')
      .where('package_id', 'is', null)
      .where('sender_id', 'is', null);
    if (templateId !== undefined) q = q.where('template_id', '=', templateId);
    const rows = await q.groupBy(['template_id', 'owner_id']).execute();
    return rows.map((r) => ({ templateId: r.template_id, userId: r.owner_id, n: Number(r.n) }));
  }

  /** Coupons users hold from a package, per user (imports infer receipts from them). */
  async packageCounts(tenantId: string, packageId: string): Promise<Map<string, number>> {
    const rows = await this.#db
      .selectFrom('coupons')
      .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('package_id', '=', packageId)
      .where('owner_type', '=', 'user')
      .groupBy('owner_id')
      .execute();
    return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
  }

  /** Coupons per template (stock counters). */
  async issuedPerTemplate(tenantId: string): Promise<Map<string, number>> {
    const rows = await this.#db
      .selectFrom('coupons')
      .select(['template_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('template_id')
      .execute();
    return new Map(rows.map((r) => [r.template_id, Number(r.n)]));
  }

  /** True when an error is a unique-index clash (two coupons with one code). */
  isUniqueViolation(e: unknown): boolean {
    return this.#dialect.isUniqueViolation(e);
  }
}
