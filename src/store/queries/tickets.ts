/**
 * Templates as the ticket administration lists them: filtered by a list of conditions joined with
 * and/or (the repository-style search, already parsed and checked by the dialect), with the
 * dialect's stored card and the WeChat sync row of each.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Template } from '../../domain/template.ts';
import type { Database } from '../schema.ts';
import type { Executor } from './index.ts';
import { parseJson } from './json.ts';
import { toTemplate } from './templates.ts';

export type TicketField = 'number' | 'kind' | 'name' | 'claim_from' | 'claim_to' | 'created_at' | 'updated_at' | 'status' | 'synced';
export type TicketOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'like' | 'in' | 'not in' | 'between';

export interface TicketCondition {
  field: TicketField;
  op: TicketOp;
  /** One value, or the list of `in` / `not in`, or the two ends of `between`. `synced` takes 0 or 1. */
  values: Array<string | number>;
}

export interface TicketQuery {
  conditions: TicketCondition[];
  join: 'and' | 'or';
  orderBy: Exclude<TicketField, 'synced'>;
  direction: 'asc' | 'desc';
}

export interface TicketRow {
  template: Template;
  extra: Record<string, unknown>;
  sync: { state: string; cardId: string | null; appId: string | null; pushedUpdatedAt: number | null } | null;
}

type Eb = ExpressionBuilder<Database & { t: Database['templates']; s: Database['wechat_sync'] }, 't' | 's'>;

/** Synced: WeChat holds the template as it is now (the row is synced and nothing changed since). */
const synced = sql<SqlBool>`(coalesce(s.state, '') = 'synced' and coalesce(s.pushed_updated_at, -1) = t.updated_at)`;

function condition(eb: Eb, c: TicketCondition): Expression<SqlBool> {
  if (c.field === 'synced') return Number(c.values[0]) === 1 === (c.op === '=') ? synced : sql<SqlBool>`not ${synced}`;
  const col = `t.${c.field}` as const;
  const [a, b] = c.values as [string | number, string | number];
  switch (c.op) {
    case 'like': {
      const like = `%${String(a).toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      return sql<SqlBool>`lower(${sql.ref(col)}) like ${like} escape '\\'`;
    }
    case 'in':
      return eb(col, 'in', c.values);
    case 'not in':
      return eb(col, 'not in', c.values);
    case 'between':
      return eb.and([eb(col, '>=', a), eb(col, '<=', b)]);
    case '!=':
      return eb(col, '<>', a);
    default:
      return eb(col, c.op, a);
  }
}

export class TicketQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  #base(tenantId: string, query: TicketQuery) {
    let q = this.#db
      .selectFrom('templates as t')
      .leftJoin('wechat_sync as s', (j) => j.onRef('s.tenant_id', '=', 't.tenant_id').onRef('s.template_id', '=', 't.id'))
      .where('t.tenant_id', '=', tenantId);
    if (query.conditions.length > 0) {
      q = q.where((eb) => {
        const parts = query.conditions.map((c) => condition(eb as unknown as Eb, c));
        return query.join === 'or' ? eb.or(parts) : eb.and(parts);
      });
    }
    return q;
  }

  async list(tenantId: string, query: TicketQuery, limit: number, offset: number): Promise<{ items: TicketRow[]; total: number }> {
    const total = await this.#base(tenantId, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await this.#base(tenantId, query)
      .selectAll('t')
      .select(['s.state as sync_state', 's.card_id as sync_card_id', 's.app_id as sync_app_id', 's.pushed_updated_at as sync_pushed_updated_at'])
      .orderBy(`t.${query.orderBy}`, query.direction)
      .orderBy('t.number', query.direction)
      .limit(limit)
      .offset(offset)
      .execute();
    return { items: rows.map(toTicketRow), total: Number(total.n) };
  }

  async byNumber(tenantId: string, number: number): Promise<TicketRow | undefined> {
    const r = await this.#db
      .selectFrom('templates as t')
      .leftJoin('wechat_sync as s', (j) => j.onRef('s.tenant_id', '=', 't.tenant_id').onRef('s.template_id', '=', 't.id'))
      .selectAll('t')
      .select(['s.state as sync_state', 's.card_id as sync_card_id', 's.app_id as sync_app_id', 's.pushed_updated_at as sync_pushed_updated_at'])
      .where('t.tenant_id', '=', tenantId)
      .where('t.number', '=', number)
      .executeTakeFirst();
    return r && toTicketRow(r);
  }
}

function toTicketRow(r: Database['templates'] & { sync_state: string | null; sync_card_id: string | null; sync_app_id: string | null; sync_pushed_updated_at: number | null }): TicketRow {
  return {
    template: toTemplate(r),
    extra: parseJson<Record<string, unknown>>(r.extra, {}),
    sync: r.sync_state === null ? null : { state: r.sync_state, cardId: r.sync_card_id, appId: r.sync_app_id, pushedUpdatedAt: r.sync_pushed_updated_at },
  };
}
