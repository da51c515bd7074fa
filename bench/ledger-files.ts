/*
 * Big and hostile ledger files for the benchmarks: made in memory, part by part, so that no binary
 * is committed. bench/spreadsheets.ts checks each with the reader alone; bench/request-memory.ts
 * sends those within the upload limit through a running app instance.
 */
import { DEMO_ENTERPRISES } from '../db/seeds/demo.ts';
import { LEDGER_IMPORT_COLUMNS } from '../server/features/commitments/spreadsheet.ts';
import { DEFAULT_SHEET_LIMITS, type SheetFormat } from '../server/spreadsheets/reading.ts';
import { sheetXmlOf, testWorkbook, understateSize } from '../server/spreadsheets/testing.ts';

export const HEADERS = LEDGER_IMPORT_COLUMNS.map((c) => c.header);
const HANZI = '政府合同承诺履约节点支付价款验收合格质保期满剩余人才公寓补贴青岛市行政审批服务局商务局智能化改造项目会议纪要基础设施营商环境改善阶段性工作相应款项招商引资协议外贸企业出口奖励会展中心运营';
export const MB = 1024 * 1024;

export function textPool(): (length: number, seed: number) => string {
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
export function ledgerRows(commitments: number, text?: (length: number, seed: number) => string): string[][] {
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

export const csvOf = (rows: string[][]) => Buffer.from('\ufeff' + [HEADERS, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
const ROW_XML = '<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>';
export const bombXml = () => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${ROW_XML.repeat(Math.ceil((300 * MB) / ROW_XML.length))}</sheetData></worksheet>`;
export const hugeCellXml = () => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(300 * MB)}</t></is></c></row></sheetData></worksheet>`;

export interface LedgerFileCase {
  name: string;
  format: SheetFormat;
  make(): Promise<Buffer>;
  /** Checks with the ledger's columns only and no limit on unpacked size or compression ratio, so that only the cell limit is left to stop it. */
  cellLimitOnly?: boolean;
}

export const LEDGER_FILE_CASES: LedgerFileCase[] = [
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

