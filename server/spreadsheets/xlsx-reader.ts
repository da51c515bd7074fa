import path from 'node:path';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackedStrings } from './packed-strings.ts';
import { SheetReadError, unreadable, type SheetLimits, type SheetRow } from './reading.ts';

/*
 * Reads the first worksheet of an .xlsx workbook as rows of text, straight from the uploaded bytes.
 *
 * The zip is read by random access (yauzl), so the parts are taken in the order they are needed
 * (relationships, workbook, styles, shared strings, then the sheet) whatever their order in the
 * file, and nothing is unpacked to disk. Each part is inflated and parsed as a stream (saxes),
 * decoded by one streaming UTF-8 decoder, so a Chinese character split between two chunks reads
 * back whole. Only the shared strings are kept in memory, within their own limit.
 */

const MAX_ZIP_ENTRIES = 10_000;
/** Relationships, workbook and styles parts: a few kilobytes normally, a few megabytes when styles have bloated. */
const MAX_METADATA_PART_BYTES = 32 * 1024 * 1024;
/** Small parts of repeated markup pack very tightly; the ratio is judged only above this size. */
const RATIO_JUDGED_FROM_BYTES = 1024 * 1024;
/** Text handed to the XML parser at a time, so that a part stored without compression is still read in steps. */
const TEXT_SLICE_BYTES = 64 * 1024;

const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The part's text, decoded in slices; the entry's declared sizes are checked against the limits first. */
async function* partText(zip: ZipFile, entry: Entry, budget: UnpackBudget, maxPartBytes: number, tooLarge: () => SheetReadError): AsyncGenerator<string> {
  if (entry.isEncrypted() || !entry.canDecodeFileData()) throw unreadable(`${entry.fileName} is encrypted or packed in an unknown way`);
  budget.admit(entry, maxPartBytes, tooLarge);
  // yauzl checks as it inflates that an entry yields exactly its declared size, so a part whose
  // header understates its size fails when it passes what it declared: the declared size is a bound.
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length; at += TEXT_SLICE_BYTES) yield decoder.decode(chunk.subarray(at, at + TEXT_SLICE_BYTES), { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    stream.destroy();
  }
}

/** Bytes unpacked so far across the parts read, against the workbook's limits. */
class UnpackBudget {
  private used = 0;
  constructor(private readonly limits: SheetLimits) {}

  admit(entry: Entry, maxPartBytes: number, tooLarge: () => SheetReadError): void {
    const size = entry.uncompressedSize;
    if (size > RATIO_JUDGED_FROM_BYTES && size / Math.max(entry.compressedSize, 1) > this.limits.maxCompressionRatio) {
      throw new SheetReadError('spreadsheets:errors.zipBomb', { ratio: Math.round(size / Math.max(entry.compressedSize, 1)), max: this.limits.maxCompressionRatio });
    }
    if (size > maxPartBytes) throw tooLarge();
    this.used += size;
    if (this.used > this.limits.maxUncompressedBytes) throw this.tooLarge();
  }

  tooLarge(): SheetReadError {
    return new SheetReadError('spreadsheets:errors.tooLarge', { maxMegabytes: Math.floor(this.limits.maxUncompressedBytes / (1024 * 1024)) });
  }
}

/**
 * Feeds a part's text to an XML parser and yields after each slice, so that the caller can pass on
 * what the slice completed. Text between two tags longer than `maxRun` characters stops the read:
 * the parser gathers such a run whole before it reports it, so it is cut off here instead.
 */
