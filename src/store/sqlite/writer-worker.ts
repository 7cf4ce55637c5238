/**
 * The writer thread of a SQLite store (writer-thread.ts): its own connection to the same file,
 * running the transaction functions the main thread sends, one after another. SQLite's work for
 * them — statements, index pages, the WAL writes of COMMIT — happens here, off the event loop
 * that serves requests. An answer is posted only once its transaction has committed. Requests
 * come from the store that started the thread and from stores linked to it (their own ports),
 * and run in the order they arrive, whichever port they came by.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DatabaseBusyError, openStore } from '../store.ts';
import type { ThreadTransaction } from '../thread-transaction.ts';
import type { SqliteSynchronous } from './connect.ts';
import type { LinkMessage, ThreadAnswer, ThreadRequest, TurnGranted, TurnMessage } from './writer-thread.ts';

const { path, synchronous, lockWaitMs } = workerData as { path: string; synchronous: SqliteSynchronous; lockWaitMs: number };
/**
 * The thread's page cache, smaller than the main connection's 64 MiB: at each commit SQLite walks
 * the connection's page-cache hash table (pcache1TruncateUnsafe, 8.5 % of a claim batch's CPU
 * with 64 MiB), so a big cache costs every batch; 8 MiB took a claim from ~45 to ~33 µs of
 * thread CPU and claims/s up ~10 % (bench store, 2026-12-03). The writes need the upper levels
 * of the indexes, not whole tables; reads stay on the main connection and its big cache.
 */
const WRITER_CACHE_KIB = 8192;
/**
 * The writer checkpoints the WAL itself once it holds this many frames (~16 MiB), right after a
 * commit, so the log starts over from its beginning: its frames are then written over the file's
 * existing pages (a pwrite beyond the end of the file costs about twice as much here), and the
 * WAL stays ~16 MiB instead of growing to the 50,000-frame fallback (~200 MiB) and being
 * truncated. The background checkpointer still copies most pages first, so this checkpoint has
 * little left to do. Claims +2.5 % and +5.8 % (median paired, 12 and 10 rounds of `npm run
 * bench:ab`, B ahead in 15 of 22), redemptions +2.2 % (8 rounds); 1,000 frames was slower.
 */
const WRITER_AUTOCHECKPOINT_FRAMES = 4000;
const store = openStore({ url: path, sqliteSynchronous: synchronous, busyTimeoutMs: lockWaitMs, writerThread: false, checkpoints: false, sqliteCacheKiB: WRITER_CACHE_KIB, sqliteAutocheckpointFrames: WRITER_AUTOCHECKPOINT_FRAMES });
const port = parentPort;
if (!port) throw new Error('writer-worker.ts runs as a worker thread');

const modules = new Map<string, Record<string, unknown>>();

async function functionOf(module: string, name: string): Promise<ThreadTransaction<unknown, unknown>> {
  let m = modules.get(module);
  if (!m) {
    m = (await import(module)) as Record<string, unknown>;
    modules.set(module, m);
  }
  const fn = m[name] as ThreadTransaction<unknown, unknown> | undefined;
  if (!fn || typeof fn.run !== 'function') throw new Error(`${module} exports no thread transaction named ${name}`);
  return fn;
}

async function answer(request: ThreadRequest): Promise<ThreadAnswer> {
  try {
    // Queued at once, in the order the requests came (the function is found inside): a module
    // slow to load cannot let a later request commit first.
    const value = await store.transaction(async (q) => (await functionOf(request.module, request.name)).run(q, request.input));
    return { id: request.id, ok: true, value };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return { id: request.id, ok: false, name: error.name, message: error.message, stack: error.stack ?? '', busyMs: e instanceof DatabaseBusyError ? e.waitedMs : null };
  }
}

/** Requests not answered yet: a stop lets them finish and answer first. */
const pending = new Set<Promise<void>>();
/** Other threads' stores linked to this thread (writer-thread.ts link()). */
const links = new Set<MessagePort>();
let stopping = false;

/** The store whose own connection has the write lock's turn (TurnMessage), and what waits for it to end. */
let turn: { id: number; holder: MessagePort } | null = null;
const backlog: Array<[ThreadRequest | { turn: number }, MessagePort]> = [];

/** Runs a request in turn and posts its answer back where it came from; a turn waits for everything before it. */
function take(request: ThreadRequest | { turn: number }, replyTo: MessagePort): void {
  if (turn) {
    backlog.push([request, replyTo]);
    return;
  }
  if ('turn' in request) {
    turn = { id: request.turn, holder: replyTo };
    void Promise.allSettled([...pending]).then(() => replyTo.postMessage({ granted: request.turn } satisfies TurnGranted));
    return;
  }
  const answered = (stopping
    ? Promise.resolve<ThreadAnswer>({ id: request.id, ok: false, name: 'Error', message: 'the SQLite writer thread is stopping: nothing was run', stack: '', busyMs: null })
    : answer(request)
  ).then((a) => replyTo.postMessage(a));
  pending.add(answered);
  void answered.finally(() => pending.delete(answered));
}

/** The turn ends (given back, or its holder's link closed: `id` null): what waited is taken, in order. */
function endTurn(holder: MessagePort, id: number | null): void {
  if (!turn || turn.holder !== holder || (id !== null && turn.id !== id)) return;
  turn = null;
  for (const [request, replyTo] of backlog.splice(0)) take(request, replyTo);
}

function receive(message: ThreadRequest | TurnMessage, from: MessagePort): void {
  // A release only ever follows its grant; one that matches no turn held is stale, and ignored.
  if ('release' in message) endTurn(from, message.release);
  else take(message, from);
}

port.on('message', (message: ThreadRequest | TurnMessage | LinkMessage | 'stop') => {
  if (message === 'stop') {
    stopping = true;
    void Promise.allSettled([...pending])
      .then(() => {
        for (const l of links) l.close();
        return store.close();
      })
      .finally(() => port.postMessage('stopped'));
    return;
  }
  if ('link' in message) {
    const l = message.link;
    links.add(l);
    l.on('message', (m: ThreadRequest | TurnMessage) => receive(m, l));
    l.on('close', () => {
      links.delete(l);
      endTurn(l, null);
    });
    return;
  }
  receive(message, port);
});
