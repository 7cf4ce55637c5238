import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the background thread for a SQLite file in WAL mode: checkpoints, and planner statistics now and then. */
export function startCheckpointer(path: string, intervalMs = 100, optimizeEveryMs = 10 * 60_000): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: { path, intervalMs, optimizeEveryMs } });
  worker.unref();
  worker.on('error', () => {});
  return {
    async stop() {
      worker.postMessage('stop');
      // Wait for the thread's last checkpoint, at most 2 s; the timer must not outlive the answer
      // (it would hold every CLI command open for the full 2 s).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([once(worker, 'message'), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
