/**
 * The WeChat sync queue. A row per template asked to sync; workers claim a due row with a
 * conditional write that takes a lease, call WeChat with no transaction open, then write the
 * outcome only while they still hold the lease. Processes sharing PostgreSQL never run one job
 * twice at once: the claim re-checks the row under its lock.
 */
import { sql } from 'kysely';
import type { WechatSyncTable } from '../schema.ts';
import type { Executor } from './index.ts';

export const SyncState = { pending: 'pending', syncing: 'syncing', synced: 'synced', failed: 'failed' } as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];
export const SYNC_STATES = Object.values(SyncState);

export interface SyncKey {
  tenantId: string;
  templateId: string;
}

export interface SyncRecord extends SyncKey {
  state: SyncState;
  version: number;
  attempts: number;
  lastError: string | null;
  /** null while failed for good (a permanent error waits for a retry by hand) or when synced. */
  nextAttemptAt: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** The WeChat app the card lives in, once created. */
  appId: string | null;
  cardId: string | null;
  /** The stock WeChat holds for the card, as last told. */
  pushedQuantity: number | null;
  /** The template's updatedAt when its content last reached WeChat. */
  pushedUpdatedAt: number | null;
  syncedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A queue row with the template it is for. */
export interface SyncView extends SyncRecord {
  ticketId: number;
  title: string;
}

export interface SyncAttempt extends SyncKey {
  at: number;
  action: string;
  ok: boolean;
  durationMs: number;
  httpStatus: number | null;
  errcode: number | null;
  error: string | null;
}

const toRecord = (r: WechatSyncTable): SyncRecord => ({
  tenantId: r.tenant_id,
  templateId: r.template_id,
  state: r.state as SyncState,
  version: r.version,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
  appId: r.app_id,
  cardId: r.card_id,
  pushedQuantity: r.pushed_quantity,
  pushedUpdatedAt: r.pushed_updated_at,
  syncedAt: r.synced_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A row still being worked on keeps `syncing`; the worker sees the new version when it finishes. */
const stateAfterRequest = (now: number) =>
  sql<string>`case when ${sql.ref('wechat_sync.state')} = 'syncing' and ${sql.ref('wechat_sync.lease_until')} > ${now} then 'syncing' else 'pending' end`;

export class WechatSyncQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  #row(key: SyncKey) {
    return this.#db.updateTable('wechat_sync').where('tenant_id', '=', key.tenantId).where('template_id', '=', key.templateId);
  }

  /** Asks for a sync now (in the transaction that changed the template); a newer request bumps the version. */
  async request(key: SyncKey, now: number): Promise<void> {
    await this.#db
      .insertInto('wechat_sync')
      .values({ tenant_id: key.tenantId, template_id: key.templateId, state: SyncState.pending, version: 1, attempts: 0, next_attempt_at: now, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'template_id']).doUpdateSet((eb) => ({
          version: eb(eb.ref('wechat_sync.version'), '+', 1),
          attempts: 0,
          next_attempt_at: now,
          updated_at: now,
          state: stateAfterRequest(now),
        })),
      )
      .execute();
  }

  /**
   * Asks again for templates that are synced already (a change made through any API must reach
   * WeChat too); templates never asked to sync are left alone.
   */
  async requestIfTracked(key: SyncKey, now: number): Promise<void> {
    await this.#row(key)
      .set((eb) => ({ version: eb('version', '+', 1), attempts: 0, next_attempt_at: now, updated_at: now, state: stateAfterRequest(now) }))
      .execute();
  }

  /** Re-queues a row now, whatever its state; false when the template was never asked to sync. */
  async retry(key: SyncKey, now: number): Promise<boolean> {
    const r = await this.#row(key).set({ next_attempt_at: now, updated_at: now, state: stateAfterRequest(now) }).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async get(key: SyncKey): Promise<SyncView | undefined> {
    const r = await this.#view().where('s.tenant_id', '=', key.tenantId).where('s.template_id', '=', key.templateId).executeTakeFirst();
    return r && { ...toRecord(r), ticketId: r.ticket_id, title: r.title };
  }

