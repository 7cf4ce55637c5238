/**
 * The main thread's side of a SQLite store's writer thread (writer-worker.ts). node:sqlite is
 * synchronous: on the event loop's thread a flash grab's commits would stop every request from
 * being read while they run. Hot transaction functions (ThreadTransaction) are sent here instead
 * and run on the thread's own connection, so HTTP and SQLite use both cores. The store sends a
 * few at a time (THREAD_PIPELINE), which the thread runs one after another, and runs nothing on
 * its own connection while any is with the thread, so the two connections never wait for each
 * other's write lock. Started at the first use.
 */
import { Worker } from 'node:worker_threads';
import type { ThreadTransaction } from '../thread-transaction.ts';
import type { SqliteSynchronous } from './connect.ts';

export interface ThreadRequest {
  id: number;
  module: string;
  name: string;
  input: unknown;
}

export type ThreadAnswer =
  | { id: number; ok: true; value: unknown }
  /** `busyMs`: the function never ran, another process held the write lock that long (DatabaseBusyError). */
  | { id: number; ok: false; message: string; stack: string; busyMs: number | null };

export interface WriterThreadOptions {
  path: string;
  synchronous: SqliteSynchronous;
  lockWaitMs: number;
}

/**
 * The writer thread stopped while a transaction was with it: whether that transaction committed
 * is unknown, so it must not be run again. Later transactions run on the main connection.
 */
export class WriterThreadLostError extends Error {
  constructor(why: string) {
    super(`the SQLite writer thread stopped (${why}) while a transaction was with it: whether it committed is unknown`);
    this.name = 'WriterThreadLostError';
  }
}

interface Waiting {
  resolve: (a: ThreadAnswer) => void;
  reject: (e: unknown) => void;
}

export class WriterThread {
  readonly #options: WriterThreadOptions;
  #worker: Worker | null = null;
  #lost: string | null = null;
  #next = 1;
  readonly #waiting = new Map<number, Waiting>();
  #stopped: (() => void) | null = null;

  constructor(options: WriterThreadOptions) {
    this.#options = options;
  }

  /** False once the thread has stopped by itself: the store then runs everything on its own connection. */
  get usable(): boolean {
    return this.#lost === null;
  }

  /**
   * Runs fn(q, input) in one transaction on the thread. Rejects with WriterThreadLostError if the
   * thread stops before answering, or with postMessage's own error if the input cannot be sent.
   */
  run(fn: ThreadTransaction<unknown, unknown>, input: unknown): Promise<ThreadAnswer> {
    const worker = this.#start();
    const id = this.#next++;
    return new Promise<ThreadAnswer>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref();
      try {
        worker.postMessage({ id, module: fn.module, name: fn.name, input } satisfies ThreadRequest);
      } catch (e) {
        // Not sent (an input that cannot be cloned): nothing ran, and nothing waits for an answer.
        this.#settled(worker, id);
        reject(e);
      }
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./writer-worker.ts', import.meta.url), { workerData: this.#options });
    // An idle thread does not keep the process alive; one with work waiting does (ref in run).
    worker.unref();
    worker.on('message', (a: ThreadAnswer | 'stopped') => {
      if (a === 'stopped') {
        this.#stopped?.();
        return;
      }
      const w = this.#waiting.get(a.id);
      this.#settled(worker, a.id);
      w?.resolve(a);
    });
    worker.on('error', (e) => this.#lose(e.message));
    worker.on('exit', (code) => this.#lose(`exit code ${code}`));
    this.#worker = worker;
    return worker;
  }

  /**
   * The request is no longer waited for; with none left, the thread does not hold the process
   * open — unless it is being closed, which must run to its end (terminate included).
   */
  #settled(worker: Worker, id: number): void {
    this.#waiting.delete(id);
    if (this.#waiting.size === 0 && this.#lost === null) worker.unref();
  }

  #lose(why: string): void {
    this.#lost ??= why;
    for (const w of this.#waiting.values()) w.reject(new WriterThreadLostError(why));
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker || this.#lost) return;
    this.#lost = 'closed';
    worker.ref();
    const stopped = new Promise<void>((r) => (this.#stopped = r));
    worker.postMessage('stop');
    // The thread finishes what it was sent and closes its connection first (at most 2 s: the
    // timer must not outlive the answer).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    await worker.terminate();
  }
}
