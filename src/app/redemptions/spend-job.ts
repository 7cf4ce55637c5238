/**
 * SQLite: a redemption spent as read (see spendAsRead in redeem-coupon.ts) as a thread
 * transaction, so its statements and commit run on the store's writer thread with the claims —
 * one writer for every HTTP thread of the server, no contention for SQLite's write lock. A taken
 * Idempotency-Key rolls it back there and is thrown here as KeyTakenError again.
 */
import type { Spend } from '../../store/queries/redemptions.ts';
import { threadTransaction } from '../../store/store.ts';

export const spendJob = threadTransaction(import.meta.url, 'spendJob', (q, spend: Spend) => q.redemptions.spend(spend));
