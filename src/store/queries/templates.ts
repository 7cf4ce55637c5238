import { sql } from 'kysely';
import type { Template, TemplateKind, TemplateRule, TemplateStatus } from '../../domain/template.ts';
import type { TemplatesTable } from '../schema.ts';
import { insertRows } from './bulk.ts';
import { prepared } from './prepared.ts';
import type { Executor, StoreDialect } from './index.ts';
import { parseJson, toJson } from './json.ts';

// Claims run these once per batch: compiled once (prepared.ts), not rebuilt by Kysely each time.
const templateForClaim = prepared<{ tenantId: string; id: string }, TemplatesTable>('template-for-claim', (db, p) =>
  db.selectFrom('templates').selectAll().where('tenant_id', '=', p<string>('tenantId')).where('id', '=', p<string>('id')),
);
const templateForUpdate = prepared<{ tenantId: string; id: string }, TemplatesTable>('template-for-claim-locked', (db, p) =>
  db.selectFrom('templates').selectAll().where('tenant_id', '=', p<string>('tenantId')).where('id', '=', p<string>('id')).forUpdate(),
);
const takeStock = prepared<{ tenantId: string; id: string; k: number }, never>('template-take-stock', (db, p) =>
  db
    .updateTable('templates')
    .set((eb) => ({ claimed: eb('claimed', '+', p<number>('k')) }))
    .where('tenant_id', '=', p<string>('tenantId'))
    .where('id', '=', p<string>('id'))
    .where((eb) => eb.or([eb('stock', 'is', null), eb(eb('claimed', '+', p<number>('k')), '<=', eb.ref('stock'))])),
);

