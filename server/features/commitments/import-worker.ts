import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { isUniqueViolation, refreshStatistics } from '../../../db/dialect.ts';
import { ValidationError } from '../../http/errors.ts';
import { recordAuditEntries, type AuditActor, type AuditEntryInput } from '../../audit/chain.ts';
import { checkLedgerFile, markUsedReferences, type ImportError, type LedgerFormat } from './import.ts';
import type { CommitmentInput } from './schema.ts';
import { auditView, commitmentColumns, milestoneColumns } from './repository.ts';

/*
 * Imports run in the background, in whichever app instance claims the job first: the file and the
 * progress live in the import_jobs row, so the progress page works from any instance.
 *
 * Checking a file (the slow part: parsing tens of thousands of rows) happens outside any transaction,
 * writing the progress between batches of rows. Only the inserts run in one transaction. That matters
 * on SQLite, where the pool has one connection: while the transaction is open every other query
 * (a progress poll, another user's page) waits for it, and gives up after 5 s. So the transaction
 * holds nothing but the inserts, and a page that polls sees "rows checked" move, then the final
 * "rows imported" once the transaction commits. PostgreSQL runs the same code.
 */

export type ImportJobStatus = 'queued' | 'validating' | 'importing' | 'done' | 'failed';

export interface ImportJobView {
  id: number;
  agencyId: number;
  filename: string;
  status: ImportJobStatus;
  totalRows: number;
  rowsChecked: number;
  rowsImported: number;
  commitmentsCreated: number;
  milestonesCreated: number;
  errors: ImportError[];
  errorCount: number;
  createdAt: string;
  finishedAt: string | null;
}

const POLL_MS = 1000;
/** A running job whose heartbeat is older than this belongs to an instance that stopped: it is run again. */
const STALE_AFTER_MS = 2 * 60_000;

function toView(r: Record<string, unknown>): ImportJobView {
  return {
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    filename: String(r.filename),
    status: r.status as ImportJobStatus,
    totalRows: Number(r.total_rows),
    rowsChecked: Number(r.rows_checked),
    rowsImported: Number(r.rows_imported),
    commitmentsCreated: Number(r.commitments_created),
    milestonesCreated: Number(r.milestones_created),
    errors: r.errors_json ? (JSON.parse(String(r.errors_json)) as ImportError[]) : [],
    errorCount: Number(r.error_count),
    createdAt: new Date(String(r.created_at)).toISOString(),
    finishedAt: r.finished_at ? new Date(String(r.finished_at)).toISOString() : null,
  };
}

const VIEW_COLUMNS = ['id', 'agency_id', 'filename', 'status', 'total_rows', 'rows_checked', 'rows_imported', 'commitments_created', 'milestones_created', 'errors_json', 'error_count', 'created_at', 'finished_at'];

export async function findImportJob(db: Knex, id: number): Promise<ImportJobView | null> {
  const row = await db('import_jobs').where({ id }).first(VIEW_COLUMNS);
  return row ? toView(row) : null;
}

/** The agency's latest imports, newest first, without their error lists. */
export async function recentImportJobs(db: Knex, agencyId: number, limit = 10): Promise<ImportJobView[]> {
  const rows = await db('import_jobs')
    .where({ agency_id: agencyId })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit)
    .select(VIEW_COLUMNS.filter((c) => c !== 'errors_json'));
  return rows.map(toView);
}

/** Queues an uploaded file for the worker; the bytes stay in the job row until it has run. */
export async function queueImportJob(db: Knex, job: { agencyId: number; userId: number; filename: string; format: LedgerFormat; data: Buffer }): Promise<number> {
  const [{ id }] = await db('import_jobs')
    .insert({ agency_id: job.agencyId, user_id: job.userId, filename: job.filename, format: job.format, data: job.data, status: 'queued', created_at: new Date().toISOString() })
    .returning('id');
  return Number(id);
}

interface ClaimedJob {
  id: number;
  agencyId: number;
  userId: number;
  filename: string;
  format: LedgerFormat;
}

/**
 * Takes the oldest queued job (or a running one whose instance stopped). The update only succeeds
 * if nobody changed the row since we read it, so two instances never run the same job.
 */
