import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import { isUniqueViolation, refreshStatistics } from '../../../db/dialect.ts';
import { ValidationError } from '../../http/errors.ts';
import { recordAuditEntries, type AuditActor, type AuditEntryInput } from '../../audit/chain.ts';
import type { Clock } from '../../domain/clock.ts';
import { JobFailed, takeInput, type Job, type JobError, type JobKind } from '../../jobs/types.ts';
import { checkLedgerFile, markUsedReferences, type ImportError, type LedgerFormat } from './import.ts';
import type { CommitmentInput } from './schema.ts';
import { auditView, commitmentColumns, enterpriseNames, milestoneColumns, refreshStanding } from './repository.ts';

/*
 * A ledger import is a background job (server/jobs), run by whichever app instance claims it: the
 * file, the progress and the outcome live in the job's row, so the progress page works from any
 * instance.
 *
 * Checking the file (the slow part: parsing tens of thousands of rows) happens outside any
 * transaction, reporting progress between batches of rows. Only the inserts run in one transaction,
 * and no progress is reported during it. That matters on SQLite, where the pool has one connection:
 * while the transaction is open every other query (a progress poll, another user's page) waits
 * for it, and gives up after 5 s. PostgreSQL runs the same code.
 */

export const IMPORT_JOB_KIND = 'commitments.import';

export interface ImportPayload {
  filename: string;
  format: LedgerFormat;
}

/** The result of a finished import, as its page and the import list show it. */
export interface ImportResult {
  totalRows: number;
  commitmentsCreated?: number;
  milestonesCreated?: number;
  /** How many problems the file had; the list itself is the job's output file. */
  problemCount?: number;
}

const FILE_HAS_ERRORS = 'commitments:files.import.job.failed';
const CHANGED_MEANWHILE = 'commitments:files.import.errors.changedMeanwhile';
/** Why an import failed, as its audit entry records it (labelled at values.failure.<code>). */
const FAILURE_CODES: Record<string, string> = {
  [FILE_HAS_ERRORS]: 'fileErrors',
  [CHANGED_MEANWHILE]: 'changedMeanwhile',
  'jobs:errors.internal': 'internal',
  'jobs:errors.abandoned': 'abandoned',
};

const PHASE_CHECKING = 'commitments:files.import.phases.checking';
const PHASE_IMPORTING = 'commitments:files.import.phases.importing';
/** What the audit log calls an import (entity type and id of the job); unchanged since imports had their own table, whose ids the jobs kept. */
const AUDIT_ENTITY = 'import_job';

/** Rows per multi-row INSERT: within SQLite's limit of 500 terms in one compound SELECT, which knex uses for it. */
const INSERT_CHUNK = 250;

/** The inputs in arrays of at most `size`, taken from the iterable as each is needed. */
function* inBatches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Inserts every checked commitment of a file in one transaction: the same rows and audit entries
 * as the insertCommitment use case, but in multi-row statements, because one statement per row kept
 * the transaction (and on SQLite the only connection) busy for seconds per ten thousand rows.
 * The inputs are taken a batch at a time (a CheckedCommitments unpacks each as it is reached), so
 * that only one batch is ever held as objects. Reference numbers are checked again inside the
 * transaction, batch by batch: the ledger may have changed since the file was checked.
 */
