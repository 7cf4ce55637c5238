/**
 * Answers about a chat's coupons, cached per process. A chat answer (OP v2
 * getMergeTicketUsersByChatId) reads and groups every coupon of a wallet — 200 rows for a busy
 * chat — while the wallet changes far less often than it is asked for. An answer is reused while
 * nothing it is made of has changed:
 *
 * - the stamp of its coupon set, the tenant's templates and catalog names — versions that
 *   database triggers move in the same transaction as every write to them (migration 0004), read
 *   with one primary-key lookup per request, so every process and machine sees a write at once
 *   (on PostgreSQL the stamps of requests arriving in one turn share one query: GatheredReads);
 * - the clock: until the first moment a coupon of the answer becomes effective or expires.
 *
 * The stamp is read before the answer is computed: a write landing in between leaves an entry
 * stamped older than its data, which the next request recomputes — never an old answer under a
 * new stamp. Cached values are shared between requests: callers must not change them.
 */
import type { Store } from '../../store/store.ts';
import type { Deps } from '../ports.ts';
import { GatheredReads } from '../requests/gathered-reads.ts';
import { onePer } from '../requests/per-turn.ts';
import type { WalletOwner } from './chat-wallet.ts';

/** A computed answer, the moment it was decided and the first moment the clock alone changes it. */
export interface TimedAnswer<T> {
  value: T;
  asOf: number;
  validUntil: number;
}

interface Entry {
  stamp: string;
  asOf: number;
  validUntil: number;
  value: unknown;
}

/** Entries per store; the oldest goes first when full. */
const MAX_ENTRIES = 2_000;
const caches = new WeakMap<object, Map<string, Entry>>();

/** The versioned set a chat wallet belongs to (see migration 0004). */
function couponSetKey(owner: WalletOwner): string {
  return owner.ownerType === 'operator' ? `operator:${owner.ownerId}` : `chat:${owner.chatId ?? ''}`;
}

const stampReaders = new WeakMap<Store, GatheredReads<string>>();

/** The stamp of a coupon set, read now (with the others asked for in this turn, on PostgreSQL). */
async function stampNow(store: Store, tenantId: string, setKey: string): Promise<string> {
  if (store.kind !== 'postgres') return store.q.couponSets.stamp(tenantId, setKey);
  const stamp = await onePer(stampReaders, store, () => new GatheredReads((t, keys) => store.q.couponSets.stamps(t, keys))).read(tenantId, setKey);
  if (stamp === undefined) throw new Error(`no stamp read for ${setKey}`);
  return stamp;
}

/**
 * The answer `compute` gives for this wallet, from the cache while still current. `variant` tells
 * apart different answers about the same wallet (dialect, statuses, options).
 */
export async function cachedChatAnswer<T>(deps: Deps, tenantId: string, owner: WalletOwner, variant: string, compute: () => Promise<TimedAnswer<T>>): Promise<T> {
  // A user's wallet outside any chat has no version of its own: never cached.
  if (owner.ownerType === 'user' && !owner.chatId) return (await compute()).value;
  const setKey = couponSetKey(owner);
  const stamp = await stampNow(deps.store, tenantId, setKey);
  const now = deps.clock.now();
  let cache = caches.get(deps.store);
  if (!cache) caches.set(deps.store, (cache = new Map()));
  const key = `${tenantId}\u0000${setKey}\u0000${owner.ownerId}\u0000${variant}`;
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp && now >= hit.asOf && now < hit.validUntil) return hit.value as T;
  const answer = await compute();
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { stamp, asOf: answer.asOf, validUntil: answer.validUntil, value: answer.value });
  return answer.value;
}
