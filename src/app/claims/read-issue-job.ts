/** A bulk-issue job read back, e.g. for the CLI's closing report of what a run did. */
import { DomainError } from '../../domain/errors.ts';
import type { IssueJob } from '../../store/queries/issue-jobs.ts';
import type { Deps } from '../ports.ts';

/** The job as stored now: its position and counts after every chunk so far. */
export async function readIssueJob({ store }: Deps, jobId: string): Promise<IssueJob> {
  const job = await store.q.issueJobs.get(jobId);
  if (!job) throw DomainError.notFound('issue job', jobId);
  return job;
}