export async function claimImportJob(db: Knex, now = new Date()): Promise<ClaimedJob | null> {
  const staleBefore = new Date(now.getTime() - STALE_AFTER_MS).toISOString();
  for (;;) {
    const candidate = await db('import_jobs')
      .where('status', 'queued')
      .orWhere((w) => w.whereIn('status', ['validating', 'importing']).where('heartbeat_at', '<', staleBefore))
      .orderBy('id')
      .first('id', 'agency_id', 'user_id', 'filename', 'format', 'status', 'heartbeat_at');
    if (!candidate) return null;
    const at = now.toISOString();
    const claimed = await db('import_jobs')
      .where({ id: candidate.id, status: candidate.status })
      .modify((q) => (candidate.heartbeat_at === null ? q.whereNull('heartbeat_at') : q.where('heartbeat_at', candidate.heartbeat_at)))
      .update({ status: 'validating', started_at: at, heartbeat_at: at, rows_checked: 0, total_rows: 0 });
    if (claimed === 1) {
      return { id: Number(candidate.id), agencyId: Number(candidate.agency_id), userId: Number(candidate.user_id), filename: candidate.filename, format: candidate.format };
    }
  }
}

/** Raised from a progress report when the worker is stopping: the job goes back to the queue. */
class ImportInterrupted extends Error {}

async function finishJob(db: Knex, id: number, fields: Record<string, unknown>): Promise<void> {
  const at = new Date().toISOString();
  // The file is not needed once the job has run; what it held is now in the ledger (or in the error list).
  await db('import_jobs').where({ id }).update({ ...fields, data: null, heartbeat_at: at, finished_at: at });
}

async function failJob(db: Knex, id: number, totalRows: number, errors: ImportError[], errorCount = errors.length): Promise<void> {
  await finishJob(db, id, { status: 'failed', total_rows: totalRows, rows_checked: totalRows, errors_json: JSON.stringify(errors), error_count: errorCount });
}

/** Rows per multi-row INSERT: within SQLite's limit of 500 terms in one compound SELECT, which knex uses for it. */
const INSERT_CHUNK = 250;


/**
 * Inserts every checked commitment of a file in one transaction: the same rows and audit entries
 * as service.ts insertCommitment, but in multi-row statements, because one statement per row kept
 * the transaction (and on SQLite the only connection) busy for seconds per ten thousand rows.
 * Reference numbers are checked again inside the transaction: the ledger may have changed
 * since the file was checked.
 */
export async function importCommitments(
  db: Knex,
  actor: AuditActor,
  job: { id: number; agencyId: number; filename: string },
  inputs: CommitmentInput[],
): Promise<{ commitmentsCreated: number; milestonesCreated: number }> {
  const imported = await db.transaction(async (trx) => {
    const used: string[] = [];
    await markUsedReferences(trx, job.agencyId, inputs.map((c) => c.referenceNo), (referenceNo) => used.push(referenceNo));
    if (used.length) throw new ValidationError(used.map((referenceNo) => ({ path: 'referenceNo', key: 'commitments:errors.duplicateReference', params: { referenceNo } })));
    const at = new Date().toISOString();
    const audit: AuditEntryInput[] = [];
    let milestonesCreated = 0;
    for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
      const chunk = inputs.slice(i, i + INSERT_CHUNK);
      await trx('commitments').insert(
        chunk.map((c) => ({ ...commitmentColumns({ ...c, agencyId: job.agencyId }), created_by: actor.id, created_at: at, updated_at: at })),
      );
      const inserted: Array<{ id: number; reference_no: string }> = await trx('commitments').where('agency_id', job.agencyId).whereIn('reference_no', chunk.map((c) => c.referenceNo)).select('id', 'reference_no');
      const idOf = new Map(inserted.map((r) => [r.reference_no, Number(r.id)]));
      const milestones = chunk.flatMap((c) =>
        c.milestones.map((m, i) => ({ ...milestoneColumns(m, i), commitment_id: idOf.get(c.referenceNo), status: 'pending', created_at: at, updated_at: at })),
      );
      for (let j = 0; j < milestones.length; j += INSERT_CHUNK) await trx('milestones').insert(milestones.slice(j, j + INSERT_CHUNK));
      milestonesCreated += milestones.length;
      for (const c of chunk) audit.push({ action: 'commitment.created', entityType: 'commitment', entityId: idOf.get(c.referenceNo)!, after: auditView(c) });
      // SQLite's driver answers synchronously: without a pause the event loop would not serve even static files until the commit.
      await nextTurn();
    }
    const result = { commitmentsCreated: inputs.length, milestonesCreated };
    audit.push({ action: 'commitments.imported', entityType: 'import_job', entityId: job.id, after: { agencyId: job.agencyId, filename: job.filename, ...result } });
    await recordAuditEntries(trx, actor, audit);
    return result;
  });
  // Tens of thousands of new rows at once: plan the next ledger queries for them, not for yesterday's table sizes.
  await refreshStatistics(db, ['commitments', 'milestones']);
  return imported;
}

