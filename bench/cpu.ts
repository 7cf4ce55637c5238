/**
 * Where the CPU went during a measured run: the server's threads (its event loop, the SQLite
 * writer thread, …), PostgreSQL's processes, the bench process (the load generator) and what the
 * machine left idle — read from /proc before and after the run, per request answered. A run whose
 * machine is far from busy is bound by latency (batches waiting on each other), not by CPU; a
 * thread near 100 % is the one to profile. Linux only: elsewhere nothing is measured.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** CPU seconds per request (as µs) of each part, and the share of the machine left idle. */
export interface CpuShare {
  /** Thread name (as the kernel has it: MainThread, WorkerThread, …) → µs of CPU per request answered. */
  server: Record<string, number>;
  postgres: number | null;
  loadGenerator: number;
  /** Idle (and I/O wait) share of all cores during the run, 0–1. */
  machineIdle: number;
}

export interface CpuSample {
  threads: Map<string, number>;
  postgres: number | null;
  self: NodeJS.CpuUsage;
  stat: number[];
}

const TICK_S = 0.01; // USER_HZ is 100 on Linux

const available = existsSync('/proc/stat');

/** utime + stime ticks of a /proc stat line (fields 14 and 15, after the command's closing parenthesis). */
function ticks(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      out.set(`${name} ${tid}`, ticks(st));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** All processes named postgres (the server on this machine, if there is one). */
function postgresTicks(): number | null {
  let sum = 0;
  let seen = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).startsWith('postgres')) continue;
      seen = true;
      sum += ticks(st);
    } catch {
      // Gone meanwhile.
    }
  }
  return seen ? sum : null;
}

const machine = (): number[] => (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);

export function sampleCpu(serverPid: number | undefined): CpuSample | null {
  if (!available || serverPid === undefined) return null;
  try {
    return { threads: threadTicks(serverPid), postgres: postgresTicks(), self: process.cpuUsage(), stat: machine() };
  } catch {
    return null;
  }
}

/** The shares between two samples of one run that answered `requests`. */
export function cpuShare(before: CpuSample | null, serverPid: number | undefined, requests: number): CpuShare | null {
  const after = sampleCpu(serverPid);
  if (!before || !after || requests <= 0) return null;
  const perRequest = (ticksUsed: number) => Math.round(((ticksUsed * TICK_S) / requests) * 1e7) / 10;
  const server: Record<string, number> = {};
  for (const [key, t] of after.threads) {
    const used = t - (before.threads.get(key) ?? 0);
    if (used <= 0) continue;
    // Threads of one name (V8's helpers) add up.
    const name = key.slice(0, key.lastIndexOf(' '));
    server[name] = (server[name] ?? 0) + used;
  }
  for (const name of Object.keys(server)) server[name] = perRequest(server[name] as number);
  const self = process.cpuUsage(before.self);
  const d = after.stat.map((v, i) => v - (before.stat[i] ?? 0));
  const total = d.reduce((a, b) => a + b, 0);
  return {
    server,
    postgres: after.postgres !== null && before.postgres !== null ? perRequest(after.postgres - before.postgres) : null,
    loadGenerator: Math.round(((self.user + self.system) / requests) * 10) / 10,
    machineIdle: total > 0 ? ((d[3] ?? 0) + (d[4] ?? 0)) / total : 0,
  };
}

/** One line: `MainThread 39 µs, WorkerThread 45 µs · PostgreSQL — · load generator 27 µs · machine idle 35 %`. */
export function formatCpuShare(c: CpuShare): string {
  const threads = Object.entries(c.server)
    .filter(([, us]) => us >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => `${name} ${us.toFixed(0)} µs`)
    .join(', ');
  const pg = c.postgres !== null && c.postgres >= 1 ? ` · PostgreSQL ${c.postgres.toFixed(0)} µs` : '';
  return `${threads}${pg} · load generator ${c.loadGenerator.toFixed(0)} µs · machine idle ${(c.machineIdle * 100).toFixed(0)} %`;
}
