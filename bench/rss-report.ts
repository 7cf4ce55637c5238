/**
 * Preloaded into a timed CLI command (`node --import ./bench/rss-report.ts …`): at exit it
 * writes the process's own peak RSS to stderr, exact where /proc sampling could miss a peak.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nbench-max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
