import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { issueChunk, openIssueJob } from '../../src/app/claims/issue-bulk.ts';
import type { Deps } from '../../src/app/ports.ts';
import { issueFromFile } from '../../src/cli/commands/issue.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { storeWith, testRuntime, type TestRuntime } from '../support/store.ts';

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
  it('issue › a chunk of several groups: limits hold across the groups, and each line keeps the code drawn for it', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: 2100, perUserLimit: 1 });
    // 2,500 lines in one chunk (groups of 1,000): line 1500 repeats line 10's user.
    const users = Array.from({ length: 2500 }, (_, i) => (i === 1500 ? 'g10' : `g${i}`));
    const file = csv('groups.csv', ['userId', ...users]);
    const job = await issueFromFile(rt.deps, { template: tpl.id, users: file, chunk: 5000 });
    assert.deepEqual([job.total, job.issued, job.refused], [2500, 2100, 400]);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 2100);
    const coupons = await rt.store.q.coupons.all(t.id, { templateId: tpl.id }, Date.now());
    assert.equal(coupons.length, 2100);
    // Granted in line order: lines 0-1499, then 1501-2100 (line 1500 over its limit, then the stock ran out).
    const granted = [...users.slice(0, 1500), ...users.slice(1501, 2101)];
    // Codes are drawn for the granted lines in line order: their sequence numbers go up with the lines.
    const codeOf = new Map(coupons.map((c) => [c.ownerId, c.code]));
    const seqs = await Promise.all(granted.map(async (u) => rt.store.q.coupons.lookupOf(codeOf.get(u) as string)));
    assert.ok(
      seqs.every((at, k) => 'seq' in at && (k === 0 || at.seq > ((seqs[k - 1] as { seq: number }).seq))),
      'sequence numbers in line order',
    );
    const rejected = readFileSync(`${file}.rejected.csv`, 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 2).join(','));
    assert.deepEqual(rejected, ['g10,limit_reached', ...users.slice(2101).map((u) => `${u},out_of_stock`)]);
    const trail = await rt.store.q.events.list(t.id, { subjectType: 'coupon', subjectId: coupons[0]?.id }, 0, 10);
    assert.deepEqual(trail.map((e) => [e.action, e.data.code, e.data.via]), [['coupon.issued', coupons[0]?.code, 'bulk']]);
  });

  it('issue › a chunk that fails half-way leaves nothing behind; the next run issues every line once', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: 1 });
    const users = Array.from({ length: 2500 }, (_, i) => `f${i}`);
    const file = csv('fails.csv', users);
    // The trail write of the chunk's second group fails (a full disk, say): its first group's
    // coupons and events are already written in the same transaction.
    let groups = 0;
    const store = rt.deps.store;
    const flaky = storeWith(store, {
      transaction: (fn, options) =>
        store.transaction(
          (q) =>
            fn({
              ...q,
              events: Object.assign(Object.create(q.events) as typeof q.events, {
                append: async (events: Parameters<typeof q.events.append>[0]) => {
                  if (events[0]?.action === 'coupon.issued' && ++groups === 2) throw new Error('disk I/O error');
                  return q.events.append(events);
                },
              }),
            }),
          options,
        ),
    });
    await assert.rejects(issueFromFile({ ...rt.deps, store: flaky }, { template: tpl.id, users: file, chunk: 5000 }), /disk I\/O error/);
    assert.equal(await rt.store.q.coupons.count(t.id, { templateId: tpl.id }, Date.now()), 0);
    assert.equal((await rt.store.q.templates.get(t.id, tpl.id))?.claimed, 0);
    assert.equal(await rt.store.q.templates.userCount('template_claims', t.id, tpl.id, 'f0'), 0);
    const job = await issueFromFile(rt.deps, { template: tpl.id, users: file, chunk: 1200 });
    assert.deepEqual([job.done, job.issued, job.refused, job.status], [2500, 2500, 0, 'done']);
    const coupons = await rt.store.q.coupons.all(t.id, { templateId: tpl.id }, Date.now());
    assert.equal(new Set(coupons.map((c) => c.ownerId)).size, 2500);
    assert.equal(new Set(coupons.map((c) => c.code)).size, 2500);
  });

  it('issue › the file is recognised by its lines however they end: CRLF, no final newline, non-ASCII, blank lines', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const texts = [
      'userId\r\ncr1\r\n\r\ncr2\r\n',
      'userId\nnl1\nnl2',
      'user_id,name\nu\u00e91,Zo\u00e9\nu2,Li\n',
      '\ufeffuserId\nbom1\n',
      'ascii1\n  \n\t\nascii2,x\n"ascii3"\n\n',
      'userId\n',
      '',
    ];
    for (const [i, text] of texts.entries()) {
      const file = join(dir, `ends-${i}.csv`);
      writeFileSync(file, text);
      // What a line-by-line reading gives: lines split at \r\n, \n or \r, none after a final newline.
      const lines = text === '' ? [] : text.replace(/(\r\n|\n|\r)$/, '').split(/\r\n|\n|\r/);
      const fingerprint = createHash('sha256').update(lines.map((l) => `${l}\n`).join('')).digest('hex');
      const header = /^\s*"?user_?id"?\s*(,|$)/i.test(lines[0] ?? '');
      const total = lines.filter((l, k) => !(k === 0 && header) && l.trim() !== '').length;
      const opened = await openIssueJob(rt.deps, { tenantId: t.id, templateId: tpl.id, fingerprint, source: file, total, actor: ACTOR });
      const job = await issueFromFile(rt.deps, { template: tpl.id, users: file });
      assert.equal(job.id, opened.id, `file ${i}: the same job`);
      assert.deepEqual([job.total, job.done, job.status], [total, total, 'done'], `file ${i}`);
    }
  });
  it('issue › the run tunes its own connection and puts it back afterwards', async () => {
    const t = await aTenant(rt.deps);
    const tpl = await aTemplate(rt.deps, t.id, { stock: null, perUserLimit: null });
    const file = csv('tune.csv', ['t1', 't2']);
    const db = (rt.store as unknown as { db: Kysely<unknown> }).db;
    const settings = async () => {
      if (rt.store.kind !== 'sqlite') return null;
      const out: Record<string, unknown> = {};
      for (const pragma of ['cache_size', 'wal_autocheckpoint', 'journal_size_limit']) out[pragma] = Object.values((await sql.raw(`pragma ${pragma}`).execute(db)).rows[0] as object)[0];
      return out;
    };
    // A setting of its own first, so that what an earlier test left cannot hide a missing restore.
    if (rt.store.kind === 'sqlite') await sql.raw('pragma cache_size = -12345').execute(db);
    const before = await settings();
    assert.equal((await issueFromFile(rt.deps, { template: tpl.id, users: file })).issued, 2);
    assert.deepEqual(await settings(), before);
  });
});
