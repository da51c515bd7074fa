import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import { fenToYuanInput } from '../../domain/money.ts';
import { filteredCommitments, toListRow, type CommitmentFilters, type CommitmentListRow } from './queries.ts';
import type { CommitmentStatus } from './rules.ts';
import type { CommitmentKind } from './schema.ts';
import { commitmentsCatalogue } from './locales.ts';

/*
 * The spreadsheet columns and the words inside them are a file format shared by the export, the
 * import template and the import: Chinese whatever the page language, so that a file exported or
 * filled in by one user reads the same for every other user and imports again.
 */
const formatWords = commitmentsCatalogue['zh-CN'] as { kinds: Record<CommitmentKind, string>; status: Record<CommitmentStatus, string> };
export const KIND_LABELS: Record<CommitmentKind, string> = formatWords.kinds;
export const STATUS_LABELS: Record<CommitmentStatus, string> = formatWords.status;
export const YES = '是';
export const NO = '否';

export const EXPORT_HEADERS = ['序号', '文号/合同编号', '承诺类型', '承诺事项', '责任单位', '对方企业', '签订日期', '总金额（元）', '责任人', '状态', '最近到期日', '是否公开'] as const;
const EXPORT_WIDTHS = [8, 22, 14, 40, 26, 30, 12, 16, 12, 10, 12, 10];
const MONEY_COLUMN = EXPORT_HEADERS.indexOf('总金额（元）');

/** Rows are read in batches so that no query holds the (on SQLite, only) connection for the whole download. */
const EXPORT_BATCH = 2000;

export function exportFileName(today: string, extension: 'csv' | 'xlsx'): string {
  return `承诺台账-${today}.${extension}`;
}

function exportCells(row: CommitmentListRow, seq: number): Array<string | number> {
  return [
    seq,
    row.referenceNo,
    KIND_LABELS[row.kind],
    row.title,
    row.agencyName,
    row.enterpriseName ?? '',
    row.signedOn,
    row.amountFen / 100,
    row.responsibleOfficial,
    STATUS_LABELS[row.status],
    row.nextDueOn ?? '',
    row.isPublic ? YES : NO,
  ];
}

/**
 * The rows in list order, a batch at a time. The ordered ids come first in one query; each batch is then
 * read by id, so no batch re-sorts the whole list (OFFSET paging did, and grew with the list), and the
 * single SQLite connection is free between batches while the response streams to a slow client.
 */
async function* exportRows(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): AsyncGenerator<CommitmentListRow> {
  const ids: number[] = (await filteredCommitments(db, scope, filters, today).clearSelect().select('x.id')).map((r: { id: number }) => Number(r.id));
  for (let start = 0; start < ids.length; start += EXPORT_BATCH) {
    const batchIds = ids.slice(start, start + EXPORT_BATCH);
    const batch: Array<Record<string, unknown>> = await filteredCommitments(db, scope, filters, today).clearOrder().whereIn('x.id', batchIds);
    const byId = new Map(batch.map((raw) => [Number(raw.id), raw]));
    for (const id of batchIds) {
      const raw = byId.get(id);
      if (raw) yield toListRow(raw);
    }
  }
}

/** Excel runs a cell that starts like a formula; text from users is quoted so that it stays text. */
function inertText(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The filtered list as CSV, streamed, with a BOM so that Excel reads the Chinese as UTF-8. */
export async function writeCsvExport(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string, out: Writable): Promise<void> {
  async function* records() {
    yield [...EXPORT_HEADERS];
    let seq = 0;
    for await (const row of exportRows(db, scope, filters, today)) {
      const cells = exportCells(row, ++seq);
      cells[MONEY_COLUMN] = fenToYuanInput(row.amountFen);
      yield cells.map(inertText);
    }
  }
  await pipeline(Readable.from(records()), stringify({ bom: true }), out);
}

/** The filtered list as an Excel workbook, written row by row to `out`. */
export async function writeXlsxExport(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('承诺台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_HEADERS.map((header, i) => ({ header, width: EXPORT_WIDTHS[i], style: i === MONEY_COLUMN ? { numFmt: '#,##0.00' } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let seq = 0;
  for await (const row of exportRows(db, scope, filters, today)) {
    if (out.destroyed) return;
    sheet.addRow(exportCells(row, ++seq)).commit();
  }
  sheet.commit();
  await workbook.commit();
}
