import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { CodePermutation, isDrawnForm } from '../../domain/coupon-codes.ts';
import { isPostgres } from './dialect.ts';

/**
 * Coupons found by the sequence number of their code (src/domain/coupon-codes.ts) instead of by
 * the code itself: `code_seq` = unpermute(code) for every 12-digit code, null for codes of any
 * other form (imported ones), each unique per tenant in its own partial index. The index of drawn
 * codes only grows at its end: a claim batch no longer dirties one page of the code index per
 * coupon. The secret key of the permutation is drawn here, once per database; the counter codes
 * are drawn from is a one-row table on SQLite (written inside the claim's own transaction under
 * the write lock) and a sequence of blocks on PostgreSQL (no lock shared by concurrent claims).
 *
 * SQLite cannot drop the table's unique constraint on (tenant_id, code): the table is rebuilt
 * with the same columns, indexes and triggers. Existing 12-digit codes get their sequence number.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const key = randomBytes(16).toString('hex');
  await db.schema
    .createTable('coupon_code_key')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into coupon_code_key (id, key) values (1, ${key})`.execute(db);
  if (pg) {
    await sql`create sequence coupon_code_blocks as bigint minvalue 0 start with 0`.execute(db);
  } else {
    await db.schema
      .createTable('coupon_code_counter')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('next', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into coupon_code_counter (id, next) values (1, 0)`.execute(db);
  }

  if (pg) {
    await sql`alter table coupons add column code_seq bigint`.execute(db);
    await sql`alter table coupons drop constraint coupons_code`.execute(db);
  } else {
    await rebuildCouponsWithoutCodeConstraint(db);
  }
  await backfill(db, new CodePermutation(key), pg);
  await sql`create unique index coupons_code on coupons (tenant_id, code) where code_seq is null`.execute(db);
  await sql`create unique index coupons_code_seq on coupons (tenant_id, code_seq) where code_seq is not null`.execute(db);
}

const COLUMNS = ['tenant_id', 'id', 'code', 'template_id', 'owner_type', 'owner_id', 'sender_id', 'chat_id', 'package_id', 'status', 'valid_from', 'valid_to', 'issued_at', 'updated_at'];

/** The table as 0001 made it, plus code_seq, minus the unique constraint; its indexes and triggers as they were. */
async function rebuildCouponsWithoutCodeConstraint(db: Kysely<unknown>): Promise<void> {
  const kept = await sql<{ sql: string }>`select sql from sqlite_master where tbl_name = 'coupons' and type in ('index', 'trigger') and sql is not null order by type, name`.execute(db);
  await db.schema
    .createTable('coupons_next')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('package_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('code_seq', 'bigint')
    .addPrimaryKeyConstraint('coupons_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('coupons_template', ['tenant_id', 'template_id'], 'templates', ['tenant_id', 'id'])
    .execute();
  const cols = sql.raw(COLUMNS.join(', '));
  await sql`insert into coupons_next (${cols}) select ${cols} from coupons order by rowid`.execute(db);
  // Its indexes and triggers go with it (nothing references coupons by a foreign key).
  await sql`drop table coupons`.execute(db);
  await sql`alter table coupons_next rename to coupons`.execute(db);
  for (const { sql: ddl } of kept.rows) await sql.raw(ddl).execute(db);
}

const PAGE = 2000;

/** code_seq of every existing 12-digit code, a page at a time in key order. */
async function backfill(db: Kysely<unknown>, codes: CodePermutation, pg: boolean): Promise<void> {
  let after: { tenant_id: string; id: string } | null = null;
  for (;;) {
    const page: { rows: Array<{ tenant_id: string; id: string; code: string }> } = await sql<{ tenant_id: string; id: string; code: string }>`
      select tenant_id, id, code from coupons
      where length(code) = 12 ${after ? sql`and (tenant_id, id) > (${after.tenant_id}, ${after.id})` : sql``}
      order by tenant_id, id limit ${PAGE}`.execute(db);
    const rows = page.rows;
    if (rows.length === 0) return;
    after = rows[rows.length - 1] as { tenant_id: string; id: string };
    const drawn = rows.filter((r) => isDrawnForm(r.code));
    if (drawn.length === 0) continue;
    const values = sql.join(drawn.map((r) => sql`(${r.tenant_id}, ${r.id}, ${codes.seq(r.code)})`));
    if (pg) await sql`update coupons c set code_seq = v.s::bigint from (values ${values}) as v(t, i, s) where c.tenant_id = v.t and c.id = v.i`.execute(db);
    else await sql`update coupons set code_seq = v.column3 from (values ${values}) as v where coupons.tenant_id = v.column1 and coupons.id = v.column2`.execute(db);
  }
}
