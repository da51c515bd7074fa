import JSZip from 'jszip';
import { DEFAULT_SHEET_LIMITS, SheetReadError, columnLetter, type SheetLimits, type SheetRow } from './reading.ts';

/*
 * Workbooks built part by part for the tests and the benchmark, so that every shape a real file
 * may take (no shared strings, parts in any order, odd cells, hostile sizes) can be made without
 * committing binaries.
 */

/** A cell: text, a number, nothing, or a whole `<c>` element written as given. */
export type TestCell = string | number | null | { xml: string };

export interface TestWorkbook {
  /** The first sheet's rows from row 1; text goes to the shared-strings part unless `inlineStrings`. */
  rows?: TestCell[][];
  /** The first sheet's XML, instead of `rows`. */
  sheetXml?: string;
  inlineStrings?: boolean;
  sharedStringsXml?: string;
  stylesXml?: string;
  workbookXml?: string;
  /** A second sheet, listed after the first. */
  secondSheetRows?: TestCell[][];
  /** Entries in the zip with the sheet first and the workbook last, as some writers order them. */
  sheetFirst?: boolean;
  compression?: 'STORE' | 'DEFLATE';
  compressionLevel?: number;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The sheet XML of `rows`; text is added to `strings` (shared) or written inline when `strings` is null. */
export function sheetXmlOf(rows: TestCell[][], strings: string[] | null): string {
  const parts: string[] = [`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${SHEET_NS}" xmlns:r="${REL_NS}"><sheetData>`];
  const index = new Map<string, number>();
  rows.forEach((cells, r) => {
    const rowNumber = r + 1;
    parts.push(`<row r="${rowNumber}">`);
    cells.forEach((cell, c) => {
      const ref = `${columnLetter(c)}${rowNumber}`;
      if (cell === null) return;
      if (typeof cell === 'object') parts.push(cell.xml);
      else if (typeof cell === 'number') parts.push(`<c r="${ref}"><v>${cell}</v></c>`);
      else if (strings === null) parts.push(`<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(cell)}</t></is></c>`);
      else {
        let i = index.get(cell);
        if (i === undefined) {
          i = strings.push(cell) - 1;
          index.set(cell, i);
        }
        parts.push(`<c r="${ref}" t="s"><v>${i}</v></c>`);
      }
    });
    parts.push('</row>');
  });
  parts.push('</sheetData></worksheet>');
  return parts.join('');
}

export function sharedStringsXmlOf(strings: string[]): string {
  const items = strings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${SHEET_NS}" count="${strings.length}" uniqueCount="${strings.length}">${items}</sst>`;
}

/** Styles whose cell style 1 is the built-in date format 14 and 2 a custom 年月日 format. */
export const DATE_STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${SHEET_NS}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs></styleSheet>`;

export async function testWorkbook(spec: TestWorkbook): Promise<Buffer> {
  const strings: string[] | null = spec.inlineStrings ? null : [];
  const sheet = spec.sheetXml ?? sheetXmlOf(spec.rows ?? [], strings);
  const second = spec.secondSheetRows ? sheetXmlOf(spec.secondSheetRows, strings) : null;
  const sharedStrings = spec.sharedStringsXml ?? (strings && strings.length ? sharedStringsXmlOf(strings) : null);

  const workbook = spec.workbookXml ?? `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${SHEET_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/>${second ? '<sheet name="第二页" sheetId="2" r:id="rId2"/>' : ''}</sheets></workbook>`;
  const rels = [
    `<Relationship Id="rId1" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>`,
    second ? `<Relationship Id="rId2" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet2.xml"/>` : '',
    sharedStrings ? `<Relationship Id="rId3" Type="${REL_TYPE}/sharedStrings" Target="sharedStrings.xml"/>` : '',
    spec.stylesXml ? `<Relationship Id="rId4" Type="${REL_TYPE}/styles" Target="styles.xml"/>` : '',
  ].join('');
  const parts: Array<[string, string]> = [
    ['[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`],
    ['_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`],
  ];
  if (spec.stylesXml) parts.push(['xl/styles.xml', spec.stylesXml]);
  if (sharedStrings) parts.push(['xl/sharedStrings.xml', sharedStrings]);
  parts.push(['xl/worksheets/sheet1.xml', sheet]);
  if (second) parts.push(['xl/worksheets/sheet2.xml', second]);
  if (spec.sheetFirst) parts.reverse();

  const zip = new JSZip();
  for (const [name, text] of parts) zip.file(name, text);
  const compression = spec.compression ?? 'DEFLATE';
  return zip.generateAsync({ type: 'nodebuffer', compression, compressionOptions: compression === 'DEFLATE' ? { level: spec.compressionLevel ?? 6 } : null });
}

/** Changes the uncompressed size that a zip's headers declare for one entry, as a zip bomb that hides its size does. */
export function understateSize(zip: Buffer, entryName: string, declaredSize: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entryName, 'utf8');
  for (let at = 0; at < out.length - 46; at++) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50 && out.subarray(at + 30, at + 30 + name.length).equals(name) && out.readUInt16LE(at + 26) === name.length) out.writeUInt32LE(declaredSize, at + 22);
    if (signature === 0x02014b50 && out.subarray(at + 46, at + 46 + name.length).equals(name) && out.readUInt16LE(at + 28) === name.length) out.writeUInt32LE(declaredSize, at + 24);
  }
  return out;
}

type RowReader = (data: Buffer, limits: SheetLimits) => AsyncGenerator<SheetRow>;

/** Every row a reader yields for the data, with some limits changed from the defaults. */
export async function rowsRead(read: RowReader, data: Buffer, limits: Partial<SheetLimits> = {}): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of read(data, { ...DEFAULT_SHEET_LIMITS, ...limits })) rows.push(row);
  return rows;
}

/** The error a reader stops with; fails when it reads the data without one. */
export async function readFailure(read: RowReader, data: Buffer, limits: Partial<SheetLimits> = {}): Promise<SheetReadError> {
  try {
    await rowsRead(read, data, limits);
  } catch (err) {
    if (err instanceof SheetReadError) return err;
    throw err;
  }
  throw new Error('the file was read without an error');
}
