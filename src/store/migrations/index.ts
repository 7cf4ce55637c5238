import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_wechat_sync.ts';
import * as m0003 from './0003_issue_jobs.ts';
import * as m0004 from './0004_coupon_set_versions.ts';
import * as m0005 from './0005_coupon_code_seq.ts';
import * as m0006 from './0006_legacy_code_guard.ts';
import * as m0007 from './0007_idempotency_key_age.ts';
import * as m0008 from './0008_redemption_order_lookup.ts';
import * as m0009 from './0009_coupons_by_template_in_order.ts';
import * as m0010 from './0010_live_coupons_expiry.ts';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_wechat_sync': m0002,
  '0003_issue_jobs': m0003,
  '0004_coupon_set_versions': m0004,
  '0005_coupon_code_seq': m0005,
  '0006_legacy_code_guard': m0006,
  '0007_idempotency_key_age': m0007,
  '0008_redemption_order_lookup': m0008,
  '0009_coupons_by_template_in_order': m0009,
  '0010_live_coupons_expiry': m0010,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
