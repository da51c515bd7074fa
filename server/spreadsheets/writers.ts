import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { CellValue, ColumnSpec, ColumnValue } from './columns.ts';

/*
 * Exports written row by row from the same column specs as the template and the checker, so that
 * an exported file has the headers and words an import expects.
 */

/** A row to export: each column's value by its key (null or absent when there is none). */
export type ExportRow<C extends readonly ColumnSpec[]> = { [S in C[number] as S['key']]?: ColumnValue<S> | null };

function cellsOf<C extends readonly ColumnSpec[]>(columns: C, row: ExportRow<C>): CellValue[] {
  return columns.map((c) => c.format((row as Record<string, unknown>)[c.key]));
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

/** The rows as CSV, streamed to `out`, with a BOM so that Excel reads the Chinese as UTF-8. */
export async function writeCsvSheet<C extends readonly ColumnSpec[]>(out: Writable, columns: C, rows: AsyncIterable<ExportRow<C>>): Promise<void> {
  async function* records() {
    yield columns.map((c) => c.header);
    for await (const row of rows) yield cellsOf(columns, row).map((value, i) => csvText(value, columns[i]!));
  }
  await pipeline(Readable.from(records()), stringify({ bom: true }), out);
}

function numberFormat(decimals: number | undefined): string | undefined {
  if (decimals === undefined) return undefined;
  return decimals === 0 ? '0' : `#,##0.${'0'.repeat(decimals)}`;
}

/** The rows as an Excel workbook of one sheet, written row by row to `out`; stops early if `out` is closed. */
export async function writeXlsxSheet<C extends readonly ColumnSpec[]>(out: Writable, sheetName: string, columns: C, rows: AsyncIterable<ExportRow<C>>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => {
    const numFmt = numberFormat(c.decimals);
    return { header: c.header, width: c.width, style: numFmt ? { numFmt } : {} };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of rows) {
    if (out.destroyed) return;
    sheet.addRow(cellsOf(columns, row)).commit();
  }
  sheet.commit();
  await workbook.commit();
}
