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
import { prepared } from './prepared.ts';

export interface IssueAsRead {
  tenantId: string;
  templateId: string;
  /** The template's updated_at as read: nothing is written if it has moved since. */
  seenUpdatedAt: number;
  /** One per claim, all of the template, none of them written yet. */
  coupons: Coupon[];
  events: NewEvent[];
  now: number;
}

/** A code drawn for one of the coupons was taken: nothing was written, draw new ones. */
export class CodeTakenError extends Error {
  constructor() {
    super('a coupon code is taken');
    this.name = 'CodeTakenError';
  }
}

type IssueParams = { tenantId: string; templateId: string; seen: number; k: number; users: string[]; now: number; coupons: string; events: string };

/**
 * Every insert selects only when the counter moved, and the counter moves only while the template
 * is as read and has the stock (the update waits for the row's lock and rechecks on the newest
 * row, so two statements cannot both take the last coupons). Users in sorted order, as
 * ensureUsers writes them (claims of one user in two batches cannot deadlock).
 */
const issueStatement = prepared<IssueParams, { issued: number }>('claims-issue-as-read', (db, p) => ({
  compile: () =>
    sql<{ issued: number }>`with taken as (
      update templates set claimed = claimed + ${p('k')}
      where tenant_id = ${p('tenantId')} and id = ${p('templateId')} and updated_at = ${p('seen')} and (stock is null or claimed + ${p('k')} <= stock)
      returning id
    ), people as (
      insert into users (tenant_id, id, created_at)
      select ${p('tenantId')}, u.id, ${p('now')} from unnest(${p('users')}::text[]) with ordinality as u(id, n) where exists (select 1 from taken) order by u.n
      on conflict (tenant_id, id) do nothing
    ), issued as (
      insert into coupons (tenant_id, id, code, template_id, owner_type, owner_id, sender_id, chat_id, package_id, status, valid_from, valid_to, issued_at, updated_at)
      select r.tenant_id, r.id, r.code, r.template_id, r.owner_type, r.owner_id, r.sender_id, r.chat_id, r.package_id, r.status, r.valid_from, r.valid_to, r.issued_at, r.updated_at
      from json_populate_recordset(null::coupons, ${p('coupons')}::json) as r where exists (select 1 from taken)
      returning 1
    ), trail as (
      insert into events (tenant_id, at, actor_type, actor_id, action, subject_type, subject_id, data)
      select r.tenant_id, r.at, r.actor_type, r.actor_id, r.action, r.subject_type, r.subject_id, r.data
      from json_populate_recordset(null::events, ${p('events')}::json) as r where exists (select 1 from taken)
    )
    select count(*)::int as issued from issued`.compile(db),
}));

export class ClaimQueries {
  readonly #db: Executor;
  readonly #dialect: StoreDialect;
  constructor(db: Executor, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Issues the coupons if the template is still as read with stock for all of them; 'stale'
   * (nothing written) otherwise. One statement, run outside a transaction; CodeTakenError (nothing
   * written) when a drawn code is taken. PostgreSQL only: on SQLite a claim batch is one
   * transaction on the writer thread, where round trips cost nothing.
   */
  async issueAsRead(i: IssueAsRead): Promise<'issued' | 'stale'> {
    if (this.#dialect.kind !== 'postgres') throw new Error('issueAsRead runs on PostgreSQL only');
    const k = i.coupons.length;
    if (k === 0) return 'issued';
    const users = [...new Set(i.coupons.map((c) => c.ownerId))].sort();
    try {
      const { rows } = await issueStatement(this.#db, {
        tenantId: i.tenantId, templateId: i.templateId, seen: i.seenUpdatedAt, k, users, now: i.now,
        coupons: JSON.stringify(i.coupons.map(toRow)), events: JSON.stringify(i.events.map(eventRow)),
      });
      return Number(rows[0]?.issued ?? 0) === k ? 'issued' : 'stale';
    } catch (e) {
      if (this.#dialect.isUniqueViolation(e) && (e as { constraint?: string }).constraint === 'coupons_code') throw new CodeTakenError();
      throw e;
    }
  }
}
