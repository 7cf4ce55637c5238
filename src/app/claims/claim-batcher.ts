/**
 * Group commit for claims. Claims that arrive while a transaction is running wait for it and then
 * go together in the next one: one BEGIN, one lock per template, a few multi-row statements, one
 * COMMIT (one fsync) for all of them, and each caller still gets its own exact answer. Nothing is
 * acknowledged before its transaction has committed.
 */
import type { Coupon } from '../../domain/coupon.ts';
import type { Store } from '../../store/store.ts';
import type { Deps } from '../ports.ts';
import { claimBatchInTransaction, type BatchClaim, type BatchOutcome } from './claim-batch.ts';
import { claimInTransaction } from './claim-one.ts';

/** Claims per transaction: big enough to amortise the commit, small enough to keep latency flat. */
const MAX_BATCH = 256;

interface Pending {
  claim: BatchClaim;
  resolve: (c: Coupon) => void;
  reject: (e: unknown) => void;
}

const key = (c: BatchClaim) => `${c.tenantId}\u0000${c.templateId}`;

export class ClaimBatcher {
  readonly #deps: Deps;
  readonly #parallel: number;
  #queue: Pending[] = [];
  #running = 0;
  #scheduled = false;

  constructor(deps: Deps) {
    this.#deps = deps;
    // SQLite has one writer; PostgreSQL can commit batches for different templates side by side.
    this.#parallel = deps.store.kind === 'postgres' ? 4 : 1;
  }

  submit(claim: BatchClaim): Promise<Coupon> {
    return new Promise<Coupon>((resolve, reject) => {
      this.#queue.push({ claim, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#parallel || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate lets the requests read in the same I/O turn join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#running >= this.#parallel || this.#queue.length === 0) return;
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#running++;
      void this.#run(batch).finally(() => {
        this.#running--;
        this.#schedule();
      });
    });
  }

  async #run(batch: Pending[]): Promise<void> {
    // Templates in a fixed order, so processes sharing PostgreSQL take row locks in one order.
    const groups = new Map<string, Pending[]>();
    for (const p of batch) groups.set(key(p.claim), [...(groups.get(key(p.claim)) ?? []), p]);
    const ordered = [...groups.keys()].sort().map((k) => groups.get(k) as Pending[]);
    let outcomes: BatchOutcome[][];
    try {
      outcomes = await this.#deps.store.transaction(async (q) => {
        const now = this.#deps.clock.now();
        const out: BatchOutcome[][] = [];
        for (const g of ordered) out.push(await claimBatchInTransaction(q, this.#deps.ids, g.map((p) => p.claim), now));
        return out;
      });
    } catch (e) {
      // Something unexpected (not a refusal): isolate it by running each claim on its own.
      await Promise.all(batch.map((p) => this.#single(p)));
      return;
    }
    ordered.forEach((g, gi) =>
      g.forEach((p, i) => {
        const o = outcomes[gi]?.[i];
        if (o?.ok) p.resolve(o.coupon);
        else p.reject(o ? o.error : new Error('claim lost its outcome'));
      }),
    );
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
  let b = batchers.get(deps.store);
  if (!b) {
    b = new ClaimBatcher(deps);
    batchers.set(deps.store, b);
  }
  return b;
}
