/**
 * Migrations run on a database that already holds data: 0005 (coupons found by the sequence
 * number of their code) on a database left at 0004, on SQLite (which rebuilds the coupons table)
 * and on PostgreSQL when COUPONHUB_DATABASE_URL says so; 0006 on a database at 0005 holding
 * coupons an older version wrote after 0005 (12-digit codes without their number); 0010 (the
 * sweeper's index holds live coupons only); a run of migrations failing part-way (all or nothing).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import type { Coupon } from '../../src/domain/coupon.ts';
import { CodePermutation } from '../../src/domain/coupon-codes.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { dueForExpiryQuery } from '../../src/store/queries/coupons.ts';
import { openPostgres } from '../../src/store/postgres/connect.ts';
import type { Database } from '../../src/store/schema.ts';
import { openSqlite } from '../../src/store/sqlite/connect.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { DATABASE_URL, ON_POSTGRES, pgAdmin } from '../support/store.ts';

let dir = '';
let schema = '';
let url = '';
const schemas: string[] = [];

/** A new empty database (a schema on PostgreSQL, a file on SQLite) for one test. */
async function freshDatabase(): Promise<void> {
  if (ON_POSTGRES) {
    schema = `t_${randomBytes(6).toString('hex')}`;
    url = DATABASE_URL;
    schemas.push(schema);
    await pgAdmin(`create schema ${schema}`);
  } else {
    url = join(dir, `old-${randomBytes(4).toString('hex')}.db`);
  }
}

before(() => {
  if (!ON_POSTGRES) dir = mkdtempSync(join(tmpdir(), 'couponhub-migrations-'));
});
after(async () => {
  for (const s of schemas) await pgAdmin(`drop schema ${s} cascade`);
  if (!ON_POSTGRES) rmSync(dir, { recursive: true, force: true });
});

/** A Kysely on the database alone (no store around it), to bring it to an older migration. */
function openRaw(): Kysely<Database> {
  return ON_POSTGRES ? openPostgres({ url, poolSize: 1, schema }).db : openSqlite({ path: url, synchronous: 'NORMAL', lockWaitMs: 5000 }).db;
}

function openNew(): Store {
  return openStore({ url, poolSize: 2, ...(ON_POSTGRES ? { pgSchema: schema } : { writerThread: false, checkpoints: false }) });
}

const T = 'tn1';
const OTHER = 'tn2';
/** Codes as coupons held before 0005: drawn ones (12 digits, two tenants sharing one) and imported ones. */
const OLD = [
  { tenant: T, id: 'c1', code: '123456789012' },
  { tenant: T, id: 'c2', code: '000000000007' },
  { tenant: T, id: 'c3', code: 'IMPORTED-1' },
  { tenant: T, id: 'c4', code: '12345' },
  { tenant: T, id: 'c5', code: '12345678901a' },
  { tenant: OTHER, id: 'c1', code: '123456789012' },
];

async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(ON_POSTGRES ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}

/** Every migration from `first` on, in order: what a database left before `first` runs. */
async function migrationsFrom(first: string): Promise<string[]> {
  const names = Object.keys(await migrationProvider.getMigrations()).sort();
  return names.slice(names.indexOf(first));
}

async function seedAt0004(db: Kysely<Database>): Promise<void> {
  await migrateTo(db, '0004_coupon_set_versions');
  for (const tenant of [T, OTHER]) {
    await sql`insert into tenants (id, name, timezone, service_phone, created_at, updated_at) values (${tenant}, ${tenant}, 'Asia/Shanghai', '400', 1, 1)`.execute(db);
    await sql`insert into templates (tenant_id, id, code, number, name, kind, sort, rule, display, extra, status, created_at, updated_at)
      values (${tenant}, 'tpl', 'TPL', 1, 'old template', 'cash', 0, '{}', '{}', '{}', 'published', 1, 1)`.execute(db);
  }
  for (const c of OLD) {
    await sql`insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, status, valid_from, valid_to, issued_at, updated_at)
      values (${c.tenant}, ${c.id}, ${c.code}, 'tpl', 'user', 'u1', 'usable', 0, 9000000000000, 1, 1)`.execute(db);
  }
}

