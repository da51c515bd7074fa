import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import archiver from 'archiver';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { CellValue, ColumnSpec, ColumnValue } from './columns.ts';

/*
 * Exports written row by row from the same column specs as the template and the checker, so that
 * an exported file has the headers and words an import expects. A workbook may hold several sheets;
 * CSV, one sheet a file, goes out as a ZIP of one CSV file per sheet.
 */

/** A row to export: each column's value by its key (null or absent when there is none). */
export type ExportRow<C extends readonly ColumnSpec[]> = { [S in C[number] as S['key']]?: ColumnValue<S> | null };

/** One sheet of an export. Its rows are read only when the writer reaches the sheet, so a later sheet may sum up an earlier one. */
export interface ExportSheet {
  name: string;
  columns: readonly ColumnSpec[];
  rows: AsyncIterable<Record<string, unknown>>;
}

/** A sheet, typed by its columns. */
export function exportSheet<C extends readonly ColumnSpec[]>(name: string, columns: C, rows: AsyncIterable<ExportRow<C>>): ExportSheet {
  return { name, columns, rows: rows as AsyncIterable<Record<string, unknown>> };
}

function cellsOf(columns: readonly ColumnSpec[], row: Record<string, unknown>): CellValue[] {
  return columns.map((c) => c.format(row[c.key]));
}

/** Excel runs a cell that starts like a formula: such text is quoted so that it stays text. */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvText(value: CellValue, column: ColumnSpec): string {
  if (value === null) return '';
  if (typeof value === 'number') return column.decimals === undefined ? String(value) : value.toFixed(column.decimals);
  return inertText(value);
}

async function* csvRecords(sheet: ExportSheet): AsyncGenerator<string[]> {
  yield sheet.columns.map((c) => c.header);
  for await (const row of sheet.rows) yield cellsOf(sheet.columns, row).map((value, i) => csvText(value, sheet.columns[i]!));
}

/** The rows as CSV, streamed to `out`, with a BOM so that Excel reads the Chinese as UTF-8. */
export async function writeCsvSheet<C extends readonly ColumnSpec[]>(out: Writable, columns: C, rows: AsyncIterable<ExportRow<C>>): Promise<void> {
  await pipeline(Readable.from(csvRecords(exportSheet('', columns, rows))), stringify({ bom: true }), out);
}

/**
 * Several sheets as CSV files (`<sheet name>.csv`, each with a BOM) in one ZIP, streamed to `out`.
 * A file's rows start to be read only after the file before it is written whole.
 */
export async function writeCsvZip(out: Writable, sheets: ExportSheet[]): Promise<void> {
  const archive = archiver('zip', { zlib: { level: 6 } });
  const sent = pipeline(archive, out);
  // Settles false when the download ends early (the client went away): no more files are read then.
  const stopped = sent.then(() => false, () => false);
  for (const sheet of sheets) {
    const csv = stringify({ bom: true });
    // A sheet whose rows fail (a query error) fails the whole archive rather than leaving it waiting for the file's end.
    const failed = pipeline(Readable.from(csvRecords(sheet)), csv).then(
      () => new Promise<boolean>(() => undefined),
      (err: unknown) => {
        archive.abort();
        throw err;
      },
    );
    archive.append(csv, { name: `${sheet.name}.csv` });
    if (!(await Promise.race([once(archive, 'entry').then(() => true), stopped, failed]))) break;
  }
  if (!out.destroyed) await archive.finalize();
  await sent;
}

function numberFormat(column: ColumnSpec): string | undefined {
  if (column.date) return 'yyyy-mm-dd';
  if (column.decimals === undefined) return undefined;
  return column.decimals === 0 ? '0' : `#,##0.${'0'.repeat(column.decimals)}`;
}

/** A cell of a workbook: a date column's 'YYYY-MM-DD' as a real date (midnight, no time zone), anything else as the column writes it. */
function xlsxCell(value: CellValue, column: ColumnSpec): ExcelJS.CellValue {
  const m = column.date && typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : value;
}

/** Rows written between two turns of the event loop: the workbook writer is synchronous and never waits for the client by itself. */
const XLSX_ROWS_PER_TURN = 200;

/**
 * Lets other requests run, and waits while the client has not taken what was sent (or has gone):
 * without it, rows already read from the database would pile up in memory ahead of a slow download.
 */
async function pause(out: Writable): Promise<void> {
  if (out.writableNeedDrain && !out.destroyed) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  else await nextTurn();
}

/** Sheets as one Excel workbook, in order, written row by row to `out`; stops early if `out` is closed. */
export async function writeXlsxBook(out: Writable, sheets: ExportSheet[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  let written = 0;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.columns.map((c) => {
      const numFmt = numberFormat(c);
      return { header: c.header, width: c.width, style: numFmt ? { numFmt } : {} };
    });
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of spec.rows) {
      if (out.destroyed) return;
      sheet.addRow(cellsOf(spec.columns, row).map((value, i) => xlsxCell(value, spec.columns[i]!))).commit();
      if (++written % XLSX_ROWS_PER_TURN === 0) await pause(out);
    }
    sheet.commit();
  }
  await workbook.commit();
}

/** The rows as an Excel workbook of one sheet, written row by row to `out`; stops early if `out` is closed. */
export async function writeXlsxSheet<C extends readonly ColumnSpec[]>(out: Writable, sheetName: string, columns: C, rows: AsyncIterable<ExportRow<C>>): Promise<void> {
  await writeXlsxBook(out, [exportSheet(sheetName, columns, rows)]);
}
