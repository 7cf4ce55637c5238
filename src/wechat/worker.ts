/**
 * The background WeChat sync worker. Each round it lists due queue rows, claims each with a
 * conditional write (a lease with an expiry: another process claiming the same row gets nothing),
 * runs the job with no transaction open, then writes the outcome while it still holds the lease.
 * Failures are retried with exponential back-off and jitter; permanent ones wait for a person.
 * A worker that dies mid-job leaves a lease that expires, and the next worker resumes the job.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ONE_STATEMENT, type Deps } from '../app/ports.ts';
import type { SyncKey } from '../store/queries/wechat-sync.ts';
import { WechatClient } from './client.ts';
import { WechatError } from './errors.ts';
import type { TokenStore } from './tokens.ts';
import { runSyncJob, type JobOutcome } from './sync-job.ts';

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export interface SyncLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SyncWorkerOptions {
  client: WechatClient;
  /** Names this worker in leases; unique per process by default. */
  owner?: string;
  /** How long a claim holds a job: longer than one run (four calls with their timeouts). */
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  backoff?: Backoff;
  /** [0, 1): the jitter's source (tests pin it). */
  random?: () => number;
  log?: SyncLog;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 3_600_000 };

/**
 * Delay before attempt n + 1 after n failures: base · 2^(n−1), capped, then "equal jitter" — a
 * random point in its upper half — so a fleet of jobs failing together does not retry together.
 */
export function backoffDelay(failures: number, backoff: Backoff, random: () => number): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

const silent: SyncLog = { info() {}, warn() {}, error() {} };

export class SyncWorker {
  readonly #deps: Deps;
  readonly #client: WechatClient;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #batch: number;
  readonly #concurrency: number;
  readonly #backoff: Backoff;
  readonly #random: () => number;
  readonly #log: SyncLog;

  constructor(deps: Deps, options: SyncWorkerOptions) {
    this.#deps = deps;
    this.#client = options.client;
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#batch = options.batchSize ?? 20;
    this.#concurrency = options.concurrency ?? 4;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#random = options.random ?? Math.random;
    this.#log = options.log ?? silent;
  }

  /** One round: claims and runs the jobs due now; returns how many it ran. */
  async runOnce(): Promise<number> {
    const due = await this.#deps.store.q.wechat.due(this.#deps.clock.now(), this.#batch);
    let ran = 0;
    let next = 0;
    const lane = async () => {
      while (next < due.length) {
        const key = due[next++] as SyncKey;
        if (await this.#run(key)) ran++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, due.length) }, lane));
    return ran;
  }

  async #run(key: SyncKey): Promise<boolean> {
    const { store, clock } = this.#deps;
    const now = clock.now();
    // Writes go through store.transaction, not store.q: on SQLite they then wait for another
    // process's write lock on a timer instead of failing after the short statement busy_timeout.
    const job = await store.transaction((q) => q.wechat.claim(key, this.#owner, now, now + this.#leaseMs), ONE_STATEMENT);
    if (!job) return false;
    let outcome: JobOutcome;
    try {
      outcome = await runSyncJob(this.#deps, this.#client, job);
    } catch (e) {
      outcome = { ok: false, error: new WechatError(`sync: ${(e as Error).message}`, { permanent: false }) };
    }
    const at = clock.now();
    if (outcome.ok) {
      if (!(await store.transaction((q) => q.wechat.finishSynced(key, this.#owner, job.version, outcome.pushedUpdatedAt, at)))) this.#log.warn({ ...key }, 'wechat sync: lease lost before the result was written');
      return true;
    }
    const attempts = job.attempts + 1;
    const nextAttemptAt = outcome.error.permanent ? null : at + backoffDelay(attempts, this.#backoff, this.#random);
    await store.transaction((q) => q.wechat.finishFailed(key, this.#owner, job.version, { attempts, error: outcome.error.message, nextAttemptAt }, at));
    this.#log.warn({ ...key, attempts, permanent: outcome.error.permanent, err: outcome.error.message }, 'wechat sync failed');
    return true;
  }

  /** Runs rounds every `intervalMs` (a full batch is followed at once); stop() waits for the round in progress. */
  start(intervalMs: number): () => Promise<void> {
    let stopped = false;
    let running: Promise<void> | null = null;
    const round = async () => {
      try {
        while (!stopped && (await this.runOnce()) >= this.#batch);
      } catch (err) {
        this.#log.error({ err }, 'wechat sync round failed; will try again');
      }
    };
    // A round still running when the timer fires is not doubled: the next tick finds it done.
    const tick = () => {
      if (running || stopped) return;
      running = round().finally(() => (running = null));
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    tick();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    };
  }
}

/** The server's sync worker: WeChat at `baseUrl`, a round every `intervalMs` (0: this process does not sync). */
export function startWechatSync(deps: Deps, options: { baseUrl: string; intervalMs: number; log?: SyncLog }): () => Promise<void> {
  if (options.intervalMs <= 0) return async () => {};
  const client = new WechatClient({ baseUrl: options.baseUrl, tokens: storeTokens(deps), clock: deps.clock });
  const worker = new SyncWorker(deps, { client, ...(options.log ? { log: options.log } : {}) });
  return worker.start(options.intervalMs);
}

/** The store's token table, its writes queued with the other writes (they wait for another process's lock). */
export function storeTokens({ store }: Deps): TokenStore {
  return {
    token: (appId) => store.q.wechat.token(appId),
    saveToken: (appId, token, expiresAt, now) => store.transaction((q) => q.wechat.saveToken(appId, token, expiresAt, now), ONE_STATEMENT),
    dropToken: (appId, token) => store.transaction((q) => q.wechat.dropToken(appId, token), ONE_STATEMENT),
  };
}