export function toTemplate(r: TemplatesTable): Template {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    code: r.code,
    number: r.number,
    name: r.name,
    kind: r.kind as TemplateKind,
    amount: r.amount,
    discount: r.discount,
    themeId: r.theme_id,
    sort: r.sort,
    rule: parseJson<TemplateRule>(r.rule, {} as TemplateRule),
    stock: r.stock,
    perUserLimit: r.per_user_limit,
    claimed: r.claimed,
    claimFrom: r.claim_from,
    claimTo: r.claim_to,
    validFromMs: r.valid_from_ms,
    validToMs: r.valid_to_ms,
    claimFromMs: r.claim_from_ms,
    claimToMs: r.claim_to_ms,
    display: parseJson<Record<string, unknown>>(r.display, {}),
    status: r.status as TemplateStatus,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(t: Template, extra: Record<string, unknown>): TemplatesTable {
  return {
    tenant_id: t.tenantId,
    id: t.id,
    code: t.code,
    number: t.number,
    name: t.name,
    kind: t.kind,
    amount: t.amount,
    discount: t.discount,
    theme_id: t.themeId,
    sort: t.sort,
    rule: toJson(t.rule),
    stock: t.stock,
    per_user_limit: t.perUserLimit,
    claimed: t.claimed,
    claim_from: t.claimFrom,
    claim_to: t.claimTo,
    valid_from_ms: t.validFromMs,
    valid_to_ms: t.validToMs,
    claim_from_ms: t.claimFromMs,
    claim_to_ms: t.claimToMs,
    display: toJson(t.display),
    extra: toJson(extra),
    status: t.status,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export interface TemplateFilter {
  kind?: string | undefined;
  status?: string | undefined;
  /** Part of the name or the exact code. */
  q?: string | undefined;
  themeId?: string | undefined;
}

const templateById = prepared<{ tenantId: string; id: string }, TemplatesTable>('template-by-id', (db, p) =>
  db.selectFrom('templates').selectAll().where('tenant_id', '=', p<string>('tenantId')).where('id', '=', p<string>('id')),
);

export type ClaimCountTable = 'template_claims' | 'package_claims';

export class TemplateQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Reads a template for claiming, holding its row lock until the transaction ends (PostgreSQL
   * `for update`; SQLite transactions hold the database write lock from BEGIN IMMEDIATE). Every
   * claim path locks the template row before touching its counters, so what is read here cannot
   * change under the caller.
   */
  async lockForClaim(tenantId: string, id: string): Promise<Template | undefined> {
    const r = (await (this.#dialect.kind === 'postgres' ? templateForUpdate : templateForClaim)(this.#db, { tenantId, id })).rows[0];
    return r && toTemplate(r);
  }

  /** Current per-user counts of a subject for some users (absent users have 0). */
  async userCounts(table: ClaimCountTable, tenantId: string, subjectId: string, userIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < userIds.length; i += 500) {
      const rows = await this.#db
        .selectFrom(table)
        .select(['user_id', 'count'])
        .where('tenant_id', '=', tenantId)
        .where('subject_id', '=', subjectId)
        .where('user_id', 'in', userIds.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.user_id, r.count);
    }
    return out;
  }

  /** Forgets every per-user count of a subject (before rebuilding them). */
  async clearUserCounts(table: ClaimCountTable, tenantId: string, subjectId: string): Promise<void> {
    await this.#db.deleteFrom(table).where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).execute();
  }

  /** Writes absolute per-user counts in multi-row upserts (callers hold the subject's lock). */
  async writeUserCounts(table: ClaimCountTable, tenantId: string, subjectId: string, counts: ReadonlyMap<string, number>): Promise<void> {
    const rows = [...counts].map(([userId, count]) => ({ tenant_id: tenantId, subject_id: subjectId, user_id: userId, count }));
    await insertRows(this.#db, table, rows, {
      tailKey: 'set-count',
      tail: (qb) => qb.onConflict((oc) => oc.columns(['tenant_id', 'subject_id', 'user_id'] as never).doUpdateSet(((eb: { ref: (r: string) => unknown }) => ({ count: eb.ref('excluded.count') })) as never)) as never,
    });
  }

  /**
   * Raises per-user counts to at least the given ones, never lowering any (imports: a claim
   * committing beside the import keeps its count).
   */
  async raiseUserCounts(table: ClaimCountTable, tenantId: string, subjectId: string, counts: ReadonlyMap<string, number>): Promise<void> {
    const rows = [...counts].map(([userId, count]) => ({ tenant_id: tenantId, subject_id: subjectId, user_id: userId, count }));
    for (let i = 0; i < rows.length; i += 500) {
      await this.#db
        .insertInto(table)
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'subject_id', 'user_id']).doUpdateSet((eb) => ({
            count: eb.case().when(eb.ref(`${table}.count`), '<', eb.ref('excluded.count')).then(eb.ref('excluded.count')).else(eb.ref(`${table}.count`)).end(),
          })),
        )
        .execute();
    }
  }

  /** Inserts; false when a template with the id exists. A code clash throws. */
  async insert(t: Template, extra: Record<string, unknown> = {}): Promise<boolean> {
    const r = await this.#db
      .insertInto('templates')
      .values(toRow(t, extra))
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(tenantId: string, id: string): Promise<Template | undefined> {
    const r = (await templateById(this.#db, { tenantId, id })).rows[0];
    return r && toTemplate(r);
  }

  async getMany(tenantId: string, ids: readonly string[]): Promise<Template[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.selectFrom('templates').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', [...ids]).execute();
    return rows.map(toTemplate);
  }

  async byNumber(tenantId: string, number: number): Promise<Template | undefined> {
    const r = await this.#db.selectFrom('templates').selectAll().where('tenant_id', '=', tenantId).where('number', '=', number).executeTakeFirst();
    return r && toTemplate(r);
  }

  async codeTaken(tenantId: string, code: string): Promise<boolean> {
    const r = await this.#db.selectFrom('templates').select('id').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
    return r !== undefined;
  }

  /** Dialect-owned extras stored beside the template. */
  async getExtra(tenantId: string, id: string): Promise<Record<string, unknown> | undefined> {
    const r = await this.#db.selectFrom('templates').select('extra').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && parseJson<Record<string, unknown>>(r.extra, {});
  }

  async setExtra(tenantId: string, id: string, extra: Record<string, unknown>): Promise<void> {
    await this.#db.updateTable('templates').set({ extra: toJson(extra) }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async list(tenantId: string, filter: TemplateFilter, limit: number, offset: number): Promise<{ items: Template[]; total: number }> {
    let q = this.#db.selectFrom('templates').where('tenant_id', '=', tenantId);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.themeId) q = q.where('theme_id', '=', filter.themeId);
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('code', '=', filter.q as string), eb('name', 'like', sql<string>`${like} escape '\\'`)]));
    }
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('sort').orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return { items: rows.map(toTemplate), total: Number(total.n) };
  }

  /** Writes the merchant-editable fields, the derived window and the status. */
  async update(t: Template): Promise<void> {
    const row = toRow(t, {});
    await this.#db
      .updateTable('templates')
      .set({
        name: row.name,
        kind: row.kind,
        amount: row.amount,
        discount: row.discount,
        theme_id: row.theme_id,
        sort: row.sort,
        rule: row.rule,
        stock: row.stock,
        per_user_limit: row.per_user_limit,
        claim_from: row.claim_from,
        claim_to: row.claim_to,
        valid_from_ms: row.valid_from_ms,
        valid_to_ms: row.valid_to_ms,
        claim_from_ms: row.claim_from_ms,
        claim_to_ms: row.claim_to_ms,
        display: row.display,
        status: row.status,
        updated_at: row.updated_at,
      })
      .where('tenant_id', '=', t.tenantId)
      .where('id', '=', t.id)
      .execute();
  }

  /**
   * Takes `k` from the stock if that many remain: one conditional write, never read-then-write.
   * False when the stock cannot cover it.
   */
  async takeStock(tenantId: string, id: string, k: number): Promise<boolean> {
    const r = await takeStock(this.#db, { tenantId, id, k });
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** Sets the claimed counter (imports: it counts the coupons the data set holds). */
  async setClaimed(tenantId: string, id: string, claimed: number): Promise<void> {
    await this.#db.updateTable('templates').set({ claimed }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /**
   * Counts one more claim of `subject` (a template or a package) by a user, if the user is below
   * `limit`: an upsert whose update only happens under the limit. False when the limit is reached.
   */
  async bumpUserCount(table: 'template_claims' | 'package_claims', tenantId: string, subjectId: string, userId: string, limit: number, k = 1): Promise<boolean> {
    if (k > limit) return false;
    const r = await this.#db
      .insertInto(table)
      .values({ tenant_id: tenantId, subject_id: subjectId, user_id: userId, count: k })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'subject_id', 'user_id'])
          .doUpdateSet((eb) => ({ count: eb(eb.ref(`${table}.count`), '+', k) }))
          .where(eb => eb(eb(eb.ref(`${table}.count`), '+', k), '<=', limit)),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async userCount(table: 'template_claims' | 'package_claims', tenantId: string, subjectId: string, userId: string): Promise<number> {
    const r = await this.#db.selectFrom(table).select('count').where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).where('user_id', '=', userId).executeTakeFirst();
    return r?.count ?? 0;
  }

  /** Ids of the tenants that have a template with this id. */
  async tenantsWithId(templateId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('templates').select('tenant_id').where('id', '=', templateId).execute();
    return rows.map((r) => r.tenant_id);
  }

  async listAll(tenantId: string): Promise<Template[]> {
    const rows = await this.#db.selectFrom('templates').selectAll().where('tenant_id', '=', tenantId).orderBy('number').execute();
    return rows.map(toTemplate);
  }
}
