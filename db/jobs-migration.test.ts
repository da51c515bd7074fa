import { expect } from 'chai';
import type { Knex } from 'knex';
import { emptyDatabase, type TestDatabase } from '../test/db.ts';
import { MIGRATIONS_DIR, migrateLatest, migrateUpTo } from './migrate.ts';

/*
 * The jobs migration moves every import job of the old import_jobs table into jobs. Rows are made
 * in the old shape at the migration before it, then the database is migrated up, on whichever
 * engine the suite runs on.
 */

const AT = '2026-11-29T02:00:00.000Z';
const LATER = '2026-11-29T02:05:00.000Z';
const iso = (value: unknown) => (value === null ? null : new Date(String(value)).toISOString());

describe('migration 20261130000300_jobs', () => {
  let test: TestDatabase;
  let db: Knex;
  let agencyId: number;
  let userId: number;
  const files = { queued: Buffer.from('文号,类型\r\nA-1,其他\r\n', 'utf8'), running: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]) };
  const problems = [
    { row: 2, column: '节点到期日', key: 'commitments:files.import.errors.date', params: { value: '2026-02-30' } },
    { row: 0, column: '', key: 'commitments:files.import.errors.noRows' },
  ];

  before(async () => {
    test = await emptyDatabase();
    db = test.db;
    await migrateUpTo(db, '20261129000200_commitments.ts');
    [{ id: agencyId }] = await db('agencies').insert({ name: '青岛市行政审批服务局', code: 'QD-XZSP', level: 'city', created_at: AT, updated_at: AT }).returning('id');
    [{ id: userId }] = await db('users').insert({ username: 'officer1', display_name: '王芳', password_hash: 'x', role: 'officer', agency_id: agencyId, created_at: AT, updated_at: AT }).returning('id');
    const common = { agency_id: agencyId, user_id: userId, created_at: AT };
    // One statement per row: SQLite fills the columns a multi-row insert leaves out with NULL, not their defaults.
    for (const row of [
      { ...common, id: 3, filename: '排队.csv', format: 'csv', data: files.queued, status: 'queued' },
      { ...common, id: 5, filename: '检查中.xlsx', format: 'xlsx', data: files.running, status: 'validating', rows_checked: 4000, started_at: AT, heartbeat_at: LATER },
      { ...common, id: 6, filename: '写入中.xlsx', format: 'xlsx', data: files.running, status: 'importing', total_rows: 9000, rows_checked: 9000, started_at: AT },
      { ...common, id: 8, filename: '完成.xlsx', format: 'xlsx', status: 'done', total_rows: 5, rows_checked: 5, rows_imported: 5, commitments_created: 2, milestones_created: 5, started_at: AT, heartbeat_at: LATER, finished_at: LATER },
      { ...common, id: 9, filename: '有错.csv', format: 'csv', status: 'failed', total_rows: 7, rows_checked: 7, errors_json: JSON.stringify(problems), error_count: 12, started_at: AT, heartbeat_at: LATER, finished_at: LATER },
    ]) {
      await db('import_jobs').insert(row);
    }
    await migrateLatest(db);
  });
  after(() => test.drop());

  async function job(id: number) {
    const row = await db('jobs').where({ id }).first();
    return {
      ...row,
      payload: JSON.parse(row.payload),
      result: row.result === null ? null : JSON.parse(row.result),
      error: row.error === null ? null : JSON.parse(row.error),
      input: row.input === null ? null : Buffer.from(row.input),
      output: row.output === null ? null : JSON.parse(Buffer.from(row.output).toString('utf8')),
      run_after: iso(row.run_after), claimed_at: iso(row.claimed_at), heartbeat_at: iso(row.heartbeat_at), created_at: iso(row.created_at), finished_at: iso(row.finished_at),
    };
  }

  it('keeps every import job under its own id, and drops import_jobs', async () => {
    expect((await db('jobs').orderBy('id').select('id', 'kind')).map((r) => [r.id, r.kind])).to.deep.equal([3, 5, 6, 8, 9].map((id) => [id, 'commitments.import']));
    expect(await db.schema.hasTable('import_jobs')).to.equal(false);
    const owner = { created_by: userId, agency_id: agencyId, created_at: AT, run_after: AT, claimed_by: null, max_attempts: 3 };
    for (const id of [3, 5, 6, 8, 9]) expect(await job(id), `job ${id}`).to.deep.include(owner);
  });

  it('leaves a queued import queued with its file', async () => {
    const queued = await job(3);
    expect(queued).to.deep.include({ status: 'queued', payload: { filename: '排队.csv', format: 'csv' }, attempts: 0, progress_done: 0, progress_total: null, progress_phase: null, result: null, error: null, output: null });
    expect(queued.input!.equals(files.queued)).to.equal(true);
  });

  it('leaves running imports running, with their phase and heartbeat, for a live runner to finish or a stale one to be taken up', async () => {
    const checking = await job(5);
    expect(checking).to.deep.include({ status: 'running', attempts: 1, progress_done: 4000, progress_total: null, progress_phase: 'commitments:files.import.phases.checking', claimed_at: AT, heartbeat_at: LATER });
    expect(checking.input!.equals(files.running)).to.equal(true);
    // No heartbeat yet: the start stands in for one, or the job would never look stale.
    expect(await job(6)).to.deep.include({ status: 'running', progress_done: 9000, progress_phase: 'commitments:files.import.phases.importing', heartbeat_at: AT });
  });

  it('keeps what a finished import created and the full list of a refused file’s problems', async () => {
    expect(await job(8)).to.deep.include({ status: 'done', result: { totalRows: 5, commitmentsCreated: 2, milestonesCreated: 5 }, error: null, input: null, output: null, finished_at: LATER });
    expect(await job(9)).to.deep.include({
      status: 'failed',
      result: { totalRows: 7, problemCount: 12 },
      error: { key: 'commitments:files.import.job.failed', params: { count: 12 } },
      output: problems,
      output_type: 'application/json',
      finished_at: LATER,
    });
  });

  it('numbers new jobs after the moved ones', async () => {
    const payload = JSON.stringify({ filename: '新.csv', format: 'csv' });
    const [{ id }] = await db('jobs').insert({ kind: 'commitments.import', payload, created_by: userId, agency_id: agencyId, input: files.queued, run_after: AT, created_at: AT }).returning('id');
    expect(Number(id)).to.equal(10);
  });

  it('migrates back down to import_jobs with the same imports', async () => {
    // By name: later migrations stay applied.
    await db.migrate.down({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: '20261130000300_jobs.ts' });
    expect(await db.schema.hasTable('jobs')).to.equal(false);
    const rows = await db('import_jobs').orderBy('id').select('id', 'filename', 'status', 'total_rows', 'rows_checked', 'commitments_created', 'error_count', 'errors_json');
    expect(rows.map((r) => [r.id, r.filename, r.status, r.total_rows, r.rows_checked, r.commitments_created, r.error_count])).to.deep.equal([
      [3, '排队.csv', 'queued', 0, 0, 0, 0],
      [5, '检查中.xlsx', 'validating', 0, 4000, 0, 0],
      [6, '写入中.xlsx', 'importing', 9000, 9000, 0, 0],
      [8, '完成.xlsx', 'done', 5, 5, 2, 0],
      [9, '有错.csv', 'failed', 7, 7, 0, 12],
      [10, '新.csv', 'queued', 0, 0, 0, 0],
    ]);
    expect(JSON.parse(rows[4].errors_json)).to.deep.equal(problems);
  });
});
