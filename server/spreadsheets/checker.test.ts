import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect } from 'chai';
import { checkSheet, ERROR_VALUE_CHARS, headerKey, MAX_ERRORS_KEPT, type CheckedRow } from './checker.ts';
import { choiceColumn, dateColumn, moneyColumn, textColumn, yesNoColumn } from './columns.ts';
import { testWorkbook, type TestCell } from './testing.ts';

const COLUMNS = [
  textColumn({ key: 'ref', header: '文号', max: 20, required: true, guide: '' }),
  choiceColumn({ key: 'kind', header: '类型', words: { a: '甲类', b: '乙类' }, required: true, allowBlank: true, guide: '' }),
  dateColumn({ key: 'due', header: '到期日', required: true, guide: '' }),
  moneyColumn({ key: 'amount', header: '金额（元）', guide: '' }),
  yesNoColumn({ key: 'open', header: '是否公开', guide: '' }),
] as const;

const csv = (lines: string[]) => Buffer.from('\ufeff' + lines.join('\r\n'), 'utf8');

describe('sheet checker', () => {
  it('finds columns by tolerant headers in any order, parses every cell and reports errors at Excel’s row and the column’s header', async () => {
    const rows: Array<CheckedRow<typeof COLUMNS>> = [];
    const data = csv([
      '备注, 到期日 ,金额(元)*,文号*,类型',
      '任意,2026/1/5,"1,200.50",HT-1,甲类',
      ' , , ,,',
      ',2026-02-30,—,HT-2,',
      ',,abc,,丙类',
    ]);
    const check = await checkSheet(data, 'csv', COLUMNS, { onRow: (row) => rows.push({ ...row, ok: row.ok }) });
    expect([check.rows, check.complete, check.errors.count]).to.deep.equal([3, true, 5]);
    expect(check.errors.sorted(COLUMNS)).to.deep.equal([
      { row: 4, column: '到期日', key: 'spreadsheets:errors.date', params: { value: '2026-02-30' } },
      { row: 5, column: '文号', key: 'validation.required' },
      { row: 5, column: '类型', key: 'spreadsheets:errors.choice', params: { value: '丙类', allowed: '甲类、乙类' } },
      { row: 5, column: '到期日', key: 'validation.required' },
      { row: 5, column: '金额（元）', key: 'spreadsheets:errors.money', params: { value: 'abc' } },
    ]);
    expect(rows.map((r) => [r.row, r.values, r.ok])).to.deep.equal([
      [2, { ref: 'HT-1', kind: 'a', due: '2026-01-05', amount: 120_050 }, true],
      [4, { ref: 'HT-2' }, false],
      [5, {}, false],
    ]);
    expect(rows[1]!.texts).to.deep.equal({ ref: 'HT-2', kind: '', due: '2026-02-30', amount: '' });
  });

  it('compares headers without spaces, required marks or the width of brackets', () => {
    expect(['金额（元）', ' 金额 (元) * ', '*金额(元)', '金额（元）＊'].map(headerKey)).to.deep.equal(Array(4).fill('金额（元）'));
  });

  it('lets the feature add its own errors for a row', async () => {
    const check = await checkSheet(csv(['文号,类型,到期日', 'HT-1,甲类,2026-01-05', 'HT-1,,2026-01-06']), 'csv', COLUMNS, {
      onRow: (row, report) => {
        if (row.row === 3) report('ref', 'test:duplicate', { ref: row.values.ref });
      },
    });
    expect(check.errors.sorted(COLUMNS)).to.deep.equal([{ row: 3, column: '文号', key: 'test:duplicate', params: { ref: 'HT-1' } }]);
  });

  it('stops when required columns are missing, naming each, and reports a file without data rows', async () => {
    const missing = await checkSheet(csv(['', '金额（元）,备注', '1,2']), 'csv', COLUMNS);
    expect(missing.complete).to.equal(false);
    expect(missing.errors.sorted(COLUMNS)).to.deep.equal([
      { row: 2, column: '文号', key: 'spreadsheets:errors.missingColumn', params: { column: '文号' } },
      { row: 2, column: '类型', key: 'spreadsheets:errors.missingColumn', params: { column: '类型' } },
      { row: 2, column: '到期日', key: 'spreadsheets:errors.missingColumn', params: { column: '到期日' } },
    ]);
    for (const data of [csv(['文号,类型,到期日']), csv([]), await testWorkbook({ rows: [] })]) {
      const empty = await checkSheet(data, data[0] === 0x50 ? 'xlsx' : 'csv', COLUMNS);
      expect([empty.complete, empty.errors.kept]).to.deep.equal([false, [{ row: 0, column: '', key: 'spreadsheets:errors.noRows' }]]);
    }
  });

  it('keeps the first 1,000 errors with the values they quote cut to 200 characters, and counts them all', async () => {
    const long = '甲'.repeat(5000);
    const lines = ['文号,类型,到期日'];
    for (let i = 0; i < 1500; i++) lines.push(`HT-${i},${long},2026-01-01`);
    const check = await checkSheet(csv(lines), 'csv', COLUMNS);
    expect(check.errors.count).to.equal(1500);
    expect(check.errors.kept).to.have.length(MAX_ERRORS_KEPT);
    expect(check.errors.kept.at(-1)!.row).to.equal(1001);
    const value = check.errors.kept[0]!.params!.value as string;
    expect(value).to.equal('甲'.repeat(ERROR_VALUE_CHARS) + '…');
  });

  it('keeps the error that stopped the reading even past the first 1,000, so that the user learns why the rest went unchecked', async () => {
    const lines = ['文号,类型,到期日', ...Array.from({ length: 1200 }, (_, i) => `HT-${i},丙类,2026-01-01`)];
    const check = await checkSheet(csv(lines), 'csv', COLUMNS, { limits: { maxRows: 1100 } });
    expect(check.errors.count).to.equal(1101);
    expect(check.errors.kept).to.have.length(MAX_ERRORS_KEPT + 1);
    expect(check.errors.sorted(COLUMNS).at(-1)).to.deep.equal({ row: 1102, column: '', key: 'spreadsheets:errors.tooManyRows', params: { max: 1100 } });
  });

  it('reports where a reader stopped, by the column’s header, keeping what was found before', async () => {
    const workbook = await testWorkbook({ inlineStrings: true, rows: [['文号', '类型', '到期日'], ['HT-1', '丙类', '2026-01-01'], ['HT-2', '甲类', '2'.repeat(32_768)]] });
    const check = await checkSheet(workbook, 'xlsx', COLUMNS);
    expect(check.complete).to.equal(false);
    expect(check.errors.sorted(COLUMNS).map((e) => [e.row, e.column, e.key])).to.deep.equal([
      [2, '类型', 'spreadsheets:errors.choice'],
      [3, '到期日', 'spreadsheets:errors.cellTooLong'],
    ]);
    const unreadable = await checkSheet(Buffer.from('PK\u0003\u0004 not really a workbook'), 'xlsx', COLUMNS);
    expect(unreadable.errors.kept).to.deep.equal([{ row: 0, column: '', key: 'spreadsheets:errors.unreadable' }]);
  });

  describe('100,000 data rows at most', function () {
    this.timeout(120_000);
    const dataRows = (n: number) => Array.from({ length: n }, (_, i): TestCell[] => [`HT-${i}`, '甲类', '2026-01-05']);

    it('accepts 100,000 data rows of CSV and refuses 100,001 at the row past the limit', async () => {
      const lines = (n: number) => ['文号,类型,到期日', ...dataRows(n).map((r) => r.join(','))];
      const full = await checkSheet(csv(lines(100_000)), 'csv', COLUMNS);
      expect([full.complete, full.rows, full.errors.count]).to.deep.equal([true, 100_000, 0]);
      const over = await checkSheet(csv(lines(100_001)), 'csv', COLUMNS);
      expect([over.complete, over.rows]).to.deep.equal([false, 100_000]);
      expect(over.errors.kept).to.deep.equal([{ row: 100_002, column: '', key: 'spreadsheets:errors.tooManyRows', params: { max: 100_000 } }]);
    });

    it('refuses a workbook of 100,001 data rows at the row past the limit', async () => {
      const over = await checkSheet(await testWorkbook({ rows: [['文号', '类型', '到期日'], ...dataRows(100_001)], compressionLevel: 1 }), 'xlsx', COLUMNS);
      expect([over.complete, over.rows]).to.deep.equal([false, 100_000]);
      expect(over.errors.kept).to.deep.equal([{ row: 100_002, column: '', key: 'spreadsheets:errors.tooManyRows', params: { max: 100_000 } }]);
    });
  });

  it('reports progress every thousand rows and lets other work run while it checks', async () => {
    const lines = ['文号,类型,到期日', ...Array.from({ length: 5000 }, (_, i) => `HT-${i},甲类,2026-01-05`)];
    const progress: number[] = [];
    let turns = 0;
    let checking = true;
    const ticker = (async () => {
      while (checking) {
        await nextTurn();
        turns++;
      }
    })();
    await checkSheet(csv(lines), 'csv', COLUMNS, { onProgress: async (n) => void progress.push(n) });
    checking = false;
    await ticker;
    expect(progress).to.deep.equal([1000, 2000, 3000, 4000, 5000, 5000]);
    expect(turns, 'turns of the event loop taken by other work meanwhile').to.be.at.least(5000 / 200);
  });
});
