/**
 * Versions of what chat answers are made of (migration 0004): a coupon set (`chat:<id>` or
 * `operator:<id>`), the tenant's templates and its catalog names. Triggers write them; this only
 * reads them.
 */
import { sql } from 'kysely';
import { padForGenericPlan, prepared } from './prepared.ts';
import type { Executor, StoreDialect } from './index.ts';

const versions = prepared<{ tenantId: string; setKey: string }, { set_key: string; version: number }>('coupon-set-versions', (db, p) =>
  db
    .selectFrom('coupon_set_versions')
    .select(['set_key', 'version'])
    .where('tenant_id', '=', p<string>('tenantId'))
    .where('set_key', 'in', [p<string>('setKey'), 'templates', 'catalog']),
);

/** The same for several sets at once (PostgreSQL: `= any` of an array parameter, which holds 'templates' and 'catalog' too). */
const versionsOfSets = prepared<{ tenantId: string; keys: string[] }, { set_key: string; version: number }>('coupon-set-versions-many', (db, p) =>
  db
    .selectFrom('coupon_set_versions')
    .select(['set_key', 'version'])
    .where('tenant_id', '=', p<string>('tenantId'))
    .where(sql<boolean>`set_key = any(${p<string[]>('keys')}::text[])`),
);

const stampOf = (rows: readonly { set_key: string; version: number }[], setKey: string): string => {
  const of = (k: string) => rows.find((r) => r.set_key === k)?.version ?? 0;
  return `${of(setKey)}.${of('templates')}.${of('catalog')}`;
};

export class CouponSetQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * One stamp for a coupon set and the templates and names it is shown with: it changes whenever
   * any of them is written (a set nothing has written yet counts as version 0).
   */
  async stamp(tenantId: string, setKey: string): Promise<string> {
    return stampOf((await versions(this.#db, { tenantId, setKey })).rows, setKey);
  }

  /** stamp() of several sets of one tenant in one query, keyed by set. PostgreSQL only. */
  async stamps(tenantId: string, setKeys: readonly string[]): Promise<Map<string, string>> {
    if (this.#dialect.kind !== 'postgres') throw new Error('stamps runs on PostgreSQL only');
    const rows = (await versionsOfSets(this.#db, { tenantId, keys: padForGenericPlan([...new Set([...setKeys, 'templates', 'catalog'])], '') })).rows;
    return new Map(setKeys.map((k) => [k, stampOf(rows, k)]));
  }
}
