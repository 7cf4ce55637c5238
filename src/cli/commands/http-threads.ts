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
  /** Stops every thread: each stops taking connections, answers what it has, closes its store. */
  stop(): Promise<void>;
}

/** Starts `count` more HTTP threads on `port`, each linked to the writer thread by `links()`; resolves once all listen. */
export async function startHttpThreads(count: number, port: number, link: () => MessagePort | null, log: (m: string) => void): Promise<HttpThreads> {
  const threads = new Set<Worker>();
  let stopping = false;
  const start = async (index: number): Promise<void> => {
    const l = link();
    const data: ThreadData = { index, port, link: l };
    const w = new Worker(new URL('./http-thread.ts', import.meta.url), { workerData: data, transferList: l ? [l] : [] });
    threads.add(w);
    w.on('error', (e) => log(`HTTP thread ${index} failed: ${e.message}`));
    w.on('exit', (code) => {
      threads.delete(w);
      if (stopping) return;
      log(`HTTP thread ${index} exited (code ${code}); starting another`);
      setTimeout(() => void start(index).catch((e: Error) => log(`HTTP thread ${index} could not start again: ${e.message}`)), 500).unref();
    });
    const [m] = (await once(w, 'message')) as [string];
    if (m !== 'listening') throw new Error(`HTTP thread ${index}: ${m}`);
  };
  await Promise.all(Array.from({ length: count }, (_, i) => start(i + 1)));
  return {
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
