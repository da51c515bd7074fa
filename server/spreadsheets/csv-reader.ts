import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { SheetReadError, unreadable, type SheetLimits, type SheetRow } from './reading.ts';

/*
 * Reads a UTF-8 CSV file (with or without a byte-order mark) as rows of text, with the same
 * limits as a workbook. The file is fed to the parser in slices, so records are parsed as they
 * are consumed rather than all at once.
 */

const SLICE_BYTES = 64 * 1024;

function* slices(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += SLICE_BYTES) yield data.subarray(at, at + SLICE_BYTES);
}

/** Bytes a record may gather before the parser gives up: a handful of the longest cells, each up to four bytes a character. */
function maxRecordBytes(limits: SheetLimits): number {
  return limits.maxCellChars * 4 * 8;
}

/**
 * The rows of the file that have any text; a row is a record, numbered as Excel numbers the
 * file's rows (a blank line counts). Stops with a SheetReadError at the first limit passed.
 */
export async function* readCsvRows(data: Buffer, limits: SheetLimits): AsyncGenerator<SheetRow> {
  if (data.length > limits.maxUncompressedBytes) throw new SheetReadError('spreadsheets:errors.tooLarge', { maxMegabytes: Math.floor(limits.maxUncompressedBytes / (1024 * 1024)) });
  if (!isUtf8(data)) throw new SheetReadError('spreadsheets:errors.notUtf8');
  const parser = parseCsv({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: maxRecordBytes(limits) });
  Readable.from(slices(data)).pipe(parser);
  let row = 0;
  let rowsSeen = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      let last = record.length - 1;
      while (last >= 0 && record[last] === '') last--;
      if (last < 0) continue;
      if (++rowsSeen > limits.maxRows + 1) throw new SheetReadError('spreadsheets:errors.tooManyRows', { max: limits.maxRows }, row);
      if (last >= limits.maxColumns) throw new SheetReadError('spreadsheets:errors.tooManyColumns', { max: limits.maxColumns }, row, limits.maxColumns);
      const cells = record.slice(0, last + 1);
      const long = cells.findIndex((c) => c.length > limits.maxCellChars);
      if (long !== -1) throw new SheetReadError('spreadsheets:errors.cellTooLong', { max: limits.maxCellChars }, row, long);
      yield { row, cells };
    }
  } catch (err) {
    if (err instanceof SheetReadError) throw err;
    if (err instanceof CsvError && err.code === 'CSV_MAX_RECORD_SIZE') {
      const at = err as CsvError & { records?: number; column?: number };
      throw new SheetReadError('spreadsheets:errors.cellTooLong', { max: limits.maxCellChars }, (at.records ?? row) + 1, at.column ?? null);
    }
    throw unreadable((err as Error)?.message ?? String(err));
  } finally {
    parser.destroy();
  }
}
