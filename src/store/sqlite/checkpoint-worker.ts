/**
 * Runs SQLite WAL checkpoints on its own thread and connection, so copying the WAL back into the
 * database file (and its fsync) never blocks the server's event loop. PASSIVE checkpoints do not
 * wait for or block writers.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs, optimizeEveryMs } = workerData as { path: string; intervalMs: number; optimizeEveryMs: number };
const db = new DatabaseSync(path, { timeout: 1000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

// Planner statistics, refreshed off the main thread: sampled (analysis_limit) so it stays quick on
// millions of rows; the server's connection picks the new statistics up by itself.
db.exec('PRAGMA analysis_limit = 1000');
const optimize = () => {
  try {
    db.exec('PRAGMA optimize = 0x10002');
  } catch {
    // Busy: the next round does it.
  }
};
optimize();
const optimizer = setInterval(optimize, optimizeEveryMs);

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
    clearInterval(optimizer);
    try {
      db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    } catch {}
    db.close();
    parentPort?.postMessage('stopped');
  }
});
