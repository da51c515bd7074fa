import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AuditEntryInput } from '../audit/chain.ts';
import type { Clock } from '../domain/clock.ts';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobProgress {
  done: number;
  /** Null while the size of the work is not known yet. */
  total: number | null;
  /** i18n key of the phase; its text may use {{done}} and {{total}}. */
  phase: string | null;
}

/** Why a job failed, as the people who asked for it read it: an i18n key and its parameters. */
export interface JobError {
  key: string;
  params?: Record<string, string | number>;
}

/** A job as pages and lists see it: never the bytes of its input or output. */
export interface Job<P = unknown> {
  id: number;
  kind: string;
  payload: P;
  status: JobStatus;
  progress: JobProgress;
  result: unknown;
  error: JobError | null;
  /** MIME type of the file the job produced, or null when there is none. */
  outputType: string | null;
  createdBy: number | null;
  agencyId: number | null;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  finishedAt: string | null;
}

/** A job in the hands of one app instance, with the file it was given. */
export interface ClaimedJob<P = unknown> extends Job<P> {
  /** The file, until a kind takes it with takeInput (so that it is not held for the rest of the run). */
  input: Buffer | null;
  claimedBy: string;
}

/**
 * The job's file, handed over once: the job no longer holds it, so that it can be collected as
 * soon as the caller is done with it (an import reads its file once, then inserts for seconds).
 */
export function takeInput(job: ClaimedJob): Buffer {
  const input = job.input;
  if (!input) throw new Error(`job ${job.id} has no file`);
  job.input = null;
  return input;
}

/** What a finished job leaves behind: a small JSON result and, for a report or a list of problems, a file. */
export interface JobOutcome {
  result?: unknown;
  output?: { data: Buffer; type: string };
}

export interface JobContext {
  db: Knex;
  logger: Logger;
  clock: Clock;
}

/**
 * Records progress and keeps the job's heartbeat, at most about once a second however often it is
 * called. It throws when the job must stop (the instance is shutting down, or the job was given to
 * another instance): let that error pass. Never call it while holding a transaction: on SQLite the
 * only connection is then busy, and the write would wait for it.
 */
export type ProgressReporter = (progress: { done: number; total?: number | null; phase?: string | null }) => Promise<void>;

/** A kind of background job; features register theirs in their manifest (`jobs`). */
export interface JobKind<P = unknown> {
  /** Unique name, '<feature>.<what>', stored in each job row. */
  kind: string;
  /**
   * Does the work and returns what it produced. Throw JobFailed for a failure the user can act on
   * (it is not tried again); any other error is logged and the job tried again, up to maxAttempts.
   * A job can be run again after its instance stopped half-way: whatever it writes must be written
   * in one transaction, and a later attempt must notice work an earlier one already committed.
   */
  run(ctx: JobContext, job: ClaimedJob<P>, progress: ProgressReporter): Promise<JobOutcome>;
  /** How many times a job is started before it is given up as failed (default 3). */
  maxAttempts?: number;
  /**
   * The audit entry of a failed job, for kinds whose failures are auditable events (a refused
   * import): written with the failure in one transaction, in the name of whoever queued the job.
   */
  failureAudit?(job: Job<P>, error: JobError, outcome: JobOutcome): AuditEntryInput;
  /**
   * For a kind that keeps itself going (a daily sweep that queues its own next run, there being no
   * recurring jobs): the job an instance queues when it starts and no job of the kind is waiting or running.
   */
  standing?(clock: Clock): { payload: P; runAfter?: Date };
}

/** A failure that trying again would not mend (a file with errors, data that changed meanwhile). */
export class JobFailed extends Error {
  constructor(
    readonly error: JobError,
    readonly outcome: JobOutcome = {},
  ) {
    super(error.key);
    this.name = 'JobFailed';
  }
}
