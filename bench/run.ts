/**
 * `npm run bench`: seeds the stores, starts the real server once per database setting and the
 * reference server, runs interleaved rounds, measures wallet time and bulk issuing, kills every
 * server with SIGKILL and checks what it acknowledged, then prints the table (or --json).
 * Progress goes to stderr, results to stdout. Exit 1 only for correctness failures (a failed
 * check or a 5xx), never for a missed speed target.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPostgresUrl } from '../src/store/store.ts';
import { parseBenchArgs, USAGE, type BenchOptions } from './args.ts';
import { BENCH } from './bench-data.ts';
import { bulkIssue } from './bulk.ts';
import { currentLoad, describeMachine } from './machine.ts';
import { probeOpV2 } from './op-v2.ts';
import { buildRows, formatJson, formatText, hasCorrectnessFailure, type Outcome } from './output.ts';
import { planScenarios, prepareStores, type Server } from './plan.ts';
import { ROOT, startNode, stop } from './processes.ts';
import { profileShape } from './profile.ts';
import { runRounds, stopAndCheck } from './rounds.ts';
import { countCoupons } from './seed-sql.ts';
import { sqliteStore, type BenchStore, type Log } from './stores.ts';
import { measureWallet, type WalletResult } from './wallet.ts';

const started = performance.now();
const log: Log = (line) => process.stderr.write(`[${String(Math.round((performance.now() - started) / 1000)).padStart(4)} s] ${line}\n`);

const SERVER_ENV = { COUPONHUB_LOG_LEVEL: 'warn', COUPONHUB_EXPIRE_INTERVAL_MS: '0' };

async function startServers(stores: BenchStore[], servers: Map<string, Server>): Promise<void> {
  for (const store of stores) {
    const proc = await startNode(`server ${store.name}`, 'src/main.ts', { env: { ...store.serverEnv, ...SERVER_ENV } });
    servers.set(store.name, { name: store.name, store, proc, counters: { tag: `${store.name}-${Date.now().toString(36)}`, claims: 0, redeems: 0 }, unresponsive: null });
    log(`  server ${store.name}: ${proc.url} (${store.label})`);
  }
}

/** Checks the routes answer as the scenarios expect; returns the real bodies the ceiling replays. */
async function probe(servers: Map<string, Server>, opts: BenchOptions, notes: string[]): Promise<{ opv2Ok: boolean; canned: Record<string, string> }> {
  const canned: Record<string, string> = {};
  const main = servers.get('sqlite') ?? servers.get('small');
  if (main) {
    const wallet = await fetch(`${main.proc.url}/v1/users/${BENCH.chatUserId}/coupons?limit=200`, { headers: { authorization: `Bearer ${BENCH.clientKey}` } });
    canned.wallet = await wallet.text();
    if (!wallet.headers.get('server-timing')) notes.push('the server sends no Server-Timing header: wallet server-side times are missing (src/http/server.ts onSend hook)');
  }
  const opServer = servers.get('sqlite-opv2');
  if (!opts.only.has('opv2') || !opServer) return { opv2Ok: false, canned };
  const p = await probeOpV2(opServer.proc.url);
  if (p.ok) canned.opv2 = p.body;
  else notes.push(`OP v2 getMergeTicketUsersByChatId skipped — ${p.why}`);
  return { opv2Ok: p.ok, canned };
}

async function wallets(servers: Map<string, Server>, opts: BenchOptions): Promise<WalletResult[]> {
  if (!opts.only.has('wallet')) return [];
  const out: WalletResult[] = [];
  for (const name of ['small', 'big', 'pg-small', 'pg-big']) {
    const s = servers.get(name);
    if (s?.store) out.push(await measureWallet(s.proc.url, name, s.store.label, opts.walletRequests, opts.quick ? 10 : 30));
  }
  return out;
}

/** The growth row's stores grow by the claims of the run: say by how much. */
async function storeSizes(servers: Map<string, Server>, opts: BenchOptions): Promise<string[]> {
  const out: string[] = [];
  for (const [name, start] of [['small', opts.small], ['big', opts.scale]] as const) {
    const store = servers.get(name)?.store;
    if (!store || !opts.only.has('growth')) continue;
    const db = await store.openDb();
    try {
      out.push(`${name} store: ${start.toLocaleString('en-US')} coupons before the rounds, ${(await countCoupons(db)).toLocaleString('en-US')} after them (the claims of the run)`);
    } finally {
      await db.close();
    }
  }
  return out;
}

