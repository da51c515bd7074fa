import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { xlsxWorkbookReader } from './xlsx-reader.ts';

const OPTIONS = { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' } as const;

async function firstSheetValues(data: Buffer): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const sheet of xlsxWorkbookReader(data, OPTIONS)) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) rows.push((row.values as unknown[]).slice(1));
    break;
  }
  return rows;
}

describe('xlsx reader', () => {
  it('reads a small workbook written by ExcelJS every time, not only most times', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('承诺台账').addRows([['文号', '签订日期'], ['SP-1', new Date('2026-01-15T00:00:00Z')]]);
    wb.addWorksheet('填写说明').addRow(['说明']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    // ExcelJS's own single-pass reader lost the workbook part of this file in about one read of two hundred.
    for (let i = 0; i < 300; i++) {
      expect(await firstSheetValues(data), `read ${i + 1}`).to.deep.equal([['文号', '签订日期'], ['SP-1', new Date('2026-01-15T00:00:00Z')]]);
    }
  });

  it('keeps every Chinese character of a large workbook intact', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('承诺台账');
    const titles = Array.from({ length: 4000 }, (_, i) => `第 ${i + 1} 号承诺事项：基础设施与营商环境改善项目（${'诚信'.repeat(i % 7)}）`);
    for (const title of titles) sheet.addRow([title]);
    const rows = await firstSheetValues(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r[0])).to.deep.equal(titles);
  });
});