/** Checks and imports one claimed job, leaving it done or failed (or queued again if the worker stops meanwhile). */
export async function processImportJob(db: Knex, job: ClaimedJob, options: { logger?: Logger; shouldStop?: () => boolean } = {}): Promise<void> {
  const { logger, shouldStop = () => false } = options;
  const row = await db('import_jobs').where({ id: job.id }).first('data');
  const user = await db('users').where({ id: job.userId }).first('username');
  const actor: AuditActor = { id: job.userId, username: user?.username ?? null, ip: null };
  let totalRows = 0;
  try {
    if (!row?.data) throw new Error('import job has no file');
    const check = await checkLedgerFile(db, job.agencyId, Buffer.from(row.data), job.format, async (rowsChecked) => {
      if (shouldStop()) throw new ImportInterrupted();
      await db('import_jobs').where({ id: job.id }).update({ rows_checked: rowsChecked, heartbeat_at: new Date().toISOString() });
    });
    totalRows = check.totalRows;
    if (check.errorCount > 0) return await failJob(db, job.id, totalRows, check.errors, check.errorCount);

    await db('import_jobs').where({ id: job.id }).update({ status: 'importing', total_rows: totalRows, rows_checked: totalRows, heartbeat_at: new Date().toISOString() });
    const result = await importCommitments(db, actor, { id: job.id, agencyId: job.agencyId, filename: job.filename }, check.commitments);
    await finishJob(db, job.id, { status: 'done', rows_imported: totalRows, commitments_created: result.commitmentsCreated, milestones_created: result.milestonesCreated });
  } catch (err) {
    if (err instanceof ImportInterrupted) {
      await db('import_jobs').where({ id: job.id }).update({ status: 'queued', rows_checked: 0, heartbeat_at: null, started_at: null });
      return;
    }
    await failJob(db, job.id, totalRows, explain(job, err, logger));
  }
}

/** Turns a failure during the import into what the user can act on; anything unexpected is logged. */
function explain(job: ClaimedJob, err: unknown, logger?: Logger): ImportError[] {
  if (err instanceof ValidationError || isUniqueViolation(err)) {
    // Another upload or user registered one of the file's reference numbers while this one was checked.
    return [{ row: 0, column: '', key: 'commitments:files.import.errors.changedMeanwhile' }];
  }
  logger?.error({ jobId: job.id, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'import failed');
  return [{ row: 0, column: '', key: 'commitments:files.import.errors.internal' }];
}

/** Runs every queued job, one after the other, until none is left (or the worker is stopping). */
export async function runQueuedImports(db: Knex, options: { logger?: Logger; shouldStop?: () => boolean } = {}): Promise<number> {
  let processed = 0;
  while (!options.shouldStop?.()) {
    const job = await claimImportJob(db);
    if (!job) break;
    await processImportJob(db, job, options);
    processed++;
  }
  return processed;
}

export interface ImportWorker {
  /** Lets the job in hand finish (or returns it to the queue between batches), then stops polling. */
  stop(): Promise<void>;
}

/** Polls for queued imports once a second, in the app process, until stopped. */
export function startImportWorker(db: Knex, logger: Logger, pollMs = POLL_MS): ImportWorker {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    timer = null;
    running = runQueuedImports(db, { logger, shouldStop: () => stopping })
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err: { message: (err as Error)?.message } }, 'import worker: could not poll for jobs'),
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
