/**
 * The bench harness starts and explains itself. Benchmarks never run inside npm test: this only
 * checks that `node bench/run.ts --help` loads every bench module and prints its usage.
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
});
