import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import type { Knex } from 'knex';
import { checkCreditCode, normaliseCreditCode } from '../../domain/credit-code.ts';
import { isValidDate } from '../../domain/dates.ts';
import { parseYuan } from '../../domain/money.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { KIND_LABELS, NO, YES } from './export.ts';
import { commitmentInputSchema, COMMITMENT_KINDS, type CommitmentInput, type CommitmentKind } from './schema.ts';
import { commitmentInputErrors } from './service.ts';
import { xlsxWorkbookReader } from './xlsx-reader.ts';

/*
 * The import of a ledger spreadsheet: one row per milestone, rows sharing a reference number form
 * one commitment. Every row is checked before anything is written; one error rejects the file.
 * Column names and the words in cells are Chinese whatever the page language (see export.ts).
 */

export type LedgerFormat = 'xlsx' | 'csv';

type ColumnKey =
  | 'referenceNo' | 'kind' | 'title' | 'enterpriseCode' | 'basis' | 'signedOn' | 'amount' | 'responsibleOfficial' | 'isPublic'
  | 'milestone' | 'dueOn' | 'milestoneAmount';

type CellType = 'text' | 'kind' | 'creditCode' | 'date' | 'money' | 'yesNo';

interface ColumnSpec {
  key: ColumnKey;
  header: string;
  type: CellType;
  required: boolean;
  /** Describes the commitment (the same on every row of a reference number) rather than the row's milestone. */
  commitmentLevel: boolean;
  max?: number;
  width: number;
  guide: string;
}

export const IMPORT_COLUMNS: readonly ColumnSpec[] = [
  { key: 'referenceNo', header: '文号/合同编号', type: 'text', required: true, commitmentLevel: false, max: 100, width: 22, guide: '必填。同一文号/合同编号的各行合为一项承诺，每行是它的一个履约节点；本单位台账中已有的文号不能再导入。' },
  { key: 'kind', header: '承诺类型', type: 'kind', required: true, commitmentLevel: true, width: 14, guide: `必填。填 ${Object.values(KIND_LABELS).join('、')} 之一。` },
  { key: 'title', header: '承诺事项', type: 'text', required: true, commitmentLevel: true, max: 300, width: 36, guide: '必填，最多 300 字。' },
  { key: 'enterpriseCode', header: '对方企业统一社会信用代码', type: 'creditCode', required: false, commitmentLevel: true, width: 26, guide: '选填（政策承诺可不填）。18 位统一社会信用代码，须是平台已登记的市场主体。' },
  { key: 'basis', header: '依据', type: 'text', required: false, commitmentLevel: true, max: 2000, width: 30, guide: '选填。承诺所依据的文件、合同或会议纪要，最多 2000 字。' },
  { key: 'signedOn', header: '签订日期', type: 'date', required: true, commitmentLevel: true, width: 12, guide: '必填。日期格式 YYYY-MM-DD，例如 2026-01-15。' },
  { key: 'amount', header: '总金额（元）', type: 'money', required: true, commitmentLevel: true, width: 16, guide: '必填。单位为元，最多两位小数，不填千分位也可；无金额的承诺填 0。' },
  { key: 'responsibleOfficial', header: '责任人', type: 'text', required: true, commitmentLevel: true, max: 100, width: 12, guide: '必填。承诺的责任人姓名。' },
  { key: 'isPublic', header: '是否公开', type: 'yesNo', required: true, commitmentLevel: true, width: 10, guide: `必填。填“${YES}”或“${NO}”。` },
  { key: 'milestone', header: '节点内容', type: 'text', required: true, commitmentLevel: false, max: 500, width: 36, guide: '必填。本行履约节点应履行的内容，最多 500 字。' },
  { key: 'dueOn', header: '节点到期日', type: 'date', required: true, commitmentLevel: false, width: 12, guide: '必填。日期格式 YYYY-MM-DD。' },
  { key: 'milestoneAmount', header: '节点金额（元）', type: 'money', required: false, commitmentLevel: false, width: 16, guide: '选填。单位为元，最多两位小数；各节点金额之和不能超过总金额。' },
];

