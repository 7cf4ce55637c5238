/** Request bookkeeping shared by every dialect: idempotency keys and replay nonces. */
import type { Executor } from './index.ts';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number | null;
  response: string | null;
  createdAt: number;
}

export class IdempotencyQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Reserves the key for this request; false when it is taken (then read it with get). */
  async reserve(scope: string, key: string, fingerprint: string, now: number): Promise<boolean> {
    const r = await this.#db
      .insertInto('idempotency_keys')
      .values({ scope, key, fingerprint, status_code: null, response: null, created_at: now })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(scope: string, key: string): Promise<StoredResponse | undefined> {
    const r = await this.#db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    return r && { fingerprint: r.fingerprint, statusCode: r.status_code, response: r.response, createdAt: r.created_at };
  }

  async complete(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.#db.updateTable('idempotency_keys').set({ status_code: statusCode, response }).where('scope', '=', scope).where('key', '=', key).execute();
  }

  /** Frees a reservation whose request failed without a result worth replaying. */
  async release(scope: string, key: string): Promise<void> {
    await this.#db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('status_code', 'is', null).execute();
  }

  /** Takes over a reservation abandoned by a crashed request (still in flight after `staleBefore`). */
  async takeOver(scope: string, key: string, staleBefore: number, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('idempotency_keys')
      .set({ created_at: now })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('status_code', 'is', null)
      .where('created_at', '<', staleBefore)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async purge(before: number): Promise<number> {
    const r = await this.#db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

export class NonceQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /**
   * Records a nonce for a scope (a partner credential); false when it was seen before and has not
   * expired. Durable: holds across restarts and across processes sharing the database.
   */
  async use(scope: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const r = await this.#db
      .insertInto('nonces')
      .values({ scope, nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['scope', 'nonce']).doUpdateSet({ expires_at: expiresAt }).where('nonces.expires_at', '<', now))
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async purge(now: number): Promise<number> {
    const r = await this.#db.deleteFrom('nonces').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
