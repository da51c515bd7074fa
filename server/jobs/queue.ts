import type { Knex } from 'knex';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { ClaimedJob, Job, JobError, JobKind, JobOutcome, JobProgress, JobStatus } from './types.ts';

/*
 * The jobs table is the queue: whatever a job needs (its file, progress, result) is in its row, so
 * any app instance can run it and any instance can show its progress. Every change of a claimed
 * job names the instance holding it (`claimed_by`) in its WHERE clause: an instance that lost its
 * job to another (its heartbeat went stale) can no longer write to it.
 */

export const DEFAULT_MAX_ATTEMPTS = 3;
/** A running job whose heartbeat is older than this belongs to an instance that stopped: it is taken up again. */
export const STALE_AFTER_MS = 2 * 60_000;
/** Bounds of what a job row keeps: results are summaries; lists and reports go in the output file. */
export const MAX_RESULT_BYTES = 16 * 1024;
export const MAX_ERROR_BYTES = 2 * 1024;
const MAX_ERROR_TEXT = 200;
const MAX_ERROR_PARAMS = 10;

/** The job was given to another instance while this one held it (its heartbeat had gone stale). */
export class JobLost extends Error {
  constructor(jobId: number) {
    super(`job ${jobId} is no longer held by this instance`);
    this.name = 'JobLost';
  }
}

export const INTERNAL_ERROR: JobError = { key: 'jobs:errors.internal' };
export const ABANDONED_ERROR: JobError = { key: 'jobs:errors.abandoned' };

/** Columns of a job without its files, which can be megabytes. */
const JOB_COLUMNS = [
  'id', 'kind', 'payload', 'status', 'progress_done', 'progress_total', 'progress_phase', 'result', 'error', 'output_type',
  'created_by', 'agency_id', 'attempts', 'max_attempts', 'created_at', 'finished_at',
];

const iso = (value: unknown): string => new Date(String(value)).toISOString();

function toJob(r: Record<string, unknown>): Job {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    payload: JSON.parse(String(r.payload)),
    status: r.status as JobStatus,
    progress: { done: Number(r.progress_done), total: r.progress_total === null ? null : Number(r.progress_total), phase: (r.progress_phase as string | null) ?? null },
    result: r.result ? JSON.parse(String(r.result)) : null,
    error: r.error ? (JSON.parse(String(r.error)) as JobError) : null,
    outputType: (r.output_type as string | null) ?? null,
    createdBy: r.created_by === null ? null : Number(r.created_by),
    agencyId: r.agency_id === null ? null : Number(r.agency_id),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    createdAt: iso(r.created_at),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
  };
}

function clip(text: string): string {
  return text.length > MAX_ERROR_TEXT ? text.slice(0, MAX_ERROR_TEXT - 1) + '…' : text;
}

/** An error as stored: short strings, a few parameters, never more than MAX_ERROR_BYTES. */
export function boundedError(error: JobError): JobError {
  const params = Object.entries(error.params ?? {})
    .slice(0, MAX_ERROR_PARAMS)
    .map(([name, value]) => [clip(name), typeof value === 'number' ? value : clip(String(value))] as const);
  const bounded: JobError = { key: clip(error.key), ...(params.length ? { params: Object.fromEntries(params) } : {}) };
  return JSON.stringify(bounded).length <= MAX_ERROR_BYTES ? bounded : { key: bounded.key };
}

/** The result as stored, or null when it is larger than a job row should hold. */
export function encodedResult(result: unknown): string | null {
  const text = JSON.stringify(result ?? null);
  return Buffer.byteLength(text) <= MAX_RESULT_BYTES ? text : null;
}

export interface EnqueueOptions {
  clock?: Clock;
  createdBy?: number | null;
  agencyId?: number | null;
  /** A file the job works on (an upload); kept until the job has ended. */
  input?: Buffer | null;
  /** Not before this time (scheduled work). */
  runAfter?: Date;
}

/** Queues a job; an instance's runner takes it up within its poll interval. */
export async function enqueue<P>(db: Knex, kind: JobKind<P>, payload: P, opts: EnqueueOptions = {}): Promise<number> {
  const now = (opts.clock ?? systemClock).now();
  const [{ id }] = await db('jobs')
    .insert({
      kind: kind.kind,
      payload: JSON.stringify(payload),
      input: opts.input ?? null,
      created_by: opts.createdBy ?? null,
      agency_id: opts.agencyId ?? null,
      status: 'queued',
      max_attempts: kind.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_after: (opts.runAfter ?? now).toISOString(),
      created_at: now.toISOString(),
    })
    .returning('id');
  return Number(id);
}

export interface ClaimOptions {
  /** The kinds this instance can run: a job of a kind it does not know is left to another. */
  kinds: readonly string[];
  /** Who claims: stored in the row, so that only this instance writes to the job from then on. */
  instance: string;
  clock: Clock;
  staleAfterMs?: number;
  /** Runs with the failure of a job given up because its instances kept stopping, in the same transaction. */
  onAbandoned?: (trx: Knex.Transaction, job: Job) => Promise<void>;
}

/**
 * Claims the oldest job that is due: a queued one, or a running one whose instance stopped (its
 * heartbeat is stale). A stale job that has used up its attempts is failed instead. The claim is a
 * compare-and-set on what was read, so of several instances asking at once exactly one gets the job.
 */
