import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { checkSheet } from './checker.ts';
import { choiceColumn, dateColumn, integerColumn, moneyColumn, textColumn, yesNoColumn } from './columns.ts';
import { DEFAULT_SHEET_LIMITS } from './reading.ts';
import { writeCsvSheet, writeXlsxSheet, type ExportRow } from './writers.ts';
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
});