const COLUMN: Record<ColumnKey, ColumnSpec> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c])) as Record<ColumnKey, ColumnSpec>;
const COMMITMENT_COLUMNS = IMPORT_COLUMNS.filter((c) => c.commitmentLevel);

const LEDGER_SHEET = '承诺台账';
const GUIDE_SHEET = '填写说明';
/** More rows than a 20 MB file normally holds; a bound on memory rather than a business rule. */
export const MAX_IMPORT_ROWS = 100_000;
/** Errors kept for the report: enough to correct any real file, bounded for a file that is wrong throughout. */
export const MAX_REPORTED_ERRORS = 10_000;
const PROGRESS_EVERY = 1000;
const LOOKUP_CHUNK = 500;

/** One problem of an uploaded file, at the row and column the user sees in Excel (the header is row 1). */
export interface ImportError {
  row: number;
  column: string;
  key: string;
  params?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The template

const EXAMPLE_ROWS = [
  ['QDSP-HT-2026-001', KIND_LABELS.contract, '政务服务大厅智能化改造项目', '', '《政务服务大厅智能化改造采购合同》', '2026-01-15', '1200000.00', '张伟', YES, '验收合格后支付合同价款的 30%', '2026-03-31', '360000.00'],
  ['QDSP-HT-2026-001', KIND_LABELS.contract, '政务服务大厅智能化改造项目', '', '《政务服务大厅智能化改造采购合同》', '2026-01-15', '1200000.00', '张伟', YES, '质保期满后支付剩余价款', '2026-09-30', '840000.00'],
];

const GUIDE_NOTES = [
  '每行是一个履约节点；文号/合同编号相同的各行合为一项承诺（可以不相邻）。',
  '同一承诺各行的承诺类型、承诺事项、对方企业、依据、签订日期、总金额、责任人、是否公开须一致；第二行起这些列可以留空。',
  '日期一律写成 YYYY-MM-DD；金额以元为单位，最多两位小数。',
  `导入时先检查全部行：只要有一处错误，整个文件都不导入，并列出每处错误的行号和列名（表头为第 1 行）。最多 ${MAX_IMPORT_ROWS} 行。`,
  '也可以上传 UTF-8 编码的 CSV 文件（Excel 中“另存为 → CSV UTF-8（逗号分隔）”），第一行为同样的列名。',
  '只读取第一个工作表；示例行请在填写前删除。',
];

/** exceljs supports range validations (drop-down lists) but does not declare them in its types. */
interface SheetWithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/** The workbook officers download, fill in and upload: the ledger sheet and a sheet that explains it. */
export function importTemplate(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of EXAMPLE_ROWS) sheet.addRow(row);
  IMPORT_COLUMNS.forEach((c, i) => {
    // Text cells keep credit codes, dates and amounts exactly as typed (no scientific notation, no locale dates).
    if (c.type !== 'kind' && c.type !== 'yesNo') sheet.getColumn(i + 1).numFmt = '@';
    const letter = sheet.getColumn(i + 1).letter;
    const choices = c.type === 'kind' ? Object.values(KIND_LABELS) : c.type === 'yesNo' ? [YES, NO] : null;
    if (choices) (sheet as unknown as SheetWithValidations).dataValidations.add(`${letter}2:${letter}${MAX_IMPORT_ROWS + 1}`, { type: 'list', allowBlank: true, formulae: [`"${choices.join(',')}"`] });
  });

  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ header: '列名', width: 28 }, { header: '填写要求', width: 90 }];
  guide.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) guide.addRow([c.header, c.guide]);
  guide.addRow([]);
  for (const note of GUIDE_NOTES) guide.addRow(['', note]);
  guide.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return workbook;
}

