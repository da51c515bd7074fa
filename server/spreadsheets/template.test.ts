import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { checkSheet } from './checker.ts';
import { choiceColumn, dateColumn, moneyColumn, textColumn, yesNoColumn } from './columns.ts';
import { buildTemplate } from './template.ts';

const COLUMNS = [
  textColumn({ key: 'ref', header: '文号', max: 20, required: true, example: 'HT-001', width: 20, guide: '必填。文号。' }),
  choiceColumn({ key: 'kind', header: '类型', words: { a: '甲类', b: '乙类' }, required: true, example: '甲类', guide: '必填。甲类或乙类。' }),
  dateColumn({ key: 'due', header: '到期日', required: true, example: '2026-03-31', guide: '必填。YYYY-MM-DD。' }),
  moneyColumn({ key: 'amount', header: '金额（元）', example: '1000.00', guide: '选填。以元为单位。' }),
  yesNoColumn({ key: 'open', header: '是否公开', example: '是', guide: '选填。是或否。' }),
] as const;

describe('template', () => {
  const template = () => buildTemplate({ sheetName: '数据', columns: COLUMNS, examples: [{}, { ref: 'HT-002', open: '否' }], notes: ['示例行请在填写前删除。'] });

  it('has the data sheet with headers and example rows, and a guide sheet explaining every column', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template().xlsx.writeBuffer()) as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['数据', '填写说明']);
    const rows: unknown[][] = [];
    wb.getWorksheet('数据')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).to.deep.equal([
      ['文号', '类型', '到期日', '金额（元）', '是否公开'],
      ['HT-001', '甲类', '2026-03-31', '1000.00', '是'],
      ['HT-002', '甲类', '2026-03-31', '1000.00', '否'],
    ]);
    const guide: unknown[][] = [];
    wb.getWorksheet('填写说明')!.eachRow((row) => guide.push((row.values as unknown[]).slice(1)));
    expect(guide).to.deep.equal([
      ['列名', '填写要求'],
      ...COLUMNS.map((c) => [c.header, c.guide]),
      ['', '示例行请在填写前删除。'],
    ]);
  });

  it('offers drop-down lists for choice columns and formats the other columns as text', async () => {
    const zip = await JSZip.loadAsync(await template().xlsx.writeBuffer());
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const lists = [...sheetXml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)<\/formula1>/g)].map((m) => [m[1], m[2]]);
    expect(lists).to.deep.equal([
      ['B2:B100001', '&quot;甲类,乙类&quot;'],
      ['E2:E100001', '&quot;是,否&quot;'],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template().xlsx.writeBuffer()) as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('数据')!;
    expect([1, 2, 3, 4, 5].map((i) => sheet.getColumn(i).numFmt ?? null)).to.deep.equal(['@', null, '@', '@', null]);
  });

  it('passes its own check', async () => {
    const check = await checkSheet(Buffer.from(await template().xlsx.writeBuffer()), 'xlsx', COLUMNS);
    expect([check.complete, check.rows, check.errors.count]).to.deep.equal([true, 2, 0]);
  });
});
