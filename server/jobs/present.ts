import type { Job, JobStatus } from './types.ts';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** What the shared progress partial shows and the status endpoints answer while the page polls: small, whatever the job produced. */
export interface JobStatusView {
  id: number;
  status: JobStatus;
  statusLabel: string;
  /** The CSS class of the status badge. */
  badge: string;
  /** Done or failed: the page reloads to show the outcome. */
  finished: boolean;
  progress: { done: number; total: number | null };
  /** The phase in words, with the counts; empty when the job has not started or has ended. */
  phaseLabel: string;
  /** Why the job failed, in words. */
  error: string | null;
}

export function jobStatusView(job: Job, t: Translate): JobStatusView {
  const finished = job.status === 'done' || job.status === 'failed';
  const { done, total, phase } = job.progress;
  return {
    id: job.id,
    status: job.status,
    statusLabel: t(`jobs:statuses.${job.status}`),
    badge: job.status === 'done' ? 'badge-ok' : job.status === 'failed' ? 'badge-bad' : 'badge-info',
    finished,
    progress: { done, total },
    phaseLabel: job.status === 'running' && phase ? t(phase, { done, total: total ?? '' }) : '',
    error: job.status === 'failed' && job.error ? t(job.error.key, job.error.params ?? {}) : null,
  };
}
