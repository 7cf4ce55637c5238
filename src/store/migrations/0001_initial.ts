import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

/** The engine's tables: tenants and catalog, templates, packages, coupons, redemptions, events. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const named = async (table: string) => {
    await db.schema
      .createTable(table)
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'id'])
      .execute();
  };
  const counts = async (table: string) => {
    await db.schema
      .createTable(table)
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'subject_id', 'user_id'])
      .execute();
  };

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('service_phone', 'text', (c) => c.notNull())
    .addColumn('template_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('key_hash', 'text')
    .addColumn('key_hint', 'text')
    .addColumn('public_id', 'text')
    .addColumn('secret', 'text')
    .addColumn('grant_code', 'text')
    .addColumn('channel', 'text')
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('credentials_key_hash').unique().on('credentials').column('key_hash').execute();
  // A partner id (OP client, CRM channel, V3 openId) names one live credential; rotation revokes
  // the old row and adds one under the same id.
  await db.schema
    .createIndex('credentials_public_id')
    .unique()
    .on('credentials')
    .columns(['kind', 'public_id'])
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
  await db.schema.createIndex('credentials_tenant').on('credentials').column('tenant_id').execute();

  for (const t of ['product_kinds', 'channels', 'themes', 'operators']) await named(t);

  await db.schema
    .createTable('users')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createTable('user_platform_ids')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('platform_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_platform_ids_pk', ['tenant_id', 'platform_id'])
    .addForeignKeyConstraint('user_platform_ids_user', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('user_platform_ids_user').on('user_platform_ids').columns(['tenant_id', 'user_id']).execute();

  await db.schema
    .createTable('chats')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chats_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('chats_user', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'])
    .addForeignKeyConstraint('chats_operator', ['tenant_id', 'operator_id'], 'operators', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('templates')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint')
    .addColumn('discount', pg ? 'double precision' : 'real')
    .addColumn('theme_id', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('stock', 'integer')
    .addColumn('per_user_limit', 'integer')
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim_from', 'text')
    .addColumn('claim_to', 'text')
    .addColumn('valid_from_ms', 'bigint')
    .addColumn('valid_to_ms', 'bigint')
    .addColumn('claim_from_ms', 'bigint')
    .addColumn('claim_to_ms', 'bigint')
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('templates_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('templates_code', ['tenant_id', 'code'])
    .addUniqueConstraint('templates_number', ['tenant_id', 'number'])
    .execute();
  await counts('template_claims');

  await db.schema
    .createTable('packages')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('alias_code_type', 'text', (c) => c.notNull())
    .addColumn('channel_ids', 'text', (c) => c.notNull())
    .addColumn('remark', 'text')
    .addColumn('url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('examiner_id', 'text')
    .addColumn('suggestion', 'text')
    .addColumn('receive_from', 'text')
    .addColumn('receive_to', 'text')
    .addColumn('receive_from_ms', 'bigint')
    .addColumn('receive_to_ms', 'bigint')
    .addColumn('total_limit', 'integer')
    .addColumn('per_user_limit', 'integer')
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('packages_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('packages_code', ['tenant_id', 'code'])
    .execute();
  await db.schema
    .createTable('package_items')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('package_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_items_pk', ['tenant_id', 'package_id', 'position'])
    .addForeignKeyConstraint('package_items_package', ['tenant_id', 'package_id'], 'packages', ['tenant_id', 'id'])
    .addForeignKeyConstraint('package_items_template', ['tenant_id', 'template_id'], 'templates', ['tenant_id', 'id'])
    .execute();
  await counts('package_claims');
  await db.schema
    .createTable('package_receipts')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('package_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('receipt_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_receipts_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('coupons')
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
    .addPrimaryKeyConstraint('coupons_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('coupons_code', ['tenant_id', 'code'])
    .addForeignKeyConstraint('coupons_template', ['tenant_id', 'template_id'], 'templates', ['tenant_id', 'id'])
    .execute();
  // Wallets list an owner's coupons newest first: the index hands them over in that order, so no
  // planner (with or without statistics) prefers walking the whole tenant by issue time.
  await db.schema.createIndex('coupons_owner').on('coupons').columns(['tenant_id', 'owner_type', 'owner_id', 'issued_at', 'id']).execute();
  // Most coupons are claimed outside any chat: index only those in one.
  await db.schema.createIndex('coupons_chat').on('coupons').columns(['tenant_id', 'chat_id', 'issued_at', 'id']).where(sql.ref('chat_id'), 'is not', null).execute();
  await db.schema.createIndex('coupons_template').on('coupons').columns(['tenant_id', 'template_id', 'status']).execute();
  await db.schema.createIndex('coupons_issued').on('coupons').columns(['tenant_id', 'issued_at']).execute();
  // The expiry sweeper walks live coupons by end of validity.
  await db.schema.createIndex('coupons_expiry').on('coupons').columns(['status', 'valid_to']).execute();

  await db.schema
    .createTable('redemptions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('coupon_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('order_amount', 'bigint', (c) => c.notNull())
    .addColumn('discount_amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('reversed_at', 'bigint')
    .addPrimaryKeyConstraint('redemptions_pk', ['tenant_id', 'id'])
    .execute();
  // At most one live redemption per coupon, whatever the code path.
  await db.schema
    .createIndex('redemptions_one_active')
    .unique()
    .on('redemptions')
    .columns(['tenant_id', 'coupon_id'])
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema.createIndex('redemptions_order').on('redemptions').columns(['tenant_id', 'coupon_id', 'order_id']).execute();
  await db.schema.createIndex('redemptions_created').on('redemptions').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('events')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_subject').on('events').columns(['tenant_id', 'subject_type', 'subject_id', 'seq']).execute();
  await db.schema.createIndex('events_tenant').on('events').columns(['tenant_id', 'seq']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('nonces')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonces_pk', ['scope', 'nonce'])
    .execute();
  await db.schema.createIndex('nonces_expiry').on('nonces').column('expires_at').execute();
}
