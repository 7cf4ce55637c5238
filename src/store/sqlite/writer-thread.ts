/**
 * The main thread's side of a SQLite store's writer thread (writer-worker.ts). node:sqlite is
 * synchronous: on the event loop's thread a flash grab's commits would stop every request from
 * being read while they run. Hot transaction functions (ThreadTransaction) are sent here instead
 * and run on the thread's own connection, so HTTP and SQLite use both cores. The store sends a
 * few at a time (THREAD_PIPELINE), which the thread runs one after another, and runs nothing on
 * its own connection while any is with the thread, so the two connections never wait for each
 * other's write lock. Started at the first use. Stores of the same file on other threads of the
 * process (the server's HTTP threads) can be linked to it (link()), so one thread writes for all.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
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
  /**
   * `busyMs`: the function never ran, another process held the write lock that long
   * (DatabaseBusyError). `name`: the error's name, so the errors callers tell apart
   * (KeyTakenError) are thrown as themselves on the other side.
   */
  | { id: number; ok: false; name: string; message: string; stack: string; busyMs: number | null };

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
  resolve: (a: ThreadAnswer | TurnGranted) => void;
  reject: (e: unknown) => void;
}

/** What the thread is reached through: its Worker (the store that started it) or a link to it. */
type Channel = Worker | MessagePort;

/** Sent to the thread with a port another thread's store runs its transactions through. */
export interface LinkMessage {
  link: MessagePort;
}

/**
 * A store's main connection asks for the write lock's turn (`turn`), and gives it back
 * (`release`): the thread answers `granted` once everything it took before has committed and
 * takes nothing more, from any port, until the release.
 */
export type TurnMessage = { turn: number } | { release: number };
export interface TurnGranted {
  granted: number;
}

export class WriterThread {
  /** How to start the thread; null for a link to a thread another store started. */
  readonly #options: WriterThreadOptions | null;
  #worker: Worker | null = null;
  #link: MessagePort | null = null;
  #channel: Channel | null = null;
  #lost: string | null = null;
  #next = 1;
  readonly #waiting = new Map<number, Waiting>();
  #stopped: (() => void) | null = null;
  /** Other threads' stores write through this thread too (a link was made, or this is one). */
  #shared = false;

  /**
   * Options start a thread of this store's own (at the first use); a link (made by another
   * store's link()) reaches that store's thread instead: a server's HTTP threads share one writer,
   * so their claims queue up in one place.
   */
  constructor(how: WriterThreadOptions | LinkMessage) {
    if ('link' in how) {
      this.#options = null;
      this.#link = how.link;
      this.#shared = true;
      // Listening at once: a thread that is gone before the first use is seen to be gone.
      this.#start();
    } else {
      this.#options = how;
    }
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
    const channel = this.#start();
    const id = this.#next++;
    return new Promise<ThreadAnswer>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (a: ThreadAnswer | TurnGranted) => void, reject });
      channel.ref();
      try {
        channel.postMessage({ id, module: fn.module, name: fn.name, input } satisfies ThreadRequest);
      } catch (e) {
        // Not sent (an input that cannot be cloned): nothing ran, and nothing waits for an answer.
        this.#settled(channel, id);
        reject(e);
      }
    });
  }

  /**
   * A port through which another thread's store (new WriterThread({ link })) runs transactions on
   * this thread, in turn with this store's. Starts the thread if need be. Null when this is itself
   * a link (only the store that started the thread links others) or the thread is gone.
   */
  link(): MessagePort | null {
    if (this.#link || this.#lost !== null) return null;
    const worker = this.#start() as Worker;
    this.#shared = true;
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ link: port1 } satisfies LinkMessage, [port1]);
    return port2;
  }

  /**
   * Whether the stores of other threads write through this thread as well: then a batch on this
   * store's own connection takes the write lock's turn first (turn()), since this store cannot
   * see their transactions.
   */
  get shared(): boolean {
    return this.#shared;
  }

  /**
   * Waits until the thread has committed everything it was sent (by any store) and holds off
   * what comes next, so this store's own connection can take the write lock without contending
   * with it; resolves with the function that gives the turn back. Once the thread is gone it
   * resolves at once (there is nothing to contend with).
   */
  async turn(): Promise<() => void> {
    if (this.#lost !== null) return () => {};
    const channel = this.#start();
    const id = this.#next++;
    try {
      await new Promise<ThreadAnswer | TurnGranted>((resolve, reject) => {
        this.#waiting.set(id, { resolve, reject });
        channel.ref();
        channel.postMessage({ turn: id } satisfies TurnMessage);
      });
    } catch {
      return () => {};
    }
    return () => {
      if (this.#lost === null) channel.postMessage({ release: id } satisfies TurnMessage);
    };
  }

  #start(): Channel {
    if (this.#channel) return this.#channel;
    const onAnswer = (a: ThreadAnswer | TurnGranted | 'stopped') => {
      if (a === 'stopped') {
        this.#stopped?.();
        return;
      }
      const id = 'granted' in a ? a.granted : a.id;
      const w = this.#waiting.get(id);
      this.#settled(channel, id);
      w?.resolve(a);
    };
    let channel: Channel;
    if (this.#link) {
      channel = this.#link;
      channel.on('message', onAnswer);
      // The thread is gone (its store closed it, or it died): nothing sent is answered any more.
      channel.on('close', () => this.#lose('its link was closed'));
    } else {
      const worker = new Worker(new URL('./writer-worker.ts', import.meta.url), { workerData: this.#options });
      channel = worker;
      worker.on('message', onAnswer);
      worker.on('error', (e) => this.#lose(e.message));
      worker.on('exit', (code) => this.#lose(`exit code ${code}`));
      this.#worker = worker;
    }
    // An idle thread does not keep the process alive; one with work waiting does (ref in run).
    channel.unref();
    this.#channel = channel;
    return channel;
  }

  /**
   * The request is no longer waited for; with none left, the thread does not hold the process
   * open — unless it is being closed, which must run to its end (terminate included).
   */
  #settled(channel: Channel, id: number): void {
    this.#waiting.delete(id);
    if (this.#waiting.size === 0 && this.#lost === null) channel.unref();
  }

  #lose(why: string): void {
    this.#lost ??= why;
    for (const w of this.#waiting.values()) w.reject(new WriterThreadLostError(why));
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    if (this.#link) {
      // A link leaves the thread to the store that started it; what this store sent was answered
      // (the store waits for that before closing).
      if (this.#lost === null) this.#lost = 'closed';
      this.#link.close();
      return;
    }
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
