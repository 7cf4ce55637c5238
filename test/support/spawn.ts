/** Starting the real server process (or cluster) against a test's store. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestRuntime } from './store.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The database URL a spawned process should use to see the test's store (its schema on PostgreSQL). */
export function processDatabaseUrl(rt: TestRuntime): string {
  if (!rt.pgSchema) return rt.url;
  const u = new URL(rt.url);
  u.searchParams.set('options', `-c search_path=${rt.pgSchema}`);
  return u.toString();
}

/** Spawns `node <args>` with the test's database and waits for /health. */
export async function startProcess(rt: TestRuntime, port: number, args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', COUPONHUB_DATABASE_URL: processDatabaseUrl(rt), COUPONHUB_LOG_LEVEL: 'warn', COUPONHUB_EXPIRE_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

/** Stops a process started by startProcess with SIGTERM; resolves with its exit code. */
export async function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}
