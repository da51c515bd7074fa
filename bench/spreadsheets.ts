/**
 * Spreadsheet limit benchmark: peak memory (RSS) and time of checking big and hostile ledger
 * files, each case in a process of its own so that its peak is its own. The files are made first
 * by this process and handed over on disk, so that making a 300 MB cell is not counted; the
 * checking process reads the file into memory as the import worker does and checks it with an
 * in-memory SQLite ledger. The aim: no case above 200 MB, and none leaving a temporary file.
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
import { DEFAULT_SHEET_LIMITS, type SheetFormat } from '../server/spreadsheets/reading.ts';
import { sheetXmlOf, testWorkbook, understateSize } from '../server/spreadsheets/testing.ts';
import { freshDatabase } from '../test/db.ts';

const HEADERS = LEDGER_IMPORT_COLUMNS.map((c) => c.header);
const HANZI = '政府合同承诺履约节点支付价款验收合格质保期满剩余人才公寓补贴青岛市行政审批服务局商务局智能化改造项目会议纪要基础设施营商环境改善阶段性工作相应款项招商引资协议外贸企业出口奖励会展中心运营';
const MB = 1024 * 1024;

function textPool(): (length: number, seed: number) => string {
  const chars: string[] = [];
  for (let i = 0, x = 11; i < 2_000_000; i++) {
    x = (x * 48271) % 2147483647;
    chars.push(HANZI[x % HANZI.length]!);
  }
  const pool = chars.join('');
  return (length, seed) => {
    const at = (seed * 7919) % (pool.length - length);
    return pool.slice(at, at + length);
  };
}

/** Ledger rows: `commitments` × 5 milestones, with varied Chinese text when `text` is given. */
function ledgerRows(commitments: number, text?: (length: number, seed: number) => string): string[][] {
  const rows: string[][] = [];
  for (let c = 1; c <= commitments; c++) {
    const ref = `BENCH-${String(c).padStart(6, '0')}`;
    const code = c % 3 === 0 ? DEMO_ENTERPRISES[c % DEMO_ENTERPRISES.length]!.code : '';
    const title = text ? text(40, c) : `第 ${c} 号承诺事项：基础设施与营商环境改善项目`;
    for (let m = 1; m <= 5; m++) {
      const milestone = text ? text(60, c * 5 + m) : `第 ${m} 期：完成阶段性工作并支付相应款项`;
      rows.push([ref, ['政府合同', '政策承诺', '招商引资协议', '其他'][c % 4]!, title, code, '会议纪要〔2026〕12 号', '2026-01-15', '500000.00', '张伟', c % 2 ? '是' : '否', milestone, `2027-${String((m % 12) + 1).padStart(2, '0')}-28`, '100000.00']);
    }
  }
  return rows;
}

const csvOf = (rows: string[][]) => Buffer.from('\ufeff' + [HEADERS, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
const ROW_XML = '<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>';
const bombXml = () => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${ROW_XML.repeat(Math.ceil((300 * MB) / ROW_XML.length))}</sheetData></worksheet>`;
const hugeCellXml = () => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(300 * MB)}</t></is></c></row></sheetData></worksheet>`;

interface Case {
  name: string;
  format: SheetFormat;
  make(): Promise<Buffer>;
  /** Checks with the ledger's columns only and no limit on unpacked size or compression ratio, so that only the cell limit is left to stop it. */
  cellLimitOnly?: boolean;
}

const CASES: Case[] = [
  { name: 'baseline: header only (modules, database)', format: 'csv', make: async () => csvOf([]) },
  { name: '50,000 rows, no shared strings, varied Chinese', format: 'xlsx', make: async () => testWorkbook({ rows: [HEADERS, ...ledgerRows(10_000, textPool())], inlineStrings: true, compressionLevel: 1 }) },
  { name: '100,000 rows CSV (accepted)', format: 'csv', make: async () => csvOf(ledgerRows(20_000)) },
  { name: '100,001 rows workbook (refused)', format: 'xlsx', make: async () => testWorkbook({ rows: [HEADERS, ...ledgerRows(20_001).slice(0, 100_001)], compressionLevel: 1 }) },
  {
    name: `shared strings at their limit (${DEFAULT_SHEET_LIMITS.maxSharedStringsBytes / MB} MB of short strings)`,
    format: 'xlsx',
    make: async () => {
      const headerStrings: string[] = [];
      const sheetXml = sheetXmlOf([HEADERS], headerStrings);
      const items = headerStrings.map((h) => `<si><t>${h}</t></si>`);
      for (let i = 0, bytes = 0; bytes < DEFAULT_SHEET_LIMITS.maxSharedStringsBytes - 1024; i++) {
        items.push(`<si><t>值${i}</t></si>`);
        bytes += Buffer.byteLength(items.at(-1)!);
      }
      return testWorkbook({ sheetXml, sharedStringsXml: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${items.join('')}</sst>`, compressionLevel: 1 });
    },
  },
  { name: 'zip bomb: 300 MB sheet packed small', format: 'xlsx', make: async () => testWorkbook({ sheetXml: bombXml(), compressionLevel: 9 }) },
  { name: 'zip bomb whose headers say 1 KB', format: 'xlsx', make: async () => understateSize(await testWorkbook({ sheetXml: bombXml(), compressionLevel: 9 }), 'xl/worksheets/sheet1.xml', 1024) },
  { name: '300 MB cell packed small', format: 'xlsx', make: async () => testWorkbook({ sheetXml: hugeCellXml(), compressionLevel: 9 }) },
  { name: '300 MB cell, only the cell limit on', format: 'xlsx', cellLimitOnly: true, make: async () => testWorkbook({ sheetXml: hugeCellXml(), compressionLevel: 9 }) },
  { name: '19 MB cell in a CSV', format: 'csv', make: async () => Buffer.from(`${HEADERS.join(',')}\r\nX,"${'x'.repeat(19 * MB)}"\r\n`) },
];

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
