/** Turns a finished run into its table (or JSON): throughput rows, then the derived rows and checks. */
import type { BenchOptions } from './args.ts';
import type { BulkResult } from './bulk.ts';
import type { Check } from './checks.ts';
import { formatCpuShare } from './cpu.ts';
import type { Machine } from './machine.ts';
import type { Scenario } from './plan.ts';
import type { ProfileSummary } from './profile.ts';
import { formatTable, median, perRoundRatios, plainRow, summarise, throughputRow, type Row, type RunRecord } from './report.ts';
import type { WalletResult } from './wallet.ts';

export interface Outcome {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  options: BenchOptions;
  scenarios: Scenario[];
  runs: RunRecord[];
  checks: Check[];
  wallets: WalletResult[];
  bulk: BulkResult | null;
  profile: ProfileSummary | null;
  notes: string[];
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : '—');

/** The growth rows' stores (small, big), per database: SQLite, then PostgreSQL with --pg-big. */
const GROWTH_STORES = [
  ['small', 'big', 'SQLite'],
  ['pg-small', 'pg-big', 'PostgreSQL'],
] as const;

function growthRow(o: Outcome, small: string, big: string, label: string): Row | null {
  const s = summarise(o.runs, `claim/${small}`);
  const b = summarise(o.runs, `claim/${big}`);
  if (!s || !b) return null;
  const ratio = b.rps / s.rps;
  const clean = s.non2xx + b.non2xx + s.errors + b.errors === 0 && o.checks.filter((c) => c.scenario === `claim/${small}` || c.scenario === `claim/${big}`).every((c) => c.ok);
  return plainRow(`growth/${big}`, label, `${ratio.toFixed(2)}`, '≥ 0.9', clean && ratio >= 0.9);
}

/** The 5 ms target is set for the big store; the small store's row is there to compare with. */
function walletRow(w: WalletResult, scale: number): Row {
  const targeted = w.store.endsWith('big');
  const clean = w.non2xx + w.errors === 0;
  const target = !targeted ? '—' : scale >= 5_000_000 ? '< 5 ms' : `< 5 ms (at ${fmt(scale)})`;
  return plainRow(`wallet/${w.store}`, `wallet, ${w.label}, user holding 200 (server-side, 1 connection)`, `p99 ${ms(w.serverP99)} (${fmt(w.requests)} req)`, target, targeted ? clean && w.serverP99 < 5 : clean ? null : false, {
    p50: ms(w.serverP50),
    p99: ms(w.serverP99),
    non2xx: w.non2xx,
    errors: w.errors,
  });
}

/** The 30 s target is for 1,000,000 users; a smaller run shows its rate and is not judged (start-up dominates). */
function bulkRow(b: BulkResult): Row {
  const label = 'bulk issue from a CSV, SQLite';
  if (!b.available) return plainRow('bulk', label, 'not available yet (see notes)', '≤ 30 s, ≤ 500 MB', null);
  const full = b.users === 1_000_000;
  const correct = b.exitCode === 0 && !b.timedOut && b.issued === b.users;
  const ok = correct && b.peakRssMB <= 500 && (!full || b.seconds <= 30);
  const rate = `${fmt(Math.round(b.users / b.seconds))} users/s`;
  return plainRow('bulk', `${label}, ${fmt(b.users)} users (${fmt(b.issued)} issued, exit ${b.exitCode})`, `${b.seconds.toFixed(1)} s, ${Math.round(b.peakRssMB)} MB peak RSS, ${rate}`, full ? '≤ 30 s, ≤ 500 MB' : '≤ 30 s at 1,000,000', full || !ok ? ok : null);
}

export function buildRows(o: Outcome): Row[] {
  const rows: Row[] = [];
  const checksOk = (id: string) => o.checks.filter((c) => c.scenario === id).every((c) => c.ok);
  for (const s of o.scenarios) {
    const row = throughputRow(s, o.runs, checksOk);
    if (row) rows.push(row);
  }
  for (const [small, big, database] of GROWTH_STORES) {
    const growth = growthRow(o, small, big, `claims/s with ${fmt(o.options.scale)} stored / with ${fmt(o.options.small)}, ${database}`);
    if (growth) rows.push(growth);
  }
  for (const w of o.wallets) rows.push(walletRow(w, o.options.scale));
  if (o.bulk) rows.push(bulkRow(o.bulk));
  return rows;
}

