/**
 * PostgreSQL: coupons read by code for validations and redemptions that arrive together share
 * one query. A round trip to PostgreSQL costs the server more than the read itself (measured on
 * the 2-core machines: a third of the event loop's time in writing to the database's socket
 * under redeem load), so the reads waiting in one turn of the event loop go as one
 * `code = any(…)` query per tenant, and each caller gets its own row. Reads outside transactions
 * only: inside one, the transaction's own connection reads. On SQLite a read is a synchronous
 * call that costs less than gathering, and goes on its own.
 */
import type { Coupon } from '../../domain/coupon.ts';
import type { Store } from '../../store/store.ts';

export type FoundByCode = { coupon: Coupon; templateUpdatedAt: number } | undefined;

/** Codes per query (the array is one parameter; this only bounds the statement's work). */
const MAX_CODES = 500;

interface Waiting {
  code: string;
  resolve: (f: FoundByCode) => void;
  reject: (e: unknown) => void;
}

class CodeReader {
  readonly #store: Store;
  readonly #waiting = new Map<string, Waiting[]>();
  #scheduled = false;

  constructor(store: Store) {
    this.#store = store;
  }

  read(tenantId: string, code: string): Promise<FoundByCode> {
    return new Promise((resolve, reject) => {
      const list = this.#waiting.get(tenantId);
      if (list) list.push({ code, resolve, reject });
      else this.#waiting.set(tenantId, [{ code, resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const all = [...this.#waiting];
    this.#waiting.clear();
    for (const [tenantId, list] of all) {
      for (let i = 0; i < list.length; i += MAX_CODES) void this.#query(tenantId, list.slice(i, i + MAX_CODES));
    }
  }

  async #query(tenantId: string, list: Waiting[]): Promise<void> {
    try {
      const found = await this.#store.q.coupons.byCodesWithTemplateVersion(tenantId, [...new Set(list.map((w) => w.code))]);
      for (const w of list) w.resolve(found.get(w.code));
    } catch (e) {
      for (const w of list) w.reject(e);
    }
  }
}

const readers = new WeakMap<Store, CodeReader>();

/** A coupon by code with its template's version, read outside any transaction. */
export function couponByCode(store: Store, tenantId: string, code: string): Promise<FoundByCode> {
  if (store.kind !== 'postgres') return store.q.coupons.byCodeWithTemplateVersion(tenantId, code);
  let r = readers.get(store);
  if (!r) {
    r = new CodeReader(store);
    readers.set(store, r);
  }
  return r.read(tenantId, code);
}
