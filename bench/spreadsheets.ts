/**
 * Spreadsheet limit benchmark: peak memory (RSS) and time of checking big and hostile ledger
 * files, each case in a process of its own so that its peak is its own. The files are made first
 * by this process and handed over on disk, so that making a 300 MB cell is not counted; the
 * checking process reads the file into memory as the import worker does and checks it with an
 * in-memory SQLite ledger. It shows what the reader and the checker cost, and that no case leaves
 * a temporary file; bench/request-memory.ts sends the same files through a running server.
 *
 *   npx tsx bench/spreadsheets.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ENTERPRISES } from '../db/seeds/demo.ts';
import { checkLedgerFile } from '../server/features/commitments/import.ts';
import { LEDGER_IMPORT_COLUMNS } from '../server/features/commitments/spreadsheet.ts';
import { checkSheet } from '../server/spreadsheets/checker.ts';
import { freshDatabase } from '../test/db.ts';
import { LEDGER_FILE_CASES as CASES, MB } from './ledger-files.ts';

/** In the child: check one file as the import worker would and report time, peak RSS and outcome. */
async function checkOne(caseIndex: number, file: string): Promise<void> {
  const spec = CASES[caseIndex]!;
  const { db, drop } = await freshDatabase();
  // The agency and the enterprises the files name; no accounts, whose password hashing would take more memory than some cases.
  const now = new Date().toISOString();
  const [{ id: agencyId }] = await db('agencies').insert({ name: '基准测试局', code: 'BENCH', level: 'city', created_at: now, updated_at: now }).returning('id');
  await db('enterprises').insert(DEMO_ENTERPRISES.map((e) => ({ name: e.name, credit_code: e.code, type: e.type, scale: e.scale, district: e.district, created_at: now, updated_at: now })));
  const data = readFileSync(file);
  const rssBefore = process.memoryUsage().rss / MB;
  const t0 = performance.now();
  let outcome: string;
  if (spec.cellLimitOnly) {
    const check = await checkSheet(data, spec.format, LEDGER_IMPORT_COLUMNS, { limits: { maxCompressionRatio: Infinity, maxUncompressedBytes: Infinity } });
    outcome = `${check.rows} rows, ${check.errors.count} errors, first ${check.errors.kept[0]?.key ?? '-'}`;
  } else {
    const check = await checkLedgerFile(db, Number(agencyId), data, spec.format);
    outcome = `${check.totalRows} rows, ${check.commitments.length} commitments, ${check.errorCount} errors, first ${check.errors[0]?.key ?? '-'}`;
  }
  const ms = performance.now() - t0;
  await drop();
  console.log(JSON.stringify({ ms, rssBeforeMb: rssBefore, peakRssMb: process.resourceUsage().maxRSS / 1024, outcome }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'il-sheets-bench-'));
  const childTmp = mkdtempSync(path.join(tmpdir(), 'il-sheets-bench-tmp-'));
  try {
    console.log('Spreadsheet limits: each file checked in its own process; RSS includes Node, the app modules and an in-memory SQLite ledger');
    for (const [i, spec] of CASES.entries()) {
      const data = await spec.make();
      const file = path.join(dir, `case-${i}.${spec.format}`);
      writeFileSync(file, data);
      // The child's temporary folder is its own, so that any file written there would show.
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(i), file], { encoding: 'utf8', env: { ...process.env, TMPDIR: childTmp } });
      rmSync(file);
      if (child.status !== 0) throw new Error(`${spec.name}: ${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; rssBeforeMb: number; peakRssMb: number; outcome: string };
      // tsx keeps its compile cache in the temporary folder (tsx-<uid>): that is the runner's, not the check's.
      const leftovers = readdirSync(childTmp).filter((name) => !name.startsWith('tsx-'));
      console.log(`  ${spec.name} (${(data.length / MB).toFixed(2)} MB file): ${(result.ms / 1000).toFixed(2)} s, RSS ${result.rssBeforeMb.toFixed(0)} MB before, peak ${result.peakRssMb.toFixed(0)} MB (+${(result.peakRssMb - result.rssBeforeMb).toFixed(0)}), temporary files left ${leftovers.length} → ${result.outcome}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(childTmp, { recursive: true, force: true });
  }
}

const [caseArg, fileArg] = process.argv.slice(2);
(caseArg === undefined ? main() : checkOne(Number(caseArg), fileArg!)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
