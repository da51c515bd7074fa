import { expect } from 'chai';
import { spreadsheetFormatOf } from './read-sheet.ts';
import { testWorkbook } from './testing.ts';

describe('spreadsheet format of an upload', () => {
  it('tells a workbook, UTF-8 text, text in another encoding and other files apart by their bytes', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const gbk = Buffer.from([0xce, 0xc4, 0xba, 0xc5, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x0d, 0x0a]); // "文号,类型" in GBK
    const files: Array<[string, Buffer]> = [
      ['workbook', await testWorkbook({ rows: [['文号']] })],
      ['csv', Buffer.from('\ufeff文号,类型\r\nHT-1,政府合同\r\n', 'utf8')],
      ['gbk', gbk],
      ['png', png],
      ['binary', Buffer.from([0x41, 0x00, 0x42])],
    ];
    const formats = await Promise.all(files.map(([, data]) => spreadsheetFormatOf(data)));
    expect(Object.fromEntries(files.map(([name], i) => [name, formats[i]]))).to.deep.equal({ workbook: 'xlsx', csv: 'csv', gbk: 'not-utf8', png: null, binary: null });
  });
});
