import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/chain.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { ABANDONED_ERROR, INTERNAL_ERROR, JobLost, claimNext, completeJob, encodedResult, enqueue, failJob, requeueJob, retryJob, writeProgress } from './queue.ts';
import { JobFailed, type ClaimedJob, type Job, type JobContext, type JobError, type JobKind, type JobOutcome, type ProgressReporter } from './types.ts';

const POLL_MS = 1000;
/** Progress is written at most this often (a phase change is written at once). */
const PROGRESS_EVERY_MS = 1000;
/** After an unexpected failure a job waits this long times its attempts before it is tried again. */
const RETRY_DELAY_MS = 30_000;

/** Raised from a progress report when the runner is stopping: the job goes back to the queue. */
class JobInterrupted extends Error {}

export interface RunOptions {
  db: Knex;
  logger: Logger;
  clock?: Clock;
  kinds: readonly JobKind[];
  /** Names this instance in the jobs it claims; by default host, process and a random suffix. */
  instance?: string;
  staleAfterMs?: number;
  shouldStop?: () => boolean;
}

function registry(kinds: readonly JobKind[]): Map<string, JobKind> {
  const byName = new Map<string, JobKind>();
  for (const kind of kinds) {
    if (byName.has(kind.kind)) throw new Error(`job kind ${kind.kind} is registered twice`);
    byName.set(kind.kind, kind);
  }
  return byName;
}

export function instanceName(): string {
  return `${hostname()}#${process.pid}#${randomBytes(3).toString('hex')}`;
}

function progressReporter(db: Knex, job: ClaimedJob, clock: Clock, shouldStop: () => boolean): ProgressReporter {
  let lastWrite = -Infinity;
  let phase = job.progress.phase;
  return async (progress) => {
    if (shouldStop()) throw new JobInterrupted();
    const nextPhase = progress.phase === undefined ? phase : progress.phase;
    const now = performance.now();
    if (nextPhase === phase && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    phase = nextPhase;
    await writeProgress(db, job, { done: progress.done, total: progress.total ?? null, phase }, clock);
  };
}

/** The audit entry of a failed job, if its kind records one, in the name of whoever queued it. */
function failureAudit(kind: JobKind, job: Job, error: JobError, outcome: JobOutcome): ((trx: Knex.Transaction) => Promise<void>) | undefined {
  if (!kind.failureAudit) return undefined;
  const entry = kind.failureAudit(job, error, outcome);
  return async (trx) => {
    const user = job.createdBy === null ? null : await trx('users').where({ id: job.createdBy }).first('username');
    await recordAudit(trx, { id: job.createdBy, username: user?.username ?? SYSTEM_ACTOR.username, ip: null }, entry);
  };
}

/** Records a job as failed, with its audit entry. */
function fail(db: Knex, kind: JobKind, job: ClaimedJob, error: JobError, outcome: JobOutcome, clock: Clock): Promise<void> {
  return failJob(db, job, error, outcome, clock, failureAudit(kind, job, error, outcome));
}

/** Runs one claimed job to its end: done, failed, queued again for a retry, or back in the queue if the runner stops. */
async function runClaimed(ctx: JobContext, kind: JobKind, job: ClaimedJob, shouldStop: () => boolean): Promise<void> {
  const { db, logger, clock } = ctx;
  const about = { jobId: job.id, kind: job.kind, attempt: job.attempts };
  try {
    let outcome;
    try {
      outcome = await kind.run(ctx, job, progressReporter(db, job, clock, shouldStop));
    } catch (err) {
      if (err instanceof JobInterrupted) return await requeueJob(db, job);
      if (err instanceof JobFailed) return await fail(db, kind, job, err.error, err.outcome, clock);
      if (err instanceof JobLost) throw err;
      logger.error({ ...about, err }, 'job failed unexpectedly');
      if (job.attempts < job.maxAttempts) return await retryJob(db, job, new Date(clock.now().getTime() + RETRY_DELAY_MS * job.attempts));
      return await fail(db, kind, job, INTERNAL_ERROR, {}, clock);
    }
    if (outcome.result !== undefined && encodedResult(outcome.result) === null) {
      logger.error(about, 'job result is too large to keep: a job should put long lists in its output file');
      return await fail(db, kind, job, INTERNAL_ERROR, {}, clock);
    }
    await completeJob(db, job, outcome, clock);
  } catch (err) {
    // Another instance runs the job now; whatever this one did is not recorded as the job's end.
    if (err instanceof JobLost) return logger.warn(about, 'job was taken over by another instance');
    throw err;
  }
}

/** Runs due jobs one after the other until none is left or `shouldStop` says so; returns how many ran. */
export async function runQueuedJobs(opts: RunOptions): Promise<number> {
  const { db, logger, clock = systemClock, shouldStop = () => false } = opts;
  const kinds = registry(opts.kinds);
  const instance = opts.instance ?? instanceName();
  const onAbandoned = async (trx: Knex.Transaction, abandoned: Job) => {
    await failureAudit(kinds.get(abandoned.kind)!, abandoned, ABANDONED_ERROR, {})?.(trx);
  };
  let ran = 0;
  while (!shouldStop()) {
    const job = await claimNext(db, { kinds: [...kinds.keys()], instance, clock, staleAfterMs: opts.staleAfterMs, onAbandoned });
    if (!job) break;
    await runClaimed({ db, logger, clock }, kinds.get(job.kind)!, job, shouldStop);
    ran++;
  }
  return ran;
}

/**
 * Queues the standing job of each kind that has one and has no job waiting or running (see
 * JobKind.standing); answers the kinds it queued. Two instances starting at once may both queue one:
 * such a kind's run must tolerate a twin (the complaints sweep merges the two chains at its next run).
 */
export async function queueStandingJobs(db: Knex, kinds: readonly JobKind[], clock: Clock = systemClock): Promise<string[]> {
  const queued: string[] = [];
  for (const kind of kinds) {
    if (!kind.standing) continue;
    const waiting = await db('jobs').where({ kind: kind.kind }).whereIn('status', ['queued', 'running']).first('id');
    if (waiting) continue;
    const { payload, runAfter } = kind.standing(clock);
    await enqueue(db, kind, payload, { clock, runAfter });
    queued.push(kind.kind);
  }
  return queued;
}

export interface JobRunner {
  /** Lets the job in hand finish, or returns it to the queue at its next progress report; then stops polling. */
  stop(): Promise<void>;
}

/** Polls for due jobs in this app instance until stopped; every instance may run one. */
export function startJobRunner(opts: Omit<RunOptions, 'shouldStop'> & { pollMs?: number }): JobRunner {
  const { logger, pollMs = POLL_MS } = opts;
  const run = { ...opts, kinds: opts.kinds, instance: opts.instance ?? instanceName() };
  registry(run.kinds); // a kind registered twice stops start-up, not the first poll
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let started = false;
  const tick = () => {
    timer = null;
    // The first poll queues the standing jobs (a daily sweep) before it runs the queue, so that they start
    // without a scheduler; a poll that could not queue them tries again at the next.
    const standing = started
      ? Promise.resolve()
      : queueStandingJobs(opts.db, run.kinds, opts.clock).then(() => {
          started = true;
        });
    running = standing
      .then(() => runQueuedJobs({ ...run, shouldStop: () => stopping }))
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err }, 'job runner: could not run the queue'),
      )
      .then(() => {
        if (!stopping) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
