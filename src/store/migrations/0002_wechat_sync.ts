import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

/**
 * WeChat card sync: one queue row per template asked to sync (its state, lease, back-off and
 * what WeChat holds), a log of every call made for it, and access tokens shared by processes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('wechat_sync')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    // Bumped by every request to sync; a job finishing on an older version runs again.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // null while failed: the error is permanent and waits for a retry by hand.
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('app_id', 'text')
    .addColumn('card_id', 'text')
    .addColumn('pushed_quantity', 'integer')
    .addColumn('pushed_updated_at', 'bigint')
    .addColumn('synced_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('wechat_sync_pk', ['tenant_id', 'template_id'])
    .addForeignKeyConstraint('wechat_sync_template', ['tenant_id', 'template_id'], 'templates', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('wechat_sync_due').on('wechat_sync').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('wechat_sync_tenant').on('wechat_sync').columns(['tenant_id', 'state', 'updated_at']).execute();

  await db.schema
    .createTable('wechat_sync_attempts')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('errcode', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('wechat_sync_attempts_template').on('wechat_sync_attempts').columns(['tenant_id', 'template_id', 'seq']).execute();

  await db.schema
    .createTable('wechat_tokens')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('access_token', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .execute();
}
