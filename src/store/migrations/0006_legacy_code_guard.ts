import { sql, type Kysely } from 'kysely';
import { CodePermutation, isDrawnForm } from '../../domain/coupon-codes.ts';
import { isPostgres } from './dialect.ts';

/**
 * After 0005 a process of an older version that was still running (a rolling upgrade) went on
 * writing coupons with a random 12-digit code and no `code_seq`: such a coupon is not found by its
 * code (12-digit codes are looked up by their sequence number), and the counter would one day draw
 * the same code for another coupon (the two forms sit in different unique indexes). From this
 * migration on the database refuses a 12-digit code without its number (a trigger whose WHEN
 * clause is false for every row this version writes): an old process's claim fails loudly instead
 * of storing a code that clashes. Then every such coupon already stored gets its number — unless
 * a drawn coupon holds that number already (the same code twice): that one is left as it is and
 * named in a warning.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // The guard first: an old process writing while the numbers are given (SQLite runs migrations
  // outside a transaction) is refused instead of slipping in behind the scan.
  if (pg) {
    await sql`
      create or replace function coupons_refuse_unnumbered_code() returns trigger language plpgsql as $$
      begin
        raise exception 'coupon code % has no sequence number (code_seq): it was written by a couponhub older than migration 0006; stop processes of older versions', new.code
          using errcode = 'check_violation';
      end $$`.execute(db);
    await sql`create trigger coupons_unnumbered_code before insert or update of code, code_seq on coupons for each row
      when (new.code_seq is null and new.code ~ '^[0-9]{12}$') execute function coupons_refuse_unnumbered_code()`.execute(db);
  } else {
    const refuse = sql`select raise(abort, 'a 12-digit coupon code has no sequence number (code_seq): it was written by a couponhub older than migration 0006; stop processes of older versions')`;
    // length() and glob stop at a NUL: a code holding one is of another form, as in isDrawnForm.
    const when = sql`new.code_seq is null and length(new.code) = 12 and new.code not glob '*[^0-9]*' and instr(new.code, char(0)) = 0`;
    // "if not exists": SQLite runs this outside a transaction, so a crash between the two leaves one.
    await sql`create trigger if not exists coupons_unnumbered_code_insert before insert on coupons when ${when} begin ${refuse}; end`.execute(db);
    await sql`create trigger if not exists coupons_unnumbered_code_update before update of code, code_seq on coupons when ${when} begin ${refuse}; end`.execute(db);
  }
  const key = await sql<{ key: string }>`select key from coupon_code_key where id = 1`.execute(db);
  await adoptLegacyCodes(db, new CodePermutation((key.rows[0] as { key: string }).key));
}

const PAGE = 2000;

/**
 * Coupons with a 12-digit code and no sequence number, tenant by tenant through the index of
 * codes of other forms, a page at a time. The range holds every 12-digit string in any collation
 * (digit strings of one length sort digit by digit); what else falls in it is skipped here.
 */
async function adoptLegacyCodes(db: Kysely<unknown>, codes: CodePermutation): Promise<void> {
  const tenants = await sql<{ id: string }>`select id from tenants order by id`.execute(db);
  for (const { id: tenantId } of tenants.rows) {
    let after = '';
    for (;;) {
      const page = await sql<{ id: string; code: string }>`
        select id, code from coupons
        where tenant_id = ${tenantId} and code_seq is null and code > ${after} and code between '000000000000' and '999999999999'
        order by code limit ${PAGE}`.execute(db);
      const rows = page.rows;
      if (rows.length === 0) break;
      after = (rows[rows.length - 1] as { code: string }).code;
      for (const r of rows) {
        if (!isDrawnForm(r.code)) continue;
        const seq = codes.seq(r.code);
        // A number a drawn coupon holds already stays with it (the unique index would refuse it).
        const done = await sql`update coupons set code_seq = ${seq}
          where tenant_id = ${tenantId} and id = ${r.id} and code_seq is null
            and not exists (select 1 from coupons d where d.tenant_id = ${tenantId} and d.code_seq = ${seq})`.execute(db);
        if (Number(done.numAffectedRows ?? 0) === 0) {
          console.warn(`migration 0006: coupon ${r.id} of tenant ${tenantId} keeps code ${r.code} without its number: a coupon drawn later holds that number (the same code); give one of them a new code`);
        }
      }
    }
  }
}
