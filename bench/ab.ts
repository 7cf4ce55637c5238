/**
 * `npm run bench:ab`: a paired comparison of two servers on this machine, for deciding whether a
 * change is faster when the machine is too noisy for two separate bench runs to tell (the claim
 * ceiling has moved from 27k to 40k req/s within one run here). Side A is another git ref (checked
 * out in a temporary worktree, sharing this node_modules) or this tree with other settings; side
 * B is this tree. Both serve copies of one seeded SQLite store (or PostgreSQL database, with
 * --postgres), and their runs alternate, the order flipped each round, so whatever the machine
 * does meanwhile falls on both. It prints each round, the medians and the median of the
 * per-round differences (B against A).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteDb } from './db.ts';
import { runLoad } from './load.ts';
import { ROOT, startNode, stop, type Proc } from './processes.ts';
import { median } from './report.ts';
import { newLedger, specFor, type Counters, type Shape } from './scenarios.ts';
import { fillCoupons } from './seed-sql.ts';
import { adminQuery, databaseUrl, dropDatabase, importBenchData, postgresStore, redeemSpec } from './stores.ts';

export const AB_USAGE = `usage: npm run bench:ab -- [options]      (or: node bench/ab.ts [options])

Paired A/B: side A is --ref (a git ref, in a temporary worktree) or, without it, this tree with
--env-a; side B is this tree with --env-b. Both on copies of one SQLite store seeded by side A's
tree (side B migrates its copy forward when it starts), their runs
alternated (order flipped each round). With --postgres, both on copies of one PostgreSQL
database instead (CREATE DATABASE … TEMPLATE; all dropped at the end). Prints each round, the
medians and the median per-round difference of B against A.

options:
  --ref REF           git ref for side A (default: this tree, told apart by --env-a)
  --env-a JSON        server settings for side A, e.g. '{"COUPONHUB_SQLITE_WRITER_THREAD":"off"}'
  --env-b JSON        server settings for side B
  --shape S           claim (default), validate or redeem
  --postgres URL      compare on PostgreSQL: a postgres:// URL of a server where databases may be
                      created (e.g. postgres://postgres@127.0.0.1:5432/test)
  --rounds N          paired rounds (default 8)
  --duration S        seconds per run (default 4), after one 2 s warm-up per side
  --connections N     concurrent connections (default 50)
  --help              this text`;

export interface AbOptions {
  ref: string | null;
  envA: Record<string, string>;
  envB: Record<string, string>;
  shape: Shape;
  rounds: number;
  duration: number;
  connections: number;
  /** A PostgreSQL server to compare on instead of SQLite. */
  postgres: string | null;
}

const SHAPES: Shape[] = ['claim', 'validate', 'redeem'];

