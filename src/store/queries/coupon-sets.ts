/**
 * Versions of what chat answers are made of (migration 0004): a coupon set (`chat:<id>` or
 * `operator:<id>`), the tenant's templates and its catalog names. Triggers write them; this only
 * reads them.
 */
import { prepared } from './prepared.ts';
import type { Executor } from './index.ts';

const versions = prepared<{ tenantId: string; setKey: string }, { set_key: string; version: number }>('coupon-set-versions', (db, p) =>
  db
    .selectFrom('coupon_set_versions')
    .select(['set_key', 'version'])
    .where('tenant_id', '=', p<string>('tenantId'))
    .where('set_key', 'in', [p<string>('setKey'), 'templates', 'catalog']),
);

export class CouponSetQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /**
   * One stamp for a coupon set and the templates and names it is shown with: it changes whenever
   * any of them is written (a set nothing has written yet counts as version 0).
   */
  async stamp(tenantId: string, setKey: string): Promise<string> {
    const rows = (await versions(this.#db, { tenantId, setKey })).rows;
    const of = (k: string) => rows.find((r) => r.set_key === k)?.version ?? 0;
    return `${of(setKey)}.${of('templates')}.${of('catalog')}`;
  }
}
