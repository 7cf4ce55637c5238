import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { CatalogQueries } from './catalog.ts';
import { ClaimQueries } from './claims.ts';
import type { CodeSource } from './coupon-codes.ts';
import { CouponQueries } from './coupons.ts';
import { CouponSetQueries } from './coupon-sets.ts';
import { CredentialQueries } from './credentials.ts';
import { EventQueries } from './events.ts';
import { IdempotencyQueries, NonceQueries } from './requests.ts';
import { IssueJobQueries } from './issue-jobs.ts';
import { PackageQueries } from './packages.ts';
import { RedemptionQueries } from './redemptions.ts';
import { StatsQueries } from './stats.ts';
import { TemplateQueries } from './templates.ts';
import { TenantQueries } from './tenants.ts';
import { TicketQueries } from './tickets.ts';
import { WechatSyncQueries } from './wechat-sync.ts';

/** What differs between the databases and matters to queries. */
export interface StoreDialect {
  kind: 'sqlite' | 'postgres';
  isUniqueViolation(e: unknown): boolean;
  /** The store's coupon code key and counter (one per store: see coupon-codes.ts). */
  codes: CodeSource;
}

export type Executor = Kysely<Database>;

export function createQueries(db: Executor, dialect: StoreDialect) {
  return {
    tenants: new TenantQueries(db),
    credentials: new CredentialQueries(db),
    catalog: new CatalogQueries(db),
    templates: new TemplateQueries(db, dialect),
    packages: new PackageQueries(db, dialect),
    coupons: new CouponQueries(db, dialect),
    claims: new ClaimQueries(db, dialect),
    couponSets: new CouponSetQueries(db, dialect),
    redemptions: new RedemptionQueries(db, dialect),
    events: new EventQueries(db),
    idempotency: new IdempotencyQueries(db),
    nonces: new NonceQueries(db),
    stats: new StatsQueries(db, dialect),
    issueJobs: new IssueJobQueries(db),
    tickets: new TicketQueries(db),
    wechat: new WechatSyncQueries(db),
  };
}

export type Queries = ReturnType<typeof createQueries>;
