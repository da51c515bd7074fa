import ExcelJS from 'exceljs';
import type { ColumnKey, ColumnSpec } from './columns.ts';
import { DEFAULT_SHEET_LIMITS } from './reading.ts';

const GUIDE_SHEET = '填写说明';

export interface TemplateOptions<C extends readonly ColumnSpec[]> {
  sheetName: string;
  columns: C;
  /** Example rows, each cell falling back to its column's own example; by default one row of those. */
  examples?: ReadonlyArray<Partial<Record<ColumnKey<C>, string>>>;
  /** General notes listed below the columns on the guide sheet. */
  notes?: readonly string[];
}

/** exceljs supports range validations (drop-down lists) but does not declare them in its types. */
interface SheetWithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/**
 * The workbook users download, fill in and upload: the data sheet with the headers, example rows,
 * text-formatted cells and drop-down lists for the columns that allow only some words, and a
 * guide sheet that explains every column. Both are made from the column specs.
 */
export function buildTemplate<C extends readonly ColumnSpec[]>(options: TemplateOptions<C>): ExcelJS.Workbook {
  const { columns } = options;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  const examples = options.examples ?? [{}];
  for (const example of examples) sheet.addRow(columns.map((c) => (example as Record<string, string | undefined>)[c.key] ?? c.example));
  const lastRow = DEFAULT_SHEET_LIMITS.maxRows + 1;
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    if (c.choices) {
      (sheet as unknown as SheetWithValidations).dataValidations.add(`${column.letter}2:${column.letter}${lastRow}`, { type: 'list', allowBlank: true, formulae: [`"${c.choices.join(',')}"`] });
    } else {
      // Text cells keep credit codes, dates and amounts exactly as typed (no scientific notation, no locale dates).
      column.numFmt = '@';
    }
  });

  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ header: '列名', width: 28 }, { header: '填写要求', width: 90 }];
  guide.getRow(1).font = { bold: true };
  for (const c of columns) guide.addRow([c.header, c.guide]);
  if (options.notes?.length) {
    guide.addRow([]);
    for (const note of options.notes) guide.addRow(['', note]);
  }
  guide.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return workbook;
}
