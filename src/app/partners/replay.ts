/**
 * Replay protection shared by the signed partner dialects (OP v2, V3 CRM): a request's timestamp
 * must be within the window of the server clock, and a (scope, nonce) pair is accepted once
 * within that window. Nonces are rows in the store, so this holds across restarts and across
 * processes sharing the database.
 */
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { ONE_STATEMENT, type Deps } from '../ports.ts';
import { purgeInChunks } from '../requests/purge-in-chunks.ts';

export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Refuses a timestamp (epoch ms) further than the window from now, either way. */
export function requireFresh(now: number, timestampMs: number, windowMs = REPLAY_WINDOW_MS): void {
  if (!Number.isFinite(timestampMs) || Math.abs(now - timestampMs) > windowMs) {
    throw new DomainError(ErrorCode.stale_request, `the timestamp is more than ${Math.round(windowMs / 60_000)} minutes away from the server clock (${new Date(now).toISOString()})`);
  }
}

/**
 * Records a nonce for a scope (e.g. `op:<client>`, `zv:<openId>`); refuses one already seen.
 * The nonce is kept until the timestamp has left the window, which is all replay needs.
 */
export async function useNonce({ store, clock }: Deps, scope: string, nonce: string, timestampMs: number, windowMs = REPLAY_WINDOW_MS): Promise<void> {
  const now = clock.now();
  requireFresh(now, timestampMs, windowMs);
  const expiresAt = Math.max(now, timestampMs) + windowMs;
  if (!(await store.transaction((q) => q.nonces.use(scope, nonce, expiresAt, now), ONE_STATEMENT))) {
    throw new DomainError(ErrorCode.replayed_request, `nonce ${JSON.stringify(nonce)} was already used; every request needs a new one`);
  }
}

/** Deletes the nonces whose window has passed by `now`, a chunk per transaction (see purgeInChunks); returns how many. */
export function purgeNonces(deps: Deps, now: number): Promise<number> {
  return purgeInChunks(deps, (q, limit) => q.nonces.purge(now, limit));
}
