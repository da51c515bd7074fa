import type { Knex } from 'knex';
import { continueIdsAfterMax } from '../dialect.ts';

/*
 * One table for every kind of background job (imports, reports, scheduled work), replacing the
 * commitments-only import_jobs. The import jobs move over with their ids, so that the progress pages
 * people bookmarked and the audit entries that name an import job ('import_job', id) still point at
 * them. JSON is kept in text columns and parsed by the code, the same on both engines.
 */

const IMPORT_KIND = 'commitments.import';
const IMPORT_ERROR_KEY = 'commitments:files.import.job.failed';
const PHASE_KEYS: Record<string, string> = {
  validating: 'commitments:files.import.phases.checking',
  importing: 'commitments:files.import.phases.importing',
};
const MAX_ATTEMPTS = 3;
/** Rows copied per statement: each may carry an uploaded file of up to 20 MB. */
const BATCH = 20;

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('jobs', (t) => {
    t.increments('id');
    t.string('kind', 100).notNullable();
    t.text('payload').notNullable();
    // An uploaded file the job works on; cleared once the job has ended.
    t.binary('input');
    // A file the job produced (a report, a list of problems), downloaded from the job's page.
    t.binary('output');
    t.string('output_type', 100);
    // Who asked for the job and for which agency: what access checks on its pages go by.
    t.integer('created_by').references('id').inTable('users');
    t.integer('agency_id').references('id').inTable('agencies');
    // queued | running | done | failed
    t.string('status', 20).notNullable().defaultTo('queued');
    t.integer('progress_done').notNullable().defaultTo(0);
    t.integer('progress_total');
    // An i18n key describing the phase; its text may show progress_done and progress_total.
    t.string('progress_phase', 200);
    t.text('result');
    // { key, params } of a failure, bounded in size by server/jobs.
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(MAX_ATTEMPTS);
    t.timestamp('run_after', { useTz: true }).notNullable();
    // The app instance running the job; its heartbeat stops when the instance does, and then another takes the job up.
    t.string('claimed_by', 200);
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('heartbeat_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['status', 'run_after']);
    t.index(['status', 'heartbeat_at']);
    t.index(['kind', 'agency_id', 'created_at']);
  });

  for (let lastId = 0; ; ) {
    const rows = await db('import_jobs').where('id', '>', lastId).orderBy('id').limit(BATCH);
    if (rows.length === 0) break;
    await db('jobs').insert(rows.map(jobFromImport));
    lastId = rows.at(-1).id;
  }
  await continueIdsAfterMax(db, 'jobs');
  await db.schema.dropTable('import_jobs');
}

// Rows of tables this migration moves between: their shape is the old and new schema, not an app type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

function jobFromImport(r: Row): Row {
  const running = r.status === 'validating' || r.status === 'importing';
  const status = running ? 'running' : r.status;
  const totalRows = Number(r.total_rows);
  const errorCount = Number(r.error_count);
  return {
    id: r.id,
    kind: IMPORT_KIND,
    payload: JSON.stringify({ filename: r.filename, format: r.format }),
    input: r.data,
    output: status === 'failed' && r.errors_json ? Buffer.from(r.errors_json, 'utf8') : null,
    output_type: status === 'failed' && r.errors_json ? 'application/json' : null,
    created_by: r.user_id,
    agency_id: r.agency_id,
    status,
    progress_done: running ? Number(r.rows_checked) : status === 'queued' ? 0 : totalRows,
    progress_total: status === 'done' || status === 'failed' ? totalRows : null,
    progress_phase: running ? PHASE_KEYS[r.status] : null,
    result:
      status === 'done'
        ? JSON.stringify({ totalRows, commitmentsCreated: Number(r.commitments_created), milestonesCreated: Number(r.milestones_created) })
        : status === 'failed'
          ? JSON.stringify({ totalRows, problemCount: errorCount })
          : null,
    error: status === 'failed' ? JSON.stringify({ key: IMPORT_ERROR_KEY, params: { count: errorCount } }) : null,
    attempts: status === 'queued' ? 0 : 1,
    max_attempts: MAX_ATTEMPTS,
    run_after: r.created_at,
    claimed_by: null,
    claimed_at: r.started_at,
    // A running job without a heartbeat would never look stale: its start stands in for one.
    heartbeat_at: r.heartbeat_at ?? (running ? (r.started_at ?? r.created_at) : null),
    created_at: r.created_at,
    finished_at: r.finished_at,
  };
}

export async function down(db: Knex): Promise<void> {
  await db.schema.createTable('import_jobs', (t) => {
    t.increments('id');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('filename', 255).notNullable();
    t.string('format', 10).notNullable();
    t.binary('data');
    t.string('status', 20).notNullable().defaultTo('queued');
    t.integer('total_rows').notNullable().defaultTo(0);
    t.integer('rows_checked').notNullable().defaultTo(0);
    t.integer('rows_imported').notNullable().defaultTo(0);
    t.integer('commitments_created').notNullable().defaultTo(0);
    t.integer('milestones_created').notNullable().defaultTo(0);
    t.text('errors_json');
    t.integer('error_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true });
    t.timestamp('heartbeat_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['status']);
    t.index(['agency_id', 'created_at']);
  });
  for (let lastId = 0; ; ) {
    const rows = await db('jobs').where('kind', IMPORT_KIND).where('id', '>', lastId).orderBy('id').limit(BATCH);
    if (rows.length === 0) break;
    await db('import_jobs').insert(rows.map(importFromJob));
    lastId = rows.at(-1).id;
  }
  await continueIdsAfterMax(db, 'import_jobs');
  await db.schema.dropTable('jobs');
}

function importFromJob(r: Row): Row {
  const payload = JSON.parse(r.payload);
  const result = r.result ? JSON.parse(r.result) : {};
  const error = r.error ? JSON.parse(r.error) : null;
  const problems = r.output ? String(Buffer.from(r.output)) : error ? JSON.stringify([{ row: 0, column: '', key: error.key, ...(error.params ? { params: error.params } : {}) }]) : null;
  const status = r.status === 'running' ? (r.progress_phase === PHASE_KEYS.importing ? 'importing' : 'validating') : r.status;
  // While importing, every row of the file has been checked: progress_done is the file's size.
  const totalRows = Number(result.totalRows ?? r.progress_total ?? (status === 'importing' ? r.progress_done : 0));
  return {
    id: r.id,
    agency_id: r.agency_id,
    user_id: r.created_by,
    filename: payload.filename,
    format: payload.format,
    data: r.input,
    status,
    total_rows: totalRows,
    rows_checked: r.status === 'running' ? Number(r.progress_done) : r.status === 'queued' ? 0 : totalRows,
    rows_imported: r.status === 'done' ? totalRows : 0,
    commitments_created: Number(result.commitmentsCreated ?? 0),
    milestones_created: Number(result.milestonesCreated ?? 0),
    errors_json: r.status === 'failed' ? problems : null,
    error_count: r.status === 'failed' ? Number(result.problemCount ?? 1) : 0,
    created_at: r.created_at,
    started_at: r.claimed_at,
    heartbeat_at: r.heartbeat_at,
    finished_at: r.finished_at,
  };
}