export async function claimNext(db: Knex, opts: ClaimOptions): Promise<ClaimedJob | null> {
  const now = opts.clock.now();
  const at = now.toISOString();
  const staleBefore = new Date(now.getTime() - (opts.staleAfterMs ?? STALE_AFTER_MS)).toISOString();
  for (;;) {
    const candidate = await db('jobs')
      .whereIn('kind', [...opts.kinds])
      .where((w) => w.where((q) => q.where('status', 'queued').where('run_after', '<=', at)).orWhere((q) => q.where('status', 'running').where('heartbeat_at', '<', staleBefore)))
      .orderBy('id')
      .first('id', 'status', 'heartbeat_at', 'attempts', 'max_attempts');
    if (!candidate) return null;
    const unchanged = (q: Knex = db) => {
      const row = q('jobs').where({ id: candidate.id, status: candidate.status });
      return candidate.status === 'running' ? row.where('heartbeat_at', candidate.heartbeat_at) : row;
    };
    if (candidate.status === 'running' && Number(candidate.attempts) >= Number(candidate.max_attempts)) {
      await db.transaction(async (trx) => {
        const given = await unchanged(trx).update({ status: 'failed', error: JSON.stringify(ABANDONED_ERROR), input: null, claimed_by: null, finished_at: at });
        if (given === 1 && opts.onAbandoned) await opts.onAbandoned(trx, toJob(await trx('jobs').where({ id: candidate.id }).first(JOB_COLUMNS)));
      });
      continue;
    }
    const claimed = await unchanged().update({ status: 'running', claimed_by: opts.instance, claimed_at: at, heartbeat_at: at, attempts: Number(candidate.attempts) + 1 });
    if (claimed !== 1) continue;
    const row = await db('jobs').where({ id: candidate.id }).first([...JOB_COLUMNS, 'input']);
    // Both drivers answer a Buffer already: copying it would hold the file twice.
    return { ...toJob(row), input: row.input ? asBuffer(row.input) : null, claimedBy: opts.instance };
  }
}

/** The job's row, if this instance still holds it. */
function held(db: Knex, job: ClaimedJob): Knex.QueryBuilder {
  return db('jobs').where({ id: job.id, status: 'running', claimed_by: job.claimedBy });
}

async function updateHeld(db: Knex, job: ClaimedJob, fields: Record<string, unknown>): Promise<void> {
  if ((await held(db, job).update(fields)) !== 1) throw new JobLost(job.id);
}

/** Writes progress and the heartbeat; throws JobLost when another instance has taken the job. */
export async function writeProgress(db: Knex, job: ClaimedJob, progress: JobProgress, clock: Clock): Promise<void> {
  await updateHeld(db, job, { progress_done: progress.done, progress_total: progress.total, progress_phase: progress.phase, heartbeat_at: clock.now().toISOString() });
}

function ended(clock: Clock, outcome: JobOutcome): Record<string, unknown> {
  const at = clock.now().toISOString();
  return {
    // The file is not needed once the job has ended; what it held is now in the database or in the output.
    input: null,
    output: outcome.output?.data ?? null,
    output_type: outcome.output?.type ?? null,
    result: outcome.result === undefined ? null : encodedResult(outcome.result),
    claimed_by: null,
    heartbeat_at: at,
    finished_at: at,
  };
}

export async function completeJob(db: Knex, job: ClaimedJob, outcome: JobOutcome, clock: Clock): Promise<void> {
  await updateHeld(db, job, { ...ended(clock, outcome), status: 'done', error: null });
}

/** Records the job as failed; `alsoRecord` writes in the same transaction (the failure's audit entry). */
export async function failJob(db: Knex, job: ClaimedJob, error: JobError, outcome: JobOutcome, clock: Clock, alsoRecord?: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await db.transaction(async (trx) => {
    await updateHeld(trx, job, { ...ended(clock, outcome), status: 'failed', error: JSON.stringify(boundedError(error)) });
    await alsoRecord?.(trx);
  });
}

/** Back to the queue after an unexpected failure, to be tried again from `runAfter`. */
export async function retryJob(db: Knex, job: ClaimedJob, runAfter: Date): Promise<void> {
  await updateHeld(db, job, { status: 'queued', claimed_by: null, heartbeat_at: null, run_after: runAfter.toISOString(), progress_done: 0, progress_total: null, progress_phase: null });
}

/** Back to the queue because this instance is stopping; the attempt does not count. */
export async function requeueJob(db: Knex, job: ClaimedJob): Promise<void> {
  await updateHeld(db, job, { status: 'queued', claimed_by: null, heartbeat_at: null, attempts: Math.max(0, job.attempts - 1), progress_done: 0, progress_total: null, progress_phase: null });
}

export async function findJob(db: Knex, id: number): Promise<Job | null> {
  const row = await db('jobs').where({ id }).first(JOB_COLUMNS);
  return row ? toJob(row) : null;
}

/** The latest jobs of one kind, newest first, optionally of one agency or one user. */
export async function listJobs(db: Knex, filter: { kind: string; agencyId?: number; createdBy?: number; limit: number }): Promise<Job[]> {
  const rows = await db('jobs')
    .where({ kind: filter.kind })
    .modify((q) => {
      if (filter.agencyId !== undefined) q.where({ agency_id: filter.agencyId });
      if (filter.createdBy !== undefined) q.where({ created_by: filter.createdBy });
    })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(filter.limit)
    .select(JOB_COLUMNS);
  return rows.map(toJob);
}

const asBuffer = (value: Buffer | Uint8Array): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

/** The file a job produced, read only when it is downloaded. */
export async function jobOutput(db: Knex, id: number): Promise<{ data: Buffer; type: string } | null> {
  const row = await db('jobs').where({ id }).whereNotNull('output').first('output', 'output_type');
  return row ? { data: asBuffer(row.output), type: String(row.output_type) } : null;
}
