import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueChunk, openIssueJob } from '../../src/app/claims/issue-bulk.ts';
import { issueFromFile } from '../../src/cli/commands/issue.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

let rt: TestRuntime;
let dir: string;
before(async () => {
  rt = await testRuntime();
  dir = mkdtempSync(join(tmpdir(), 'couponhub-issue-'));
});
after(async () => {
  await rt.done();
  rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('bulk issue', () => {
  it('issue › one coupon per line, stock and per-user limits exact, refusals written beside the file', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 20, perUserLimit: 1 });
    const users = Array.from({ length: 22 }, (_, i) => `u${i + 1}`);
    const file = csv('users.csv', ['userId', ...users.slice(0, 10), '', 'u3', 'bad id!', ...users.slice(10)]);
    const job = await issueFromFile(rt.deps, { template: tpl.id, users: file, chunk: 7 });
    assert.deepEqual([job.total, job.issued, job.refused, job.status], [24, 20, 4, 'done']);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id }, Date.now()), 20);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 20);
    const rejected = readFileSync(`${file}.rejected.csv`, 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 2).join(','));
    assert.deepEqual(rejected.sort(), ['bad id!,validation_failed', 'u21,out_of_stock', 'u22,out_of_stock', 'u3,limit_reached'].sort());
  });

  it('issue › an interrupted run resumes where it stopped; the same file again issues nothing more', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const users = Array.from({ length: 50 }, (_, i) => `r${i}`);
    const file = csv('resume.csv', users);
    const text = readFileSync(file, 'utf8');
    const { createHash } = await import('node:crypto');
    const fingerprint = createHash('sha256').update(text.split('\n').slice(0, -1).map((l) => `${l}\n`).join('')).digest('hex');
    // A first run that got through 20 lines and died.
    const job = await openIssueJob(rt.deps, { tenantId: t.id, templateId: tpl.id, fingerprint, source: file, total: 50, actor: ACTOR });
    assert.equal((await issueChunk(rt.deps, { job, from: 0, userIds: users.slice(0, 20), actor: ACTOR })).issued, 20);
    // A stale run replaying the same chunk changes nothing.
    assert.equal((await issueChunk(rt.deps, { job, from: 0, userIds: users.slice(0, 20), actor: ACTOR })).applied, false);
    const resumed = await issueFromFile(rt.deps, { template: tpl.id, users: file, chunk: 8 });
    assert.equal(resumed.id, job.id);
    assert.deepEqual([resumed.issued, resumed.done], [50, 50]);
    const again = await issueFromFile(rt.deps, { template: tpl.id, users: file, chunk: 8 });
    assert.equal(again.issued, 50);
    const coupons = await rt.store.q.coupons.all(t.id, { templateId: tpl.id }, Date.now());
    assert.equal(coupons.length, 50);
    assert.equal(new Set(coupons.map((c) => c.ownerId)).size, 50);
    assert.equal(existsSync(`${file}.rejected.csv`), false);
  });
});
