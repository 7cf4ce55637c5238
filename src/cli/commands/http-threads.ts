/**
 * The server's HTTP threads on a SQLite file. Node serves HTTP on one thread; a coupon server's
 * requests spend much of their time in SQLite (reads, and the claims' statements and commits on
 * the writer thread). With several threads listening on the same port (SO_REUSEPORT: the kernel
 * spreads connections over them), each parses, authenticates, reads and answers its own
 * connections, and all share the one SQLite writer thread, so claims from every thread still
 * queue and commit in one place (group commit and stock exactly as with one thread). Each
 * thread has its own read connection and caches; the caches are checked against versions in the
 * database, as between the processes of `serve --workers`.
 *
 * The threads run http-thread.ts.
 */
import { once } from 'node:events';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { FastifyListenOptions } from 'fastify';
import type { ThreadData } from './http-thread.ts';

export interface HttpThreads {
  /** The port they listen on (the one asked for, or the one the first thread was given for 0). */
  port: number;
  /** Every thread of the process listens: their /health may answer 200 now (a thread started later does at once). */
  serving(): void;
  /** Stops every thread: each stops taking connections, answers what it has, closes its store. */
  stop(): Promise<void>;
}

/** What a thread says once it listens (its port) or could not start (why). */
export type ThreadReady = { listening: number } | { failed: string };

/**
 * Starts `count` HTTP threads, each with a link to the writer thread from `link()`: the first on
 * `port` (0: one the system picks), the others on the port it got. Resolves once all listen, so a
 * caller that listens on the port last (the main thread) answers /health only when every thread
 * takes connections; if one cannot start, the others are stopped and it rejects. A thread that
 * dies after it listened is replaced (tried again every 5 s while that fails).
 */
export async function startHttpThreads(count: number, port: number, link: () => MessagePort | null, log: (m: string) => void): Promise<HttpThreads> {
  const threads = new Set<Worker>();
  let stopping = false;
  let serving = false;
  let bound = port;
  const start = async (index: number, initial: boolean): Promise<number> => {
    const l = link();
    const data: ThreadData = { index, port: bound, link: l };
    const w = new Worker(new URL('./http-thread.ts', import.meta.url), { workerData: data, transferList: l ? [l] : [] });
    threads.add(w);
    let listening = false;
    const ready = new Promise<ThreadReady>((resolve) => {
      w.once('message', resolve);
      w.once('error', (e) => resolve({ failed: e.message }));
      w.once('exit', (code) => resolve({ failed: `exited with code ${code} before listening` }));
    });
    w.on('error', (e) => log(`HTTP thread ${index} failed: ${e.message}`));
    w.on('exit', (code) => {
      threads.delete(w);
      if (stopping || !listening) return;
      log(`HTTP thread ${index} exited (code ${code}); starting another`);
      const again = () => {
        if (stopping) return;
        start(index, false).catch((e: Error) => {
          log(`HTTP thread ${index} could not start again (${e.message}); trying again in 5 s`);
          setTimeout(again, 5000).unref();
        });
      };
      setTimeout(again, 500).unref();
    });
    const r = await ready;
    if ('failed' in r) {
      if (initial) {
        stopping = true;
        await Promise.all([...threads].map((t) => t.terminate()));
      }
      throw new Error(`HTTP thread ${index}: ${r.failed}`);
    }
    listening = true;
    if (serving) w.postMessage('serving');
    return r.listening;
  };
  bound = await start(1, true);
  await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 2, true)));
  return {
    port: bound,
    serving() {
      serving = true;
      for (const w of threads) w.postMessage('serving');
    },
    async stop() {
      stopping = true;
      await Promise.all(
        [...threads].map(async (w) => {
          const exited = once(w, 'exit');
          w.postMessage('stop');
          const timer = setTimeout(() => void w.terminate(), 10_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/**
 * Listen options for a port several threads listen on (SO_REUSEPORT; Node passes `reusePort`
 * on to the socket, Fastify's types do not list it).
 */
export function sharedPort(port: number, host: string): FastifyListenOptions {
  return { port, host, reusePort: true } as FastifyListenOptions;
}
