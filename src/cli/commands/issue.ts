/**
 * `couponhub issue --template ID --users FILE.csv`: one coupon of a template for each user id of
 * a CSV (first column; a header line `userId` is skipped). Chunks of lines commit with the job's
 * position, so interrupting and running the same command again resumes without duplicates.
 * Refused lines (limit, stock, bad id) are written to FILE.rejected.csv.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { finishIssueJob, issueChunk, openIssueJob, tenantsWithTemplate, tuneStoreForBulk, type IssueJob } from '../../app/claims/issue-bulk.ts';
import { readIssueJob } from '../../app/claims/read-issue-job.ts';
import type { Deps } from '../../app/ports.ts';
import { DomainError } from '../../domain/errors.ts';
import { progressBar } from '../progress.ts';

const ACTOR = { type: 'cli' as const, id: 'couponhub-issue' };

/**
 * Lines per transaction. Coupon codes are random, so each commit rewrites every page of the code
 * index its chunk touched; a chunk's coupons are written in code order (issueChunk), so a big
 * chunk sweeps that index once instead of dirtying pages all over it for each group of lines. At
 * 1,000,000 coupons 50,000 beat 10,000 by a fifth of the run; 100,000 was no faster and used
 * ~80 MB more memory. A chunk is decided and written 1,000 lines at a time inside its transaction.
 */
const DEFAULT_CHUNK = 50_000;

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

/** The first cell of a CSV line, unquoted. */
function firstColumn(line: string): string {
  const comma = line.indexOf(',');
  const cell = (comma === -1 ? line : line.slice(0, comma)).trim();
  return cell.startsWith('"') ? cell.replace(/^"(.*)"$/, '$1') : cell;
}

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
  const tenantId = await resolveTenant(deps, opts, opts.template);
  const { fingerprint, total } = await scan(file).catch((e: Error) => {
    throw DomainError.field('--users', `cannot read ${file}: ${e.message}`);
  });
  const job = await openIssueJob(deps, { tenantId, templateId: opts.template, fingerprint, source: file, total, actor: ACTOR });
  const restore = tuneStoreForBulk(deps);
  try {
    const rejectedFile = await issueLines(deps, job, file, opts.chunk ?? DEFAULT_CHUNK);
    await finishIssueJob(deps, job, ACTOR);
    return { ...(await readIssueJob(deps, job.id)), rejectedFile };
  } finally {
    restore();
  }
}

/** Issues the file's lines after the job's position, a chunk per transaction; returns the rejects file if any line was refused. */
async function issueLines(deps: Deps, job: IssueJob, file: string, chunk: number): Promise<string | null> {
  const bar = progressBar('issue', job.total);
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
  return rejects ? rejectedFile : null;
}
