import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';

/*
 * ExcelJS's streaming reader (4.4.0, its last release) reads the archive in one pass with
 * unzipper.Parse, which announces its end when the input is used up, even while entries it has
 * already parsed are still waiting to be read. A worksheet stored before sharedStrings.xml (as
 * ExcelJS and Excel both store it) is set aside while the rest of the archive is read; if the parse
 * reaches the end meanwhile, the parts after the sheet (workbook.xml, the shared strings) are never
 * seen and the read fails at random, about one small file in two hundred (exceljs issue 3064).
 * It also decodes each chunk of XML on its own, so a Chinese character cut by a chunk boundary
 * turns into U+FFFD: about one cell in four hundred of a large file came in garbled.
 *
 * This reader keeps ExcelJS's parsers but opens the archive through its central directory, so the
 * parts are read in the order they are needed (relations, workbook, shared strings, styles, then
 * each worksheet row by row), and hands them over as text decoded across chunk boundaries.
 */

export type XlsxReaderOptions = Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>;

/** The parts of ExcelJS's WorkbookReader that read one part of the archive each. */
interface PartParsers {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}

const SHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;

class CentralDirectoryWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  readonly #data: Buffer;

  constructor(data: Buffer, options: XlsxReaderOptions) {
    // The input stream ExcelJS would read is never opened: parse() below reads `data` instead.
    super('', options);
    this.#data = data;
  }

  override async *parse(): AsyncGenerator<{ eventType: string; value: unknown }> {
    const parsers = this as unknown as PartParsers;
    const { files } = await unzipper.Open.buffer(this.#data);
    const part = (path: string) => {
      const file = files.find((f) => f.path === path);
      return file ? (file.stream().setEncoding('utf8') as Readable) : null;
    };
    const rels = part('xl/_rels/workbook.xml.rels');
    if (rels) await parsers._parseRels(rels);
    const workbook = part('xl/workbook.xml');
    if (workbook) await parsers._parseWorkbook(workbook);
    const sharedStrings = part('xl/sharedStrings.xml');
    if (sharedStrings) for await (const _ of parsers._parseSharedStrings(sharedStrings));
    const styles = part('xl/styles.xml');
    if (styles) await parsers._parseStyles(styles);
    const sheets = files
      .map((f) => ({ file: f, no: SHEET_PATH.exec(f.path)?.[1] }))
      .filter((s): s is { file: unzipper.File; no: string } => s.no !== undefined)
      .sort((a, b) => Number(a.no) - Number(b.no));
    for (const sheet of sheets) yield* parsers._parseWorksheet(sheet.file.stream().setEncoding('utf8') as Readable, sheet.no);
  }
}

/** A streaming reader of an .xlsx file held in memory: iterate it for worksheets, each of them for rows. */
export function xlsxWorkbookReader(data: Buffer, options: XlsxReaderOptions): AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader> {
  return new CentralDirectoryWorkbookReader(data, options) as unknown as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>;
}
