/** The machine a run was measured on, recorded with every result (numbers mean nothing without it). */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

export interface Machine {
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  sqlite: string;
  postgres: string | null;
  /** 1-minute load average when the run started and ended: a busy machine shows here. */
  loadAtStart: number;
  loadAtEnd?: number;
  kernel: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:');
  try {
    return String((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v);
  } finally {
    db.close();
  }
}

async function postgresVersion(url: string | null): Promise<string | null> {
  if (!url) return null;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ v: string; sync: string }>("SELECT version() AS v, current_setting('synchronous_commit') AS sync");
    const row = r.rows[0];
    return row ? `${row.v.split(' on ')[0]} (synchronous_commit=${row.sync})` : null;
  } finally {
    await c.end();
  }
}

function kernel(): string {
  try {
    return readFileSync('/proc/version', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return process.platform;
  }
}

export async function describeMachine(pgUrl: string | null): Promise<Machine> {
  return {
    cores: cpus().length,
    cpuModel: cpuModel(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite: sqliteVersion(),
    postgres: await postgresVersion(pgUrl),
    loadAtStart: loadavg()[0] ?? 0,
    kernel: kernel(),
  };
}

export const currentLoad = (): number => loadavg()[0] ?? 0;
