import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ColumnKey, ColumnSpec, ColumnValue } from './columns.ts';
import { readSheetRows } from './read-sheet.ts';
import { columnLetter, DEFAULT_SHEET_LIMITS, SheetReadError, type SheetFormat, type SheetLimits } from './reading.ts';

/*
 * Checks an uploaded file against a list of column specs: finds the columns by their headers,
 * parses every cell of every row, and reports each problem at the row and column the user sees in
 * Excel. A feature adds its own checks across rows through `onRow` and the shared error list.
 */

/** Errors kept for the report: enough to correct any real file, bounded for a file that is wrong throughout. */
export const MAX_ERRORS_KEPT = 1000;
/** Characters of a cell's text quoted in an error message. */
export const ERROR_VALUE_CHARS = 200;
/** Rows checked between two turns of the event loop, so that other users' requests are served meanwhile. */
const ROWS_PER_TURN = 200;
const PROGRESS_EVERY_ROWS = 1000;

/** One problem of an uploaded file, at its row as Excel shows it (the header is row 1; 0 is the whole file) and its column's header. */
export interface SheetError {
  row: number;
  column: string;
  key: string;
  params?: Record<string, unknown>;
}

function cutValues(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && v.length > ERROR_VALUE_CHARS ? `${v.slice(0, ERROR_VALUE_CHARS)}…` : v]));
}

/** Counts every error and keeps the first MAX_ERRORS_KEPT, with the texts they quote cut short. */
export class SheetErrors {
  readonly kept: SheetError[] = [];
  count = 0;

  /** `always`: kept past MAX_ERRORS_KEPT, for the error that stopped the reading, which explains why the rest was not checked. */
  add(error: SheetError, always = false): void {
    this.count++;
    if (this.kept.length >= MAX_ERRORS_KEPT && !always) return;
    const { params, ...at } = error;
    this.kept.push(params && Object.keys(params).length ? { ...at, params: cutValues(params) } : at);
  }

  /** The kept errors by row, and within a row in the order of `columns`. */
  sorted(columns: readonly ColumnSpec[]): SheetError[] {
    const order = new Map(columns.map((c, i) => [c.header, i]));
    const at = (e: SheetError) => order.get(e.column) ?? (e.column ? columns.length : -1);
    return [...this.kept].sort((a, b) => a.row - b.row || at(a) - at(b));
  }
}

/** A data row's parsed cells by column key: a blank cell or one that failed to parse is absent. */
export type RowValues<C extends readonly ColumnSpec[]> = { [S in C[number] as S['key']]?: ColumnValue<S> };

export interface CheckedRow<C extends readonly ColumnSpec[]> {
  row: number;
  values: RowValues<C>;
  /** Trimmed cell text of every column the file has ('' when blank). */
  texts: Partial<Record<ColumnKey<C>, string>>;
  /** Nothing is wrong with the row so far: no cell failed its column's check, nor anything reported through onRow. */
  ok: boolean;
}

/** Adds an error at the row being checked, in the given column (null: the row as a whole). */
export type ReportRowError<C extends readonly ColumnSpec[]> = (column: ColumnKey<C> | null, key: string, params?: Record<string, unknown>) => void;

export interface SheetCheckOptions<C extends readonly ColumnSpec[]> {
  limits?: Partial<SheetLimits>;
  /** Called for each data row after its cells were checked, in file order. */
  onRow?: (row: CheckedRow<C>, report: ReportRowError<C>) => void;
  /** Hears how many data rows were checked, every thousand rows and at the end. */
  onProgress?: (rowsChecked: number) => Promise<void>;
}

export interface SheetCheck {
  /** Data rows read (below the header). */
  rows: number;
  /** Every row was read: false when the file could not be read to its end or lacks columns, so that nothing further is worth checking. */
  complete: boolean;
  errors: SheetErrors;
}

