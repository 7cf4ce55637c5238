/**
 * Child processes of a benchmark run: the real server (`node src/main.ts`) per database setting
 * and the reference server, each on a free 127.0.0.1 port, plus a peak-RSS sampler for CLI runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Proc {
  name: string;
  url: string;
  child: ChildProcess;
  /** What the process wrote to stderr so far (start-up problems, warnings). */
  stderr(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** How long start-up (migrations included) may take. */
  timeoutMs?: number;
  /** The checkout it runs from (default: this one). */
  cwd?: string;
}

/** Spawns `node <script>` on a free port and waits until GET /health answers 200. */
export async function startNode(name: string, script: string, options: StartOptions = {}): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 100_000) stderr += d.toString();
  });
  const proc: Proc = { name, url: `http://127.0.0.1:${port}`, child, stderr: () => stderr };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up (code ${child.exitCode}): ${stderr.trim()}`);
    try {
      if ((await fetch(`${proc.url}/health`)).ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer /health in time: ${stderr.trim()}`);
}

/**
 * Waits until the server answers /health quickly (it is idle), at most `maxMs`. A run leaves up
 * to `connections` requests behind that the server still works through after the client is
 * gone; without this, a slow scenario's backlog would be billed to the next one. Returns the
 * milliseconds waited, or null when the server was still busy at the deadline.
 */
export async function drain(proc: Proc, maxMs: number, idleMs = 100): Promise<number | null> {
  const started = performance.now();
  for (;;) {
    const left = maxMs - (performance.now() - started);
    if (left <= 0) return null;
    const t = performance.now();
    try {
      const res = await fetch(`${proc.url}/health`, { signal: AbortSignal.timeout(Math.ceil(left)) });
      await res.arrayBuffer();
      if (res.ok && performance.now() - t < idleMs) return Math.round(performance.now() - started);
    } catch {
      // still busy past the deadline, or not answering at all
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Stops a process and waits for it to be gone. SIGKILL is the default on purpose: what the
 * checks then find in the database is what survives a crash, not what a clean shutdown flushed.
 */
export async function stop(proc: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set (VmHWM) of a live process in bytes, or 0 once it is gone. */
export function peakRss(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface CommandResult {
  code: number | null;
  seconds: number;
  /** Highest VmHWM seen while it ran (sampled every 50 ms). */
  peakRssBytes: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a node command to completion (bounded by timeoutMs), timing it and sampling its peak RSS.
 * `cwd`: the checkout to run in (default this one; bench:ab seeds with side A's).
 */
export async function runCommand(args: string[], env: Record<string, string>, timeoutMs: number, cwd = ROOT): Promise<CommandResult> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid ?? 0))), 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(sampler);
  clearTimeout(timer);
  return { code, seconds: (performance.now() - started) / 1000, peakRssBytes: peak, stdout, stderr, timedOut };
}