  #view() {
    return this.#db
      .selectFrom('wechat_sync as s')
      .innerJoin('templates as t', (j) => j.onRef('t.tenant_id', '=', 's.tenant_id').onRef('t.id', '=', 's.template_id'))
      .selectAll('s')
      .select(['t.number as ticket_id', 't.name as title']);
  }

  /** A tenant's rows, most recently changed first; `states` narrows them. */
  async list(tenantId: string, states: readonly SyncState[] | null, limit: number, offset: number): Promise<{ items: SyncView[]; total: number }> {
    let q = this.#db.selectFrom('wechat_sync').where('tenant_id', '=', tenantId);
    if (states) q = q.where('state', 'in', [...states]);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let v = this.#view().where('s.tenant_id', '=', tenantId);
    if (states) v = v.where('s.state', 'in', [...states]);
    const rows = await v.orderBy('s.updated_at', 'desc').orderBy('s.template_id').limit(limit).offset(offset).execute();
    return { items: rows.map((r) => ({ ...toRecord(r), ticketId: r.ticket_id, title: r.title })), total: Number(total.n) };
  }

  async counts(tenantId: string): Promise<Record<SyncState, number>> {
    const rows = await this.#db.selectFrom('wechat_sync').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('tenant_id', '=', tenantId).groupBy('state').execute();
    const out: Record<SyncState, number> = { pending: 0, syncing: 0, synced: 0, failed: 0 };
    for (const r of rows) if (r.state in out) out[r.state as SyncState] = Number(r.n);
    return out;
  }

  /** Rows a worker may claim now: due and unleased, or leased by a worker that stopped answering. */
  async due(now: number, limit: number): Promise<SyncKey[]> {
    const rows = await this.#db
      .selectFrom('wechat_sync')
      .select(['tenant_id', 'template_id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('state', 'in', [SyncState.pending, SyncState.failed]), eb('next_attempt_at', '<=', now), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])]),
          eb.and([eb('state', '=', SyncState.syncing), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, templateId: r.template_id }));
  }

  /** Takes the row for `owner` until `leaseUntil` if it is still claimable: the conditional write is the lock. */
  async claim(key: SyncKey, owner: string, now: number, leaseUntil: number): Promise<SyncRecord | undefined> {
    const r = await this.#row(key)
      .set({ state: SyncState.syncing, lease_owner: owner, lease_until: leaseUntil, updated_at: now })
      .where((eb) =>
        eb.or([
          eb.and([eb('state', 'in', [SyncState.pending, SyncState.failed]), eb('next_attempt_at', '<=', now), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])]),
          eb.and([eb('state', '=', SyncState.syncing), eb('lease_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return undefined;
    const row = await this.#db.selectFrom('wechat_sync').selectAll().where('tenant_id', '=', key.tenantId).where('template_id', '=', key.templateId).where('lease_owner', '=', owner).executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Records the card WeChat created, right after it answered and whoever holds the lease: once
   * a create has succeeded, no later run may send it again. False when a card was recorded already.
   */
  async setCard(key: SyncKey, cardId: string, appId: string, quantity: number, now: number): Promise<boolean> {
    const r = await this.#row(key).set({ card_id: cardId, app_id: appId, pushed_quantity: quantity, updated_at: now }).where('card_id', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records the stock WeChat holds right after a modifystock succeeded (it is not idempotent). */
  async setPushedQuantity(key: SyncKey, quantity: number, now: number): Promise<void> {
    await this.#row(key).set({ pushed_quantity: quantity, updated_at: now }).execute();
  }

  /**
   * Ends a run that reached WeChat. Synced when nobody asked again meanwhile; otherwise pending,
   * to run again at once. False when the lease was lost.
   */
  async finishSynced(key: SyncKey, owner: string, version: number, pushedUpdatedAt: number, now: number): Promise<boolean> {
    const base = { attempts: 0, last_error: null, lease_owner: null, lease_until: null, pushed_updated_at: pushedUpdatedAt, synced_at: now, updated_at: now };
    const done = await this.#row(key).set({ ...base, state: SyncState.synced, next_attempt_at: null }).where('lease_owner', '=', owner).where('version', '=', version).executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) return true;
    const again = await this.#row(key).set({ ...base, state: SyncState.pending, next_attempt_at: now }).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(again.numUpdatedRows) > 0;
  }

  /**
   * Ends a failed run: the error, the attempt count and the next attempt (null: permanent). A newer
   * request made meanwhile is tried at once, since its content may fix the error.
   */
  async finishFailed(key: SyncKey, owner: string, version: number, failure: { attempts: number; error: string; nextAttemptAt: number | null }, now: number): Promise<boolean> {
    const base = { state: SyncState.failed, attempts: failure.attempts, last_error: failure.error.slice(0, 2000), lease_owner: null, lease_until: null, updated_at: now };
    const done = await this.#row(key).set({ ...base, next_attempt_at: failure.nextAttemptAt }).where('lease_owner', '=', owner).where('version', '=', version).executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) return true;
    const again = await this.#row(key).set({ ...base, next_attempt_at: now }).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(again.numUpdatedRows) > 0;
  }

  async addAttempts(attempts: SyncAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.#db
      .insertInto('wechat_sync_attempts')
      .values(
        attempts.map((a) => ({
          tenant_id: a.tenantId,
          template_id: a.templateId,
          at: a.at,
          action: a.action,
          ok: a.ok ? 1 : 0,
          duration_ms: Math.round(a.durationMs),
          http_status: a.httpStatus,
          errcode: a.errcode,
          error: a.error === null ? null : a.error.slice(0, 2000),
        })),
      )
      .execute();
  }

  /** The calls made for a template's sync, newest first. */
  async attempts(key: SyncKey, limit: number): Promise<SyncAttempt[]> {
    const rows = await this.#db.selectFrom('wechat_sync_attempts').selectAll().where('tenant_id', '=', key.tenantId).where('template_id', '=', key.templateId).orderBy('seq', 'desc').limit(limit).execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, templateId: r.template_id, at: r.at, action: r.action, ok: r.ok === 1, durationMs: r.duration_ms, httpStatus: r.http_status, errcode: r.errcode, error: r.error }));
  }

  async token(appId: string): Promise<{ token: string; expiresAt: number } | undefined> {
    const r = await this.#db.selectFrom('wechat_tokens').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return r && { token: r.access_token, expiresAt: r.expires_at };
  }

  async saveToken(appId: string, token: string, expiresAt: number, now: number): Promise<void> {
    await this.#db
      .insertInto('wechat_tokens')
      .values({ app_id: appId, access_token: token, expires_at: expiresAt, fetched_at: now })
      .onConflict((oc) => oc.column('app_id').doUpdateSet({ access_token: token, expires_at: expiresAt, fetched_at: now }))
      .execute();
  }

  /** Forgets a token WeChat refused (only that one: another process may have stored a newer one). */
  async dropToken(appId: string, token: string): Promise<void> {
    await this.#db.deleteFrom('wechat_tokens').where('app_id', '=', appId).where('access_token', '=', token).execute();
  }
}
