/**
 * Medians over rounds, ratios to the ceiling, targets, and the printed table. A row passes only
 * when it meets its target with no non-2xx answer, no connection error and no failed check.
 */
import type { CpuShare } from './cpu.ts';
import type { LoadResult } from './load.ts';

export interface RunRecord {
  round: number;
  id: string;
  warmup: LoadResult | null;
  result: LoadResult;
  /** Why the run did not happen (its server stopped answering); the result is then all zeros. */
  skipped?: string;
  /** CPU per request of the measured run, by part (Linux; null elsewhere). */
  cpu?: CpuShare | null;
}

export interface RowDef {
  id: string;
  label: string;
  /** Scenario id of the ceiling this row divides by; null for the ceilings themselves. */
  ceiling: string | null;
  /** Minimum ratio from the issue, if it sets one. */
  target: number | null;
  /** The database checks of this scenario must pass too (claims and redemptions are checked). */
  checked: boolean;
}

export interface Row {
  id: string;
  label: string;
  value: string;
  ceiling: string;
  ratio: string;
  target: string;
  pass: boolean | null;
  p50: string;
  p99: string;
  non2xx: number;
  errors: number;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : '—');
const x = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—');

export interface Summary {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  s5xx: number;
  errors: number;
  /** Measured runs that got no answer at all: the server hung (counted as errors too). */
  stalled: number;
  rounds: number;
}

/**
 * Each round's run of `id` divided by the same round's run of `by` (its ceiling, or the small
 * store for the growth row), in round order; rounds where either got no answer are left out.
 * The rows divide medians (the issue's ratio); these say how far the rounds agree, since the
 * machine's speed moves between rounds more than within one.
 */
export function perRoundRatios(runs: RunRecord[], id: string, by: string): number[] {
  const divisors = new Map(runs.filter((r) => r.id === by && !r.skipped && r.result.rps > 0).map((r) => [r.round, r.result.rps]));
  return runs
    .filter((r) => r.id === id && !r.skipped && r.result.rps > 0 && divisors.has(r.round))
    .sort((a, b) => a.round - b.round)
    .map((r) => r.result.rps / (divisors.get(r.round) as number));
}

/** Medians of the measured runs; error counts summed over every run, warm-ups included. */
export function summarise(runs: RunRecord[], id: string): Summary | null {
  const mine = runs.filter((r) => r.id === id);
  if (mine.length === 0) return null;
  const all = mine.flatMap((r) => (r.warmup ? [r.warmup, r.result] : [r.result]));
  const answered = mine.filter((r) => r.result.completed > 0);
  return {
    rps: median(mine.map((r) => r.result.rps)),
    // Latency only of runs that got answers: a skipped or silent run has none to report.
    p50: median(answered.map((r) => r.result.p50)),
    p99: median(answered.map((r) => r.result.p99)),
    non2xx: all.reduce((n, r) => n + r.non2xx, 0),
    s5xx: all.reduce((n, r) => n + r.s5xx, 0),
    errors: all.reduce((n, r) => n + r.errors + (r.completed === 0 && r.sent > 0 ? r.sent : 0), 0),
    stalled: mine.length - answered.length,
    rounds: mine.length,
  };
}

export function throughputRow(def: RowDef, runs: RunRecord[], checksOk: (scenario: string) => boolean): Row | null {
  const s = summarise(runs, def.id);
  if (!s) return null;
  const c = def.ceiling ? summarise(runs, def.ceiling) : null;
  const ratio = c ? s.rps / c.rps : def.ceiling === null ? 1 : Number.NaN;
  const clean = s.non2xx === 0 && s.errors === 0 && (!def.checked || checksOk(def.id));
  const pass = def.target === null ? (clean ? null : false) : clean && ratio >= def.target;
  return {
    id: def.id,
    label: def.label,
    value: `${int(s.rps)} req/s`,
    ceiling: c ? int(c.rps) : '—',
    ratio: x(ratio),
    target: def.target === null ? '—' : `≥ ${def.target}×`,
    pass,
    p50: ms(s.p50),
    p99: ms(s.p99),
    non2xx: s.non2xx,
    errors: s.errors,
  };
}

/** A row that is not a ratio to the ceiling (growth, wallet, bulk issue, skipped scenarios). */
export function plainRow(id: string, label: string, value: string, target: string, pass: boolean | null, extra: Partial<Row> = {}): Row {
  return { id, label, value, ceiling: '—', ratio: '—', target, pass, p50: '—', p99: '—', non2xx: 0, errors: 0, ...extra };
}

const COLUMNS: Array<[keyof Row, string, 'l' | 'r']> = [
  ['label', 'scenario', 'l'],
  ['value', 'result (median)', 'r'],
  ['ceiling', 'ceiling req/s', 'r'],
  ['ratio', 'ratio', 'r'],
  ['target', 'target', 'r'],
  ['pass', 'pass', 'l'],
  ['p50', 'p50', 'r'],
  ['p99', 'p99', 'r'],
  ['non2xx', 'non-2xx', 'r'],
  ['errors', 'errors', 'r'],
];

const cell = (row: Row, key: keyof Row): string => {
  if (key === 'pass') return row.pass === null ? '—' : row.pass ? 'PASS' : 'FAIL';
  return String(row[key]);
};

/** A Markdown table (pipes line up on a terminal, and it pastes into BENCHMARKS.md as is). */
export function formatTable(rows: Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => cell(r, key).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (COLUMNS[i]?.[2] === 'r' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (COLUMNS[i]?.[2] === 'r' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(COLUMNS.map(([, t]) => t)), rule, ...rows.map((r) => line(COLUMNS.map(([k]) => cell(r, k))))].join('\n');
}