// ---------------------------------------------------------------------------------------------
// Recognising an upload

/** The format of an uploaded ledger, read from its bytes: an Excel workbook or UTF-8 text (CSV); null otherwise. */
export async function ledgerFormatOf(data: Buffer): Promise<LedgerFormat | 'not-utf8' | null> {
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.ext === 'xlsx' ? 'xlsx' : null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return 'not-utf8';
  }
  // Control characters other than tab and line ends mean a binary file, not a table.
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text) ? null : 'csv';
}

// ---------------------------------------------------------------------------------------------
// Reading rows

interface SheetRow {
  row: number;
  cells: string[];
}

function numberText(n: number): string {
  const cents = Math.round(n * 100);
  // A spreadsheet number like 1234.5 or 0.1 + 0.2 is meant as yuan and fen; anything finer stays as it is and is refused.
  return Math.abs(n * 100 - cents) < 1e-6 ? (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2)) : String(n);
}

function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** What an Excel cell says, as text. */
function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? YES : NO;
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

async function* xlsxRows(data: Buffer): AsyncGenerator<SheetRow> {
  const reader = xlsxWorkbookReader(data, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { row: row.number, cells };
    }
    return; // the first worksheet only: the guide sheet follows it
  }
}

async function* csvRows(data: Buffer): AsyncGenerator<SheetRow> {
  let row = 0;
  // Blank lines are kept (and skipped below) so that row numbers match what Excel shows.
  for await (const record of parseCsv(data, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false })) {
    yield { row: ++row, cells: record as string[] };
  }
}

function readLedgerRows(data: Buffer, format: LedgerFormat): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? xlsxRows(data) : csvRows(data);
}

// ---------------------------------------------------------------------------------------------
// Checking cells

type Parsed = { ok: true; value: string | number | boolean } | { ok: false; key: string; params?: Record<string, unknown> };

const KIND_BY_LABEL = new Map<string, CommitmentKind>([
  ...Object.entries(KIND_LABELS).map(([kind, label]) => [label, kind as CommitmentKind] as const),
  ...COMMITMENT_KINDS.map((k) => [k, k] as const),
]);

