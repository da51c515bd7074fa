import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from './reading.ts';
import { DATE_STYLES_XML, readFailure, rowsRead, sheetXmlOf, testWorkbook, understateSize, type TestCell } from './testing.ts';
import { isDateFormat, readXlsxRows, SharedStrings } from './xlsx-reader.ts';

const rowsOf = (data: Buffer, limits: Partial<SheetLimits> = {}) => rowsRead(readXlsxRows, data, limits);
const failureOf = (data: Buffer, limits: Partial<SheetLimits> = {}) => readFailure(readXlsxRows, data, limits);

/** Common Chinese characters in an order that does not repeat, so that text packs about as well as real text. */
const HANZI = '政府合同承诺履约节点支付价款验收合格质保期满剩余人才公寓补贴青岛市行政审批服务局商务局智能化改造项目会议纪要基础设施营商环境改善阶段性工作相应款项招商引资协议外贸企业出口奖励会展中心运营';
const POOL = (() => {
  const chars: string[] = [];
  for (let i = 0, x = 7; i < 1_000_000; i++) {
    x = (x * 48271) % 2147483647;
    chars.push(HANZI[x % HANZI.length]!);
  }
  return chars.join('');
})();

function chineseText(length: number, seed: number): string {
  if (length >= POOL.length) return POOL.repeat(Math.ceil(length / POOL.length)).slice(0, length);
  const at = (seed * 7919) % (POOL.length - length);
  return POOL.slice(at, at + length);
}

