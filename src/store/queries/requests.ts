/** Request bookkeeping shared by every dialect: idempotency keys and replay nonces. */
import { sql } from 'kysely';
import type { IdempotencyTable } from '../schema.ts';
import type { Executor } from './index.ts';
import { prepared } from './prepared.ts';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number | null;
  response: string | null;
  createdAt: number;
}

const insertKey = prepared<{ scope: string; key: string; fingerprint: string; now: number; statusCode: number | null; response: string | null }, never>('idempotency-insert', (db, p) =>
  db
    .insertInto('idempotency_keys')
    .values({ scope: p<string>('scope'), key: p<string>('key'), fingerprint: p<string>('fingerprint'), status_code: p<number | null>('statusCode'), response: p<string | null>('response'), created_at: p<number>('now') })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing()),
);
const keyRow = prepared<{ scope: string; key: string }, IdempotencyTable>('idempotency-get', (db, p) =>
  db.selectFrom('idempotency_keys').selectAll().where('scope', '=', p<string>('scope')).where('key', '=', p<string>('key')),
);
const completeKey = prepared<{ scope: string; key: string; reservedAt: number; statusCode: number; response: string }, never>('idempotency-complete', (db, p) =>
  db
    .updateTable('idempotency_keys')
    .set({ status_code: p<number>('statusCode'), response: p<string>('response') })
    .where('scope', '=', p<string>('scope'))
    .where('key', '=', p<string>('key'))
    .where('created_at', '=', p<number>('reservedAt'))
    .where('status_code', 'is', null),
);

export class IdempotencyQueries {
  readonly #db: Executor;
  constructor(db: Executor) {
    this.#db = db;
  }

  /** Reserves the key for this request; false when it is taken (then read it with get). */
  reserve(scope: string, key: string, fingerprint: string, now: number): Promise<boolean> {
    return this.take(scope, key, fingerprint, now, null);
  }

  /**
   * Takes the key with its answer already known (`answer`), or only reserves it (null); false when
   * the key is taken. Inside the transaction of the request's own work, the key and the work's
   * writes commit together (the caller rolls the work back when the key is taken).
   */
  async take(scope: string, key: string, fingerprint: string, now: number, answer: { statusCode: number; response: string } | null): Promise<boolean> {
    const r = await insertKey(this.#db, { scope, key, fingerprint, now, statusCode: answer?.statusCode ?? null, response: answer?.response ?? null });
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  async get(scope: string, key: string): Promise<StoredResponse | undefined> {
    const r = (await keyRow(this.#db, { scope, key })).rows[0];
    return r && { fingerprint: r.fingerprint, statusCode: r.status_code, response: r.response, createdAt: r.created_at };
  }

  /**
   * Stores the response of the reservation made at `reservedAt`. Matching the reservation (not just
   * the key) keeps a retried write from touching a later request's reservation of the same key.
   */
  async complete(scope: string, key: string, reservedAt: number, statusCode: number, response: string): Promise<void> {
    await completeKey(this.#db, { scope, key, reservedAt, statusCode, response });
  }

  /** Frees the reservation made at `reservedAt`, whose request failed without a result worth replaying. */
  async release(scope: string, key: string, reservedAt: number): Promise<void> {
    await this.#db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('created_at', '=', reservedAt).where('status_code', 'is', null).execute();
  }

  /**
   * Deletes up to `limit` keys reserved before `before`, oldest first, found through their index
   * on created_at (never by reading the table); returns how many. Bounded, so a purge after a
   * flash sale is many short transactions, not one holding the write lock for seconds.
   */
  async purge(before: number, limit: number): Promise<number> {
    // The condition again outside: PostgreSQL rechecks only the outer WHERE on a row another
    // transaction changed meanwhile (see NonceQueries.purge).
    const r = await sql`delete from idempotency_keys where (scope, key) in (
      select scope, key from idempotency_keys where created_at < ${before} order by created_at limit ${limit}) and created_at < ${before}`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0);
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

  /**
   * Deletes up to `limit` nonces whose window had passed by `now`, through their index on
   * expires_at; returns how many. The condition is repeated outside the subquery: a nonce used
   * again meanwhile (`use` moves an expired one's window forward) is rechecked by PostgreSQL
   * against the outer WHERE only, and must stay, or a replay of its request would pass.
   */
  async purge(now: number, limit: number): Promise<number> {
    const r = await sql`delete from nonces where (scope, nonce) in (
      select scope, nonce from nonces where expires_at < ${now} order by expires_at limit ${limit}) and expires_at < ${now}`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0);
  }
}