async function objectNames(): Promise<{ indexes: string[]; triggers: string[] }> {
  const db = openRaw();
  try {
    if (ON_POSTGRES) {
      const i = await sql<{ n: string }>`select indexname as n from pg_indexes where schemaname = current_schema() and tablename = 'coupons' order by 1`.execute(db);
      const t = await sql<{ n: string }>`select distinct trigger_name as n from information_schema.triggers where trigger_schema = current_schema() and event_object_table = 'coupons' order by 1`.execute(db);
      return { indexes: i.rows.map((r) => r.n), triggers: t.rows.map((r) => r.n) };
    }
    const i = await sql<{ n: string }>`select name as n from sqlite_master where tbl_name = 'coupons' and type = 'index' and sql is not null order by 1`.execute(db);
    const t = await sql<{ n: string }>`select name as n from sqlite_master where tbl_name = 'coupons' and type = 'trigger' order by 1`.execute(db);
    return { indexes: i.rows.map((r) => r.n), triggers: t.rows.map((r) => r.n) };
  } finally {
    await db.destroy();
  }
}

function coupon(tenantId: string, id: string, code: string): Coupon {
  return { tenantId, id, code, templateId: 'tpl', ownerType: 'user', ownerId: 'u2', senderId: null, chatId: null, packageId: null, status: 'usable', validFrom: 0, validTo: 9e12, issuedAt: 2, updatedAt: 2 };
}

