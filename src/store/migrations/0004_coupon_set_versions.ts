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
 * and operators (claims, bulk issue) skip the triggers' bodies: their WHEN clause is false.
 *
 * Two tenant-wide keys cover what those coupons are shown with: `templates` moves whenever a
 * template's `updated_at` does (every merchant edit; claims only move `claimed` and fire
 * nothing), `catalog` on any write to product kinds, channels or themes (their names).
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
    // Keys are bumped in sorted order, so two transactions touching the same sets lock them alike.
    await sql`
      create function coupon_sets_touch() returns trigger language plpgsql as $$
      declare
        tid text;
        keys text[] := '{}';
      begin
        if tg_op <> 'INSERT' then
          tid := old.tenant_id;
          if old.chat_id is not null then keys := keys || ('chat:' || old.chat_id); end if;
          if old.owner_type = 'operator' then keys := keys || ('operator:' || old.owner_id); end if;
        end if;
        if tg_op <> 'DELETE' then
          tid := new.tenant_id;
          if new.chat_id is not null then keys := keys || ('chat:' || new.chat_id); end if;
          if new.owner_type = 'operator' then keys := keys || ('operator:' || new.owner_id); end if;
        end if;
        insert into coupon_set_versions (tenant_id, set_key, version)
          select distinct tid, k, 1 from unnest(keys) as k order by 2
          on conflict (tenant_id, set_key) do update set version = coupon_set_versions.version + 1;
        return null;
      end $$`.execute(db);
    await sql`create trigger coupon_sets_insert after insert on coupons for each row
      when (new.chat_id is not null or new.owner_type = 'operator') execute function coupon_sets_touch()`.execute(db);
    await sql`create trigger coupon_sets_update after update on coupons for each row
      when (old.chat_id is not null or new.chat_id is not null or old.owner_type = 'operator' or new.owner_type = 'operator') execute function coupon_sets_touch()`.execute(db);
    await sql`create trigger coupon_sets_delete after delete on coupons for each row
      when (old.chat_id is not null or old.owner_type = 'operator') execute function coupon_sets_touch()`.execute(db);
    await sql`
      create function coupon_sets_touch_tenant() returns trigger language plpgsql as $$
      begin
        insert into coupon_set_versions (tenant_id, set_key, version)
          values (case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end, tg_argv[0], 1)
          on conflict (tenant_id, set_key) do update set version = coupon_set_versions.version + 1;
        return null;
      end $$`.execute(db);
    await sql`create trigger templates_version after update of updated_at on templates for each row
      when (old.updated_at is distinct from new.updated_at) execute function coupon_sets_touch_tenant('templates')`.execute(db);
    for (const table of CATALOG) {
      await sql.raw(`create trigger ${table}_version after insert or update or delete on ${table} for each row execute function coupon_sets_touch_tenant('catalog')`).execute(db);
    }
    return;
  }

  // SQLite: one statement per key; `where` makes each a no-op when its key does not apply.
  const bump = (row: 'new' | 'old', kind: 'chat' | 'operator', extra = '') =>
    kind === 'chat'
      ? `insert into coupon_set_versions (tenant_id, set_key, version) select ${row}.tenant_id, 'chat:' || ${row}.chat_id, 1 where ${row}.chat_id is not null${extra}
         on conflict (tenant_id, set_key) do update set version = version + 1;`
      : `insert into coupon_set_versions (tenant_id, set_key, version) select ${row}.tenant_id, 'operator:' || ${row}.owner_id, 1 where ${row}.owner_type = 'operator'${extra}
         on conflict (tenant_id, set_key) do update set version = version + 1;`;
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
    .raw(`create trigger templates_version after update of updated_at on templates when old.updated_at is not new.updated_at begin ${bumpTenant('new', 'templates')} end`)
    .execute(db);
  for (const table of CATALOG) {
    await sql.raw(`create trigger ${table}_version_insert after insert on ${table} begin ${bumpTenant('new', 'catalog')} end`).execute(db);
    await sql.raw(`create trigger ${table}_version_update after update on ${table} begin ${bumpTenant('new', 'catalog')} end`).execute(db);
    await sql.raw(`create trigger ${table}_version_delete after delete on ${table} begin ${bumpTenant('old', 'catalog')} end`).execute(db);
  }
}

/** The named lists whose names chat answers show. */
const CATALOG = ['product_kinds', 'channels', 'themes'] as const;
