/*
 * What the readers share: the row they yield, the limits they enforce while reading, and the
 * error they stop with. A limit is checked as the bytes arrive, so a hostile file fails after
 * little work and little memory, never after being unpacked whole.
 */

export type SheetFormat = 'xlsx' | 'csv';

/** One row of the first sheet that has any text, numbered as Excel shows it (the first row is 1). */
export interface SheetRow {
  row: number;
  /** Cell texts from column A on; a cell with nothing in it is ''. */
  cells: string[];
}

export interface SheetLimits {
  /** Data rows below the header row. */
  maxRows: number;
  /** Columns with anything in them, counted from column A. */
  maxColumns: number;
  /** Characters in one cell: Excel's own limit is 32,767. */
  maxCellChars: number;
  /** Bytes of all the parts read from a workbook once unpacked (for CSV, the file's size). */
  maxUncompressedBytes: number;
  /** Unpacked ÷ packed size of one part of a workbook: real sheets pack 5 to 50 times, zip bombs about 1,000. */
  maxCompressionRatio: number;
  /**
   * Bytes of a workbook's shared-strings part once unpacked: the one part held in memory whole, at
   * up to twice its size for many short strings. 100,000 rows of a ledger need about 25 MB.
   */
  maxSharedStringsBytes: number;
}

export const DEFAULT_SHEET_LIMITS: Readonly<SheetLimits> = Object.freeze({
  maxRows: 100_000,
  maxColumns: 256,
  maxCellChars: 32_767,
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxSharedStringsBytes: 32 * 1024 * 1024,
});

/**
 * Why a file could not be read to its end: a broken file (`spreadsheets:errors.unreadable`) or a
 * limit it passed. `row` and `column` (0 for column A) say where, when a place is known.
 */
export class SheetReadError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
    readonly row = 0,
    readonly column: number | null = null,
  ) {
    super(`${key} ${JSON.stringify(params)}${row ? ` at row ${row}` : ''}`);
  }
}

export function unreadable(reason: string): SheetReadError {
  const err = new SheetReadError('spreadsheets:errors.unreadable');
  err.message = `unreadable: ${reason}`;
  return err;
}

/** Column letters as Excel shows them: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