async function* parseXml(text: AsyncIterable<string>, handlers: XmlHandlers, maxRun: number, runTooLong: () => SheetReadError): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: true });
  let lastTagAt = 0;
  parser.on('opentag', (tag) => {
    lastTagAt = parser.position;
    handlers.open?.(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => {
    lastTagAt = parser.position;
    handlers.close?.(localName(tag.name));
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  for await (const slice of text) {
    parser.write(slice);
    if (parser.position - lastTagAt > maxRun) throw runTooLong();
    yield;
  }
  parser.close();
}

async function parseWholePart(zip: ZipFile, entry: Entry, budget: UnpackBudget, handlers: XmlHandlers, limits: SheetLimits): Promise<void> {
  const tooLarge = () => budget.tooLarge();
  for await (const _ of parseXml(partText(zip, entry, budget, MAX_METADATA_PART_BYTES, tooLarge), handlers, rawRunAllowance(limits), tooLarge));
}

/** A cell's text may be written with a character reference for every character (`&#x4E2D;`): up to ten characters each. */
function rawRunAllowance(limits: SheetLimits): number {
  return limits.maxCellChars * 10 + 1024;
}

/**
 * A copy of a text that shares no memory with the parser's input. The parser hands out slices of
 * each decoded chunk, and a slice longer than a few characters keeps its whole chunk alive (V8
 * copies only those under 13 characters): kept cell texts would hold on to all the markup around them.
 */
function detached(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

/** Excel writes control characters in cell text as `_xHHHH_` (and a literal `_x` as `_x005F_x`). */
function unescapeOoxml(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** A number as Excel shows it in a General cell: 15 significant digits, so 0.1 + 0.2 reads 0.3. */
function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

const DAY_MS = 86_400_000;

/** A date-formatted number (days since 1900, or since 1904 in Mac workbooks) as YYYY-MM-DD, with the time when it has one. */
function serialDateText(serial: number, date1904: boolean): string {
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds === 86_400) {
    days++;
    seconds = 0;
  }
  let ms: number;
  if (date1904) {
    if (days < 0) return numberText(serial);
    ms = Date.UTC(1904, 0, 1) + days * DAY_MS;
  } else {
    // Excel counts 29 February 1900, a day that did not exist; serials after it are one day ahead.
    if (days < 1) return numberText(serial);
    if (days === 60) return '1900-02-29';
    ms = Date.UTC(1899, 11, days < 60 ? 31 : 30) + days * DAY_MS;
  }
  const iso = new Date(ms + seconds * 1000).toISOString();
  return seconds === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Whether a number format shows a date or time: it has y, m, d, h or s outside quoted text, escapes and [colour]/[locale] brackets. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILT_IN_DATE_FORMATS.has(id);
  const bare = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/[_*]./g, '').replace(/\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare.replace(/General/gi, ''));
}

function columnIndexOf(ref: string): number {
  let index = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) & ~32; // upper case
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  if (i === 0 || i > 3) throw unreadable(`cell reference ${ref.slice(0, 20)}`);
  return index - 1;
}

interface WorkbookParts {
  sheet: Entry;
  sharedStrings: Entry | null;
  styles: Entry | null;
  date1904: boolean;
}

function relsPathOf(part: string): string {
  return path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
}

function resolveTarget(fromPart: string, target: string): string {
  const joined = target.startsWith('/') ? target : path.posix.join(path.posix.dirname(fromPart), target);
  return path.posix.normalize(joined).replace(/^\/+/, '');
}

interface Relationship {
  type: string;
  target: string;
}

async function relationships(zip: ZipFile, entries: Map<string, Entry>, part: string, budget: UnpackBudget, limits: SheetLimits, wanted: (r: Relationship & { id: string }) => boolean): Promise<Map<string, Relationship>> {
  const found = new Map<string, Relationship>();
  const entry = entries.get(relsPathOf(part).toLowerCase());
  if (!entry) return found;
  await parseWholePart(zip, entry, budget, {
    open(name, a) {
      if (name !== 'Relationship' || a.TargetMode === 'External' || !a.Id || !a.Target) return;
      const relationship = { id: a.Id, type: a.Type ?? '', target: resolveTarget(part, a.Target) };
      if (wanted(relationship)) found.set(a.Id, relationship);
    },
  }, limits);
  return found;
}

const typeIs = (type: string, name: string) => type.endsWith(`/${name}`);

/** Finds the workbook's first sheet and the parts it depends on, from the package's relationships. */
async function workbookParts(zip: ZipFile, entries: Map<string, Entry>, budget: UnpackBudget, limits: SheetLimits): Promise<WorkbookParts> {
  const rootRels = await relationships(zip, entries, '', budget, limits, (r) => typeIs(r.type, 'officeDocument'));
  const workbookPath = [...rootRels.values()][0]?.target ?? 'xl/workbook.xml';
  const workbook = entries.get(workbookPath.toLowerCase());
  if (!workbook) throw unreadable('no workbook part');

  let firstSheetId: string | null = null;
  let date1904 = false;
  await parseWholePart(zip, workbook, budget, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name === 'sheet' && firstSheetId === null) firstSheetId = Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? null;
    },
  }, limits);
  if (firstSheetId === null) throw unreadable('the workbook lists no sheet');
  const sheetId: string = firstSheetId;

  const rels = await relationships(zip, entries, workbookPath, budget, limits, (r) => r.id === sheetId || typeIs(r.type, 'sharedStrings') || typeIs(r.type, 'styles'));
  const sheetPath = rels.get(sheetId)?.target;
  const sheet = sheetPath ? entries.get(sheetPath.toLowerCase()) : undefined;
  if (!sheet) throw unreadable('the first sheet is missing');
  const partOf = (type: string) => {
    const target = [...rels.values()].find((r) => typeIs(r.type, type))?.target;
    return (target && entries.get(target.toLowerCase())) || null;
  };
  return { sheet, sharedStrings: partOf('sharedStrings'), styles: partOf('styles'), date1904 };
}

