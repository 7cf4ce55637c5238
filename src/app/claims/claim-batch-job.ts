/**
 * A claim batch as a thread transaction: on a SQLite file the store runs it on its writer thread
 * (store.threadTransaction), so a flash grab's statements and commits leave the event loop to
 * HTTP. What crosses the thread is plain data, so refusals travel as their code, message and
 * details and become DomainErrors again here. Coupon ids and codes are drawn on the thread, from
 * the same cryptographic source as cryptoIds.
 */
import type { Coupon } from '../../domain/coupon.ts';
import { DomainError, type ErrorCode, type ErrorDetails } from '../../domain/errors.ts';
import { threadTransaction } from '../../store/store.ts';
import { cryptoIds } from '../ports.ts';
import { claimBatchInTransaction, type BatchClaim, type BatchOutcome } from './claim-batch.ts';

export interface ClaimBatchInput {
  claims: BatchClaim[];
  now: number;
}

type PlainOutcome = { ok: true; coupon: Coupon } | { ok: false; error: { code: ErrorCode; message: string; details: ErrorDetails } };

export const claimBatchJob = threadTransaction(import.meta.url, 'claimBatchJob', async (q, input: ClaimBatchInput): Promise<PlainOutcome[]> => {
  const outcomes = await claimBatchInTransaction(q, cryptoIds, input.claims, input.now);
  return outcomes.map((o) => (o.ok ? o : { ok: false, error: { code: o.error.code, message: o.error.message, details: o.error.details } }));
});

/** The outcomes as the batcher uses them (refusals as DomainErrors). */
export function fromPlain(outcomes: PlainOutcome[]): BatchOutcome[] {
  return outcomes.map((o) => (o.ok ? o : { ok: false, error: new DomainError(o.error.code, o.error.message, o.error.details) }));
}
