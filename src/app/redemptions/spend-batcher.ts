/**
 * Redemptions spent as read (see spendAsRead in redeem-coupon.ts) that arrive together — in one
 * turn of the event loop, or while the batches before them were out — are written together, each
 * caller answered on its own.
 *
 * PostgreSQL: as one statement, q.redemptions.spendMany: one round trip and one commit for all
 * of them, each spend still holding only if its own coupon is exactly as read. Spends of one
 * coupon in the same batch go in turns (the second finds the coupon moved and goes the
 * transactional way). A statement that fails writes nothing (a taken Idempotency-Key, a value
 * one row cannot carry, a deadlock): its spends then go one by one, in order, so only the
 * request it was about is told. A database that is down fails the round at once (a spend that
 * committed before the connection was lost replays from its key on the client's retry).
 *
 * SQLite: as one thread transaction on the writer thread (spendEachJob), which decides each spend
 * in order under the write lock and writes those spent with a statement per table: one message
 * each way and a handful of statements for up to MAX_SPENDS spends, instead of a message pair, a
 * savepoint and four statements per spend. If it fails unexpectedly, each spend goes alone
 * (spendJob).
 *
 * A tenant has a bounded number of batches in flight from one store (SPEND_BATCHES_IN_FLIGHT; a
 * store per process, and per HTTP thread on SQLite): spends arriving while they are all out wait,
 * and go together the moment one is answered, instead of each turn sending its own few. Under
 * load the batches grow and the fixed cost of one — a statement, its trigger and commit on
 * PostgreSQL, a message pair and a transaction on SQLite — is shared by more spends; a lone spend
 * still goes at the end of its turn. A batch still out after SLOW_BATCH_MS gives its slot up (it
 * goes on, and answers its own spends when it ends), so one that hangs holds back no others.
 */
import { DatabaseBusyError, isInputFailure, KeyTakenError, THREAD_PIPELINE, WriterThreadLostError, type Store } from '../../store/store.ts';
import type { Spend } from '../../store/queries/redemptions.ts';
import { ONE_STATEMENT } from '../ports.ts';
import { onePer, PerTurn } from '../requests/per-turn.ts';
import { spendEachJob, spendJob } from './spend-job.ts';

type Outcome = 'spent' | 'stale';

interface Waiting {
  spend: Spend;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
}

/** Spends per statement. */
const MAX_SPENDS = 200;

/**
 * Spend batches of one tenant in flight at once. PostgreSQL: one. SQLite: as claim batches, one
 * running on the writer thread and one waiting there. Against a batch sent every turn, in paired
 * rounds of `npm run bench:ab` (medians of per-round differences): redemptions +8.6 % on
 * PostgreSQL (B ahead in 8 of 10) and +5.1 % on SQLite (6 of 10). One against two showed no
 * consistent difference on either database (PostgreSQL: +3.9 % and −6.9 % for two in two runs of
 * 10 rounds); smaller batches sent side by side (at most four spends each) −13.8 %: what a batch
 * costs is mostly fixed.
 */
export const SPEND_BATCHES_IN_FLIGHT = { sqlite: THREAD_PIPELINE, postgres: 1 } as const;

/** A batch out longer than this (a row lock held elsewhere, a stuck connection) frees its slot. */
export const SLOW_BATCH_MS = 2000;

/** A tenant's spends waiting for a free slot, and its batches holding one. */
interface TenantLine {
  waiting: Waiting[];
  inFlight: number;
}

class SpendBatcher {
  readonly #store: Store;
  readonly #limit: number;
  readonly #turn = new PerTurn<Waiting>((tenantId, list) => this.#queue(tenantId, list));
  readonly #lines = new Map<string, TenantLine>();

  constructor(store: Store) {
    this.#store = store;
    this.#limit = SPEND_BATCHES_IN_FLIGHT[store.kind];
  }

  submit(spend: Spend): Promise<Outcome> {
    return new Promise((resolve, reject) => this.#turn.add(spend.redemption.tenantId, { spend, resolve, reject }));
  }

  /** A turn's spends of a tenant: sent now if a slot is free, else with whatever waits when one is. */
  #queue(tenantId: string, list: Waiting[]): void {
    let line = this.#lines.get(tenantId);
    if (!line) {
      line = { waiting: [], inFlight: 0 };
      this.#lines.set(tenantId, line);
    }
    for (const w of list) line.waiting.push(w);
    this.#send(tenantId, line);
  }

