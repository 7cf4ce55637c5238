/**
 * Another process holding SQLite's write lock, played by a second connection to the same file,
 * and a store that counts (and can react to) the transactions a use case asks for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openRuntime, type Runtime } from '../../src/bootstrap.ts';
import type { Deps } from '../../src/app/ports.ts';
import type { Store } from '../../src/store/store.ts';
import { storeWith } from './store.ts';

export interface BusyRuntime extends Runtime {
  /** The other process: `other.exec('BEGIN IMMEDIATE')` takes the write lock. */
  other: DatabaseSync;
  done(): Promise<void>;
}

/** A SQLite runtime in a fresh file whose transactions wait `busyTimeoutMs` for the lock. */
export async function busyRuntime(busyTimeoutMs: number): Promise<BusyRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'couponhub-busy-'));
  const file = join(dir, 'busy.db');
  const rt = await openRuntime({ databaseUrl: file, sqliteSynchronous: 'NORMAL', poolSize: 1, busyTimeoutMs });
  const other = new DatabaseSync(file, { timeout: 5000 });
  return {
    ...rt,
    other,
    async done() {
      if (other.isTransaction) other.exec('ROLLBACK');
      other.close();
      await rt.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CountingStore extends Store {
  /** Transactions asked for so far. */
  readonly count: number;
}

/**
 * The store with transaction() and threadTransaction() counted; `committed(n)` runs right after the n-th transaction
 * succeeded, before its caller hears back (the moment to take the lock in between two).
 */
export function countingDeps(deps: Deps, committed: (n: number) => void = () => {}): Deps & { store: CountingStore } {
  const inner = deps.store;
  let count = 0;
  const store: CountingStore = {
    ...storeWith(inner, {
      transaction: (fn, options) => {
        const n = ++count;
        return inner.transaction(fn, options).then((v) => {
          committed(n);
          return v;
        });
      },
      threadTransaction: (fn, input) => {
        const n = ++count;
        return inner.threadTransaction(fn, input).then((v) => {
          committed(n);
          return v;
        });
      },
    }),
    get count() {
      return count;
    },
  };
  return { ...deps, store };
}

/** Turns of the event loop (timer callbacks) until stopped: waiting on them never blocks it. */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 1));
}

/** 'pending' while the promise has not settled. */
export function watch(p: Promise<unknown>): { state: 'pending' | 'resolved' | 'rejected' } {
  const w = { state: 'pending' as 'pending' | 'resolved' | 'rejected' };
  p.then(
    () => (w.state = 'resolved'),
    () => (w.state = 'rejected'),
  );
  return w;
}
