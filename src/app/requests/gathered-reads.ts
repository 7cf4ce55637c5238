/**
 * Reads asked for in one turn of the event loop, gathered into one query per group (a tenant).
 * On PostgreSQL a round trip costs the server more than the read itself (measured on the 2-core
 * machines: a third of the event loop's time went to writing to the database's socket under
 * load), so the point reads of requests arriving together go as one `key = any(…)` query, and
 * each caller gets its own value. For reads outside transactions only: inside one, the
 * transaction's own connection reads.
 */
import { isInputFailure } from '../../store/store.ts';
import { PerTurn } from './per-turn.ts';

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
  readonly #turn: PerTurn<Waiting<V>>;

  constructor(readMany: ReadMany<V>, maxKeys = 500) {
    this.#readMany = readMany;
    this.#maxKeys = maxKeys;
    this.#turn = new PerTurn((group, list) => {
      for (let i = 0; i < list.length; i += this.#maxKeys) void this.#query(group, list.slice(i, i + this.#maxKeys));
    });
  }

  /** The value of `key` in `group`, read with the other reads asked for in this turn. */
  read(group: string, key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => this.#turn.add(group, { key, resolve, reject }));
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