function jsonEnv(flag: string, value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new Error(`${flag} must be a JSON object of settings: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`${flag} must be a JSON object of string settings, e.g. '{"COUPONHUB_SQLITE_WRITER_THREAD":"off"}'`);
  }
  return parsed as Record<string, string>;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return n;
}

export function parseAbArgs(argv: string[]): AbOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      ref: { type: 'string' },
      'env-a': { type: 'string' },
      'env-b': { type: 'string' },
      shape: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      postgres: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const shape = (values.shape ?? 'claim') as Shape;
  if (!SHAPES.includes(shape)) throw new Error(`--shape must be one of ${SHAPES.join(', ')}, got ${JSON.stringify(values.shape)}`);
  const opts: AbOptions = {
    ref: values.ref ?? null,
    envA: jsonEnv('--env-a', values['env-a']),
    envB: jsonEnv('--env-b', values['env-b']),
    shape,
    rounds: positive('--rounds', values.rounds, 8),
    duration: positive('--duration', values.duration, 4),
    connections: positive('--connections', values.connections, 50),
    postgres: values.postgres ?? null,
  };
  if (opts.postgres !== null && !/^postgres(ql)?:\/\//.test(opts.postgres)) throw new Error(`--postgres must be a postgres:// URL, got ${JSON.stringify(opts.postgres)}`);
  if (!opts.ref && JSON.stringify(opts.envA) === JSON.stringify(opts.envB)) throw new Error('nothing to compare: give --ref, or settings that differ (--env-a / --env-b)');
  return opts;
}

interface Side {
  name: 'A' | 'B';
  proc: Proc;
  counters: Counters;
  rps: number[];
}

/** A worktree of `ref` in `dir`, using this checkout's node_modules. */
function worktree(ref: string, dir: string): void {
  const r = spawnSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git worktree add ${ref} failed: ${(r.stderr || r.stdout).trim()}`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

async function startSide(name: 'A' | 'B', root: string, db: string, env: Record<string, string>): Promise<Side> {
  const proc = await startNode(`server ${name} (${root})`, 'src/main.ts', { cwd: root, timeoutMs: 60_000, env: { COUPONHUB_LOG_LEVEL: 'warn', COUPONHUB_EXPIRE_INTERVAL_MS: '0', ...env, COUPONHUB_DATABASE_URL: db } });
  return { name, proc, counters: { tag: `ab${name}${Date.now()}`, claims: 0, redeems: 0 }, rps: [] };
}

type Databases = Record<'A' | 'B', string>;

/** Two copies of one seeded SQLite file (`pool` redeemable coupons added). */
async function sqliteCopies(work: string, tree: string, pool: number): Promise<Databases> {
  const base = join(work, 'base.db');
  await importBenchData(base, work, tree);
  if (pool > 0) {
    const db = openSqliteDb(base);
    try {
      await fillCoupons(db, redeemSpec(pool, Date.now()));
    } finally {
      await db.close();
    }
  }
  const copy = (name: string) => {
    const path = join(work, `${name}.db`);
    copyFileSync(base, path);
    return path;
  };
  return { A: copy('A'), B: copy('B') };
}

/** Two copies (CREATE DATABASE … TEMPLATE) of one seeded, analyzed PostgreSQL database (`pool` redeemable coupons added); `cleanups` drops all three. */
async function postgresCopies(url: string, work: string, tree: string, pool: number, cleanups: Array<() => Promise<void>>): Promise<Databases> {
  const base = await postgresStore(url, work, 'ab-base', pool, 0, (line) => console.log(line.trim()), tree);
  cleanups.push(() => base.cleanup());
  const copy = async (name: string) => {
    const database = `${base.database}_${name.toLowerCase()}`;
    await adminQuery(url, `CREATE DATABASE ${database} TEMPLATE ${base.database}`);
    cleanups.push(() => dropDatabase(url, database));
    return databaseUrl(url, database);
  };
  return { A: await copy('A'), B: await copy('B') };
}

async function main(): Promise<void> {
  let opts: AbOptions | 'help';
  try {
    opts = parseAbArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${AB_USAGE}`);
    process.exit(2);
  }
  if (opts === 'help') {
    console.log(AB_USAGE);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'couponhub-ab-'));
  const tree = opts.ref ? join(work, 'tree-a') : ROOT;
  const sides: Side[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  try {
    if (opts.ref) worktree(opts.ref, tree);
    // Redemptions spend pre-issued coupons: enough for every run of both sides at ~10k/s.
    const pool = 10_000 * (opts.duration * opts.rounds + 2);
    // Seeded by side A's tree: a store its migrations made is one side B's can bring forward at
    // start-up (B is usually the newer), never the other way round.
    const redeemable = opts.shape === 'redeem' ? pool : 0;
    const databases = opts.postgres ? await postgresCopies(opts.postgres, work, tree, redeemable, cleanups) : await sqliteCopies(work, tree, redeemable);
    for (const [name, root, env] of [['A', tree, opts.envA], ['B', ROOT, opts.envB]] as const) {
      sides.push(await startSide(name, root, databases[name], env));
    }
    console.log(`A: ${opts.ref ? `git ${opts.ref}` : 'this tree'} ${JSON.stringify(opts.envA)} · B: this tree ${JSON.stringify(opts.envB)} · ${opts.postgres ? 'PostgreSQL' : 'SQLite'}, ${opts.shape}, ${opts.connections} connections, ${opts.rounds} × ${opts.duration} s`);
    const load = (s: Side, duration: number) => runLoad(s.proc.url, specFor(opts.shape, s.counters, pool, newLedger()), { connections: opts.connections, duration });
    for (const s of sides) await load(s, 2);
    const diffs: number[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      for (const s of round % 2 ? [...sides].reverse() : sides) {
        const r = await load(s, opts.duration);
        if (r.s5xx > 0 || r.errors > 0) throw new Error(`side ${s.name}: ${r.s5xx} 5xx and ${r.errors} connection errors in round ${round + 1}`);
        s.rps.push(Math.round(r.rps));
      }
      const [a, b] = sides.map((s) => s.rps.at(-1) as number) as [number, number];
      diffs.push(a > 0 ? (b - a) / a : 0);
      console.log(`round ${round + 1}: A ${a.toLocaleString('en-US')}  B ${b.toLocaleString('en-US')} req/s  (${diffs.at(-1)! >= 0 ? '+' : ''}${(100 * (diffs.at(-1) as number)).toFixed(1)} %)`);
    }
    const wins = diffs.filter((d) => d > 0).length;
    const [ma, mb] = sides.map((s) => median(s.rps)) as [number, number];
    console.log(`median: A ${Math.round(ma).toLocaleString('en-US')}  B ${Math.round(mb).toLocaleString('en-US')} req/s · median paired difference ${(100 * median(diffs)).toFixed(1)} % · B ahead in ${wins} of ${diffs.length} rounds`);
  } finally {
    for (const s of sides) await stop(s.proc);
    for (const c of cleanups.reverse()) await c().catch((e: Error) => console.error(`clean-up: ${e.message}`));
    if (opts.ref) spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
