/**
 * Import benchmark: a 50,000-row ledger (10,000 commitments × 5 milestones) through the functions
 * the import job runs, timing each phase and the event-loop delay while the file is checked (the
 * aim: p99 under 50 ms, so other users are not stalled), then a whole import job through the job
 * runner as an app instance runs it, measuring how long a simple query waits meanwhile; then the
 * ledger list and export over the 20,000 imported commitments, and peak RSS. Limit cases:
 * bench/spreadsheets.ts.
 *
 *   npx tsx bench/import.ts                                   # SQLite file in a temporary directory
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/import.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { DEMO_ENTERPRISES, seedDemoCore } from '../db/seeds/demo.ts';
import { checkLedgerFile } from '../server/features/commitments/import.ts';
import { LEDGER_IMPORT_COLUMNS } from '../server/features/commitments/spreadsheet.ts';
import { commitmentsImportJob, importCommitments, importResultOf } from '../server/features/commitments/import-job.ts';
import { enqueue, findJob } from '../server/jobs/queue.ts';
import { startJobRunner } from '../server/jobs/runner.ts';
import type { Job } from '../server/jobs/types.ts';
import { createTemplate, dropTemplate, freshDatabase, TEST_INTEGRITY_KEY } from '../test/db.ts';
import { useAuditChain } from '../server/audit/chain.ts';
import { systemClock } from '../server/domain/clock.ts';
import { writeCsvExport, writeXlsxExport } from '../server/features/commitments/export.ts';
import { listCommitments } from '../server/features/commitments/queries.ts';

const COMMITMENTS = Number(process.env.BENCH_COMMITMENTS ?? 10_000);
const MILESTONES_PER_COMMITMENT = 5;
const PROBE_EVERY_MS = 20;
/** How often the runner looks for jobs and the benchmark for the job's end. */
const JOB_POLL_MS = 50;

function ledgerRows(prefix: string): string[][] {
  const rows: string[][] = [];
  for (let c = 1; c <= COMMITMENTS; c++) {
    const ref = `${prefix}-${String(c).padStart(6, '0')}`;
    const code = c % 3 === 0 ? DEMO_ENTERPRISES[c % DEMO_ENTERPRISES.length]!.code : '';
    for (let m = 1; m <= MILESTONES_PER_COMMITMENT; m++) {
      const month = String(((c + m) % 12) + 1).padStart(2, '0');
      rows.push([ref, ['政府合同', '政策承诺', '招商引资协议', '其他'][c % 4]!, `第 ${c} 号承诺事项：基础设施与营商环境改善项目`, code, '会议纪要〔2026〕12 号', '2026-01-15', '500000.00', '张伟', c % 2 ? '是' : '否', `第 ${m} 期：完成阶段性工作并支付相应款项`, `2027-${month}-28`, '100000.00']);
    }
  }
  return rows;
}

async function xlsxFile(rows: string[][]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  const sheet = wb.addWorksheet('承诺台账');
  sheet.addRow(LEDGER_IMPORT_COLUMNS.map((c) => c.header)).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

function csvFile(rows: string[][]): Buffer {
  const lines = [LEDGER_IMPORT_COLUMNS.map((c) => c.header), ...rows].map((r) => r.join(','));
  return Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf8');
}

/**
 * Asks a trivial query every few milliseconds, as a page would, and records how long each waited
 * from the moment it was due: a blocked event loop delays the asking, a busy connection the answer.
 */
function probe(db: Knex) {
  const waits: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const due = performance.now() + PROBE_EVERY_MS;
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      try {
        await db('agencies').first('id');
      } catch {
        failures++;
      }
      waits.push(performance.now() - due);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...waits].sort((a, b) => a - b);
      const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
      return { queries: waits.length, failures, p50: pct(0.5), p99: pct(0.99), max: sorted.at(-1) ?? 0 };
    },
  };
}

/**
 * How long the event loop goes between turns while `fn` runs: what every other request on this
 * process may wait on top of its own work. Each sample includes the 1 ms sampling interval.
 */
async function withEventLoopDelay<T>(fn: () => Promise<T>): Promise<[T, string]> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const result = await fn();
  histogram.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  return [result, `event-loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms`];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
const fmt = (p: { queries: number; failures: number; p50: number; p99: number; max: number }) =>
  `${p.queries} queries, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, max ${p.max.toFixed(0)} ms, failed ${p.failures}`;

async function openDatabase(): Promise<{ db: Knex; label: string; close(): Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) {
    await createTemplate();
    const { db, drop } = await freshDatabase();
    return { db, label: 'PostgreSQL', close: async () => { await drop(); await dropTemplate(); } };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'il-bench-'));
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'bench.sqlite') });
  useAuditChain(db, { integrityKey: TEST_INTEGRITY_KEY, anchorFile: path.join(dir, 'audit-anchors.jsonl') });
  await migrateLatest(db);
  return { db, label: 'SQLite (file, WAL)', close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
}