/** Per-round ratios of the rows with a target (and the growth rows), with their median: see perRoundRatios. */
export function roundRatios(o: Outcome): Array<{ id: string; by: string; perRound: number[]; median: number }> {
  const pairs: Array<[string, string]> = o.scenarios.filter((s) => s.ceiling !== null && s.target !== null).map((s) => [s.id, s.ceiling as string]);
  for (const [small, big] of GROWTH_STORES) pairs.push([`claim/${big}`, `claim/${small}`]);
  return pairs
    .map(([id, by]) => ({ id, by, perRound: perRoundRatios(o.runs, id, by) }))
    .filter((r) => r.perRound.length > 0)
    .map((r) => ({ ...r, median: median(r.perRound) }));
}

/** True when something is wrong beyond speed: a failed check or a 5xx anywhere. */
export function hasCorrectnessFailure(o: Outcome): boolean {
  const s5xx = o.runs.some((r) => r.result.s5xx > 0 || (r.warmup?.s5xx ?? 0) > 0);
  return s5xx || o.checks.some((c) => !c.ok);
}

export function formatText(o: Outcome, rows: Row[]): string {
  const m = o.machine;
  const opt = o.options;
  const lines = [
    `couponhub bench — ${o.startedAt} → ${o.finishedAt}`,
    `machine: ${m.cores} cores ${m.cpuModel}, ${m.ramGiB} GiB RAM, ${m.kernel}; Node ${m.node}; SQLite ${m.sqlite}; ${m.postgres ?? 'PostgreSQL: not used'}`,
    `load average (1 min): ${m.loadAtStart.toFixed(2)} at start, ${(m.loadAtEnd ?? Number.NaN).toFixed(2)} at end`,
    `settings: ${opt.rounds} interleaved round(s), ${opt.duration} s per run after ${opt.warmup} s warm-up, ${opt.connections} connections; ratio = median(req/s) / median(ceiling req/s)`,
    '',
    formatTable(rows),
    '',
    'checks (after kill -9 of every server):',
    ...(o.checks.length ? o.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.scenario} ${c.what}: ${c.line}`) : ['  (none: no claim or redeem scenario ran)']),
  ];
  const paired = roundRatios(o);
  if (paired.length && o.options.rounds > 1) {
    lines.push('', 'per round (each run ÷ its round\'s ceiling, or the big store ÷ the small one; the table divides medians):');
    lines.push(...paired.map((r) => `  ${r.id.padEnd(22)} ${r.perRound.map((v) => v.toFixed(2)).join(' · ')}  (median ${r.median.toFixed(2)}, ÷ ${r.by})`));
  }
  const cpu = lastCpuShares(o.runs);
  if (cpu.length) lines.push('', 'CPU per request answered, last round (server threads, PostgreSQL, load generator; machine idle):', ...cpu.map(([id, line]) => `  ${id.padEnd(22)} ${line}`));
  if (o.notes.length) lines.push('', 'notes:', ...o.notes.map((n) => `  - ${n}`));
  if (o.profile) {
    const p = o.profile;
    lines.push('', `CPU profile of the SQLite server under ${p.shape} load (${Math.round(p.requestsPerSecond)} req/s, ${p.totalMs} ms sampled, ${p.file}):`);
    lines.push('  self time by place:', ...p.places.map((e) => `    ${e.percent.toFixed(1).padStart(5)} %  ${e.name}`));
    lines.push('  self time by function:', ...p.functions.map((e) => `    ${e.percent.toFixed(1).padStart(5)} %  ${e.name}`));
  }
  return lines.join('\n');
}

/** Each scenario's CPU shares from its last measured run, in run order. */
function lastCpuShares(runs: RunRecord[]): Array<[string, string]> {
  const last = new Map<string, string>();
  for (const r of runs) if (r.cpu) last.set(r.id, formatCpuShare(r.cpu));
  return [...last];
}

export function formatJson(o: Outcome, rows: Row[]): string {
  const { scenarios, options, ...rest } = o;
  return JSON.stringify(
    {
      schema: 'couponhub-bench/1',
      ...rest,
      options: { ...options, only: [...options.only] },
      scenarios: scenarios.map(({ ledger, ...s }) => ({ ...s, acknowledged: ledger.acked.length, inFlight: ledger.inFlight, badBodies: ledger.badBodies })),
      rows,
      perRound: roundRatios(o),
    },
    null,
    2,
  );
}
