/**
 * What a run measures, given its flags and the machine: which stores to seed, which servers to
 * start, and the scenarios (each a table row) grouped by request shape under their ceiling.
 */
import type { BenchOptions, Group } from './args.ts';
import { BENCH } from './bench-data.ts';
import { bigSqliteStore } from './big-store.ts';
import type { RowDef } from './report.ts';
import { newLedger, type Counters, type Ledger, type Shape } from './scenarios.ts';
import { postgresStore, sqliteStore, type BenchStore, type Log } from './stores.ts';
import type { Proc } from './processes.ts';

export interface Server {
  name: string;
  store: BenchStore | null;
  proc: Proc;
  counters: Counters;
  /** Set when the server stayed busy past the drain bound: why its later runs are skipped. */
  unresponsive: string | null;
}

export interface Scenario extends RowDef {
  shape: Shape;
  server: string;
  ledger: Ledger;
  /** Claim rows: the template claimed (the hot one unless said). */
  templateId?: string;
}

export const SHAPES: Shape[] = ['claim', 'validate', 'redeem', 'opv2'];

const fmt = (n: number): string => n.toLocaleString('en-US');
const any = (opts: BenchOptions, ...groups: Group[]): boolean => groups.some((g) => opts.only.has(g));

/** Enough redeemable coupons for 10,000 redeems a second over every run (warm-ups included). */
export const redeemPoolFor = (opts: BenchOptions): number => (opts.only.has('redeem') ? 10_000 * (opts.duration + opts.warmup) * opts.rounds : 0);

/**
 * Seeds every store the flags ask for; PostgreSQL ones only when a postgres:// URL is set.
 * `stores` fills as they are ready, so a failure half-way still leaves the caller what to clean up.
 */
export async function prepareStores(opts: BenchOptions, workDir: string, pgUrl: string | null, log: Log, stores: BenchStore[]): Promise<BenchStore[]> {
  const pool = redeemPoolFor(opts);
  if (any(opts, 'claim', 'validate', 'redeem')) stores.push(await sqliteStore(workDir, 'sqlite', 'NORMAL', pool, log));
  if (any(opts, 'claim')) stores.push(await sqliteStore(workDir, 'sqlite-full', 'FULL', 0, log));
  // The same claims with the writer thread off: what moving commits off the event loop is worth.
  if (any(opts, 'claim')) stores.push(await sqliteStore(workDir, 'sqlite-inline', 'NORMAL', 0, log, { COUPONHUB_SQLITE_WRITER_THREAD: 'off' }));
  // The same data served by one HTTP thread (the default, COUPONHUB_HTTP_THREADS=auto, is one
  // per core on a SQLite file: what the threads are worth).
  if (any(opts, 'claim', 'validate', 'redeem')) stores.push(await sqliteStore(workDir, 'sqlite-1thread', 'NORMAL', pool, log, { COUPONHUB_HTTP_THREADS: '1' }));
  // OP v2 reads get a server of their own (same data, same size), so that their slowness, if
  // any, cannot stall the write scenarios; the redeem pool is there only to match the size.
  if (any(opts, 'opv2')) stores.push(await sqliteStore(workDir, 'sqlite-opv2', 'NORMAL', pool, log));
  if (pgUrl && any(opts, 'claim', 'validate', 'redeem')) stores.push(await postgresStore(pgUrl, workDir, 'pg', pool, 0, log));
  if (pgUrl && any(opts, 'opv2')) stores.push(await postgresStore(pgUrl, workDir, 'pg-opv2', pool, 0, log));
  if (any(opts, 'growth', 'wallet')) {
    stores.push(await bigSqliteStore(opts.cacheDir, workDir, 'small', opts.small, log));
    stores.push(await bigSqliteStore(opts.cacheDir, workDir, 'big', opts.scale, log));
    if (pgUrl && opts.pgBig) {
      stores.push(await postgresStore(pgUrl, workDir, 'pg-small', 0, opts.small, log));
      stores.push(await postgresStore(pgUrl, workDir, 'pg-big', 0, opts.scale, log));
    }
  }
  return stores;
}

function scenario(shape: Shape, server: string, label: string, target: number | null): Scenario {
  const ceiling = `ceiling/${shape}`;
  const id = server === 'reference' ? ceiling : `${shape}/${server}`;
  return { id, label, shape, server, ceiling: server === 'reference' ? null : ceiling, target, checked: shape === 'claim' || shape === 'redeem', ledger: newLedger() };
}

/** The grab on the template limited to one per user: the same request, so the same ceiling. */
function limitedClaims(server: string, label: string): Scenario {
  return { ...scenario('claim', server, label, null), id: `claim-limited/${server}`, templateId: BENCH.hotLimitedTemplateId };
}

/** The rows in table order: per shape, its ceiling first, then the scenarios that divide by it. */
export function planScenarios(opts: BenchOptions, servers: Set<string>, opv2Ok: boolean): Scenario[] {
  const out: Scenario[] = [];
  const has = (s: string) => servers.has(s);
  if (any(opts, 'claim', 'growth')) {
    out.push(scenario('claim', 'reference', 'ceiling: claim (reference server, no store)', null));
    if (opts.only.has('claim')) {
      out.push(scenario('claim', 'sqlite', 'claim, one hot template, SQLite NORMAL (default)', 0.6));
      out.push(scenario('claim', 'sqlite-full', 'claim, one hot template, SQLite FULL', null));
      out.push(scenario('claim', 'sqlite-inline', 'claim, one hot template, SQLite NORMAL, writer thread off', null));
      if (has('sqlite-1thread')) out.push(scenario('claim', 'sqlite-1thread', 'claim, one hot template, SQLite NORMAL, one HTTP thread', null));
      if (has('pg')) out.push(scenario('claim', 'pg', 'claim, one hot template, PostgreSQL', 0.3));
      out.push(limitedClaims('sqlite', 'claim, one hot template, one per user, SQLite NORMAL'));
      if (has('pg')) out.push(limitedClaims('pg', 'claim, one hot template, one per user, PostgreSQL'));
    }
    if (opts.only.has('growth')) {
      out.push(scenario('claim', 'small', `claim, SQLite, ${fmt(opts.small)} coupons stored`, null));
      out.push(scenario('claim', 'big', `claim, SQLite, ${fmt(opts.scale)} coupons stored`, null));
      if (has('pg-big')) out.push(scenario('claim', 'pg-small', `claim, PostgreSQL, ${fmt(opts.small)} coupons stored`, null));
      if (has('pg-big')) out.push(scenario('claim', 'pg-big', `claim, PostgreSQL, ${fmt(opts.scale)} coupons stored`, null));
    }
  }
  for (const [shape, label, target] of [
    ['validate', 'validate an order', 0.8],
    ['redeem', 'redeem (Idempotency-Key, durable)', 0.5],
    ['opv2', 'OP v2 getMergeTicketUsersByChatId, 200 coupons', 0.5],
  ] as const) {
    if (!opts.only.has(shape) || (shape === 'opv2' && !opv2Ok)) continue;
    const [lite, pg] = shape === 'opv2' ? ['sqlite-opv2', 'pg-opv2'] : ['sqlite', 'pg'];
    out.push(scenario(shape, 'reference', `ceiling: ${shape} (reference server, no store)`, null));
    out.push(scenario(shape, lite, `${label}, SQLite`, target));
    if (shape !== 'opv2' && has('sqlite-1thread')) out.push(scenario(shape, 'sqlite-1thread', `${label}, SQLite, one HTTP thread`, null));
    if (has(pg)) out.push(scenario(shape, pg, `${label}, PostgreSQL`, target));
  }
  return out;
}
