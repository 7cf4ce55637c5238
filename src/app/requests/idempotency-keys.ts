/**
 * Idempotency keys in the store: reserved before a request runs, then completed with its response
 * or released. Every write goes through store.transaction, so on SQLite it waits for another
 * process's write lock on a timer like the use case's own writes do (store.q would give up after
 * the short busy_timeout of statements outside transactions).
 */
import type { StoredResponse } from '../../store/queries/requests.ts';
import { ONE_STATEMENT, type Deps } from '../ports.ts';

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
