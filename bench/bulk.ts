/**
 * Bulk issue: `couponhub issue --template ID --users FILE.csv` giving one coupon to each of N
 * users on SQLite, timed end to end (process start to exit, migrations included) with its peak
 * RSS. Skipped with a clear line while the CLI does not know the command.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH } from './bench-data.ts';
import { openSqliteDb } from './db.ts';
import { ROOT, runCommand } from './processes.ts';
import { countCoupons } from './seed-sql.ts';
import { importIntoSqlite, type Log } from './stores.ts';

export type BulkResult =
  | { available: false; why: string }
  | { available: true; users: number; seconds: number; peakRssMB: number; exitCode: number | null; issued: number; timedOut: boolean; output: string };

/** True when the CLI lists an `issue` command (its help, or `issue --help` exiting 0). */
export function issueCommandAvailable(): { ok: boolean; why: string } {
  const run = (args: string[]) => spawnSync(process.execPath, ['bin/couponhub.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, COUPONHUB_DATABASE_URL: ':memory:' } });
  const help = run(['help']);
  if (/^\s+issue\b/m.test(`${help.stdout}${help.stderr}`)) return { ok: true, why: '' };
  const r = run(['issue', '--help']);
  const text = `${r.stdout}${r.stderr}`.trim();
  if (r.status === 0 && !/unknown command/i.test(text)) return { ok: true, why: '' };
  return { ok: false, why: `not available yet: \`couponhub issue --help\` says: ${text.split('\n')[0]?.slice(0, 140) ?? `exit ${r.status}`}` };
}

/** users-N.csv in the cache folder: a `userId` header, then one new user per line. */
export function usersCsv(cacheDir: string, users: number): string {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `users-${users}.csv`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  appendFileSync(partial, 'userId\n');
  for (let i = 0; i < users; i += 100_000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(users, i + 100_000); j++) lines.push(`bench-bulk-user-${String(j).padStart(8, '0')}`);
    appendFileSync(partial, `${lines.join('\n')}\n`);
  }
  renameSync(partial, file);
  return file;
}

export async function bulkIssue(cacheDir: string, workDir: string, users: number, log: Log): Promise<BulkResult> {
  const available = issueCommandAvailable();
  if (!available.ok) return { available: false, why: available.why };
  const csv = usersCsv(cacheDir, users);
  const dbPath = join(workDir, 'bulk.db');
  await importIntoSqlite(dbPath);
  log(`  bulk issue: ${users.toLocaleString('en-US')} users from ${csv}`);
  const args = ['--import', './bench/rss-report.ts', 'bin/couponhub.js', 'issue', '--template', BENCH.bulkTemplateId, '--users', csv];
  const r = await runCommand(args, { COUPONHUB_DATABASE_URL: dbPath, COUPONHUB_LOG_LEVEL: 'warn' }, 10 * 60_000);
  const reported = /bench-max-rss-kb=(\d+)/.exec(r.stderr); // VmHWM at exit (rss-report.ts)
  const peak = Math.max(r.peakRssBytes, reported ? Number(reported[1]) * 1024 : 0);
  const db = openSqliteDb(dbPath);
  let issued = 0;
  try {
    issued = await countCoupons(db, 'tenant_id = ? AND template_id = ?', [BENCH.tenantId, BENCH.bulkTemplateId]);
  } finally {
    await db.close();
  }
  // Progress bars draw with ANSI escapes and carriage returns: keep only the text lines.
  const plain = `${r.stdout}\n${r.stderr.replace(/\nbench-max-rss-kb=\d+\n?/, '')}`.replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, '\n');
  const output = plain.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
  return { available: true, users, seconds: r.seconds, peakRssMB: peak / 2 ** 20, exitCode: r.code, issued, timedOut: r.timedOut, output };
}
