/** Command-line flags of `npm run bench`, with defaults sized for a 2-core machine (~10 minutes). */
import { parseArgs } from 'node:util';
import type { Shape } from './scenarios.ts';

export const GROUPS = ['claim', 'validate', 'redeem', 'opv2', 'growth', 'wallet', 'bulk'] as const;
export type Group = (typeof GROUPS)[number];

export interface BenchOptions {
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  /** Coupons in the big store (growth and wallet rows). */
  scale: number;
  /** Coupons in the small store the growth row compares with. */
  small: number;
  /** Users in the bulk-issue CSV. */
  bulk: number;
  walletRequests: number;
  only: Set<Group>;
  json: boolean;
  jsonFile: string | null;
  profile: boolean;
  profileShape: Shape;
  pgBig: boolean;
  keep: boolean;
  cacheDir: string;
  quick: boolean;
}

export const USAGE = `usage: npm run bench -- [options]      (or: node bench/run.ts [options])

Measures couponhub against a reference server (Fastify, same routes and JSON validation, no
store) in interleaved rounds and prints ratios = median(scenario req/s) / median(ceiling req/s).
SQLite always; PostgreSQL too when COUPONHUB_DATABASE_URL is a postgres:// URL (a fresh database on that server, dropped afterwards).

options:
  --rounds N          interleaved rounds (default 3)
  --duration S        seconds per measured run (default 5)
  --warmup S          seconds of warm-up before each run, discarded (default 1)
  --connections N     concurrent connections (default 50)
  --scale N           coupons in the big store for the growth and wallet rows (default 5000000;
                      seeded once, cached in the cache folder)
  --small N           coupons in the small store the growth row divides by (default 10000)
  --bulk N            users in the bulk-issue CSV (default 1000000)
  --wallet-requests N wallet requests, one at a time, for the server-side p50/p99 (default 2000,
                      at most 30 s per store)
  --only LIST         comma-separated groups: ${GROUPS.join(',')} (default: all)
  --pg-big            run the growth and wallet rows on PostgreSQL too (seeds --scale rows there)
  --profile           also CPU-profile the SQLite server under one scenario's load (a separate
                      run, not in the table) and print where its CPU time goes
  --profile-shape S   what to profile: claim (default), validate, redeem, opv2
  --cache DIR         cache folder for big stores and CSVs (default bench/.cache)
  --keep              keep the temporary SQLite files and PostgreSQL databases
  --quick             smoke run: 1 round of 2 s, --scale 100000, --bulk 20000 unless given
  --json              print the results as JSON on stdout (progress still goes to stderr)
  --json-file FILE    print the table and also write the JSON to FILE
  -h, --help          this text

Benchmarks bind 127.0.0.1 only and never run inside npm test.`;

function int(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

function groups(raw: string | undefined): Set<Group> {
  if (!raw) return new Set(GROUPS);
  const out = new Set<Group>();
  for (const g of raw.split(',').map((s) => s.trim())) {
    if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: unknown group ${JSON.stringify(g)} (groups: ${GROUPS.join(', ')})`);
    out.add(g as Group);
  }
  return out;
}

const SHAPES = ['claim', 'validate', 'redeem', 'opv2'] as const;

function shape(raw: string | undefined): Shape {
  if (raw === undefined) return 'claim';
  if (!(SHAPES as readonly string[]).includes(raw)) throw new Error(`--profile-shape must be one of ${SHAPES.join(', ')}`);
  return raw as Shape;
}

const OPTIONS = {
  rounds: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  scale: { type: 'string' },
  small: { type: 'string' },
  bulk: { type: 'string' },
  'wallet-requests': { type: 'string' },
  only: { type: 'string' },
  cache: { type: 'string' },
  json: { type: 'boolean' },
  'json-file': { type: 'string' },
  profile: { type: 'boolean' },
  'profile-shape': { type: 'string' },
  'pg-big': { type: 'boolean' },
  keep: { type: 'boolean' },
  quick: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses argv; returns null when the user asked for help. Throws with a message on bad flags. */
export function parseBenchArgs(argv: string[], defaultCache: string): BenchOptions | null {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  if (values.help) return null;
  const quick = values.quick ?? false;
  return {
    rounds: int('rounds', values.rounds, 1 + (quick ? 0 : 2), 1),
    duration: int('duration', values.duration, quick ? 2 : 5, 1),
    warmup: int('warmup', values.warmup, 1, 0),
    connections: int('connections', values.connections, 50, 1),
    scale: int('scale', values.scale, quick ? 100_000 : 5_000_000, 1000),
    small: int('small', values.small, 10_000, 1000),
    bulk: int('bulk', values.bulk, quick ? 20_000 : 1_000_000, 1),
    walletRequests: int('wallet-requests', values['wallet-requests'], quick ? 300 : 2000, 10),
    only: groups(values.only),
    json: values.json ?? false,
    jsonFile: values['json-file'] ?? null,
    profile: (values.profile ?? false) || values['profile-shape'] !== undefined,
    profileShape: shape(values['profile-shape']),
    pgBig: values['pg-big'] ?? false,
    keep: values.keep ?? false,
    cacheDir: values.cache ?? defaultCache,
    quick,
  };
}