  #send(tenantId: string, line: TenantLine): void {
    while (line.inFlight < this.#limit && line.waiting.length > 0) {
      const batch = line.waiting;
      line.waiting = [];
      line.inFlight++;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        clearTimeout(slow);
        line.inFlight--;
        if (line.inFlight === 0 && line.waiting.length === 0) this.#lines.delete(tenantId);
        else this.#send(tenantId, line);
      };
      const slow = setTimeout(release, SLOW_BATCH_MS);
      slow.unref();
      void this.#run(tenantId, batch)
        // #run answers each spend itself; anything it let through still reaches every caller
        // (one already answered keeps its answer).
        .catch((e: unknown) => {
          for (const w of batch) w.reject(e);
        })
        .finally(release);
    }
  }

  /** Rounds of distinct coupons, one statement each, in order (SQLite: MAX_SPENDS spends a transaction). */
  async #run(tenantId: string, list: Waiting[]): Promise<void> {
    if (this.#store.kind === 'sqlite') {
      for (let i = 0; i < list.length; i += MAX_SPENDS) await this.#spendOnThread(list.slice(i, i + MAX_SPENDS));
      return;
    }
    let left = list;
    while (left.length > 0) {
      const seen = new Set<string>();
      const round: Waiting[] = [];
      const later: Waiting[] = [];
      for (const w of left) {
        if (round.length < MAX_SPENDS && !seen.has(w.spend.redemption.couponId)) {
          seen.add(w.spend.redemption.couponId);
          round.push(w);
        } else later.push(w);
      }
      await this.#spend(tenantId, round);
      left = later;
    }
  }

  async #spend(tenantId: string, round: Waiting[]): Promise<void> {
    if (round.length === 1) return this.#alone(round[0] as Waiting);
    try {
      const spent = await this.#store.transaction((q) => q.redemptions.spendMany(tenantId, round.map((w) => w.spend)), ONE_STATEMENT);
      for (const w of round) w.resolve(spent.has(w.spend.redemption.couponId) ? 'spent' : 'stale');
    } catch (e) {
      // The statement wrote nothing (it is atomic). A taken key, a value one row cannot carry
      // (an order id PostgreSQL's json refuses), a deadlock with another process's batch: each
      // spend goes on its own, so only the one it was about hears of it. A database that is
      // down fails them all at once instead of once per spend.
      if (!isInputFailure(e)) {
        for (const w of round) w.reject(e);
        return;
      }
      // In order: of two spends under one key, the first asked gets it.
      for (const w of round) await this.#alone(w);
    }
  }

  async #spendOnThread(round: Waiting[]): Promise<void> {
    let outcomes: Array<Outcome | 'taken'>;
    try {
      outcomes = await this.#store.threadTransaction(spendEachJob, round.map((w) => w.spend));
    } catch (e) {
      // Nothing of it was written, or (the thread lost) whether it was is unknown: the latter
      // must not run again; another process's lock held past the wait would hold again.
      if (e instanceof WriterThreadLostError || e instanceof DatabaseBusyError) {
        for (const w of round) w.reject(e);
        return;
      }
      for (const w of round) await this.#alone(w);
      return;
    }
    round.forEach((w, i) => {
      const o = outcomes[i];
      if (o === 'taken') w.reject(new KeyTakenError());
      else if (o) w.resolve(o);
      else w.reject(new Error('a spend lost its outcome'));
    });
  }

  async #alone(w: Waiting): Promise<void> {
    try {
      w.resolve(this.#store.kind === 'sqlite' ? await this.#store.threadTransaction(spendJob, w.spend) : await this.#store.transaction((q) => q.redemptions.spend(w.spend), ONE_STATEMENT));
    } catch (e) {
      w.reject(e);
    }
  }
}

const batchers = new WeakMap<Store, SpendBatcher>();

/** Spends as read, with the spends arriving beside it. Rejects with KeyTakenError when its key is taken (nothing written). */
export function spendAsReadNow(store: Store, spend: Spend): Promise<Outcome> {
  return onePer(batchers, store, () => new SpendBatcher(store)).submit(spend);
}