export async function importCommitments(
  db: Knex,
  actor: AuditActor,
  job: { id: number; agencyId: number; filename: string },
  inputs: Iterable<CommitmentInput>,
  clock: Clock,
): Promise<{ commitmentsCreated: number; milestonesCreated: number }> {
  const imported = await db.transaction(async (trx) => {
    const at = clock.now().toISOString();
    // Each imported commitment's entry names the job and the file it came from.
    const source = { importJob: job.id, importFile: job.filename };
    let commitmentsCreated = 0;
    let milestonesCreated = 0;
    for (const chunk of inBatches(inputs, INSERT_CHUNK)) {
      const used: string[] = [];
      await markUsedReferences(trx, job.agencyId, chunk.map((c) => c.referenceNo), (referenceNo) => used.push(referenceNo));
      if (used.length) throw new ValidationError(used.map((referenceNo) => ({ path: 'referenceNo', key: 'commitments:errors.duplicateReference', params: { referenceNo } })));
      const names = await enterpriseNames(trx, chunk.map((c) => c.enterpriseId));
      await trx('commitments').insert(
        chunk.map((c) => ({ ...commitmentColumns({ ...c, agencyId: job.agencyId }), created_by: actor.id, created_at: at, updated_at: at })),
      );
      const inserted: Array<{ id: number; reference_no: string }> = await trx('commitments').where('agency_id', job.agencyId).whereIn('reference_no', chunk.map((c) => c.referenceNo)).select('id', 'reference_no');
      const idOf = new Map(inserted.map((r) => [r.reference_no, Number(r.id)]));
      const milestones = chunk.flatMap((c) =>
        c.milestones.map((m, i) => ({ ...milestoneColumns(m, i), commitment_id: idOf.get(c.referenceNo), status: 'pending', created_at: at, updated_at: at })),
      );
      for (let j = 0; j < milestones.length; j += INSERT_CHUNK) await trx('milestones').insert(milestones.slice(j, j + INSERT_CHUNK));
      await refreshStanding(trx, [...idOf.values()]);
      commitmentsCreated += chunk.length;
      milestonesCreated += milestones.length;
      // Appended chunk by chunk, still in order and in this one transaction (which holds the chain's
      // lock): the entries of a whole file at once took more memory than the rest of the import.
      await recordAuditEntries(trx, actor, chunk.map((c): AuditEntryInput => ({ action: 'commitment.created', entityType: 'commitment', entityId: idOf.get(c.referenceNo)!, after: { ...auditView(c, names.get(c.enterpriseId ?? 0) ?? null), ...source } })));
      // SQLite's driver answers synchronously: without a pause the event loop would not serve even static files until the commit.
      await nextTurn();
    }
    const result = { commitmentsCreated, milestonesCreated };
    await recordAuditEntries(trx, actor, [{ action: 'commitments.imported', entityType: AUDIT_ENTITY, entityId: job.id, after: { agencyId: job.agencyId, filename: job.filename, ...result } }]);
    return result;
  });
  // Tens of thousands of new rows at once: plan the next ledger queries for them, not for yesterday's table sizes.
  await refreshStatistics(db, ['commitments', 'milestones']);
  return imported;
}

/**
 * What an earlier attempt of this job imported, if it committed: an instance can stop between the
 * commit and recording the job as done, and the next attempt must then not report a failure.
 */
async function earlierImport(db: Knex, jobId: number): Promise<ImportResult | null> {
  const entry = await db('audit_log').where({ action: 'commitments.imported', entity_type: AUDIT_ENTITY, entity_id: String(jobId) }).first('after_json');
  if (!entry) return null;
  const { commitmentsCreated, milestonesCreated } = JSON.parse(entry.after_json) as { commitmentsCreated: number; milestonesCreated: number };
  return { totalRows: milestonesCreated, commitmentsCreated, milestonesCreated };
}

/** The problems of a refused file, kept as the job's output for its page and its errors.csv. */
export function problemsOutput(problems: ImportError[]): { data: Buffer; type: string } {
  return { data: Buffer.from(JSON.stringify(problems), 'utf8'), type: 'application/json' };
}

export const commitmentsImportJob: JobKind<ImportPayload> = {
  kind: IMPORT_JOB_KIND,
  async run({ db, clock }, job, progress) {
    const agencyId = job.agencyId!;
    const earlier = await earlierImport(db, job.id);
    if (earlier) return { result: earlier };

    await progress({ done: 0, total: null, phase: PHASE_CHECKING });
    // The file is taken from the job, so that it is not held while the rows are inserted.
    const check = await checkLedgerFile(db, agencyId, takeInput(job), job.payload.format, (rowsChecked) => progress({ done: rowsChecked }));
    const totalRows = check.totalRows;
    if (check.errorCount > 0) {
      throw new JobFailed({ key: FILE_HAS_ERRORS, params: { count: check.errorCount } }, { result: { totalRows, problemCount: check.errorCount } satisfies ImportResult, output: problemsOutput(check.errors) });
    }

    await progress({ done: totalRows, total: null, phase: PHASE_IMPORTING });
    const user = await db('users').where({ id: job.createdBy }).first('username');
    const actor: AuditActor = { id: job.createdBy, username: user?.username ?? null, ip: null };
    try {
      const created = await importCommitments(db, actor, { id: job.id, agencyId, filename: job.payload.filename }, check.commitments, clock);
      return { result: { totalRows, ...created } satisfies ImportResult };
    } catch (err) {
      // Another upload or user registered one of the file's reference numbers while this one was checked.
      if (err instanceof ValidationError || isUniqueViolation(err)) throw new JobFailed({ key: CHANGED_MEANWHILE });
      throw err;
    }
  },
  failureAudit: (job, error: JobError, outcome) => {
    const result = outcome.result as ImportResult | undefined;
    return {
      action: 'commitments.import_failed',
      entityType: AUDIT_ENTITY,
      entityId: job.id,
      after: { agencyId: job.agencyId, filename: job.payload.filename, failure: FAILURE_CODES[error.key] ?? 'internal', ...(result?.problemCount ? { problemCount: result.problemCount } : {}) },
    };
  },
};

/** An import job's result, typed. */
export function importResultOf(job: Job): ImportResult | null {
  return job.result as ImportResult | null;
}