function normaliseDate(raw: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

function parseCell(column: ColumnSpec, raw: string): Parsed {
  switch (column.type) {
    case 'text':
      return column.max !== undefined && raw.length > column.max ? { ok: false, key: 'validation.tooLong', params: { max: column.max } } : { ok: true, value: raw };
    case 'kind': {
      const kind = KIND_BY_LABEL.get(raw);
      return kind ? { ok: true, value: kind } : { ok: false, key: 'commitments:files.import.errors.kind', params: { value: raw, allowed: Object.values(KIND_LABELS).join('、') } };
    }
    case 'creditCode': {
      const code = normaliseCreditCode(raw);
      return checkCreditCode(code) === null ? { ok: true, value: code } : { ok: false, key: 'commitments:files.import.errors.creditCode', params: { value: raw } };
    }
    case 'date': {
      const date = normaliseDate(raw);
      return date ? { ok: true, value: date } : { ok: false, key: 'commitments:files.import.errors.date', params: { value: raw } };
    }
    case 'money': {
      const fen = parseYuan(raw.replace(/^[¥￥]/, ''));
      return fen === null ? { ok: false, key: 'commitments:files.import.errors.money', params: { value: raw } } : { ok: true, value: fen };
    }
    case 'yesNo':
      return raw === YES ? { ok: true, value: true } : raw === NO ? { ok: true, value: false } : { ok: false, key: 'commitments:files.import.errors.yesNo', params: { value: raw } };
  }
}

// ---------------------------------------------------------------------------------------------
// Checking a whole file

interface CommitmentValue {
  value: string | number | boolean;
  raw: string;
  row: number;
}

interface CommitmentGroup {
  referenceNo: string;
  firstRow: number;
  values: Partial<Record<ColumnKey, CommitmentValue>>;
  milestones: Array<{ description: string; dueOn: string; amountFen: number | null }>;
  milestoneRows: number[];
  hasErrors: boolean;
}

export interface LedgerCheck {
  totalRows: number;
  /** Every commitment of the file, ready to insert; empty when there is any error. */
  commitments: CommitmentInput[];
  errors: ImportError[];
  errorCount: number;
}

class ErrorList {
  readonly items: ImportError[] = [];
  count = 0;
  add(row: number, column: ColumnKey | null, key: string, params?: Record<string, unknown>): void {
    this.count++;
    if (this.items.length < MAX_REPORTED_ERRORS) this.items.push({ row, column: column ? COLUMN[column].header : '', key, ...(params ? { params } : {}) });
  }
}

/** The file could not be read as a workbook or as CSV at all. */
class UnreadableFile extends Error {}

/** Rows of the file; a failure of the reader itself (not of whoever consumes the rows) means an unreadable file. */
async function* readableRows(data: Buffer, format: LedgerFormat): AsyncGenerator<SheetRow> {
  try {
    yield* readLedgerRows(data, format);
  } catch (err) {
    throw new UnreadableFile((err as Error)?.message);
  }
}

/** Header names compared without spaces, a trailing required-mark, or the difference between full- and half-width brackets. */
function headerKey(name: string): string {
  return name.replace(/\s+/g, '').replace(/[*＊]$/, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

function columnPositions(header: string[]): { positions: Map<ColumnKey, number>; missing: ColumnSpec[] } {
  const byName = new Map<string, number>();
  header.forEach((name, i) => {
    const key = headerKey(name);
    if (key && !byName.has(key)) byName.set(key, i);
  });
  const positions = new Map<ColumnKey, number>();
  const missing: ColumnSpec[] = [];
  for (const c of IMPORT_COLUMNS) {
    const at = byName.get(headerKey(c.header));
    if (at !== undefined) positions.set(c.key, at);
    else if (c.required) missing.push(c);
  }
  return { positions, missing };
}

/** Where a schema error about an assembled commitment belongs in the file. */
const PATH_COLUMNS: Record<string, ColumnKey> = {
  kind: 'kind', title: 'title', referenceNo: 'referenceNo', enterpriseId: 'enterpriseCode', basis: 'basis', signedOn: 'signedOn',
  amountFen: 'amount', responsibleOfficial: 'responsibleOfficial', isPublic: 'isPublic', agencyId: 'referenceNo',
};
const MILESTONE_PATH_COLUMNS: Record<string, ColumnKey> = { description: 'milestone', dueOn: 'dueOn', amountFen: 'milestoneAmount' };

function locate(group: CommitmentGroup, path: string): { row: number; column: ColumnKey } {
  const [head, index, field] = path.split('.');
  if (head === 'milestones') {
    // An error about the milestones together (their amounts, their number) belongs to the commitment's first row.
    if (index === undefined) return { row: group.firstRow, column: 'referenceNo' };
    return { row: group.milestoneRows[Number(index)] ?? group.firstRow, column: MILESTONE_PATH_COLUMNS[field ?? ''] ?? 'milestone' };
  }
  const column = PATH_COLUMNS[head ?? ''] ?? 'referenceNo';
  return { row: group.values[column]?.row ?? group.firstRow, column };
}

/** The commitment as the form and the API would accept it, or what is wrong with it. */
function assembled(input: unknown): { input: CommitmentInput; errors: FieldError[] } | { input: null; errors: FieldError[] } {
  try {
    const parsed = parseInput(commitmentInputSchema, input);
    return { input: parsed, errors: commitmentInputErrors(parsed) };
  } catch (err) {
    if (err instanceof ValidationError) return { input: null, errors: err.fieldErrors };
    throw err;
  }
}

async function inChunks<T>(items: T[], size: number, fn: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/**
 * Reads and checks every row of a ledger file for one agency: each cell, the commitment-level
 * cells of rows sharing a reference number, credit codes against the registered enterprises,
 * reference numbers against the agency's ledger, and each assembled commitment against the
 * same schema and rules as the form and the API. `onProgress` hears how many rows were checked.
 */
export async function checkLedgerFile(
  db: Knex,
  agencyId: number,
  data: Buffer,
  format: LedgerFormat,
  onProgress: (rowsChecked: number) => Promise<void> = async () => undefined,
): Promise<LedgerCheck> {
  const errors = new ErrorList();
  const groups = new Map<string, CommitmentGroup>();
  let positions: Map<ColumnKey, number> | null = null;
  let totalRows = 0;

  const refused = () => ({ totalRows, commitments: [], errors: errors.items, errorCount: errors.count });
  try {
    for await (const { row, cells } of readableRows(data, format)) {
      const texts = cells.map((c) => String(c ?? '').trim());
      if (texts.every((t) => t === '')) continue;
      if (!positions) {
        const header = columnPositions(texts);
        for (const c of header.missing) errors.add(row, c.key, 'commitments:files.import.errors.missingColumn', { column: c.header });
        if (header.missing.length) return refused();
        positions = header.positions;
        continue;
      }
      totalRows++;
      if (totalRows > MAX_IMPORT_ROWS) {
        errors.add(row, null, 'commitments:files.import.errors.tooManyRows', { max: MAX_IMPORT_ROWS });
        return refused();
      }
      checkRow(row, texts, positions, groups, errors);
      if (totalRows % PROGRESS_EVERY === 0) {
        await onProgress(totalRows);
        await nextTurn(); // lets requests in between batches of rows
      }
    }
  } catch (err) {
    if (!(err instanceof UnreadableFile)) throw err;
    errors.add(0, null, 'commitments:files.import.errors.unreadable');
    return refused();
  }
  await onProgress(totalRows);
  if (!positions || totalRows === 0) {
    errors.add(0, null, 'commitments:files.import.errors.noRows');
    return refused();
  }

  const enterpriseIds = await knownEnterprises(db, groups);
  await markUsedReferences(db, agencyId, [...groups.keys()], (referenceNo) => {
    const group = groups.get(referenceNo)!;
    group.hasErrors = true;
    errors.add(group.firstRow, 'referenceNo', 'commitments:errors.duplicateReference', { referenceNo });
  });

  const commitments: CommitmentInput[] = [];
  let assembledCount = 0;
  for (const group of groups.values()) {
    if (++assembledCount % PROGRESS_EVERY === 0) await nextTurn();
    const code = group.values.enterpriseCode;
    if (code && !enterpriseIds.has(String(code.value))) {
      errors.add(code.row, 'enterpriseCode', 'commitments:files.import.errors.unknownEnterprise', { value: code.raw });
      continue;
    }
    if (group.hasErrors) continue;
    const v = (key: ColumnKey) => group.values[key]?.value;
    const input = {
      kind: v('kind'),
      title: v('title'),
      referenceNo: group.referenceNo,
      agencyId,
      enterpriseId: code ? enterpriseIds.get(String(code.value)) : null,
      basis: v('basis') ?? null,
      signedOn: v('signedOn'),
      amountFen: v('amount'),
      responsibleOfficial: v('responsibleOfficial'),
      isPublic: v('isPublic'),
      milestones: group.milestones,
    };
    const result = assembled(input);
    for (const p of result.errors) {
      const at = locate(group, p.path);
      errors.add(at.row, at.column, p.key, p.params);
    }
    if (result.input && result.errors.length === 0) commitments.push(result.input);
  }
  errors.items.sort((a, b) => a.row - b.row || columnOrder(a.column) - columnOrder(b.column));
  return { totalRows, commitments: errors.count ? [] : commitments, errors: errors.items, errorCount: errors.count };
}

function columnOrder(header: string): number {
  return IMPORT_COLUMNS.findIndex((c) => c.header === header);
}

function checkRow(row: number, texts: string[], positions: Map<ColumnKey, number>, groups: Map<string, CommitmentGroup>, errors: ErrorList): void {
  const text = (key: ColumnKey) => {
    const at = positions.get(key);
    return at === undefined ? '' : (texts[at] ?? '');
  };
  let rowOk = true;
  const fail = (key: ColumnKey, messageKey: string, params?: Record<string, unknown>) => {
    rowOk = false;
    errors.add(row, key, messageKey, params);
  };

  const referenceNo = text('referenceNo');
  let group: CommitmentGroup | undefined;
  if (!referenceNo) fail('referenceNo', 'validation.required');
  else if (referenceNo.length > COLUMN.referenceNo.max!) fail('referenceNo', 'validation.tooLong', { max: COLUMN.referenceNo.max });
  else group = groups.get(referenceNo);
  const first = !group;
  if (!group && referenceNo) {
    group = { referenceNo, firstRow: row, values: {}, milestones: [], milestoneRows: [], hasErrors: false };
    groups.set(referenceNo, group);
  }

  // Commitment columns: required on a commitment's first row; on later rows blank or the same value.
  for (const column of COMMITMENT_COLUMNS) {
    const raw = text(column.key);
    if (raw === '') {
      if (first && column.required) fail(column.key, 'validation.required');
      continue;
    }
    const parsed = parseCell(column, raw);
    if (!parsed.ok) {
      fail(column.key, parsed.key, parsed.params);
      continue;
    }
    if (!group) continue;
    const earlier = group.values[column.key];
    if (!earlier) group.values[column.key] = { value: parsed.value, raw, row };
    else if (earlier.value !== parsed.value) fail(column.key, 'commitments:files.import.errors.inconsistent', { firstRow: earlier.row, expected: earlier.raw, referenceNo });
  }

  const milestone: Partial<Record<ColumnKey, string | number | boolean>> = {};
  for (const key of ['milestone', 'dueOn', 'milestoneAmount'] as const) {
    const raw = text(key);
    if (raw === '') {
      if (COLUMN[key].required) fail(key, 'validation.required');
      continue;
    }
    const parsed = parseCell(COLUMN[key], raw);
    if (parsed.ok) milestone[key] = parsed.value;
    else fail(key, parsed.key, parsed.params);
  }

  if (!group) return;
  if (!rowOk) {
    group.hasErrors = true;
    return;
  }
  group.milestones.push({ description: String(milestone.milestone), dueOn: String(milestone.dueOn), amountFen: milestone.milestoneAmount === undefined ? null : Number(milestone.milestoneAmount) });
  group.milestoneRows.push(row);
}

/** Credit codes named in the file that belong to registered enterprises, with the enterprises' ids. */
async function knownEnterprises(db: Knex, groups: Map<string, CommitmentGroup>): Promise<Map<string, number>> {
  const codes = [...new Set([...groups.values()].flatMap((g) => (g.values.enterpriseCode ? [String(g.values.enterpriseCode.value)] : [])))];
  const known = new Map<string, number>();
  await inChunks(codes, LOOKUP_CHUNK, async (chunk) => {
    const rows: Array<{ id: number; credit_code: string }> = await db('enterprises').whereIn('credit_code', chunk).select('id', 'credit_code');
    for (const r of rows) known.set(r.credit_code, Number(r.id));
  });
  return known;
}

/** Calls `onUsed` for each reference number the agency's ledger already holds. */
export async function markUsedReferences(db: Knex, agencyId: number, referenceNos: string[], onUsed: (referenceNo: string) => void): Promise<void> {
  await inChunks(referenceNos, LOOKUP_CHUNK, async (chunk) => {
    const used: string[] = await db('commitments').where('agency_id', agencyId).whereIn('reference_no', chunk).pluck('reference_no');
    for (const referenceNo of used) onUsed(referenceNo);
  });
}
