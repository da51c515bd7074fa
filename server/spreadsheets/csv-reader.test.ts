import { expect } from 'chai';
import { readCsvRows } from './csv-reader.ts';
import { readFailure, rowsRead } from './testing.ts';
import type { SheetLimits } from './reading.ts';

const rowsOf = (data: Buffer, limits: Partial<SheetLimits> = {}) => rowsRead(readCsvRows, data, limits);
const failureOf = (data: Buffer, limits: Partial<SheetLimits> = {}) => readFailure(readCsvRows, data, limits);

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('csv reader', () => {
  it('reads UTF-8 with a byte-order mark, quoted commas and line breaks, numbering rows as Excel does', async () => {
    const data = utf8('\ufeff文号,事项,金额\r\nHT-1,"含,逗号",100\r\n\r\nHT-2,"两\n行",,\r\n,,\r\nHT-3,末行,3');
    expect(await rowsOf(data)).to.deep.equal([
      { row: 1, cells: ['文号', '事项', '金额'] },
      { row: 2, cells: ['HT-1', '含,逗号', '100'] },
      { row: 4, cells: ['HT-2', '两\n行'] },
      { row: 6, cells: ['HT-3', '末行', '3'] },
    ]);
  });

  it('reads Chinese text whole where the file is cut into slices inside a character', async () => {
    const cell = '政府合同'.repeat(8_000); // 96,000 bytes: the 64 KiB slice boundary falls inside a character
    const text = `a,b\r\n10,${cell}\r\n`;
    const bytes = utf8(text);
    expect(bytes[64 * 1024]! & 0xc0, 'a continuation byte at the slice boundary').to.equal(0x80);
    expect(await rowsOf(bytes)).to.deep.equal([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['10', cell] },
    ]);
  });

  it('refuses text that is not UTF-8', async () => {
    const gbk = Buffer.from([0xce, 0xc4, 0xba, 0xc5, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x0d, 0x0a]); // "文号,类型" in GBK
    expect((await failureOf(gbk)).key).to.equal('spreadsheets:errors.notUtf8');
  });

  it('stops at a cell one character over Excel’s limit, and at a huge cell before gathering it whole', async () => {
    const over = await failureOf(utf8(`a,b\r\nx,${'政'.repeat(32_768)}\r\n`));
    expect([over.key, over.params.max, over.row, over.column]).to.deep.equal(['spreadsheets:errors.cellTooLong', 32_767, 2, 1]);
    expect(await rowsOf(utf8(`a,b\r\nx,${'政'.repeat(32_767)}\r\n`))).to.have.length(2);
    const huge = await failureOf(utf8(`a,b\r\nx,y\r\nz,"${'A'.repeat(20_000_000)}"\r\n`));
    expect([huge.key, huge.row, huge.column]).to.deep.equal(['spreadsheets:errors.cellTooLong', 3, 1]);
  });

  it('stops at the first row past the limit, at content past the last column allowed, and at a file past the size limit', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `r${i + 1}`).join('\n');
    const tooMany = await failureOf(utf8(lines), { maxRows: 10 });
    expect([tooMany.key, tooMany.params.max, tooMany.row]).to.deep.equal(['spreadsheets:errors.tooManyRows', 10, 12]);
    const wide = await failureOf(utf8(`a${','.repeat(256)}x\n`));
    expect([wide.key, wide.row]).to.deep.equal(['spreadsheets:errors.tooManyColumns', 1]);
    expect(await rowsOf(utf8(`a${','.repeat(255)}x\n`))).to.have.length(1);
    expect((await failureOf(utf8('a,b\n1,2\n'), { maxUncompressedBytes: 4 })).key).to.equal('spreadsheets:errors.tooLarge');
  });
});