/** Header names compared without spaces, a required-mark (*), or the difference between full- and half-width brackets. */
export function headerKey(name: string): string {
  return name.replace(/\s+/g, '').replace(/^[*＊]+|[*＊]+$/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}

function mapColumns<C extends readonly ColumnSpec[]>(header: string[], columns: C): { positions: Array<[C[number], number]>; missing: Array<C[number]> } {
  const byName = new Map<string, number>();
  header.forEach((name, i) => {
    const key = headerKey(name);
    if (key && !byName.has(key)) byName.set(key, i);
  });
  const positions: Array<[C[number], number]> = [];
  const missing: Array<C[number]> = [];
  for (const c of columns) {
    const at = byName.get(headerKey(c.header));
    if (at !== undefined) positions.push([c, at]);
    else if (c.required) missing.push(c);
  }
  return { positions, missing };
}

/**
 * Reads and checks every row of a file. Stops at the first limit the file passes or when a
 * required column is missing; otherwise reads to the end, however many errors it finds, so that
 * the count is complete.
 */
export async function checkSheet<C extends readonly ColumnSpec[]>(data: Buffer, format: SheetFormat, columns: C, options: SheetCheckOptions<C> = {}): Promise<SheetCheck> {
  const limits = { ...DEFAULT_SHEET_LIMITS, ...options.limits };
  const errors = new SheetErrors();
  let header: string[] | null = null;
  let positions: Array<[C[number], number]> = [];
  let rows = 0;
  const headers = new Map<string, string>(columns.map((c) => [c.key, c.header]));

  const columnName = (index: number | null) => {
    if (index === null) return '';
    const mapped = positions.find(([, at]) => at === index);
    return mapped ? mapped[0].header : (header?.[index]?.trim() || columnLetter(index));
  };

  try {
    for await (const { row, cells } of readSheetRows(data, format, limits)) {
      // A row of nothing but spaces is as blank as an empty one.
      if (cells.every((c) => c.trim() === '')) continue;
      if (!header) {
        header = cells;
        const mapping = mapColumns(cells, columns);
        for (const c of mapping.missing) errors.add({ row, column: c.header, key: 'spreadsheets:errors.missingColumn', params: { column: c.header } });
        if (mapping.missing.length) return { rows, complete: false, errors };
        positions = mapping.positions;
        continue;
      }
      rows++;
      checkRow(row, cells, positions, headers, errors, options.onRow);
      if (rows % ROWS_PER_TURN === 0) await nextTurn();
      if (rows % PROGRESS_EVERY_ROWS === 0) await options.onProgress?.(rows);
    }
  } catch (err) {
    if (!(err instanceof SheetReadError)) throw err;
    errors.add({ row: err.row, column: columnName(err.column), key: err.key, params: err.params }, true);
    return { rows, complete: false, errors };
  }
  await options.onProgress?.(rows);
  if (rows === 0) {
    errors.add({ row: 0, column: '', key: 'spreadsheets:errors.noRows' });
    return { rows, complete: false, errors };
  }
  return { rows, complete: true, errors };
}

function checkRow<C extends readonly ColumnSpec[]>(
  row: number,
  cells: string[],
  positions: Array<[C[number], number]>,
  headers: Map<string, string>,
  errors: SheetErrors,
  onRow: SheetCheckOptions<C>['onRow'],
): void {
  const values: Record<string, unknown> = {};
  const texts: Record<string, string> = {};
  let ok = true;
  const report: ReportRowError<C> = (column, key, params) => {
    ok = false;
    errors.add({ row, column: column === null ? '' : (headers.get(column) ?? ''), key, ...(params ? { params } : {}) });
  };
  for (const [column, at] of positions) {
    let text = (cells[at] ?? '').trim();
    if (column.blankWords?.includes(text)) text = '';
    texts[column.key] = text;
    if (text === '') {
      if (column.required && !column.allowBlank) report(column.key, 'validation.required');
      continue;
    }
    const parsed = column.parse(text);
    if (parsed.ok) values[column.key] = parsed.value;
    else report(column.key, parsed.key, parsed.params);
  }
  onRow?.(
    {
      row,
      values: values as RowValues<C>,
      texts: texts as Partial<Record<ColumnKey<C>, string>>,
      get ok() {
        return ok;
      },
    },
    report,
  );
}