async function profile(opts: BenchOptions, workDir: string, notes: string[]) {
  if (!opts.profile) return null;
  log(`profiling the SQLite server under ${opts.profileShape} load`);
  const dir = join(workDir, 'profile');
  mkdirSync(dir, { recursive: true });
  const pool = opts.profileShape === 'redeem' ? 10_000 * (opts.duration + 1) : 0;
  const store = await sqliteStore(workDir, 'sqlite-profiled', 'NORMAL', pool, log);
  notes.push('the profiled run is separate from the table: --cpu-prof costs the server a few per cent');
  return profileShape(opts.profileShape, store, dir, opts.duration, opts.connections);
}

async function measure(opts: BenchOptions, workDir: string, pgUrl: string | null, servers: Map<string, Server>, out: Outcome): Promise<void> {
  log('seeding stores');
  const stores = await prepareStores(opts, workDir, pgUrl, log, seeded);
  log('starting servers');
  await startServers(stores, servers);
  const { opv2Ok, canned } = await probe(servers, opts, out.notes);
  const cannedFile = join(workDir, 'canned.json');
  writeFileSync(cannedFile, JSON.stringify(canned));
  const reference = await startNode('reference server', 'bench/reference-server.ts', { env: { BENCH_CANNED: cannedFile } });
  servers.set('reference', { name: 'reference', store: null, proc: reference, counters: { tag: 'ref', claims: 0, redeems: 0 }, unresponsive: null });
  out.scenarios = planScenarios(opts, new Set(servers.keys()), opv2Ok);
  // Before the rounds: the claims of the rounds would otherwise add ~100,000 coupons to the stores.
  if (opts.only.has('wallet')) log('wallet: server-side time, one request at a time');
  out.wallets = await wallets(servers, opts);
  const loads: number[] = [];
  out.runs = await runRounds(opts, out.scenarios, servers, log, loads);
  out.notes.push(`1-minute load average at the start of each round: ${loads.map((l) => l.toFixed(1)).join(', ')} (2 cores: above ~0.5 means other work shared the machine)`);
  for (const sc of out.scenarios) {
    const hung = out.runs.filter((r) => r.id === sc.id && !r.skipped && r.result.completed === 0).length;
    if (hung > 0) out.notes.push(`${sc.id}: no request answered within ${hung} of ${opts.rounds} run(s) — hung or slower than a run; those requests count as errors`);
  }
  for (const s of servers.values()) if (s.unresponsive) out.notes.push(`server ${s.name} was ${s.unresponsive}: its later runs were skipped and count as 0 req/s`);
  log('killing every server (SIGKILL) and checking what it acknowledged');
  out.checks = await stopAndCheck(out.scenarios, servers);
  out.notes.push(...(await storeSizes(servers, opts)));
  if (opts.only.has('bulk')) log('bulk issue');
  out.bulk = opts.only.has('bulk') ? await bulkIssue(opts.cacheDir, workDir, opts.bulk, log) : null;
  if (out.bulk && !out.bulk.available) out.notes.push(`bulk issue skipped — ${out.bulk.why}`);
  if (out.bulk?.available) out.notes.push(`bulk issue: the command's last output (not a terminal, so no progress bar here): ${out.bulk.output || '(none)'}`);
  out.profile = await profile(opts, workDir, out.notes);
}

/** Every store seeded so far (dropped at the end unless --keep), filled even by a run that fails. */
const seeded: BenchStore[] = [];

export async function main(argv: string[]): Promise<number> {
  let opts: BenchOptions | null;
  try {
    opts = parseBenchArgs(argv, join(ROOT, 'bench', '.cache'));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  const envUrl = process.env.COUPONHUB_DATABASE_URL ?? '';
  const pgUrl = isPostgresUrl(envUrl) ? envUrl : null;
  const out: Outcome = { startedAt: new Date().toISOString(), finishedAt: '', machine: await describeMachine(pgUrl), options: opts, scenarios: [], runs: [], checks: [], wallets: [], bulk: null, profile: null, notes: [] };
  if (!pgUrl) out.notes.push('PostgreSQL rows skipped: COUPONHUB_DATABASE_URL is not a postgres:// URL');
  const workDir = mkdtempSync(join(tmpdir(), 'couponhub-bench-'));
  const servers = new Map<string, Server>();
  try {
    await measure(opts, workDir, pgUrl, servers, out);
  } finally {
    for (const s of servers.values()) await stop(s.proc);
    if (!opts.keep) {
      for (const s of seeded) await s.cleanup().catch((e: Error) => log(`cleanup: ${e.message}`));
      rmSync(workDir, { recursive: true, force: true });
    } else log(`kept: ${workDir}`);
  }
  out.finishedAt = new Date().toISOString();
  out.machine.loadAtEnd = currentLoad();
  const rows = buildRows(out);
  if (opts.jsonFile) writeFileSync(opts.jsonFile, `${formatJson(out, rows)}\n`);
  console.log(opts.json ? formatJson(out, rows) : formatText(out, rows));
  return hasCorrectnessFailure(out) ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
