import type { AliasCodeType, GiftPackage, PackageItem, PackageStatus } from '../../domain/package.ts';
import type { PackagesTable } from '../schema.ts';
import type { Executor, StoreDialect } from './index.ts';
import { parseJson, toJson } from './json.ts';

function toPackage(r: PackagesTable, items: PackageItem[]): GiftPackage {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    code: r.code,
    name: r.name,
    alias: r.alias,
    aliasCodeType: r.alias_code_type as AliasCodeType,
    channelIds: parseJson<string[]>(r.channel_ids, []),
    remark: r.remark,
    url: r.url,
    status: r.status as PackageStatus,
    createdBy: r.created_by,
    operatorId: r.operator_id,
    examinerId: r.examiner_id,
    suggestion: r.suggestion,
    rule: { receiveFrom: r.receive_from, receiveTo: r.receive_to, totalLimit: r.total_limit, perUserLimit: r.per_user_limit },
    receiveFromMs: r.receive_from_ms,
    receiveToMs: r.receive_to_ms,
    claimed: r.claimed,
    items,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(p: GiftPackage): PackagesTable {
  return {
    tenant_id: p.tenantId,
    id: p.id,
    code: p.code,
    name: p.name,
    alias: p.alias,
    alias_code_type: p.aliasCodeType,
    channel_ids: toJson(p.channelIds),
    remark: p.remark,
    url: p.url,
    status: p.status,
    created_by: p.createdBy,
    operator_id: p.operatorId,
    examiner_id: p.examinerId,
    suggestion: p.suggestion,
    receive_from: p.rule.receiveFrom,
    receive_to: p.rule.receiveTo,
    receive_from_ms: p.receiveFromMs,
    receive_to_ms: p.receiveToMs,
    total_limit: p.rule.totalLimit,
    per_user_limit: p.rule.perUserLimit,
    claimed: p.claimed,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** Who received a package, and when (one row per receipt). */
export interface PackageReceipt {
  tenantId: string;
  id: string;
  packageId: string;
  userId: string;
  receiptCode: string;
  createdAt: number;
}

export interface PackageFilter {
  status?: string | undefined;
  q?: string | undefined;
}

export class PackageQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async #items(tenantId: string, packageIds: string[]): Promise<Map<string, PackageItem[]>> {
    const out = new Map<string, PackageItem[]>();
    if (packageIds.length === 0) return out;
    const rows = await this.#db
      .selectFrom('package_items')
      .select(['package_id', 'template_id', 'count'])
      .where('tenant_id', '=', tenantId)
      .where('package_id', 'in', packageIds)
      .orderBy('package_id')
      .orderBy('position')
      .execute();
    for (const r of rows) {
      const list = out.get(r.package_id) ?? [];
      list.push({ templateId: r.template_id, count: r.count });
      out.set(r.package_id, list);
    }
    return out;
  }

  async #writeItems(p: GiftPackage): Promise<void> {
    await this.#db.deleteFrom('package_items').where('tenant_id', '=', p.tenantId).where('package_id', '=', p.id).execute();
    if (p.items.length === 0) return;
    await this.#db
      .insertInto('package_items')
      .values(p.items.map((it, i) => ({ tenant_id: p.tenantId, package_id: p.id, position: i, template_id: it.templateId, count: it.count })))
      .execute();
  }

  /** Inserts with its items; false when the id exists. */
  async insert(p: GiftPackage): Promise<boolean> {
    const r = await this.#db.insertInto('packages').values(toRow(p)).onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await this.#writeItems(p);
    return true;
  }

  async codeTaken(tenantId: string, code: string): Promise<boolean> {
    return (await this.#db.selectFrom('packages').select('id').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst()) !== undefined;
  }

  /** Codes of the given packages by id, in one query (wallet groups name their package). */
  async codes(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db.selectFrom('packages').select(['id', 'code']).where('tenant_id', '=', tenantId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  async get(tenantId: string, id: string): Promise<GiftPackage | undefined> {
    const r = await this.#db.selectFrom('packages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return toPackage(r, (await this.#items(tenantId, [id])).get(id) ?? []);
  }

  /** The package row, locked until the transaction ends on PostgreSQL (SQLite has one writer). */
  async lock(tenantId: string, id: string): Promise<GiftPackage | undefined> {
    let q = this.#db.selectFrom('packages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (this.#dialect.kind === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirst();
    if (!r) return undefined;
    return toPackage(r, (await this.#items(tenantId, [id])).get(id) ?? []);
  }

  async list(tenantId: string, filter: PackageFilter, limit: number, offset: number): Promise<{ items: GiftPackage[]; total: number }> {
    let q = this.#db.selectFrom('packages').where('tenant_id', '=', tenantId);
    if (filter.status) q = q.where('status', '=', filter.status);
    else q = q.where('status', '!=', 'deleted');
    if (filter.q) q = q.where((eb) => eb.or([eb('code', '=', filter.q as string), eb('name', 'like', `%${filter.q}%`)]));
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    const items = await this.#items(tenantId, rows.map((r) => r.id));
    return { items: rows.map((r) => toPackage(r, items.get(r.id) ?? [])), total: Number(total.n) };
  }

  async listAll(tenantId: string): Promise<GiftPackage[]> {
    const rows = await this.#db.selectFrom('packages').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    const items = await this.#items(tenantId, rows.map((r) => r.id));
    return rows.map((r) => toPackage(r, items.get(r.id) ?? []));
  }

  /** Writes content fields and items (while editable). */
  async updateContent(p: GiftPackage): Promise<void> {
    const row = toRow(p);
    await this.#db
      .updateTable('packages')
      .set({
        name: row.name,
        alias: row.alias,
        alias_code_type: row.alias_code_type,
        channel_ids: row.channel_ids,
        remark: row.remark,
        url: row.url,
        receive_from: row.receive_from,
        receive_to: row.receive_to,
        receive_from_ms: row.receive_from_ms,
        receive_to_ms: row.receive_to_ms,
        total_limit: row.total_limit,
        per_user_limit: row.per_user_limit,
        operator_id: row.operator_id,
        updated_at: row.updated_at,
      })
      .where('tenant_id', '=', p.tenantId)
      .where('id', '=', p.id)
      .execute();
    await this.#writeItems(p);
  }

  /** Moves the status only if it is still `from` (a concurrent move wins once). */
  async move(
    tenantId: string,
    id: string,
    from: PackageStatus,
    to: PackageStatus,
    set: { operatorId: string; now: number; examinerId?: string | null; suggestion?: string | null },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('packages')
      .set({
        status: to,
        operator_id: set.operatorId,
        updated_at: set.now,
        ...(set.examinerId !== undefined ? { examiner_id: set.examinerId } : {}),
        ...(set.suggestion !== undefined ? { suggestion: set.suggestion } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Counts one more receipt if the total limit allows it (conditional write). */
  async takeReceipt(tenantId: string, id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('packages')
      .set((eb) => ({ claimed: eb('claimed', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'published')
      .where((eb) => eb.or([eb('total_limit', 'is', null), eb('claimed', '<', eb.ref('total_limit'))]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertReceipt(r: { tenantId: string; id: string; packageId: string; userId: string; receiptCode: string; createdAt: number }): Promise<void> {
    await this.#db
      .insertInto('package_receipts')
      .values({ tenant_id: r.tenantId, id: r.id, package_id: r.packageId, user_id: r.userId, receipt_code: r.receiptCode, created_at: r.createdAt })
      .execute();
  }

  /** Inserts a receipt that brings its own id (imports); false when the id exists. */
  async insertReceiptKept(r: PackageReceipt): Promise<boolean> {
    const res = await this.#db
      .insertInto('package_receipts')
      .values({ tenant_id: r.tenantId, id: r.id, package_id: r.packageId, user_id: r.userId, receipt_code: r.receiptCode, created_at: r.createdAt })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * A page of a tenant's receipts in id order, after `afterId` (export): keyset on the primary key,
   * so each page is an index range however many receipts the tenant has.
   */
  async pageReceiptsForExport(tenantId: string, afterId: string | null, limit: number): Promise<PackageReceipt[]> {
    let q = this.#db.selectFrom('package_receipts').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    const rows = await q.execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, packageId: r.package_id, userId: r.user_id, receiptCode: r.receipt_code, createdAt: r.created_at }));
  }

  /** Receipts of a package per user (imports rebuild per-user counts from them). */
  async receiptCounts(tenantId: string, packageId: string): Promise<Map<string, number>> {
    const rows = await this.#db
      .selectFrom('package_receipts')
      .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('package_id', '=', packageId)
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
  }

  /**
   * Raises the receipt counter to at least `atLeast`, never lowers it: one write, so a claim
   * committing beside an import is never undone.
   */
  async raiseClaimed(tenantId: string, id: string, atLeast: number): Promise<void> {
    await this.#db
      .updateTable('packages')
      .set({ claimed: atLeast })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('claimed', '<', atLeast)
      .execute();
  }

  async setClaimed(tenantId: string, id: string, claimed: number): Promise<void> {
    await this.#db.updateTable('packages').set({ claimed }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
