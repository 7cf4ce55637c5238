/**
 * Use cases while another process holds SQLite's write lock (a CLI import beside the server):
 * every write waits for it on a timer, as a transaction does, and a batch of claims that waited
 * its whole allowance is refused at once rather than claim by claim. The other process is a
 * second connection to the same file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimTemplate } from '../../src/app/claims/claim-template.ts';
import { finishIssueJob, openIssueJob } from '../../src/app/claims/issue-bulk.ts';
import { useNonce } from '../../src/app/partners/replay.ts';
import { isDatabaseBusy } from '../../src/app/ports.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { ACTOR, aTemplate, aTenant } from '../support/factories.ts';
import { busyRuntime, countingDeps, turns, watch, type BusyRuntime } from '../support/busy.ts';
import { ON_POSTGRES } from '../support/store.ts';

/** Gives up after 150 ms. */
let hasty: BusyRuntime;
/** Waits long: the test lets go of the lock itself. */
let patient: BusyRuntime;

before(async () => {
  if (ON_POSTGRES) return;
  hasty = await busyRuntime(150);
  patient = await busyRuntime(30_000);
});

after(async () => {
  if (ON_POSTGRES) return;
  await hasty.done();
  await patient.done();
});

/**
 * Starts a write while the other process holds the lock and checks it is still waiting some turns
 * of the event loop later (a statement outside a transaction gives up after a short busy_timeout,
 * blocking the loop meanwhile); then the other process commits, and the write goes through.
 */
async function waitsForTheLock<T>(rt: BusyRuntime, write: () => Promise<T>): Promise<T> {
  rt.other.exec('BEGIN IMMEDIATE');
  try {
    const p = write();
    const w = watch(p);
    await turns(20);
    assert.equal(w.state, 'pending');
    rt.other.exec('COMMIT');
    return await p;
  } finally {
    if (rt.other.isTransaction) rt.other.exec('ROLLBACK');
  }
}

describe('use cases › another process holds the SQLite write lock', { skip: ON_POSTGRES && 'SQLite only' }, () => {
  it('claims › a batch that waited its whole allowance is refused as a whole, in one transaction, not retried claim by claim', async () => {
    const t = await aTenant(hasty.deps);
    const tpl = await aTemplate(hasty.deps, t.id, { stock: null, perUserLimit: null });
    const deps = countingDeps(hasty.deps);
    hasty.other.exec('BEGIN IMMEDIATE');
    let outcomes;
    try {
      outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => claimTemplate(deps, { tenantId: t.id, templateId: tpl.id, userId: `u${i}`, actor: ACTOR })));
    } finally {
      hasty.other.exec('ROLLBACK');
    }
    // Every claim was answered while the lock was still held, each with the busy error...
    assert.deepEqual(
      outcomes.map((o) => o.status === 'rejected' && isDatabaseBusy(o.reason)),
      outcomes.map(() => true),
    );
    // ...after a single wait: one transaction for the batch, none for claims one by one.
    assert.equal(deps.store.count, 1);
    // With the lock free the same claims go through.
    assert.equal((await claimTemplate(deps, { tenantId: t.id, templateId: tpl.id, userId: 'u0', actor: ACTOR })).ownerId, 'u0');
  });

  it('replay › a nonce waits for the lock instead of failing, and is then recorded once', async () => {
    await waitsForTheLock(patient, () => useNonce(patient.deps, 'op:busy', 'n-1', Date.now()));
    await assert.rejects(useNonce(patient.deps, 'op:busy', 'n-1', Date.now()), (e: DomainError) => e.code === 'replayed_request');
  });

  it('bulk issue › opening and finishing a job wait for the lock instead of failing', async () => {
    const t = await aTenant(patient.deps);
    const tpl = await aTemplate(patient.deps, t.id, { stock: null, perUserLimit: null });
    const input = { tenantId: t.id, templateId: tpl.id, fingerprint: 'f-busy', source: 'users.csv', total: 2, actor: ACTOR };
    const job = await waitsForTheLock(patient, () => openIssueJob(patient.deps, input));
    assert.equal(job.status, 'running');
    await waitsForTheLock(patient, () => finishIssueJob(patient.deps, job, ACTOR));
    assert.equal((await openIssueJob(patient.deps, input)).status, 'done');
  });
});
