/**
 * `couponhub issue --template ID --users FILE.csv`: one coupon of a template for each user id of
 * a CSV (first column; a header line `userId` is skipped). Chunks of lines commit with the job's
 * position, so interrupting and running the same command again resumes without duplicates.
 * Refused lines (limit, stock, bad id) are written to FILE.rejected.csv.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { finishIssueJob, issueChunk, openIssueJob, tenantsWithTemplate, type IssueJob } from '../../app/claims/issue-bulk.ts';
import { readIssueJob } from '../../app/claims/read-issue-job.ts';
import type { Deps } from '../../app/ports.ts';
import { DomainError } from '../../domain/errors.ts';
import { progressBar } from '../progress.ts';

const ACTOR = { type: 'cli' as const, id: 'couponhub-issue' };

/**
 * Lines per transaction. Coupon codes are random, so every chunk dirties pages all over the code
 * index, and each commit writes them to the WAL again: at 1,000,000 coupons, chunks of 2,000
 * rewrote most of that index 500 times and commits took a third of the run. 10,000 cuts the
 * commits five-fold while a chunk's dirty pages (~40 MB, estimated) fit the 64 MiB page cache
 * and the process stays under 500 MB (20,000 measured no faster).
 */
const DEFAULT_CHUNK = 10_000;

export interface IssueOptions {
  template?: string | undefined;
  users?: string | undefined;
  tenant?: string | undefined;
  chunk?: number | undefined;
}

/** One pass over the file for its fingerprint and its number of data lines. */
async function scan(file: string): Promise<{ fingerprint: string; total: number }> {
  const hash = createHash('sha256');
  let total = 0;
  let first = true;
  for await (const line of lines(file)) {
    hash.update(line).update('\n');
    if (first && isHeader(line)) {
      first = false;
      continue;
    }
    first = false;
    if (line.trim() !== '') total++;
  }
  return { fingerprint: hash.digest('hex'), total };
}

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Number.POSITIVE_INFINITY });
}

const isHeader = (line: string) => /^\s*"?user_?id"?\s*(,|$)/i.test(line);
const firstColumn = (line: string) => (line.split(',')[0] ?? '').trim().replace(/^"(.*)"$/, '$1');

async function resolveTenant(deps: Deps, opts: IssueOptions, templateId: string): Promise<string> {
  if (opts.tenant) return opts.tenant;
  const tenants = await tenantsWithTemplate(deps, templateId);
  if (tenants.length === 1) return tenants[0] as string;
  if (tenants.length === 0) throw DomainError.notFound('template', templateId);
  throw DomainError.field('--tenant', `template ${templateId} exists in ${tenants.length} tenants; say which`);
}

export async function issueFromFile(deps: Deps, opts: IssueOptions): Promise<IssueJob & { rejectedFile: string | null }> {
  if (!opts.template) throw DomainError.field('--template', 'is required');
  if (!opts.users) throw DomainError.field('--users', 'is required: a CSV file with one user id per line');
  const file = opts.users;
  const chunk = opts.chunk ?? DEFAULT_CHUNK;
  const tenantId = await resolveTenant(deps, opts, opts.template);
  const { fingerprint, total } = await scan(file).catch((e: Error) => {
    throw DomainError.field('--users', `cannot read ${file}: ${e.message}`);
  });
  const job = await openIssueJob(deps, { tenantId, templateId: opts.template, fingerprint, source: file, total, actor: ACTOR });
  const bar = progressBar('issue', total);
  bar.update(job.done);
  const rejectedFile = `${file}.rejected.csv`;
  let rejects: ReturnType<typeof createWriteStream> | null = null;
  // Lines before the job's position were done by an earlier run: chunks start after them.
  let seen = 0;
  let position = job.done;
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const from = position;
    position += pending.length;
    const r = await issueChunk(deps, { job, from, userIds: pending, actor: ACTOR });
    if (!r.applied) throw new Error(`another run is working on job ${job.id}: lines from ${from} were taken by it`);
    if (r.refused.length > 0) {
      rejects ??= createWriteStream(rejectedFile, { flags: 'a' });
      rejects.write(r.refused.map((x) => `${x.userId},${x.code},"${x.message.replaceAll('"', "'")}"\n`).join(''));
    }
    bar.update(position);
    pending = [];
  };
  try {
    let first = true;
    for await (const line of lines(file)) {
      const skip = first && isHeader(line);
      first = false;
      if (skip || line.trim() === '') continue;
      if (seen++ < job.done) continue;
      pending.push(firstColumn(line));
      if (pending.length >= chunk) await flush();
    }
    await flush();
  } finally {
    bar.stop();
    if (rejects) await new Promise((r) => (rejects as ReturnType<typeof createWriteStream>).end(r));
  }
  await finishIssueJob(deps, job, ACTOR);
  return { ...(await readIssueJob(deps, job.id)), rejectedFile: rejects ? rejectedFile : null };
}
