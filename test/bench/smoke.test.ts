/**
 * The bench harnesses start and explain themselves. Benchmarks never run inside npm test: this
 * only checks that `node bench/run.ts --help` and `node bench/ab.ts --help` load every bench
 * module and print their usage, and that the A/B tool refuses what it cannot compare.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('bench', () => {
  it('bench › --help starts and prints the usage', () => {
    const r = spawnSync(process.execPath, ['bench/run.ts', '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm run bench/);
    for (const flag of ['--rounds', '--duration', '--connections', '--scale', '--quick', '--json']) assert.ok(r.stdout.includes(flag), `usage mentions ${flag}`);
  });

  it('bench › the A/B tool prints its usage, and names the flag that is wrong', () => {
    const help = spawnSync(process.execPath, ['bench/ab.ts', '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run bench:ab/);
    assert.ok(help.stdout.includes('--postgres'), 'usage mentions --postgres');
    for (const [args, message] of [
      [[], /nothing to compare/],
      [['--ref', 'HEAD', '--shape', 'opv2'], /--shape must be one of claim, validate, redeem/],
      [['--env-a', '{"COUPONHUB_SQLITE_WRITER_THREAD":false}'], /--env-a must be a JSON object of string settings/],
      [['--ref', 'HEAD', '--rounds', '0'], /--rounds must be a whole number/],
      [['--ref', 'HEAD', '--postgres', '127.0.0.1:5432/test'], /--postgres must be a postgres:\/\/ URL/],
    ] as const) {
      const r = spawnSync(process.execPath, ['bench/ab.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
