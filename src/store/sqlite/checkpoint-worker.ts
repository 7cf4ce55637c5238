/**
 * Runs SQLite WAL checkpoints on its own thread and connection, so copying the WAL back into the
 * database file (and its fsync) never blocks the server's event loop. PASSIVE checkpoints do not
 * wait for or block writers.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new DatabaseSync(path, { timeout: 1000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // Busy or locked: the next tick tries again.
  }
}, intervalMs);

parentPort?.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    try {
      db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    } catch {}
    db.close();
    parentPort?.postMessage('stopped');
  }
});
