import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import { refreshStatistics } from '../../../db/dialect.ts';
import { recordAuditEntries, type AuditActor, type AuditEntryInput } from '../../audit/chain.ts';
import type { Clock } from '../../domain/clock.ts';
import { JobFailed, takeInput, type Job, type JobError, type JobKind } from '../../jobs/types.ts';
import type { SheetFormat } from '../../spreadsheets/reading.ts';
import { checkArrearsFile, markUsedContractRefs, type ImportError } from './import.ts';
import { arrearsColumns, insertArrearsRows } from './repository.ts';
import type { ArrearsInput } from './schema.ts';

/*
 * An arrears import is a background job (server/jobs), like the commitments' ledger import: the
 * file, the progress and the outcome live in the job's row, so its page works from any instance.
 * Checking the file happens outside any transaction, reporting progress between batches of rows;
 * only the inserts run in one transaction, during which no progress is reported (on SQLite the
 * pool's one connection is busy until the commit).
 */

export const ARREARS_IMPORT_JOB_KIND = 'arrears.import';

export interface ArrearsImportPayload {
  filename: string;
  format: SheetFormat;
}

/** The result of a finished import, as its page and the import list show it. */
export interface ArrearsImportResult {
  totalRows: number;
  arrearsCreated?: number;
  /** How many problems the file had; the list itself is the job's output file. */
  problemCount?: number;
}

const FILE_HAS_ERRORS = 'arrears:import.job.failed';
const CHANGED_MEANWHILE = 'arrears:import.errors.changedMeanwhile';
/** Why an import failed, as its audit entry records it (labelled at arrears:values.failure.<code>). */
const FAILURE_CODES: Record<string, string> = {
  [FILE_HAS_ERRORS]: 'fileErrors',
  [CHANGED_MEANWHILE]: 'changedMeanwhile',
  'jobs:errors.internal': 'internal',
  'jobs:errors.abandoned': 'abandoned',
};

const PHASE_CHECKING = 'arrears:import.phases.checking';
const PHASE_IMPORTING = 'arrears:import.phases.importing';
/** The audit entity of an import job, shared with the commitments' imports (it names the job by its file). */
const AUDIT_ENTITY = 'import_job';

/** Arrears inserted, refreshed and audited between two turns of the event loop. */
const INSERT_CHUNK = 250;

class ContractsUsedMeanwhile extends Error {}

/** What an arrears' creation entry says, as the form's entry would, with the file it came from. */
function createdView(input: ArrearsInput, enterprise: string | null, source: { importJob: number; importFile: string }) {
  const stored = arrearsColumns(input);
  return {
    enterpriseId: input.enterpriseId,
    enterprise,
    category: input.category,
    contractRef: input.contractRef ?? null,
    contractSignedOn: input.contractSignedOn ?? null,
    principalFen: input.principalFen,
    acceptedOn: input.acceptedOn,
    agreedDueOn: stored.agreed_due_on,
    dueOn: stored.due_on,
    disputedFen: stored.disputed_fen,
    agreedAnnualRate: stored.agreed_annual_rate,
    commitmentId: stored.commitment_id,
    responsibleOfficial: stored.responsible_official,
    description: input.description,
    ...source,
  };
}

async function enterpriseNames(db: Knex, ids: number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const wanted = [...new Set(ids)];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows: Array<{ id: number; name: string }> = await db('enterprises').whereIn('id', wanted.slice(i, i + 500)).select('id', 'name');
    for (const r of rows) names.set(Number(r.id), r.name);
  }
  return names;
}

/**
 * Inserts every checked arrears of a file in one transaction, each with its creation entry in the
 * audit log, then the import's own entry. Contract numbers are checked again inside the
 * transaction: the ledger may have changed since the file was checked.
 */
