/**
 * Group commit for claims. Claims that arrive while a transaction is running wait for it and then
 * go together in the next one: one BEGIN, one lock per template, a few multi-row statements, one
 * COMMIT (one fsync) for all of them, and each caller still gets its own exact answer. Nothing is
 * acknowledged before its transaction has committed.
 *
 * Each template has its own queue. On PostgreSQL a template has at most one batch in flight (a
 * second one would only wait for the first one's row lock) and different templates run side by
 * side on four connections. SQLite has one writer, which runs one batch at a time: there two
 * batches are in flight (THREAD_PIPELINE), so the writer thread has the next one at hand when one
 * commits; they are decided in the order they were sent, each seeing what the one before took
 * (a batch that fails unexpectedly has its claims run one by one afterwards, after the next one).
 * Templates take turns, so a template under a flood of claims cannot hold the others back: a free
 * slot goes to a template with no batch in flight before a hot one gets its second.
 */
import type { Coupon } from '../../domain/coupon.ts';
import { THREAD_PIPELINE, WriterThreadLostError, type Store } from '../../store/store.ts';
import { cryptoIds, isDatabaseBusy, type Deps } from '../ports.ts';
import { claimBatchAsRead, claimBatchInTransaction, type BatchClaim, type BatchOutcome } from './claim-batch.ts';
import { claimBatchJob, fromPlain } from './claim-batch-job.ts';
import { claimInTransaction } from './claim-one.ts';
import { onePer } from '../requests/per-turn.ts';

/** Claims per transaction: big enough to amortise the commit, small enough to keep latency flat. */
const MAX_BATCH = 512;

interface Pending {
  claim: BatchClaim;
  resolve: (c: Coupon) => void;
  reject: (e: unknown) => void;
}

export class ClaimBatcher {
  readonly #deps: Deps;
  /** Batches in flight at most, all templates together, and for one template. */
  readonly #parallel: number;
  readonly #perTemplate: number;
  readonly #queues = new Map<string, Pending[]>();
  /** Batches in flight by template. */
  readonly #busy = new Map<string, number>();
  #inFlight = 0;
  #scheduled = false;

  constructor(deps: Deps) {
    this.#deps = deps;
    const postgres = deps.store.kind === 'postgres';
    this.#parallel = postgres ? 4 : THREAD_PIPELINE;
    this.#perTemplate = postgres ? 1 : THREAD_PIPELINE;
  }

  submit(claim: BatchClaim): Promise<Coupon> {
    return new Promise<Coupon>((resolve, reject) => {
      const k = `${claim.tenantId}\u0000${claim.templateId}`;
      const q = this.#queues.get(k);
      if (q) q.push({ claim, resolve, reject });
      else this.#queues.set(k, [{ claim, resolve, reject }]);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate lets the requests read in the same I/O turn join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  /** Starts batches while slots are free. */
  #drain(): void {
    // A snapshot: a template picked below moves to the end of the map. Templates with fewer
    // batches in flight go first: a free slot goes to a template that has none before a hot
    // template gets its second.
    const waiting = [...this.#queues];
    for (let level = 0; level < this.#perTemplate; level++) {
      for (const [k, q] of waiting) {
        if (this.#inFlight >= this.#parallel) return;
        const busy = this.#busy.get(k) ?? 0;
        if (busy !== level || q.length === 0) continue;
        const batch = q.splice(0, MAX_BATCH);
        // Round robin: a hot template with more than a batch waiting goes to the back, behind
        // every other template that waits, instead of being first again at each round.
        this.#queues.delete(k);
        if (q.length > 0) this.#queues.set(k, q);
        this.#busy.set(k, busy + 1);
        this.#inFlight++;
        void this.#run(k, batch);
      }
    }
  }

  /** A batch of template `k` is over: its slot is free, and what waits goes at once. */
  #release(k: string): void {
    this.#inFlight--;
    const left = (this.#busy.get(k) ?? 1) - 1;
    if (left > 0) this.#busy.set(k, left);
    else this.#busy.delete(k);
    if (this.#queues.size > 0) this.#drain();
  }

  /**
   * The batch's transaction: on the store's writer thread when the ids are the real ones (the
   * thread draws its own); with injected ids (tests) on this thread, so they are used.
   */
  async #write(claims: BatchClaim[]): Promise<BatchOutcome[]> {
    const { store, ids, clock } = this.#deps;
    const now = clock.now();
    if (store.kind === 'postgres') {
      const asRead = await claimBatchAsRead(store, ids, claims, now);
      if (asRead) return asRead;
    }
    if (ids === cryptoIds) return fromPlain(await store.threadTransaction(claimBatchJob, { claims, now }));
    return store.transaction((q) => claimBatchInTransaction(q, ids, claims, now));
  }

  async #run(k: string, batch: Pending[]): Promise<void> {
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.#write(batch.map((p) => p.claim));
    } catch (e) {
      await this.#failed(batch, e);
      this.#release(k);
      return;
    }
    // The next batch is sent before these callers are answered: the writer works on it while
    // this thread writes the responses, instead of waiting for them.
    this.#release(k);
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o?.ok) p.resolve(o.coupon);
      else p.reject(o ? o.error : new Error('claim lost its outcome'));
    });
  }

  async #failed(batch: Pending[], e: unknown): Promise<void> {
    // Another process held the write lock for the whole wait: nothing ran, and running the
    // claims one by one would only make each wait that long again (the k-th answered after
    // k + 1 waits). Every claim of the batch gets the same answer now.
    // The writer thread stopped with the batch: it may have committed, so it is not run again.
    if (isDatabaseBusy(e) || e instanceof WriterThreadLostError) {
      for (const p of batch) p.reject(e);
      return;
    }
    // Something unexpected (not a refusal): isolate it by running each claim on its own.
    for (const p of batch) await this.#single(p);
  }

  async #single(p: Pending): Promise<void> {
    try {
      p.resolve(await this.#deps.store.transaction((q) => claimInTransaction(q, this.#deps.ids, p.claim, this.#deps.clock.now())));
    } catch (e) {
      p.reject(e);
    }
  }
}

const batchers = new WeakMap<Store, ClaimBatcher>();

/** The batcher of a store (one per store per process). */
export function batcherFor(deps: Deps): ClaimBatcher {
  return onePer(batchers, deps.store, () => new ClaimBatcher(deps));
}
