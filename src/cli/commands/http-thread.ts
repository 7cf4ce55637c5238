/**
 * One HTTP thread of the server (started by http-threads.ts): the whole API on its own event
 * loop, its own SQLite read connection and caches, its thread transactions (claims,
 * redemptions) sent to the main thread's writer thread through the link it was given. It
 * listens on the server's port beside the others (SO_REUSEPORT) and stops when told: no new
 * connections, answers what it has, closes its store.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openRuntime } from '../../bootstrap.ts';
import { loadConfig } from '../../config.ts';
import { buildServer } from '../../http/server.ts';
import type { AddressInfo } from 'node:net';
import { sharedPort, type ThreadReady } from './http-threads.ts';

export interface ThreadData {
  index: number;
  port: number;
  /** The writer thread's link (SqliteStore.linkWriter), null without one. */
  link: MessagePort | null;
}

async function runThread(data: ThreadData): Promise<void> {
  const port = parentPort as MessagePort;
  const config = loadConfig();
  // Without a link (no writer thread to share: PostgreSQL, the writer off or lost) it starts none of its own.
  const runtime = await openRuntime(config, { store: { ...(data.link ? { writerLink: data.link } : { writerThread: false }), checkpoints: false } });
  // Ready (GET /health) once the main thread says every thread listens.
  let serving = false;
  const app = await buildServer(runtime.deps, config, { ready: () => serving });
  try {
    await app.listen(sharedPort(data.port, config.host));
  } catch (e) {
    port.postMessage({ failed: `could not listen on ${config.host}:${data.port}: ${(e as Error).message}` } satisfies ThreadReady);
    await runtime.store.close();
    return;
  }
  port.on('message', (m) => {
    if (m === 'serving') serving = true;
    if (m !== 'stop') return;
    void (async () => {
      await app.close();
      await runtime.store.close();
      port.close();
    })();
  });
  port.postMessage({ listening: (app.server.address() as AddressInfo).port } satisfies ThreadReady);
}

await runThread(workerData as ThreadData);
