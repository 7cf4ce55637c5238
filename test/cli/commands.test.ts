/** The CLI as an operator runs it (`bin/couponhub.js` in a child process): bad input is named, and fails. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aTenant } from '../support/factories.ts';
import { processDatabaseUrl } from '../support/spawn.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
let dir: string;
before(async () => {
  rt = await testRuntime();
  dir = mkdtempSync(join(tmpdir(), 'couponhub-cli-'));
});
after(async () => {
  await rt.done();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `couponhub <args>` on the test's database; a command that hangs (a server started by mistake) is killed. */
function couponhub(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/couponhub.js', ...args],
      { env: { ...process.env, COUPONHUB_DATABASE_URL: processDatabaseUrl(rt), COUPONHUB_LOG_LEVEL: 'silent', PORT: '0' }, timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('cli', () => {
  it('keys create › --role platform is refused naming --role and COUPONHUB_ADMIN_KEY (no made-up option)', async () => {
    const t = await aTenant(rt.deps);
    const r = await couponhub('keys', 'create', '--tenant', t.id, '--role', 'platform');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /--role: platform keys are not tenant keys/);
    assert.match(r.stderr, /COUPONHUB_ADMIN_KEY/);
    assert.doesNotMatch(r.stderr, /--platform/);
  });

  it('keys create › an unknown role is refused naming --role; a known one prints the key', async () => {
    const t = await aTenant(rt.deps);
    const bad = await couponhub('keys', 'create', '--tenant', t.id, '--role', 'boss');
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /--role: must be one of merchant, cashier, client, not "boss"/);
    const ok = await couponhub('keys', 'create', '--tenant', t.id, '--role', 'cashier');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /API key \(cashier\) for tenant/);
  });

  it('serve › --port abc is refused naming --port, before anything starts', async () => {
    const r = await couponhub('serve', '--port', 'abc');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error \(validation_failed\): --port: must be an integer from 0 to 65535, not "abc"$/m);
    assert.doesNotMatch(r.stderr, /ERR_|at .*\.ts:\d+/);
  });

  it('issue › --chunk must be a positive integer', async () => {
    const r = await couponhub('issue', '--template', 'x', '--users', 'users.csv', '--chunk', 'lots');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /--chunk: must be an integer from 1 to 100000, not "lots"/);
  });

  it('export › --tenant with an unknown id fails with "tenant nope not found" and writes no file', async () => {
    const file = join(dir, 'nope.json');
    const r = await couponhub('export', file, '--tenant', 'nope');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /tenant nope not found/);
    assert.equal(existsSync(file), false);
    const toStdout = await couponhub('export', '-', '--tenant', 'nope');
    assert.equal(toStdout.code, 1, toStdout.stderr);
    assert.equal(toStdout.stdout, '');
  });

  it('export › a known tenant among the ids exports as before', async () => {
    const t = await aTenant(rt.deps);
    const file = join(dir, 'one.json');
    const r = await couponhub('export', file, '--tenant', t.id);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(readFileSync(file, 'utf8')).tenants.map((x: { id: string }) => x.id),
      [t.id],
    );
  });
});
