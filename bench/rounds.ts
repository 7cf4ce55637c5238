/**
 * Interleaved rounds: in every round each ceiling runs right before the scenarios divided by
 * it, so a machine that gets busier or quieter during the run moves both sides of a ratio; the
 * order of those scenarios turns from round to round (roundOrder).
 * Before each run its server must be idle; one that stays busy past a bound is marked
 * unresponsive and its later runs count as zero. Then every server is killed (SIGKILL) and
 * its database checked.
 */
import { loadavg } from 'node:os';
import type { BenchOptions } from './args.ts';
import { checkClaims, checkRedemptions, type Check } from './checks.ts';
import { cpuShare, sampleCpu } from './cpu.ts';
import { runLoad, type LoadResult } from './load.ts';
import type { Scenario, Server } from './plan.ts';
import { drain, stop } from './processes.ts';
import type { RunRecord } from './report.ts';
import { specFor } from './scenarios.ts';
import type { Log } from './stores.ts';

const POOL_UNBOUNDED = Number.MAX_SAFE_INTEGER;

const NO_RUN: LoadResult = { rps: 0, p50: Number.NaN, p99: Number.NaN, completed: 0, sent: 0, ok2xx: 0, non2xx: 0, s5xx: 0, errors: 0, statusCodes: {}, seconds: 0 };

async function once(s: Scenario, server: Server, opts: BenchOptions, seconds: number): Promise<LoadResult> {
  const pool = server.store ? server.store.redeemPool : POOL_UNBOUNDED;
  const r = await runLoad(server.proc.url, specFor(s.shape, server.counters, pool, s.ledger, s.templateId), { connections: opts.connections, duration: seconds });
  s.ledger.inFlight += r.sent - r.completed;
  return r;
}

const brief = (r: LoadResult): string =>
  r.completed === 0
    ? `NO ANSWER: ${r.sent} request(s) sent, none answered within the ${r.seconds} s run (hung, or slower than the run)`
    : `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, non-2xx ${r.non2xx} ${JSON.stringify(r.statusCodes)}` : ''}${r.errors ? `, errors ${r.errors}` : ''}`;

/**
 * The scenarios in round `round`'s order: each ceiling first, then the rows divided by it turned
 * by one place a round, so no row is always the one run right after its ceiling. That place was
 * measured slower, whichever server held it: there the default SQLite server's claims trailed the
 * one-thread server's by 7–32 % (6 of 6 rounds), with the rows swapped they led by 4–8 % (3 of 3),
 * and paired runs (`npm run bench:ab`) found the two equal (2026-12-07, BENCHMARKS.md).
 */
export function roundOrder<S extends { server: string }>(scenarios: readonly S[], round: number): S[] {
  const out: S[] = [];
  let group: S[] = [];
  const flush = () => {
    const k = group.length > 0 ? (round - 1) % group.length : 0;
    out.push(...group.slice(k), ...group.slice(0, k));
    group = [];
  };
  for (const s of scenarios) {
    if (s.server === 'reference') {
      flush();
      out.push(s);
    } else group.push(s);
  }
  flush();
  return out;
}

/** Runs every scenario once per round; `loads` gets the 1-minute load average at each round's start. */
export async function runRounds(opts: BenchOptions, scenarios: Scenario[], servers: Map<string, Server>, log: Log, loads: number[]): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  // Long enough for a backlog of `connections` slow requests, short enough to bound a hang.
  const drainMs = opts.quick ? 10_000 : 30_000;
  for (let round = 1; round <= opts.rounds; round++) {
    loads.push(loadavg()[0] ?? 0);
    log(`round ${round}/${opts.rounds} (load average ${loads.at(-1)?.toFixed(2)})`);
    for (const s of roundOrder(scenarios, round)) {
      const server = servers.get(s.server);
      if (!server) throw new Error(`no server ${s.server} for ${s.id}`);
      if (server.proc.child.exitCode !== null) throw new Error(`server ${s.server} died: ${server.proc.stderr().slice(-2000)}`);
      if (!server.unresponsive && (await drain(server.proc, drainMs)) === null) server.unresponsive = `still busy ${drainMs / 1000} s after its previous run (round ${round}, before ${s.id})`;
      if (server.unresponsive) {
        runs.push({ round, id: s.id, warmup: null, result: NO_RUN, skipped: server.unresponsive });
        log(`  ${s.id.padEnd(20)} SKIPPED: server ${s.server} ${server.unresponsive}`);
        continue;
      }
      const warmup = opts.warmup > 0 ? await once(s, server, opts, opts.warmup) : null;
      const pid = server.proc.child.pid;
      const before = sampleCpu(pid);
      const result = await once(s, server, opts, opts.duration);
      runs.push({ round, id: s.id, warmup, result, cpu: cpuShare(before, pid, result.completed) });
      log(`  ${s.id.padEnd(20)} ${brief(result)}`);
    }
  }
  return runs;
}

/**
 * Kills every server with SIGKILL, then checks each claim and redeem scenario's store: what was
 * acknowledged must be there, as after a crash.
 */
export async function stopAndCheck(scenarios: Scenario[], servers: Map<string, Server>): Promise<Check[]> {
  for (const server of servers.values()) await stop(server.proc, 'SIGKILL');
  const checks: Check[] = [];
  for (const s of scenarios) {
    const store = servers.get(s.server)?.store;
    if (!store || !s.checked) continue;
    const db = await store.openDb();
    try {
      checks.push(s.shape === 'claim' ? await checkClaims(db, s.id, s.ledger, s.templateId) : await checkRedemptions(db, s.id, s.ledger));
    } finally {
      await db.close();
    }
  }
  return checks;
}
