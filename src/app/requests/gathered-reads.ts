/**
 * Reads asked for in one turn of the event loop, gathered into one query per group (a tenant).
 * On PostgreSQL a round trip costs the server more than the read itself (measured on the 2-core
 * machines: a third of the event loop's time went to writing to the database's socket under
 * load), so the point reads of requests arriving together go as one `key = any(…)` query, and
 * each caller gets its own value. For reads outside transactions only: inside one, the
 * transaction's own connection reads.
 */
import { isInputFailure } from '../../store/store.ts';

interface Waiting<V> {
  key: string;
  resolve: (v: V | undefined) => void;
  reject: (e: unknown) => void;
}

/** Reads every key of one group; keys it does not return are absent. */
export type ReadMany<V> = (group: string, keys: string[]) => Promise<Map<string, V>>;

export class GatheredReads<V> {
  readonly #readMany: ReadMany<V>;
  /** Keys per query (the array is one parameter; this only bounds the statement's work). */
  readonly #maxKeys: number;
  readonly #waiting = new Map<string, Waiting<V>[]>();
  #scheduled = false;

  constructor(readMany: ReadMany<V>, maxKeys = 500) {
    this.#readMany = readMany;
    this.#maxKeys = maxKeys;
  }

  /** The value of `key` in `group`, read with the other reads asked for in this turn. */
  read(group: string, key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.#waiting.get(group);
      if (list) list.push({ key, resolve, reject });
      else this.#waiting.set(group, [{ key, resolve, reject }]);
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
    for (const [group, list] of all) {
      for (let i = 0; i < list.length; i += this.#maxKeys) void this.#query(group, list.slice(i, i + this.#maxKeys));
    }
  }

  async #query(group: string, list: Waiting<V>[]): Promise<void> {
    const keys = [...new Set(list.map((w) => w.key))];
    try {
      const found = await this.#readMany(group, keys);
      for (const w of list) w.resolve(found.get(w.key));
    } catch (e) {
      if (keys.length === 1 || !isInputFailure(e)) {
        for (const w of list) w.reject(e);
        return;
      }
      // One key the query cannot take (a NUL in a code) must not fail the others: each alone.
      await Promise.all(keys.map((k) => this.#query(group, list.filter((w) => w.key === k))));
    }
  }
}

/** One GatheredReads per store (and per kind of read: give each its own map). */
export function gatheredFor<S extends object, V>(perStore: WeakMap<S, GatheredReads<V>>, store: S, readMany: ReadMany<V>): GatheredReads<V> {
  let r = perStore.get(store);
  if (!r) {
    r = new GatheredReads(readMany);
    perStore.set(store, r);
  }
  return r;
}
