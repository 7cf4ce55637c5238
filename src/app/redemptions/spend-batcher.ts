/**
 * PostgreSQL: redemptions spent as read (see spendAsRead in redeem-coupon.ts) that arrive
 * together go as one statement, q.redemptions.spendMany: one round trip and one commit for all
 * of them, each spend still holding only if its own coupon is exactly as read, each caller
 * answered on its own. Spends of one coupon in the same turn go in turns (the second finds the
 * coupon moved and goes the transactional way). A statement that fails writes nothing (a taken
 * Idempotency-Key, a value one row cannot carry, a deadlock): its spends then go one by one, so
 * only the request it was about is told. A database that is down fails the round at once (a
 * spend that committed before the connection was lost replays from its key on the client's retry).
 * SQLite spends each on its own (in its transaction, on the writer thread: spend-job.ts).
 */
import { isInputFailure, type Store } from '../../store/store.ts';
import type { Spend } from '../../store/queries/redemptions.ts';
import { ONE_STATEMENT } from '../ports.ts';
import { onePer, PerTurn } from '../requests/per-turn.ts';
import { spendJob } from './spend-job.ts';

type Outcome = 'spent' | 'stale';

interface Waiting {
  spend: Spend;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
}

/** Spends per statement. */
const MAX_SPENDS = 200;

class SpendBatcher {
  readonly #store: Store;
  readonly #turn = new PerTurn<Waiting>((tenantId, list) => void this.#run(tenantId, list));

  constructor(store: Store) {
    this.#store = store;
  }

  submit(spend: Spend): Promise<Outcome> {
    return new Promise((resolve, reject) => this.#turn.add(spend.redemption.tenantId, { spend, resolve, reject }));
  }

  /** Rounds of distinct coupons, one statement each, in order. */
  async #run(tenantId: string, list: Waiting[]): Promise<void> {
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
      for (const w of round) await this.#alone(w);
    }
  }

  async #alone(w: Waiting): Promise<void> {
    try {
      w.resolve(await this.#store.transaction((q) => q.redemptions.spend(w.spend), ONE_STATEMENT));
    } catch (e) {
      w.reject(e);
    }
  }
}

const batchers = new WeakMap<Store, SpendBatcher>();

/** Spends as read: with the spends arriving beside it on PostgreSQL, on its own on SQLite (on the writer thread). */
export function spendAsReadNow(store: Store, spend: Spend): Promise<Outcome> {
  if (store.kind !== 'postgres') return store.threadTransaction(spendJob, spend);
  return onePer(batchers, store, () => new SpendBatcher(store)).submit(spend);
}
