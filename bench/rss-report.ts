/**
 * Preloaded into a timed CLI command (`node --import ./bench/rss-report.ts …`): at exit it
 * writes the process's own peak RSS to stderr, exact where /proc sampling could miss a peak.
 *
 * The peak is VmHWM of /proc/self/status: the high-water mark of this process's own memory map.
 * Not `process.resourceUsage().maxRSS`: on Linux getrusage's ru_maxrss survives exec, so a child
 * spawned by a big parent reports the parent's RSS at fork time (a 61 MB child of a 944 MB
 * parent reports 926 MB) — which is how the bench once printed a 1.2 GB peak for a ~400 MB run.
 */
import { readFileSync, writeSync } from 'node:fs';

function peakKiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back to getrusage, exact when the parent is small
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  writeSync(2, `\nbench-max-rss-kb=${peakKiB()}\n`);
});
