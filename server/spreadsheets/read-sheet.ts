import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import { readCsvRows } from './csv-reader.ts';
import type { SheetFormat, SheetLimits, SheetRow } from './reading.ts';
import { readXlsxRows } from './xlsx-reader.ts';

/**
 * The format of an uploaded spreadsheet, read from its bytes: an Excel workbook, UTF-8 text (CSV),
 * 'not-utf8' for text in another encoding, or null for anything else.
 */
export async function spreadsheetFormatOf(data: Buffer): Promise<SheetFormat | 'not-utf8' | null> {
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.ext === 'xlsx' ? 'xlsx' : null;
  // Control characters other than tab and line ends mean a binary file, not a table; in UTF-8 no
  // byte of a multi-byte character is below 0x80, so the bytes can be scanned directly.
  if (hasControlBytes(data)) return null;
  return isUtf8(data) ? 'csv' : 'not-utf8';
}

function hasControlBytes(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  }
  return false;
}

export function readSheetRows(data: Buffer, format: SheetFormat, limits: SheetLimits): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? readXlsxRows(data, limits) : readCsvRows(data, limits);
}