export async function importArrears(
  db: Knex,
  actor: AuditActor,
  job: { id: number; agencyId: number; filename: string },
  inputs: ArrearsInput[],
  clock: Clock,
): Promise<{ arrearsCreated: number }> {
  const imported = await db.transaction(async (trx) => {
    let usedMeanwhile = false;
    await markUsedContractRefs(trx, job.agencyId, inputs.flatMap((a) => (a.contractRef ? [a.contractRef] : [])), () => (usedMeanwhile = true));
    if (usedMeanwhile) throw new ContractsUsedMeanwhile();
    const at = clock.now().toISOString();
    const names = await enterpriseNames(trx, inputs.map((a) => a.enterpriseId));
    const source = { importJob: job.id, importFile: job.filename };
    for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
      const chunk = inputs.slice(i, i + INSERT_CHUNK);
      const ids = await insertArrearsRows(trx, chunk, actor.id, at);
      await recordAuditEntries(trx, actor, chunk.map((a, j): AuditEntryInput => ({ action: 'arrears.created', entityType: 'arrears', entityId: ids[j]!, after: createdView(a, names.get(a.enterpriseId) ?? null, source) })));
      // SQLite's driver answers synchronously: without a pause the event loop would serve nothing until the commit.
      await nextTurn();
    }
    const result = { arrearsCreated: inputs.length };
    await recordAuditEntries(trx, actor, [{ action: 'arrears.imported', entityType: AUDIT_ENTITY, entityId: job.id, after: { agencyId: job.agencyId, filename: job.filename, ...result } }]);
    return result;
  });
  await refreshStatistics(db, ['arrears']);
  return imported;
}

/**
 * What an earlier attempt of this job imported, if it committed: an instance can stop between the
 * commit and recording the job as done, and the next attempt must then not import the file again.
 */
async function earlierImport(db: Knex, jobId: number): Promise<ArrearsImportResult | null> {
  const entry = await db('audit_log').where({ action: 'arrears.imported', entity_type: AUDIT_ENTITY, entity_id: String(jobId) }).first('after_json');
  if (!entry) return null;
  const { arrearsCreated } = JSON.parse(entry.after_json) as { arrearsCreated: number };
  return { totalRows: arrearsCreated, arrearsCreated };
}

/** The problems of a refused file, kept as the job's output for its page and its errors.csv. */
function problemsOutput(problems: ImportError[]): { data: Buffer; type: string } {
  return { data: Buffer.from(JSON.stringify(problems), 'utf8'), type: 'application/json' };
}

export const arrearsImportJob: JobKind<ArrearsImportPayload> = {
  kind: ARREARS_IMPORT_JOB_KIND,
  async run({ db, clock }, job, progress) {
    const agencyId = job.agencyId!;
    const earlier = await earlierImport(db, job.id);
    if (earlier) return { result: earlier };

    await progress({ done: 0, total: null, phase: PHASE_CHECKING });
    // The file is taken from the job, so that it is not held while the rows are inserted.
    const check = await checkArrearsFile(db, agencyId, takeInput(job), job.payload.format, (rowsChecked) => progress({ done: rowsChecked }));
    const totalRows = check.totalRows;
    if (check.errorCount > 0) {
      throw new JobFailed({ key: FILE_HAS_ERRORS, params: { count: check.errorCount } }, { result: { totalRows, problemCount: check.errorCount } satisfies ArrearsImportResult, output: problemsOutput(check.errors) });
    }

    await progress({ done: totalRows, total: null, phase: PHASE_IMPORTING });
    const user = await db('users').where({ id: job.createdBy }).first('username');
    const actor: AuditActor = { id: job.createdBy, username: user?.username ?? null, ip: null };
    try {
      const created = await importArrears(db, actor, { id: job.id, agencyId, filename: job.payload.filename }, check.arrears, clock);
      return { result: { totalRows, ...created } satisfies ArrearsImportResult };
    } catch (err) {
      // Someone registered one of the file's contract numbers while it was being checked.
      if (err instanceof ContractsUsedMeanwhile) throw new JobFailed({ key: CHANGED_MEANWHILE });
      throw err;
    }
  },
  failureAudit: (job, error: JobError, outcome) => {
    const result = outcome.result as ArrearsImportResult | undefined;
    return {
      action: 'arrears.import_failed',
      entityType: AUDIT_ENTITY,
      entityId: job.id,
      after: { agencyId: job.agencyId, filename: job.payload.filename, failure: FAILURE_CODES[error.key] ?? 'internal', ...(result?.problemCount ? { problemCount: result.problemCount } : {}) },
    };
  },
};

/** An import job's result, typed. */
export function importResultOf(job: Job): ArrearsImportResult | null {
  return job.result as ArrearsImportResult | null;
}
