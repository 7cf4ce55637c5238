/**
 * Idempotency keys in the store. Either reserved before a request runs, then completed with its
 * response or released, each in a transaction of its own (reserveKey, settleKey: any use case);
 * or taken with the answer inside the use case's own transaction (inTransactionUnderKey: one
 * commit). Every write goes through store.transaction, so on SQLite it waits for another
 * process's write lock on a timer like the use case's own writes do (store.q would give up after
 * the short busy_timeout of statements outside transactions).
 */
import type { DomainError } from '../../domain/errors.ts';
import type { StoredResponse } from '../../store/queries/requests.ts';
import type { Queries } from '../../store/store.ts';
import { ONE_STATEMENT, type Deps } from '../ports.ts';
import { purgeInChunks } from './purge-in-chunks.ts';

export type { StoredResponse };

export interface KeyRef {
  scope: string;
  key: string;
}

/** A key as this request reserved it: settling touches that reservation only, never a later one. */
export interface Reservation extends KeyRef {
  reservedAt: number;
}

/** Reserves the key for a request; false when it is taken (read it with storedResponse). */
export function reserveKey({ store }: Deps, k: KeyRef, fingerprint: string, now: number): Promise<boolean> {
  return store.transaction((q) => q.idempotency.reserve(k.scope, k.key, fingerprint, now), ONE_STATEMENT);
}

/** The reservation and, once completed, the response stored under a key. */
export function storedResponse({ store }: Deps, k: KeyRef): Promise<StoredResponse | undefined> {
  return store.q.idempotency.get(k.scope, k.key);
}

/** How long a key is kept: a client's retry of the same request comes well within a day. */
export const KEY_KEPT_MS = 86_400_000;

/** Deletes the keys reserved more than KEY_KEPT_MS before `now` (wall-clock time, as keys are reserved), a chunk per transaction; returns how many. */
export function purgeKeys(deps: Deps, now: number): Promise<number> {
  return purgeInChunks(deps, (q, limit) => q.idempotency.purge(now - KEY_KEPT_MS, limit));
}

/** How often a settle that failed is tried again in the background, and the pause before each try. */
const SETTLE_RETRIES = 5;
const SETTLE_RETRY_PAUSE_MS = 500;

export type SettleLog = (err: unknown, attempt: number, willRetry: boolean) => void;

/**
 * Settles a reservation once its request has answered: stores the response to replay (`response`)
 * or frees the key (null, after a failure with nothing worth replaying). Never throws: the request
 * has already done its work — a claim may have committed — and a failure here must not change the
 * answer the client gets. A failed write (the write lock held by another process past the wait)
 * is logged and tried again in the background a few times; meanwhile a repeat of the request
 * waits on the reservation, then gets the stored response. The first try is awaited, so in the
 * usual case a repeat right after the answer finds the key settled.
 */
export async function settleKey(deps: Deps, k: Reservation, response: { statusCode: number; body: string } | null, log: SettleLog): Promise<void> {
  const write = () =>
    deps.store.transaction((q) => (response ? q.idempotency.complete(k.scope, k.key, k.reservedAt, response.statusCode, response.body) : q.idempotency.release(k.scope, k.key, k.reservedAt)), ONE_STATEMENT);
  try {
    await write();
  } catch (err) {
    log(err, 1, true);
    // Only the first try holds up the answer: the others run after it has gone out.
    void retryLater(write, log);
  }
}

async function retryLater(write: () => Promise<void>, log: SettleLog): Promise<void> {
  for (let attempt = 2; attempt <= 1 + SETTLE_RETRIES; attempt++) {
    // unref: a pending retry does not keep a process that is otherwise done alive.
    await new Promise((r) => setTimeout(r, SETTLE_RETRY_PAUSE_MS * (attempt - 1)).unref());
    try {
      await write();
      return;
    } catch (err) {
      log(err, attempt, attempt <= SETTLE_RETRIES);
    }
  }
}

/** A request's key with the fingerprint of what it asks: the same key with another fingerprint is refused. */
export interface KeyedRequest extends KeyRef {
  fingerprint: string;
}

/** What is stored under a key and replayed to its repeats: the status and the exact body sent. */
export interface StoredAnswer {
  statusCode: number;
  body: string;
}

/**
 * An expected refusal (a DomainError) returned, not thrown, by a transaction's work — returned
 * before the work's first write, so the transaction around it may commit.
 */
export type Refusable<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** How work run under a key ended. */
export type KeyedOutcome<T> =
  /** The work and the key with its answer committed together. */
  | { kind: 'done'; value: T; answer: StoredAnswer }
  /**
   * The work refused (nothing written) and the reservation alone committed: settle it with the
   * refusal's response (settleKey), as for a request on the generic path.
   */
  | { kind: 'refused'; error: DomainError; reservation: Reservation }
  /** Another request holds the key (in progress or answered): read it with storedResponse. */
  | { kind: 'taken' };

/** Thrown inside the transaction when the key is taken: rolls the work back. */
const KEY_TAKEN = new Error('the Idempotency-Key is taken');

/**
 * Runs a use case's work in the transaction that takes the key with `answer(result)`: one commit
 * (one fsync on PostgreSQL) instead of three, and one statement for the key. The key is written
 * last, once the answer is known; if it is taken (a concurrent repeat committed first, or the
 * key is in use), the work is rolled back and the caller replays, refuses or waits. On
 * PostgreSQL a repeat in flight waits on the key's unique index (or on the rows its work
 * locks) until the first commits; on SQLite transactions run one after another. If the work
 * throws, nothing is written and the key stays free. A crash leaves either nothing or the
 * work with its stored answer, never a reservation whose outcome is unknown.
 */
export async function inTransactionUnderKey<T>(deps: Deps, k: KeyedRequest, work: (q: Queries) => Promise<Refusable<T>>, answer: (value: T) => StoredAnswer): Promise<KeyedOutcome<T>> {
  const reservedAt = Date.now(); // wall time, as the HTTP layer's check for abandoned keys reads it
  try {
    return await deps.store.transaction(async (q): Promise<KeyedOutcome<T>> => {
      const r = await work(q);
      const a = r.ok ? answer(r.value) : null;
      // A refusal wrote nothing: the key is only reserved, and settled with the refusal's response.
      if (!(await q.idempotency.take(k.scope, k.key, k.fingerprint, reservedAt, a && { statusCode: a.statusCode, response: a.body }))) throw KEY_TAKEN;
      if (!r.ok) return { kind: 'refused', error: r.error, reservation: { scope: k.scope, key: k.key, reservedAt } };
      return { kind: 'done', value: r.value, answer: a as StoredAnswer };
    });
  } catch (e) {
    if (e === KEY_TAKEN) return { kind: 'taken' };
    throw e;
  }
}
