/** Aggregates computed by SQL (never by loading every row). */
import { sql } from 'kysely';
import type { Executor, StoreDialect } from './index.ts';

export interface DayCount {
  /** Days since the epoch in the tenant's local calendar. */
  day: number;
  n: number;
}

export class StatsQueries {
  readonly #db: Executor;
  constructor(db: Executor, _dialect: StoreDialect) {
    this.#db = db;
  }

  /** Coupons issued per local day since `from` (offsetMs shifts instants to local time). */
  async claimsPerDay(tenantId: string, from: number, offsetMs: number): Promise<DayCount[]> {
    const day = sql<number>`(issued_at + ${offsetMs}) / 86400000`;
    const rows = await this.#db
      .selectFrom('coupons')
      .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('issued_at', '>=', from)
      .groupBy(sql`1`) // by position: PostgreSQL sees the parameter twice as two expressions
      .execute();
    return rows.map((r) => ({ day: Number(r.day), n: Number(r.n) }));
  }

  /** Redemptions (not reversed) per local day since `from`. */
  async redemptionsPerDay(tenantId: string, from: number, offsetMs: number): Promise<DayCount[]> {
    const day = sql<number>`(created_at + ${offsetMs}) / 86400000`;
    const rows = await this.#db
      .selectFrom('redemptions')
      .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('created_at', '>=', from)
      .where('status', '=', 'active')
      .groupBy(sql`1`) // by position: PostgreSQL sees the parameter twice as two expressions
      .execute();
    return rows.map((r) => ({ day: Number(r.day), n: Number(r.n) }));
  }

  /** Per template: issued, used (stored status), stock and claimed counters. */
  async perTemplate(tenantId: string): Promise<Array<{ templateId: string; name: string; kind: string; stock: number | null; claimed: number; used: number; issued: number }>> {
    const used = this.#db
      .selectFrom('coupons')
      .select(['template_id', (eb) => eb.fn.countAll<number>().as('issued'), sql<number>`sum(case when status = 'used' then 1 else 0 end)`.as('used')])
      .where('tenant_id', '=', tenantId)
      .groupBy('template_id')
      .as('c');
    const rows = await this.#db
      .selectFrom('templates as t')
      .leftJoin(used, 'c.template_id', 't.id')
      .select(['t.id', 't.name', 't.kind', 't.stock', 't.claimed', 'c.issued', 'c.used'])
      .where('t.tenant_id', '=', tenantId)
      .orderBy('t.claimed', 'desc')
      .orderBy('t.id')
      .execute();
    return rows.map((r) => ({
      templateId: r.id,
      name: r.name,
      kind: r.kind,
      stock: r.stock,
      claimed: r.claimed,
      used: Number(r.used ?? 0),
      issued: Number(r.issued ?? 0),
    }));
  }
}