/** For each cell style (the `s` of a cell), whether its number format shows a date. */
async function dateStyles(zip: ZipFile, entry: Entry | null, budget: UnpackBudget, limits: SheetLimits): Promise<boolean[]> {
  if (!entry) return [];
  const formatCodes = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  await parseWholePart(zip, entry, budget, {
    open(name, a) {
      if (name === 'numFmt' && a.formatCode !== undefined) formatCodes.set(Number(a.numFmtId), a.formatCode);
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styleFormats.push(Number(a.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  }, limits);
  return styleFormats.map((id) => isDateFormat(id, formatCodes.get(id)));
}

/** The text of rich text (`<t>` in `<si>` or `<is>`, directly or in runs), leaving out phonetic guides. */
class RichTextCollector {
  private inPhonetic = false;
  collecting = false;

  open(name: string, inString: boolean): void {
    if (name === 'rPh') this.inPhonetic = true;
    else if (name === 't' && inString && !this.inPhonetic) this.collecting = true;
  }

  close(name: string): void {
    if (name === 'rPh') this.inPhonetic = false;
    else if (name === 't') this.collecting = false;
  }
}

/**
 * The shared strings, packed (see PackedStrings): a part at its limit holds over a million short
 * strings, which as JavaScript strings took three times the memory.
 */
export { PackedStrings as SharedStrings };

async function sharedStrings(zip: ZipFile, entry: Entry | null, budget: UnpackBudget, limits: SheetLimits): Promise<PackedStrings> {
  const strings = new PackedStrings();
  if (!entry) return strings;
  const rich = new RichTextCollector();
  let current: string | null = null;
  const tooLong = () => new SheetReadError('spreadsheets:errors.cellTooLong', { max: limits.maxCellChars });
  const tooLarge = () => new SheetReadError('spreadsheets:errors.sharedStringsTooLarge', { maxMegabytes: Math.floor(limits.maxSharedStringsBytes / (1024 * 1024)) });
  const handlers: XmlHandlers = {
    open(name, _a) {
      if (name === 'si') current = '';
      else rich.open(name, current !== null);
    },
    close(name) {
      if (name === 'si' && current !== null) {
        strings.push(unescapeOoxml(current));
        current = null;
      } else rich.close(name);
    },
    text(text) {
      if (current === null || !rich.collecting) return;
      current += text;
      if (current.length > limits.maxCellChars) throw tooLong();
    },
  };
  for await (const _ of parseXml(partText(zip, entry, budget, limits.maxSharedStringsBytes, tooLarge), handlers, rawRunAllowance(limits), tooLong));
  return strings;
}

interface CellInProgress {
  column: number;
  type: string;
  style: number;
  text: string;
  inValue: boolean;
}

/** Turns the first sheet's XML into rows, as the parser reports its tags. */
class SheetRows {
  readonly done: SheetRow[] = [];
  finished = false;
  private inSheetData = false;
  private rowNumber = 0;
  private rowsSeen = 0;
  private cells: string[] = [];
  private lastColumn = -1;
  private cell: CellInProgress | null = null;
  private inInlineString = false;
  private readonly rich = new RichTextCollector();

  constructor(
    private readonly limits: SheetLimits,
    private readonly strings: PackedStrings,
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  readonly handlers: XmlHandlers = {
    open: (name, a) => {
      if (name === 'sheetData') this.inSheetData = true;
      if (!this.inSheetData) return;
      if (name === 'row') {
        const r = Number(a.r);
        this.rowNumber = Number.isInteger(r) && r > 0 ? r : this.rowNumber + 1;
        this.cells = [];
        this.lastColumn = -1;
      } else if (name === 'c') {
        const column = a.r ? columnIndexOf(a.r) : this.lastColumn + 1;
        this.lastColumn = column;
        this.cell = { column, type: a.t ?? 'n', style: a.s ? Number(a.s) : 0, text: '', inValue: false };
      } else if (this.cell) {
        if (name === 'v') this.cell.inValue = true;
        else if (name === 'is') this.inInlineString = true;
        else this.rich.open(name, this.inInlineString);
      }
    },
    close: (name) => {
      if (!this.inSheetData) return;
      if (name === 'sheetData') {
        this.inSheetData = false;
        this.finished = true;
      } else if (name === 'row') this.endRow();
      else if (name === 'c') this.endCell();
      else if (this.cell) {
        if (name === 'v') this.cell.inValue = false;
        else if (name === 'is') this.inInlineString = false;
        else this.rich.close(name);
      }
    },
    text: (text) => {
      const cell = this.cell;
      if (!cell || !(cell.inValue || this.rich.collecting)) return;
      cell.text += text;
      if (cell.text.length > this.limits.maxCellChars) throw this.cellTooLong();
    },
  };

  cellTooLong(): SheetReadError {
    return new SheetReadError('spreadsheets:errors.cellTooLong', { max: this.limits.maxCellChars }, this.rowNumber, this.cell?.column ?? null);
  }

  private endCell(): void {
    const cell = this.cell!;
    this.cell = null;
    const value = this.valueOf(cell);
    if (value === '') return;
    if (cell.column >= this.limits.maxColumns) throw new SheetReadError('spreadsheets:errors.tooManyColumns', { max: this.limits.maxColumns }, this.rowNumber, cell.column);
    this.cells[cell.column] = value;
  }

  private endRow(): void {
    if (this.cells.length === 0) return;
    if (++this.rowsSeen > this.limits.maxRows + 1) throw new SheetReadError('spreadsheets:errors.tooManyRows', { max: this.limits.maxRows }, this.rowNumber);
    this.done.push({ row: this.rowNumber, cells: Array.from(this.cells, (c) => c ?? '') });
  }

  private valueOf(cell: CellInProgress): string {
    const v = cell.text;
    switch (cell.type) {
      case 's': {
        const index = Number(v);
        const text = this.strings.at(index);
        if (text === undefined) throw unreadable(`shared string ${v.slice(0, 20)} does not exist`);
        return text;
      }
      case 'inlineStr':
      case 'str':
        return detached(unescapeOoxml(v));
      case 'b':
        return v === '' ? '' : v === '1' || v.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
        return detached(v);
      case 'd': {
        const m = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z?)?$/.exec(v);
        return m ? m[1]! : detached(v.replace('T', ' '));
      }
      default: {
        if (v.trim() === '') return '';
        const n = Number(v);
        if (!Number.isFinite(n)) return detached(v);
        return this.dateStyles[cell.style] ? serialDateText(n, this.date1904) : numberText(n);
      }
    }
  }
}

/**
 * The rows of the workbook's first sheet that have any text, as they are read. Stops with a
 * SheetReadError at the first limit passed or when the file is not a readable workbook.
 */
export async function* readXlsxRows(data: Buffer, limits: SheetLimits): AsyncGenerator<SheetRow> {
  let zip: ZipFile | null = null;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false });
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw unreadable(`${zip.entryCount} entries`);
    const entries = new Map<string, Entry>();
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/^\/+/, '').toLowerCase(), entry);

    const budget = new UnpackBudget(limits);
    const parts = await workbookParts(zip, entries, budget, limits);
    const styles = await dateStyles(zip, parts.styles, budget, limits);
    const strings = await sharedStrings(zip, parts.sharedStrings, budget, limits);
    const sheet = new SheetRows(limits, strings, styles, parts.date1904);
    const text = partText(zip, parts.sheet, budget, limits.maxUncompressedBytes, () => budget.tooLarge());
    try {
      for await (const _ of parseXml(text, sheet.handlers, rawRunAllowance(limits), () => sheet.cellTooLong())) {
        for (const row of sheet.done) yield row;
        sheet.done.length = 0;
        // What follows the cells (merged ranges, validations, print settings) is not needed.
        if (sheet.finished) return;
      }
    } catch (err) {
      // The rows completed before the failing one in the same slice come first, as they would from a row-by-row reader.
      for (const row of sheet.done) yield row;
      throw err;
    }
  } catch (err) {
    if (err instanceof SheetReadError) throw err;
    throw unreadable((err as Error)?.message ?? String(err));
  } finally {
    zip?.close();
  }
}
