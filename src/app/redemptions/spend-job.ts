/**
 * SQLite: redemptions spent as read (see spendAsRead in redeem-coupon.ts) as thread
 * transactions, so their statements and commit run on the store's writer thread with the claims —
 * one writer for every HTTP thread of the server, no contention for SQLite's write lock. The
 * spends of a turn go together (spendEachJob: each decided in order, one answer for all); one
 * alone (spendJob) when a batch failed and each must learn its own fate. A taken
 * Idempotency-Key rolls spendJob back there and is thrown here as KeyTakenError again.
 */
import type { Spend } from '../../store/queries/redemptions.ts';
import { threadTransaction } from '../../store/store.ts';

export const spendJob = threadTransaction(import.meta.url, 'spendJob', (q, spend: Spend) => q.redemptions.spend(spend));

export const spendEachJob = threadTransaction(import.meta.url, 'spendEachJob', (q, spends: Spend[]) => q.redemptions.spendEach(spends));