describe('xlsx reader', () => {
  it('reads text, numbers, booleans, dates, formulas’ results and rich text as Excel shows them', async () => {
    const cell = (xml: string) => ({ xml });
    const data = await testWorkbook({
      stylesXml: DATE_STYLES_XML,
      rows: [
        ['文号', '金额', '日期', '是否'],
        ['HT-1', 1200000, cell('<c r="C2" s="1"><v>46037</v></c>'), cell('<c r="D2" t="b"><v>1</v></c>')],
        [
          cell('<c r="A3" t="inlineStr"><is><r><t>政府</t></r><r><t xml:space="preserve">合同 </t></r><rPh><t>せいふ</t></rPh></is></c>'),
          cell('<c r="B3"><v>0.30000000000000004</v></c>'),
          cell('<c r="C3" s="2"><v>46037.5</v></c>'),
          cell('<c r="D3" t="str"><f>IF(B3&gt;0,"是","否")</f><v>是</v></c>'),
        ],
        [],
        [cell('<c r="A5" t="inlineStr"><is><t>第一行_x000D__x000A_第二行 _x005F_x0041_</t></is></c>'), cell('<c r="B5" s="3"><v>359999.5</v></c>'), cell('<c r="C5" t="e"><v>#N/A</v></c>')],
        [null, null, null, cell('<c r="F6"><v>1</v></c>')],
      ],
    });
    expect(await rowsOf(data)).to.deep.equal([
      { row: 1, cells: ['文号', '金额', '日期', '是否'] },
      { row: 2, cells: ['HT-1', '1200000', '2026-01-15', 'TRUE'] },
      { row: 3, cells: ['政府合同 ', '0.3', '2026-01-15 12:00:00', '是'] },
      { row: 5, cells: ['第一行\r\n第二行 _x0041_', '359999.5', '#N/A'] },
      { row: 6, cells: ['', '', '', '', '', '1'] },
    ]);
  });

  it('reads what Excel writes through exceljs: shared strings, dates and formulas', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('台账');
    sheet.addRow(['文号', '签订日期', '金额', '合计']);
    sheet.addRow(['QD-1', new Date('2026-01-05T00:00:00Z'), 1234.5, { formula: 'C2*2', result: 2469 }]);
    expect(await rowsOf(Buffer.from(await wb.xlsx.writeBuffer()))).to.deep.equal([
      { row: 1, cells: ['文号', '签订日期', '金额', '合计'] },
      { row: 2, cells: ['QD-1', '2026-01-05', '1234.5', '2469'] },
    ]);
  });

  it('counts dates from 1904 in workbooks that say so', async () => {
    const workbookXml = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const data = await testWorkbook({ workbookXml, stylesXml: DATE_STYLES_XML, rows: [[{ xml: '<c r="A1" s="1"><v>44575</v></c>' }]] });
    expect(await rowsOf(data)).to.deep.equal([{ row: 1, cells: ['2026-01-15'] }]);
  });

  it('tells date formats from number formats', () => {
    expect([14, 22, 31, 57].map((id) => isDateFormat(id, undefined))).to.deep.equal([true, true, true, true]);
    expect([0, 2, 4, 49].map((id) => isDateFormat(id, undefined))).to.deep.equal([false, false, false, false]);
    expect(isDateFormat(176, 'yyyy"年"m"月"d"日"')).to.equal(true);
    expect(isDateFormat(177, '[$-804]yyyy/m/d')).to.equal(true);
    expect(isDateFormat(178, '#,##0.00"元"')).to.equal(false);
    expect(isDateFormat(179, '[Red]0.00;[Blue]-0.00')).to.equal(false);
    expect(isDateFormat(180, 'General')).to.equal(false);
  });

  it('keeps shared strings packed and gives each back whole, past any growth of its store', () => {
    const strings = new SharedStrings();
    const texts = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? '' : `第${i}期：完成阶段性工作并支付相应款项`.repeat(1 + (i % 7))));
    for (const text of texts) strings.push(text);
    expect(strings.count).to.equal(5000);
    expect(texts.every((text, i) => strings.at(i) === text)).to.equal(true);
    expect([strings.at(-1), strings.at(5000), strings.at(1.5)]).to.deep.equal([undefined, undefined, undefined]);
  });

  it('reads the parts in the order it needs them, whatever their order in the file, and only the first sheet', async () => {
    const data = await testWorkbook({ sheetFirst: true, rows: [['甲', '乙'], ['丙', 1]], secondSheetRows: [['第二页']] });
    expect(await rowsOf(data)).to.deep.equal([
      { row: 1, cells: ['甲', '乙'] },
      { row: 2, cells: ['丙', '1'] },
    ]);
  });

  it('reads Chinese text whole where the unpacked bytes are cut between two chunks', async () => {
    // Long Chinese cells after ASCII cells of 1 to 3 characters: the inflater's 16 KiB chunk
    // boundaries and the reader's 64 KiB slices fall inside three-byte characters.
    const rows: string[][] = [];
    for (let i = 0; i < 12; i++) rows.push(['x'.repeat((i % 3) + 1), chineseText(20_000 + i, i + 1)]);
    const xml = sheetXmlOf(rows, null);
    const bytes = Buffer.from(xml, 'utf8');
    const splits = (every: number) => Array.from({ length: Math.floor(bytes.length / every) }, (_, k) => bytes[(k + 1) * every]!).filter((b) => (b & 0xc0) === 0x80).length;
    expect(splits(16 * 1024), 'chunk boundaries inside a character').to.be.greaterThan(3);
    expect(splits(64 * 1024), 'slice boundaries inside a character').to.be.greaterThan(0);
    for (const compression of ['DEFLATE', 'STORE'] as const) {
      const read = await rowsOf(await testWorkbook({ sheetXml: xml, compression }));
      expect(read.map((r) => r.cells), compression).to.deep.equal(rows);
    }
  });

  it('reads an 11 MB workbook without a shared-strings part exactly, and writes no temporary file', async function () {
    this.timeout(120_000);
    const rows: string[][] = [['序号', '承诺事项', '节点内容', '依据']];
    for (let i = 1; rows.length <= 47_000; i++) rows.push([String(i), chineseText(60, i), chineseText(45, i * 3 + 1), chineseText(30, i * 5 + 2)]);
    const data = await testWorkbook({ rows, inlineStrings: true, compressionLevel: 1 });
    expect(data.length).to.be.within(10_000_000, 14_000_000);
    const ownTmp = mkdtempSync(path.join(tmpdir(), 'sheets-test-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = ownTmp; // os.tmpdir() follows TMPDIR: anything written there by the reader would show
    try {
      expect(tmpdir()).to.equal(ownTmp);
      let index = 0;
      let mismatches = 0;
      let tmpMidway: string[] = [];
      for await (const row of readXlsxRows(data, DEFAULT_SHEET_LIMITS)) {
        if (row.row !== index + 1 || row.cells.join('\u0001') !== rows[index]!.join('\u0001')) mismatches++;
        if (++index === 1000) tmpMidway = readdirSync(ownTmp);
      }
      expect(index).to.equal(rows.length);
      expect(mismatches).to.equal(0);
      expect(tmpMidway, 'temporary files while reading').to.deep.equal([]);
      expect(readdirSync(ownTmp), 'temporary files after reading').to.deep.equal([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(ownTmp, { recursive: true, force: true });
    }
  });

  it('refuses a zip bomb from its declared sizes, before unpacking it', async () => {
    const row = '<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>';
    const sheetXml = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row.repeat(200_000)}</sheetData></worksheet>`;
    const data = await testWorkbook({ sheetXml, compressionLevel: 9 });
    expect(data.length).to.be.below(200_000);
    const err = await failureOf(data);
    expect(err.key).to.equal('spreadsheets:errors.zipBomb');
    expect(err.params.max).to.equal(200);
    expect(err.params.ratio as number).to.be.greaterThan(200);
  });

  it('stops a zip bomb whose headers understate its size as soon as it passes what they declared', async () => {
    const row = '<row><c t="inlineStr"><is><t>BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB</t></is></c></row>';
    const sheetXml = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row.repeat(200_000)}</sheetData></worksheet>`;
    const data = understateSize(await testWorkbook({ sheetXml, compressionLevel: 9 }), 'xl/worksheets/sheet1.xml', 1000);
    const err = await failureOf(data);
    expect(err.key).to.equal('spreadsheets:errors.unreadable');
    expect(err.message).to.match(/too many bytes/);
  });

  it('stops at a cell one character over Excel’s limit, in the sheet or in the shared strings, naming its row and column', async () => {
    const long = chineseText(32_768, 5);
    const inline = await failureOf(await testWorkbook({ inlineStrings: true, rows: [['a', 'b'], ['x', long], ['y', 'z']] }));
    expect([inline.key, inline.params.max, inline.row, inline.column]).to.deep.equal(['spreadsheets:errors.cellTooLong', 32_767, 2, 1]);
    const shared = await failureOf(await testWorkbook({ rows: [['a', 'b'], ['x', long]] }));
    expect([shared.key, shared.params.max]).to.deep.equal(['spreadsheets:errors.cellTooLong', 32_767]);
    expect(await rowsOf(await testWorkbook({ rows: [['a'], [long.slice(1)]] }))).to.have.length(2);
  });

  it('stops at a run of text far longer than a cell before gathering it whole', async () => {
    // The text lies outside any cell, so no cell check sees it: only the bound on text between two tags.
    const sheetXml = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c>${chineseText(400_000, 3)}</row></sheetData></worksheet>`;
    const err = await failureOf(await testWorkbook({ sheetXml }));
    expect([err.key, err.row]).to.deep.equal(['spreadsheets:errors.cellTooLong', 1]);
  });

  it('stops at the first row past the limit and at content past the last column allowed', async () => {
    const rows: TestCell[][] = Array.from({ length: 12 }, (_, i) => [`r${i + 1}`]);
    const tooMany = await failureOf(await testWorkbook({ rows }), { maxRows: 10 });
    expect([tooMany.key, tooMany.params.max, tooMany.row]).to.deep.equal(['spreadsheets:errors.tooManyRows', 10, 12]);
    expect(await rowsOf(await testWorkbook({ rows: rows.slice(0, 11) }), { maxRows: 10 })).to.have.length(11);
    const wide = await failureOf(await testWorkbook({ rows: [['a', null, null, { xml: '<c r="IW1"><v>1</v></c>' }]] }));
    expect([wide.key, wide.params.max, wide.row, wide.column]).to.deep.equal(['spreadsheets:errors.tooManyColumns', 256, 1, 256]);
  });

  it('refuses shared strings and whole workbooks that unpack past their limits', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [chineseText(100, i)]);
    const strings = await failureOf(await testWorkbook({ rows }), { maxSharedStringsBytes: 100_000 });
    expect(strings.key).to.equal('spreadsheets:errors.sharedStringsTooLarge');
    const whole = await failureOf(await testWorkbook({ rows, inlineStrings: true }), { maxUncompressedBytes: 300_000 });
    expect(whole.key).to.equal('spreadsheets:errors.tooLarge');
  });

  it('calls a file unreadable when it is not a workbook, lacks its sheet or has broken XML', async () => {
    expect((await failureOf(Buffer.from('PK\u0003\u0004 not really a workbook'))).key).to.equal('spreadsheets:errors.unreadable');
    const noSheet = await testWorkbook({ rows: [['a']], workbookXml: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>' });
    expect((await failureOf(noSheet)).key).to.equal('spreadsheets:errors.unreadable');
    const broken = await testWorkbook({ sheetXml: '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>' });
    expect((await failureOf(broken)).key).to.equal('spreadsheets:errors.unreadable');
  });
});
