/**
 * Claims written without deciding anything under the template's lock: every claim of a batch is
 * granted, so the write is the stock taken, the users, the coupons and their events, on the
 * condition that the template is still as read and still has the stock. On PostgreSQL that is
 * one statement — one round trip and its own commit — instead of a transaction of seven.
 */
import type { Coupon } from '../../domain/coupon.ts';
import { sql } from 'kysely';
import { toRow } from './coupons.ts';
import { eventRow, type NewEvent } from './events.ts';
import type { Executor, StoreDialect } from './index.ts';
import { prepared, type Param } from './prepared.ts';

export interface IssueAsRead {
  tenantId: string;
  templateId: string;
  /** The template's updated_at as read: nothing is written if it has moved since. */
  seenUpdatedAt: number;
  /** One per claim, all of the template, none of them written yet. */
  coupons: Coupon[];
  events: NewEvent[];
  now: number;
  /** The template's per-user limit (null: none), which no user's claims may pass. */
  perUserLimit: number | null;
}

/** A code drawn for one of the coupons was taken: nothing was written, draw new ones. */
export class CodeTakenError extends Error {
  constructor() {
    super('a coupon code is taken');
    this.name = 'CodeTakenError';
  }
}

type IssueParams = { tenantId: string; templateId: string; seen: number; k: number; users: string[]; now: number; coupons: string; events: string };
type LimitedParams = IssueParams & { perUser: number[]; limit: number };

/**
 * Every insert selects from the counter's update, so nothing is written unless it moved, and it
 * moves only while the template is as read and has the stock (the update waits for the row's
 * lock and rechecks on the newest row, so two statements cannot both take the last coupons).
 * Selecting from it also orders the writes: the template's row is locked before any other row is
 * touched, as on every claim path. Users in sorted order, as ensureUsers writes them (claims of
 * one user in two batches cannot deadlock). With a per-user limit, each user's counter moves by
 * their claims only while it stays within the limit; the counters that moved are counted.
 */
function issueSql(p: Param, limited: boolean) {
  const counted = limited
    ? sql`, counted as (
      insert into template_claims (tenant_id, subject_id, user_id, count)
      select ${p('tenantId')}, ${p('templateId')}, u.id, u.k from unnest(${p('users')}::text[], ${p('perUser')}::int[]) with ordinality as u(id, k, n) where exists (select 1 from taken) order by u.n
      on conflict (tenant_id, subject_id, user_id) do update set count = template_claims.count + excluded.count
      where template_claims.count + excluded.count <= ${p('limit')}
      returning 1
    )`
    : sql``;
  return sql<{ issued: number; counted: number }>`with taken as (
      update templates set claimed = claimed + ${p('k')}
      where tenant_id = ${p('tenantId')} and id = ${p('templateId')} and updated_at = ${p('seen')} and (stock is null or claimed + ${p('k')} <= stock)
      returning id
    ), people as (
      insert into users (tenant_id, id, created_at)
      select ${p('tenantId')}, u.id, ${p('now')} from unnest(${p('users')}::text[]) with ordinality as u(id, n) where exists (select 1 from taken) order by u.n
      on conflict (tenant_id, id) do nothing
    ), issued as (
      insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, sender_id, chat_id, package_id, status, valid_from, valid_to, issued_at, updated_at, code_seq)
      select r.tenant_id, r.id, r.code, r.template_id, r.owner_type, r.owner_id, r.sender_id, r.chat_id, r.package_id, r.status, r.valid_from, r.valid_to, r.issued_at, r.updated_at, r.code_seq
      from json_populate_recordset(null::coupons, ${p('coupons')}::json) as r where exists (select 1 from taken)
      returning 1
    ), trail as (
      insert into events (tenant_id, at, actor_type, actor_id, action, subject_type, subject_id, data)
      select r.tenant_id, r.at, r.actor_type, r.actor_id, r.action, r.subject_type, r.subject_id, r.data
      from json_populate_recordset(null::events, ${p('events')}::json) as r where exists (select 1 from taken)
    )${counted}
    select (select count(*)::int from issued) as issued, ${limited ? sql`(select count(*)::int from counted)` : sql`0`} as counted`;
}

const issueStatement = prepared<IssueParams, { issued: number; counted: number }>('claims-issue-as-read', (db, p) => ({ compile: () => issueSql(p, false).compile(db) }));
const issueLimitedStatement = prepared<LimitedParams, { issued: number; counted: number }>('claims-issue-as-read-limited', (db, p) => ({ compile: () => issueSql(p, true).compile(db) }));

export class ClaimQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Issues the coupons if the template is still as read with stock for all of them ('stale'
   * otherwise: nothing written) and, with a per-user limit, if no user passes it ('over-limit':
   * everything else was written). Without a limit the statement can run outside a transaction;
   * with one, run it inside a transaction and roll back unless 'issued'.
   * CodeTakenError (the statement failed, nothing written) when a drawn code is taken.
   * PostgreSQL only: on SQLite a claim batch is one transaction on the writer thread, where
   * round trips cost nothing.
   */
  async issueAsRead(i: IssueAsRead): Promise<'issued' | 'stale' | 'over-limit'> {
    if (this.#dialect.kind !== 'postgres') throw new Error('issueAsRead runs on PostgreSQL only');
    const k = i.coupons.length;
    if (k === 0) return 'issued';
    const perUser = new Map<string, number>();
    for (const c of i.coupons) perUser.set(c.ownerId, (perUser.get(c.ownerId) ?? 0) + 1);
    const users = [...perUser.keys()].sort();
    const codes = await this.#dialect.codes.permutation(this.#db);
    const params: IssueParams = {
      tenantId: i.tenantId, templateId: i.templateId, seen: i.seenUpdatedAt, k, users, now: i.now,
      coupons: JSON.stringify(i.coupons.map((c) => toRow(c, codes))), events: JSON.stringify(i.events.map(eventRow)),
    };
    try {
      const limit = i.perUserLimit;
      const { rows } = limit === null ? await issueStatement(this.#db, params) : await issueLimitedStatement(this.#db, { ...params, perUser: users.map((u) => perUser.get(u) as number), limit });
      const r = rows[0];
      if (Number(r?.issued ?? 0) !== k) return 'stale';
      return limit === null || Number(r?.counted ?? 0) === users.length ? 'issued' : 'over-limit';
    } catch (e) {
      if (this.#dialect.isUniqueViolation(e) && ['coupons_code', 'coupons_code_seq'].includes((e as { constraint?: string }).constraint ?? '')) throw new CodeTakenError();
      throw e;
    }
  }
}
