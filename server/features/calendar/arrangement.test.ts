import { expect } from 'chai';
import { libraryArrangement } from '../../domain/calendar.ts';
import { formatArrangement, parseArrangement } from './arrangement.ts';

describe('pasted yearly arrangement', () => {
  it('reads holiday ranges, single days and the 调休 working days, ignoring blank lines and comments', () => {
    const { days, problems } = parseArrangement(2027, ['# 国办发明电〔2026〕x号', '', '2027-10-01..2027-10-07 国庆节', '2027-09-26 国庆节 上班', '2027-10-09 上班 国庆节', '2027-06-09 至 2027-06-11 端午节'].join('\n'));
    expect(problems).to.deep.equal([]);
    expect(days.filter((d) => d.kind === 'holiday').map((d) => d.date)).to.deep.equal(['2027-06-09', '2027-06-10', '2027-06-11', '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07']);
    expect(days.filter((d) => d.kind === 'workday')).to.deep.equal([
      { date: '2027-09-26', kind: 'workday', name: '国庆节', line: 4 },
      { date: '2027-10-09', kind: 'workday', name: '国庆节', line: 5 },
    ]);
  });

  it('names the line and the fault of every bad line', () => {
    const text = [
      '2027-10-01..2027-10-07 国庆节',
      '国庆节 2027-10-01',
      '2027-02-30 春节',
      '2027-05-05..2027-05-01 劳动节',
      '2027-01-01..2027-03-01 春节',
      '2027-04-05',
      '2028-01-01 元旦',
      '2027-09-27 国庆节 上班',
      '2027-10-07..2027-10-08 国庆节',
      `2027-05-01 ${'劳'.repeat(51)}`,
    ].join('\n');
    expect(parseArrangement(2027, text).problems).to.deep.equal([
      { line: 2, problem: 'format', params: { text: '国庆节 2027-10-01' } },
      { line: 3, problem: 'date', params: { value: '2027-02-30' } },
      { line: 4, problem: 'order', params: { from: '2027-05-05', to: '2027-05-01' } },
      { line: 5, problem: 'tooLong', params: { from: '2027-01-01', to: '2027-03-01', max: 31 } },
      { line: 6, problem: 'name', params: {} },
      { line: 7, problem: 'outsideYear', params: { date: '2028-01-01', year: 2027 } },
      { line: 8, problem: 'notWeekend', params: { date: '2027-09-27' } },
      { line: 9, problem: 'duplicate', params: { date: '2027-10-07', otherLine: 1 } },
      { line: 10, problem: 'nameTooLong', params: { max: 50 } },
    ]);
  });

  it('accepts days in the December before the year, as the notice for 2019 had', () => {
    const { days, problems } = parseArrangement(2019, '2018-12-30..2019-01-01 元旦\n2018-12-29 元旦 上班');
    expect(problems).to.deep.equal([]);
    expect(days.map((d) => d.date)).to.deep.equal(['2018-12-29', '2018-12-30', '2018-12-31', '2019-01-01']);
    expect(parseArrangement(2019, '2018-11-30 元旦').problems[0]).to.include({ problem: 'outsideYear' });
  });

  it('writes a year back as lines that read in again to the same days (the package’s 2026)', () => {
    const lines = formatArrangement(libraryArrangement(2026));
    expect(lines).to.include('2026-02-15..2026-02-23 春节');
    expect(lines).to.include('2026-02-14 春节 上班');
    expect(lines).to.include('2026-10-01..2026-10-07 国庆节');
    const again = parseArrangement(2026, lines.join('\n'));
    expect(again.problems).to.deep.equal([]);
    expect(again.days.map(({ line: _line, ...day }) => day)).to.deep.equal(libraryArrangement(2026));
  });
});