async function main(): Promise<void> {
  const { db, label, close } = await openDatabase();
  try {
    await seedDemoCore(db, 'Bench#2026pass');
    const officer1 = await db('users').where({ username: 'officer1' }).first('id', 'username', 'agency_id');
    const officer2 = await db('users').where({ username: 'officer2' }).first('id', 'username', 'agency_id');
    const actor = { id: officer1.id, username: officer1.username, ip: null };
    console.log(`Import benchmark on ${label}: ${COMMITMENTS} commitments × ${MILESTONES_PER_COMMITMENT} milestones = ${COMMITMENTS * MILESTONES_PER_COMMITMENT} rows`);

    const [xlsx, generateMs] = await timed(() => xlsxFile(ledgerRows('SP')));
    const csv = csvFile(ledgerRows('SW'));
    console.log(`  files generated in ${ms(generateMs)}: xlsx ${(xlsx.length / 1e6).toFixed(1)} MB, csv ${(csv.length / 1e6).toFixed(1)} MB`);

    // Phase by phase, as the import job runs them (xlsx into officer1's agency).
    const checkProbe = probe(db);
    const [[check, checkMs], checkDelay] = await withEventLoopDelay(() => timed(() => checkLedgerFile(db, officer1.agency_id, xlsx, 'xlsx')));
    const duringCheck = await checkProbe.stop();
    if (check.errorCount) throw new Error(`unexpected errors: ${JSON.stringify(check.errors.slice(0, 3))}`);
    console.log(`  validate xlsx: ${ms(checkMs)} (${check.totalRows} rows, ${check.commitments.length} commitments)`);
    console.log(`    ${checkDelay}`);
    console.log(`    a simple query meanwhile: ${fmt(duringCheck)}`);
    const [[csvCheck, csvCheckMs], csvCheckDelay] = await withEventLoopDelay(() => timed(() => checkLedgerFile(db, officer2.agency_id, csv, 'csv')));
    if (csvCheck.errorCount) throw new Error(`unexpected errors: ${JSON.stringify(csvCheck.errors.slice(0, 3))}`);
    console.log(`  validate csv: ${ms(csvCheckMs)} (${csvCheck.totalRows} rows, ${csvCheck.commitments.length} commitments)`);
    console.log(`    ${csvCheckDelay}`);

    const importProbe = probe(db);
    const [result, importMs] = await timed(() => importCommitments(db, actor, { id: 0, agencyId: officer1.agency_id, filename: 'bench.xlsx' }, check.commitments, systemClock));
    const duringImport = await importProbe.stop();
    console.log(`  import transaction: ${ms(importMs)} (${result.commitmentsCreated} commitments, ${result.milestonesCreated} milestones)`);
    console.log(`    a simple query meanwhile: ${fmt(duringImport)}`);

    // A whole import job (csv into officer2's agency) through the job runner, as an app instance runs it: queued, claimed, progress written as it goes.
    const jobProbe = probe(db);
    const [job, jobMs] = await timed(async () => {
      const jobId = await enqueue(db, commitmentsImportJob, { filename: 'bench.csv', format: 'csv' }, { createdBy: officer2.id, agencyId: officer2.agency_id, input: csv });
      const runner = startJobRunner({ db, logger: pino({ level: 'warn' }), clock: systemClock, kinds: [commitmentsImportJob], pollMs: JOB_POLL_MS });
      let current: Job;
      while (!['done', 'failed'].includes((current = (await findJob(db, jobId))!).status)) await new Promise((r) => setTimeout(r, JOB_POLL_MS));
      await runner.stop();
      return current;
    });
    const duringJob = await jobProbe.stop();
    const outcome = importResultOf(job);
    console.log(`  job runner, csv end to end: ${ms(jobMs)} → ${job.status}, ${outcome?.totalRows} rows, ${outcome?.commitmentsCreated} commitments, ${outcome?.milestonesCreated} milestones`);
    console.log(`    a simple query meanwhile: ${fmt(duringJob)}`);

    // The ledger the auditor then reads: every imported commitment, status computed in SQL.
    const today = systemClock.today();
    const all = { kind: 'all' } as const;
    const [page1, listMs] = await timed(() => listCommitments(db, all, { sort: 'next_due_asc' }, 1, 50, today));
    console.log(`  ledger page 1 of ${page1.total} (sorted by next due date): ${ms(listMs)}`);
    const [overdue, overdueMs] = await timed(() => listCommitments(db, all, { status: 'overdue' }, 1, 50, today));
    console.log(`  ledger filtered to overdue (${overdue.total}): ${ms(overdueMs)}`);
    let csvBytes = 0;
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { csvBytes += chunk.length; done(); } });
    const by = { displayName: '基准测试', username: 'bench', role: 'auditor', agencyName: null, enterpriseName: null } as const;
    const csvProbe = probe(db);
    const [[, exportMs], csvDelay] = await withEventLoopDelay(() => timed(() => writeCsvExport(db, { scope: all, filters: {}, today, at: new Date().toISOString(), by, format: 'csv' }, sink)));
    const duringCsv = await csvProbe.stop();
    console.log(`  CSV export (ZIP of the milestone ledger, the commitments and the record) of all ${page1.total} commitments: ${ms(exportMs)} (${(csvBytes / 1e6).toFixed(1)} MB)`);
    console.log(`    ${csvDelay}`);
    console.log(`    a simple query meanwhile: ${fmt(duringCsv)}`);
    let xlsxBytes = 0;
    const xlsxSink = new Writable({ write(chunk: Buffer, _enc, done) { xlsxBytes += chunk.length; done(); } });
    const xlsxProbe = probe(db);
    const [[, xlsxMs], xlsxDelay] = await withEventLoopDelay(() => timed(() => writeXlsxExport(db, { scope: all, filters: {}, today, at: new Date().toISOString(), by, format: 'xlsx' }, xlsxSink)));
    const duringXlsx = await xlsxProbe.stop();
    console.log(`  Excel export (the same three sheets) of all ${page1.total} commitments: ${ms(xlsxMs)} (${(xlsxBytes / 1e6).toFixed(1)} MB)`);
    console.log(`    ${xlsxDelay}`);
    console.log(`    a simple query meanwhile: ${fmt(duringXlsx)}`);

    console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
