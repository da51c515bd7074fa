import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { checkSheet } from './checker.ts';
import { choiceColumn, dateColumn, integerColumn, moneyColumn, textColumn, yesNoColumn } from './columns.ts';
import { DEFAULT_SHEET_LIMITS } from './reading.ts';
import { exportSheet, writeCsvSheet, writeCsvZip, writeXlsxBook, writeXlsxSheet, type ExportRow } from './writers.ts';
import { readXlsxRows } from './xlsx-reader.ts';

const COLUMNS = [
  integerColumn({ key: 'seq', header: '序号', guide: '' }),
  textColumn({ key: 'title', header: '事项', max: 100, required: true, guide: '' }),
  choiceColumn({ key: 'kind', header: '类型', words: { a: '甲类', b: '乙类' }, guide: '' }),
  dateColumn({ key: 'due', header: '到期日', guide: '' }),
  moneyColumn({ key: 'amount', header: '金额（元）', guide: '' }),
  yesNoColumn({ key: 'open', header: '是否公开', guide: '' }),
] as const;

const ROWS: Array<ExportRow<typeof COLUMNS>> = [
  { seq: 1, title: '=HYPERLINK("http://example.com")', kind: 'a', due: '2026-01-05', amount: 1_234_560, open: true },
  { seq: 2, title: '-负号开头', kind: 'b', due: null, amount: null, open: false },
  { seq: 3, title: '+@普通', kind: null, amount: 0 },
];

async function* rows() {
  yield* ROWS;
}

async function written(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

describe('export writers', () => {
  it('write CSV with a BOM, the columns’ headers and words, “—” for a missing amount, and text that cannot run as a formula', async () => {
    const body = await written((out) => writeCsvSheet(out, COLUMNS, rows()));
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(parse(body, { bom: true })).to.deep.equal([
      ['序号', '事项', '类型', '到期日', '金额（元）', '是否公开'],
      ['1', `'=HYPERLINK("http://example.com")`, '甲类', '2026-01-05', '12345.60', '是'],
      ['2', `'-负号开头`, '乙类', '', '—', '否'],
      ['3', `'+@普通`, '', '', '0.00', ''],
    ]);
  });

  it('write a workbook with numbers as numbers, “—” for a missing amount and formulas only as text', async () => {
    const body = await written((out) => writeXlsxSheet(out, '导出', COLUMNS, rows()));
    const read: string[][] = [];
    for await (const row of readXlsxRows(body, DEFAULT_SHEET_LIMITS)) read.push(row.cells);
    expect(read).to.deep.equal([
      ['序号', '事项', '类型', '到期日', '金额（元）', '是否公开'],
      ['1', '=HYPERLINK("http://example.com")', '甲类', '2026-01-05', '12345.6', '是'],
      ['2', '-负号开头', '乙类', '', '—', '否'],
      ['3', '+@普通', '', '', '0'],
    ]);
    const zip = await JSZip.loadAsync(body);
    const sheetXml = await zip.file(/worksheets\/sheet1\.xml$/)[0]!.async('string');
    expect(sheetXml).not.to.include('<f>');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect([sheet.getCell('E2').value, sheet.getCell('E2').numFmt, sheet.getCell('A2').value]).to.deep.equal([12345.6, '#,##0.00', 1]);
  });

  it('write files that the same columns check without errors', async () => {
    const csv = await written((out) => writeCsvSheet(out, COLUMNS, rows()));
    const xlsx = await written((out) => writeXlsxSheet(out, '导出', COLUMNS, rows()));
    for (const [data, format] of [[csv, 'csv'], [xlsx, 'xlsx']] as const) {
      const values: unknown[] = [];
      // The CSV quotes text that starts like a formula; the workbook keeps it as it is.
      const check = await checkSheet(data, format, COLUMNS, { onRow: (row) => values.push(row.values.amount ?? null) });
      expect([check.rows, check.errors.count], format).to.deep.equal([3, 0]);
      expect(values, format).to.deep.equal([1_234_560, null, 0]);
    }
  });

  it('write dates into a workbook as real dates that Excel sorts and filters as dates', async () => {
    const body = await written((out) => writeXlsxSheet(out, '导出', COLUMNS, rows()));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    const cell = wb.worksheets[0]!.getCell('D2');
    expect(cell.type).to.equal(ExcelJS.ValueType.Date);
    expect((cell.value as Date).toISOString()).to.equal('2026-01-05T00:00:00.000Z');
    expect(cell.numFmt).to.equal('yyyy-mm-dd');
  });

  /** Two sheets where the second sums up the first: its rows may only be read once the first is written. */
  function twoSheets() {
    let count = 0;
    async function* counted() {
      for (const row of ROWS) {
        count++;
        yield row;
      }
    }
    const SUMMARY = [textColumn({ key: 'item', header: '项目', max: 50, guide: '' }), integerColumn({ key: 'n', header: '行数', guide: '' })] as const;
    async function* summary(): AsyncGenerator<ExportRow<typeof SUMMARY>> {
      yield { item: '导出行数', n: count };
    }
    return [exportSheet('明细', COLUMNS, counted()), exportSheet('汇总', SUMMARY, summary())];
  }

  it('write a workbook of several sheets in order, a later sheet read after the earlier ones', async () => {
    const body = await written((out) => writeXlsxBook(out, twoSheets()));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).to.deep.equal(['明细', '汇总']);
    expect(wb.worksheets[1]!.getRow(2).values).to.deep.equal([undefined, '导出行数', 3]);
  });

  it('write several sheets as a ZIP of CSV files named after them (UTF-8 names), each with a BOM', async () => {
    const body = await written((out) => writeCsvZip(out, twoSheets()));
    const zip = await JSZip.loadAsync(body);
    expect(Object.keys(zip.files)).to.deep.equal(['明细.csv', '汇总.csv']);
    const detail = await zip.file('明细.csv')!.async('nodebuffer');
    expect([...detail.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(parse(detail, { bom: true })).to.have.length(4);
    expect(parse(await zip.file('汇总.csv')!.async('nodebuffer'), { bom: true })).to.deep.equal([['项目', '行数'], ['导出行数', '3']]);
  });

  it('let other work run while a long workbook is written', async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<ExportRow<typeof COLUMNS>> {
      for (let i = 0; i < 2000; i++) {
        produced++;
        yield ROWS[0]!;
      }
    }
    let producedWhenOtherWorkRan = -1;
    setImmediate(() => (producedWhenOtherWorkRan = produced));
    await written((out) => writeXlsxSheet(out, '导出', COLUMNS, many()));
    expect(producedWhenOtherWorkRan).to.be.within(0, 1999);
  });

  it('fail a ZIP whose rows fail, instead of waiting for the file to end', async () => {
    async function* broken(): AsyncGenerator<ExportRow<typeof COLUMNS>> {
      yield ROWS[0]!;
      throw new Error('the database went away');
    }
    let failure: Error | null = null;
    await written((out) => writeCsvZip(out, [exportSheet('明细', COLUMNS, broken())]).catch((err: Error) => void (failure = err)));
    expect(failure).to.have.property('message', 'the database went away');
  });
});
