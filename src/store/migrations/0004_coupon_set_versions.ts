import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

/**
 * Versions of what a chat's answer is made of, so a process caching it can tell with one read
 * whether it is still current — across processes and machines.
 *
 * A version per coupon set that a chat shows (OP v2 getMergeTicketUsersByChatId, the native chat
 * wallet): `chat:<chatId>` for the coupons in a chat, `operator:<operatorId>` for an operator's
 * holdings. Triggers on `coupons` move it forward in the same transaction as every insert, update
 * or delete touching such a coupon, whatever code path (or SQL) writes it. Coupons outside chats
 * and operators (claims, bulk issue) move nothing: on SQLite the triggers' WHEN clause is false,
 * on PostgreSQL the statement's trigger finds no key among its rows.
 *
 * Two tenant-wide keys cover what those coupons are shown with: `templates` moves on any write to
 * a column a chat answer shows (every merchant edit, or plain SQL; claims only move `claimed` and
 * fire nothing), `catalog` on any write to product kinds, channels or themes (their names).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('coupon_set_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('set_key', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('coupon_set_versions_pk', ['tenant_id', 'set_key'])
    .execute();

  if (isPostgres(db)) {
    // Statement-level triggers: one upsert per statement, whatever its row count, bumping the
    // distinct keys it touched in sorted order, so transactions lock version rows in one global
    // order (no deadlock between, say, the expiry sweeper and a coupon sent into a chat).
    // `set search_path from current` pins the table to the schema migrated, whoever writes.
    const touch = (fn: string, rows: string) => sql.raw(`
      create function ${fn}() returns trigger language plpgsql set search_path from current as $$
      begin
        insert into coupon_set_versions (tenant_id, set_key, version)
          select distinct tenant_id, set_key, 1 from (
            select tenant_id, 'chat:' || chat_id as set_key from (${rows}) r where chat_id is not null
            union all
            select tenant_id, 'operator:' || owner_id from (${rows}) r where owner_type = 'operator'
          ) k order by 1, 2
          on conflict (tenant_id, set_key) do update set version = coupon_set_versions.version + 1;
        return null;
      end $$`);
    await touch('coupon_sets_inserted', 'select tenant_id, chat_id, owner_type, owner_id from new_rows').execute(db);
    await touch('coupon_sets_updated', 'select tenant_id, chat_id, owner_type, owner_id from old_rows union all select tenant_id, chat_id, owner_type, owner_id from new_rows').execute(db);
    await touch('coupon_sets_deleted', 'select tenant_id, chat_id, owner_type, owner_id from old_rows').execute(db);
    await sql`create trigger coupon_sets_insert after insert on coupons referencing new table as new_rows for each statement execute function coupon_sets_inserted()`.execute(db);
    await sql`create trigger coupon_sets_update after update on coupons referencing old table as old_rows new table as new_rows for each statement execute function coupon_sets_updated()`.execute(db);
    await sql`create trigger coupon_sets_delete after delete on coupons referencing old table as old_rows for each statement execute function coupon_sets_deleted()`.execute(db);
    await sql`
      create function coupon_sets_touch_tenant() returns trigger language plpgsql set search_path from current as $$
      begin
        insert into coupon_set_versions (tenant_id, set_key, version)
          values (case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end, tg_argv[0], 1)
          on conflict (tenant_id, set_key) do update set version = coupon_set_versions.version + 1;
        return null;
      end $$`.execute(db);
    await sql.raw(`create trigger templates_version after update of ${TEMPLATE_SHOWN} on templates for each row execute function coupon_sets_touch_tenant('templates')`).execute(db);
    for (const table of CATALOG) {
      await sql.raw(`create trigger ${table}_version after insert or update or delete on ${table} for each row execute function coupon_sets_touch_tenant('catalog')`).execute(db);
    }
    return;
  }

  // SQLite: one statement per key; `where` makes each a no-op when its key does not apply.
  const KEYS = {
    chat: (row: string) => ({ key: `'chat:' || ${row}.chat_id`, applies: `${row}.chat_id is not null` }),
    operator: (row: string) => ({ key: `'operator:' || ${row}.owner_id`, applies: `${row}.owner_type = 'operator'` }),
  };
  const bump = (row: 'new' | 'old', kind: keyof typeof KEYS, extra = '') => {
    const { key, applies } = KEYS[kind](row);
    return `insert into coupon_set_versions (tenant_id, set_key, version) select ${row}.tenant_id, ${key}, 1 where ${applies}${extra}
         on conflict (tenant_id, set_key) do update set version = version + 1;`;
  };
  await sql
    .raw(
      `create trigger coupon_sets_insert after insert on coupons
       when new.chat_id is not null or new.owner_type = 'operator'
       begin ${bump('new', 'chat')} ${bump('new', 'operator')} end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger coupon_sets_update after update on coupons
       when old.chat_id is not null or new.chat_id is not null or old.owner_type = 'operator' or new.owner_type = 'operator'
       begin
         ${bump('old', 'chat')} ${bump('old', 'operator')}
         ${bump('new', 'chat', ' and new.chat_id is not old.chat_id')}
         ${bump('new', 'operator', " and not (old.owner_type = 'operator' and old.owner_id = new.owner_id)")}
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger coupon_sets_delete after delete on coupons
       when old.chat_id is not null or old.owner_type = 'operator'
       begin ${bump('old', 'chat')} ${bump('old', 'operator')} end`,
    )
    .execute(db);
  const bumpTenant = (row: 'new' | 'old', key: string) =>
    `insert into coupon_set_versions (tenant_id, set_key, version) values (${row}.tenant_id, '${key}', 1)
     on conflict (tenant_id, set_key) do update set version = version + 1;`;
  await sql
    .raw(`create trigger templates_version after update of ${TEMPLATE_SHOWN} on templates begin ${bumpTenant('new', 'templates')} end`)
    .execute(db);
  for (const table of CATALOG) {
    await sql.raw(`create trigger ${table}_version_insert after insert on ${table} begin ${bumpTenant('new', 'catalog')} end`).execute(db);
    await sql.raw(`create trigger ${table}_version_update after update on ${table} begin ${bumpTenant('new', 'catalog')} end`).execute(db);
    await sql.raw(`create trigger ${table}_version_delete after delete on ${table} begin ${bumpTenant('old', 'catalog')} end`).execute(db);
  }
}

/**
 * The template columns a chat answer shows: writing any of them (even to the same value) moves
 * the `templates` version; claims, which write only `claimed`, do not.
 */
const TEMPLATE_SHOWN = 'code, name, kind, amount, discount, theme_id, sort, rule, valid_from_ms, valid_to_ms, updated_at';

/** The named lists whose names chat answers show. */
const CATALOG = ['product_kinds', 'channels', 'themes'] as const;