describe(`migrations (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('migrations › 0005 on a database holding coupons: every coupon found by its code, codes still unique per tenant, indexes and triggers kept', async () => {
    await freshDatabase();
    const raw = openRaw();
    try {
      await seedAt0004(raw);
    } finally {
      await raw.destroy();
    }

    const store = openNew();
    try {
      assert.deepEqual(await store.migrate(), await migrationsFrom('0005_coupon_code_seq'));
      for (const c of OLD) {
        const found = await store.q.coupons.byCode(c.tenant, c.code);
        assert.equal(found?.id, c.id, `${c.tenant} ${c.code}`);
        assert.equal(found?.code, c.code);
      }
      assert.equal((await store.q.coupons.list(T, { code: '123456789012' }, 3, 10, null)).length, 1);
      assert.equal((await store.q.coupons.list(T, { code: 'IMPORTED-1' }, 3, 10, null)).length, 1);
      assert.equal((await store.q.coupons.list(T, {}, 3, 10, null)).length, 5);

      // An old code cannot be stored again in its tenant, in either form; new codes can.
      for (const code of ['123456789012', 'IMPORTED-1']) {
        await assert.rejects(store.transaction((q) => q.coupons.insertKept([coupon(T, `dup-${code}`, code)]).then(() => {})), `${code} refused again`);
      }
      await store.transaction(async (q) => {
        const [drawn] = await q.coupons.drawCodes(1);
        await q.coupons.insertNew([coupon(T, 'new1', drawn as string)]);
      });
      assert.equal((await store.q.coupons.list(T, {}, 3, 10, null)).length, 6);

      assert.deepEqual(await store.migrate(), []);
    } finally {
      await store.close();
    }

    const { indexes, triggers } = await objectNames();
      for (const name of ['coupons_owner', 'coupons_chat', 'coupons_template', 'coupons_issued', 'coupons_expiry', 'coupons_code', 'coupons_code_seq']) {
        assert.ok(indexes.includes(name), `index ${name} in ${indexes.join(', ')}`);
      }
      for (const name of ['coupon_sets_insert', 'coupon_sets_update', 'coupon_sets_delete']) {
        assert.ok(triggers.includes(name), `trigger ${name} in ${triggers.join(', ')}`);
      }
  });

  it('migrations › a start whose migrations fail part-way changes nothing: the database stays at its last migration, and the next start applies them all', async () => {
    await freshDatabase();
    // Something in 0005's way, met after it has made its first tables: the table SQLite's
    // rebuild of coupons goes through, the sequence PostgreSQL's codes are drawn from.
    const obstacle = ON_POSTGRES ? 'sequence coupon_code_blocks' : 'table coupons_next';
    const raw = openRaw();
    try {
      await seedAt0004(raw);
      await sql.raw(`create ${obstacle}${ON_POSTGRES ? '' : ' (x integer)'}`).execute(raw);
    } finally {
      await raw.destroy();
    }
    const state = async () => {
      const db = openRaw();
      try {
        const applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
        const key = ON_POSTGRES
          ? (await sql<{ r: string | null }>`select to_regclass('coupon_code_key')::text as r`.execute(db)).rows[0]?.r ?? null
          : ((await sql<{ name: string }>`select name from sqlite_master where name = 'coupon_code_key'`.execute(db)).rows[0]?.name ?? null);
        const coupons = (await sql<{ code: string }>`select code from coupons order by tenant_id, id`.execute(db)).rows.map((r) => r.code);
        return { last: applied.at(-1), key, coupons };
      } finally {
        await db.destroy();
      }
    };
    const before = await state();
    assert.equal(before.last, '0004_coupon_set_versions');

    const failing = openNew();
    try {
      await assert.rejects(failing.migrate(), ON_POSTGRES ? /coupon_code_blocks/ : /coupons_next/);
    } finally {
      await failing.close();
    }
    // Nothing of 0005 is left (its key table made before the failure included), nothing is lost.
    assert.deepEqual(await state(), before);

    const db = openRaw();
    try {
      await sql.raw(`drop ${obstacle}`).execute(db);
    } finally {
      await db.destroy();
    }
    const store = openNew();
    try {
      assert.deepEqual(await store.migrate(), await migrationsFrom('0005_coupon_code_seq'));
      for (const c of OLD) assert.equal((await store.q.coupons.byCode(c.tenant, c.code))?.id, c.id, `${c.tenant} ${c.code}`);
    } finally {
      await store.close();
    }
  });

  it('migrations › 0006: coupons an older version wrote after 0005 get their numbers (found by code, never drawn again); a 12-digit code without its number is refused from then on', async () => {
    await freshDatabase();
    const raw = openRaw();
    let taken = '';
    let next = '';
    try {
      await seedAt0004(raw);
      await migrateTo(raw, '0005_coupon_code_seq');
      const key = (await sql<{ key: string }>`select key from coupon_code_key where id = 1`.execute(raw)).rows[0]?.key as string;
      const codes = new CodePermutation(key);
      // A drawn coupon holding number 1, then what an old process wrote: codes without a number,
      // one of them the code of number 1 (a clash already made), one that a later draw would make.
      taken = codes.code(1);
      const insert = (id: string, code: string, seq: number | null) =>
        sql`insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, status, valid_from, valid_to, issued_at, updated_at, code_seq)
          values (${T}, ${id}, ${code}, 'tpl', 'user', 'u1', 'usable', 0, 9000000000000, 1, 1, ${seq})`.execute(raw);
      await insert('drawn1', taken, 1);
      await insert('legacy1', '555555555555', null);
      await insert('legacy-clash', taken, null);
      // Each of the two coupons with that code was redeemed once (redemptions keep the code).
      for (const [id, couponId, at] of [['r-drawn', 'drawn1', 10], ['r-legacy', 'legacy-clash', 20]] as const) {
        await sql`insert into redemptions (tenant_id, id, coupon_id, code, order_id, order_amount, discount_amount, status, created_at, reversed_at)
          values (${T}, ${id}, ${couponId}, ${taken}, ${`order-${id}`}, 100, 10, 'active', ${at}, null)`.execute(raw);
      }
      next = codes.code(0); // the first number the counter (or PostgreSQL's first block) hands out
      await insert('legacy-next', next, null);
    } finally {
      await raw.destroy();
    }

    const store = openNew();
    try {
      const warn = mock.method(console, 'warn', () => {});
      try {
        assert.deepEqual(await store.migrate(), await migrationsFrom('0006_legacy_code_guard'));
      } finally {
        warn.mock.restore();
      }
      // The coupon whose number a drawn one holds is named, for someone to give it a new code.
      assert.deepEqual(warn.mock.calls.map((c) => String(c.arguments[0]).includes('legacy-clash')), [true]);
      assert.equal((await store.q.coupons.byCode(T, '555555555555'))?.id, 'legacy1');
      // The number was the drawn coupon's: that one keeps being the coupon of the code.
      assert.equal((await store.q.coupons.byCode(T, taken))?.id, 'drawn1');
      // Looking redemptions up by the code still finds both coupons' (until one is given a new code).
      assert.deepEqual((await store.q.redemptions.list(T, { code: taken }, 10, 0)).map((r) => r.id), ['r-legacy', 'r-drawn']);
      // The counter's next number is the legacy coupon's now: the draw goes past it.
      assert.equal((await store.q.coupons.byCode(T, next))?.id, 'legacy-next');
      await store.transaction(async (q) => {
        const [drawn] = await q.coupons.drawCodes(1);
        await q.coupons.insertNew([coupon(T, 'new-after', drawn as string)]);
      });
      const fresh = (await store.q.coupons.list(T, {}, 3, 50, null)).find((c) => c.id === 'new-after');
      assert.ok(fresh && fresh.code !== next, 'a new coupon gets a code nobody holds');
      assert.equal((await store.q.coupons.byCode(T, fresh.code))?.id, 'new-after');
    } finally {
      await store.close();
    }

    // What an older process would write now is refused, with the reason.
    const db = openRaw();
    try {
      await assert.rejects(
        sql`insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, status, valid_from, valid_to, issued_at, updated_at)
          values (${T}, 'legacy2', '444444444444', 'tpl', 'user', 'u1', 'usable', 0, 9000000000000, 1, 1)`.execute(db),
        /older than migration 0006/,
      );
      // Nor can a numbered code lose its number.
      await assert.rejects(sql`update coupons set code_seq = null where tenant_id = ${T} and id = 'legacy1'`.execute(db), /older than migration 0006/);
      // Codes of other forms still need no number.
      await sql`insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, status, valid_from, valid_to, issued_at, updated_at)
        values (${T}, 'imported2', 'IMPORTED-2', 'tpl', 'user', 'u1', 'usable', 0, 9000000000000, 1, 1)`.execute(db);
    } finally {
      await db.destroy();
    }
  });

  it('migrations › 0010: coupons_expiry holds the live coupons only (a partial index by end of validity), and the sweeper\'s statement can use it, in a generic plan too', async () => {
    await freshDatabase();
    const raw = openRaw();
    try {
      await seedAt0004(raw);
      await migrateTo(raw, '0009_coupons_by_template_in_order');
      await migrateTo(raw, '0010_live_coupons_expiry');
      const def = ON_POSTGRES
        ? (await sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = current_schema() and indexname = 'coupons_expiry'`.execute(raw)).rows[0]?.d
        : (await sql<{ d: string }>`select sql as d from sqlite_master where name = 'coupons_expiry'`.execute(raw)).rows[0]?.d;
      assert.match(def ?? '', /\(valid_to\)\s+where.*status.*usable.*frozen/i);
      // The sweeper's own statement (CouponQueries.dueForExpiry) as the code compiles it, its
      // parameters unknown to the plan: SQLite plans without values; PostgreSQL is made to plan
      // it generically, as it would a statement prepared once (a bound status would miss the index).
      const due = dueForExpiryQuery(raw, 9_000_000_000_001, 10).compile();
      let plan: string;
      if (ON_POSTGRES) {
        await sql.raw(`prepare sweep_due as ${due.sql}`).execute(raw);
        // Six coupons: left to itself PostgreSQL would read the table; the test asks whether it can use the index at all.
        await sql`set enable_seqscan = off`.execute(raw);
        await sql`set plan_cache_mode = force_generic_plan`.execute(raw);
        plan = (await sql<{ 'QUERY PLAN': string }>`explain execute sweep_due(9000000000001, 10)`.execute(raw)).rows.map((r) => r['QUERY PLAN']).join(' | ');
      } else {
        plan = (await raw.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${due.sql}`, [...due.parameters]))).rows.map((r) => r.detail).join(' | ');
      }
      assert.match(plan, /coupons_expiry/);
      assert.doesNotMatch(plan, /TEMP B-TREE|Sort/);
      await sql`update coupons set status = 'used' where tenant_id = ${T} and id = 'c1'`.execute(raw);
      assert.equal((await dueForExpiryQuery(raw, 9_000_000_000_001, 10).execute()).length, OLD.length - 1, 'a used coupon is not due');
    } finally {
      await raw.destroy();
    }
  });
});
