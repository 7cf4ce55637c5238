/**
 * What requests ask for in one turn of the event loop, handed over together per group (a
 * tenant) once the turn is over: the requests read in the same I/O turn meet there. Shared by
 * the gathered reads and the batched spends of PostgreSQL.
 */
export class PerTurn<T> {
  readonly #waiting = new Map<string, T[]>();
  readonly #take: (group: string, items: T[]) => void;
  #scheduled = false;

  /** `take` gets each group's items of the turn, in the order they were added. */
  constructor(take: (group: string, items: T[]) => void) {
    this.#take = take;
  }

  add(group: string, item: T): void {
    const list = this.#waiting.get(group);
    if (list) list.push(item);
    else this.#waiting.set(group, [item]);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const all = [...this.#waiting];
      this.#waiting.clear();
      for (const [group, items] of all) this.#take(group, items);
    });
  }
}

/** The one value of `key` in `map`, made by `make` the first time. */
export function onePer<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
