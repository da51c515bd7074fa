import { expect } from 'chai';
import {
  addWorkingDays,
  buildWorkingCalendar,
  countingSpan,
  describeDay,
  isWorkingDay,
  libraryArrangement,
  LIBRARY_YEARS,
  MAX_WORKING_DAYS,
  statutoryHolidayOf,
  statutoryHolidays,
  WorkingDaysInputError,
  workingDaysInputProblems,
  type CalendarDay,
  type WorkingCalendar,
} from './calendar.ts';

const count = (from: string, days: number) => addWorkingDays(from, days, buildWorkingCalendar(countingSpan(from, days)));

// Far enough ahead that no State Council notice (and no package release) will cover it for years.
const FAR_YEAR = 2031;

describe('working-day calendar', () => {
  describe('with the State Council arrangements shipped by chinese-days', () => {
    it('ships every year from 2004 to at least 2026', () => {
      expect(LIBRARY_YEARS[0]).to.equal(2004);
      expect(LIBRARY_YEARS).to.include.members([2024, 2025, 2026]);
    });

    it('counts the 国庆 Sunday made a working day (2025-09-28) and skips the Saturday before it', () => {
      const r = count('2025-09-26', 3);
      expect(r.dueOn).to.equal('2025-09-30');
      expect(r.provisional).to.equal(false);
      expect(r.skipped).to.deep.equal([{ date: '2025-09-27', reason: 'weekend' }]);
      expect(r.adjustedWorkdays).to.deep.equal([{ date: '2025-09-28', holiday: '国庆节' }]);
    });

    it('skips the eight days of 国庆节 and 中秋 2025 with their names, then counts the Saturday 10-11', () => {
      const r = count('2025-09-30', 3);
      expect(r.dueOn).to.equal('2025-10-11');
      expect(r.skipped.map((s) => s.date)).to.deep.equal(['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']);
      expect(r.skipped.find((s) => s.date === '2025-10-06'), 'the package’s short name 中秋 given in full').to.deep.equal({ date: '2025-10-06', reason: 'holiday', holiday: '中秋节' });
      expect(r.skipped.find((s) => s.date === '2025-10-04')).to.deep.equal({ date: '2025-10-04', reason: 'holiday', holiday: '国庆节' });
      expect(r.adjustedWorkdays).to.deep.equal([{ date: '2025-10-11', holiday: '国庆节' }]);
    });

    it('gives ten working days (acceptance of an arrears complaint) from the eve of 国庆 2025 as 2025-10-21', () => {
      const r = count('2025-09-30', 10);
      expect(r.dueOn).to.equal('2025-10-21');
      expect(r.skipped.filter((s) => s.reason === 'weekend').map((s) => s.date)).to.deep.equal(['2025-10-12', '2025-10-18', '2025-10-19']);
      expect(r.trail.filter((d) => d.working).map((d) => d.ordinal)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(r.trail.at(-1)).to.include({ date: '2025-10-21', ordinal: 10 });
    });

    it('starts counting the day after a start that falls on a holiday', () => {
      const r = count('2025-10-01', 1);
      expect(r.dueOn).to.equal('2025-10-09');
      expect(r.skipped[0]!.date).to.equal('2025-10-02');
      expect(r.trail.map((d) => d.date)).to.not.include('2025-10-01');
    });

    it('counts across 春节 2026 with its two working Saturdays (02-14 and 02-28)', () => {
      const before = count('2026-02-12', 5);
      expect(before.dueOn).to.equal('2026-02-26');
      expect(before.adjustedWorkdays).to.deep.equal([{ date: '2026-02-14', holiday: '春节' }]);
      expect(before.skipped).to.have.length(9);
      expect(before.skipped.every((s) => s.reason === 'holiday' && s.holiday === '春节')).to.equal(true);
      const after = count('2026-02-24', 4);
      expect(after.dueOn, 'a due date may be a Saturday made a working day').to.equal('2026-02-28');
      expect(after.skipped).to.deep.equal([]);
    });

    it('tells a working day from a day off, 调休 included', () => {
      const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2026 });
      expect(isWorkingDay(cal, '2025-09-28'), 'Sunday made a working day').to.equal(true);
      expect(isWorkingDay(cal, '2025-10-06'), 'Monday of 中秋').to.equal(false);
      expect(isWorkingDay(cal, '2025-10-09')).to.equal(true);
      expect(isWorkingDay(cal, '2025-10-12'), 'plain Sunday').to.equal(false);
      expect(describeDay(cal, '2026-02-14')).to.deep.equal({ date: '2026-02-14', working: true, kind: 'adjusted-workday', name: '春节', provisional: false });
    });

    it('agrees with the 2024 statutory holidays in every year ruled by them (2025 and 2026)', () => {
      for (const year of [2025, 2026]) {
        const cal = buildWorkingCalendar({ fromYear: year, toYear: year });
        for (const [date, name] of statutoryHolidays(year)) {
          expect(describeDay(cal, date), `${date} ${name}`).to.include({ working: false, kind: 'holiday' });
        }
      }
    });
  });

  describe('for a year whose arrangement is not known', () => {
    it('lists the thirteen statutory days off, lunar and solar-term ones included (2027)', () => {
      expect([...statutoryHolidays(2027)]).to.deep.equal([
        ['2027-01-01', '元旦'],
        ['2027-02-05', '春节'],
        ['2027-02-06', '春节'],
        ['2027-02-07', '春节'],
        ['2027-02-08', '春节'],
        ['2027-04-05', '清明节'],
        ['2027-05-01', '劳动节'],
        ['2027-05-02', '劳动节'],
        ['2027-06-09', '端午节'],
        ['2027-09-15', '中秋节'],
        ['2027-10-01', '国庆节'],
        ['2027-10-02', '国庆节'],
        ['2027-10-03', '国庆节'],
      ]);
    });

    it('skips weekends and statutory holidays only, and says the answer is provisional', () => {
      const r = count(`${FAR_YEAR}-09-30`, 3);
      expect(r.dueOn).to.equal(`${FAR_YEAR}-10-08`);
      expect(r.provisional).to.equal(true);
      expect(r.provisionalYears).to.deep.equal([FAR_YEAR]);
      expect(r.skipped).to.deep.equal([
        { date: `${FAR_YEAR}-10-01`, reason: 'holiday', holiday: '中秋节、国庆节' },
        { date: `${FAR_YEAR}-10-02`, reason: 'holiday', holiday: '国庆节' },
        { date: `${FAR_YEAR}-10-03`, reason: 'holiday', holiday: '国庆节' },
        { date: `${FAR_YEAR}-10-04`, reason: 'weekend' },
        { date: `${FAR_YEAR}-10-05`, reason: 'weekend' },
      ]);
    });

    it('skips 除夕 and 正月初一至初三 by the lunar calendar (春节 2033)', () => {
      const r = count('2033-01-28', 3);
      expect(r.dueOn).to.equal('2033-02-07');
      expect(r.skipped.filter((s) => s.reason === 'holiday').map((s) => s.date)).to.deep.equal(['2033-01-30', '2033-01-31', '2033-02-01', '2033-02-02']);
    });

    it('is provisional only when the count reaches into the unknown year', () => {
      const known = new Map(libraryArrangement(2026).map((d): [string, CalendarDay] => [d.date, d]));
      const cal: WorkingCalendar = { span: { fromYear: 2026, toYear: 2027 }, arrangedYears: new Set([2026]), days: known };
      expect(addWorkingDays('2026-12-28', 3, cal)).to.include({ dueOn: '2026-12-31', provisional: false });
      const across = addWorkingDays('2026-12-30', 3, cal);
      expect(across).to.include({ dueOn: '2027-01-05', provisional: true });
      expect(across.provisionalYears).to.deep.equal([2027]);
      expect(across.skipped[0]).to.deep.equal({ date: '2027-01-01', reason: 'holiday', holiday: '元旦' });
    });
  });

  describe('with days entered by admins', () => {
    const arrangement: CalendarDay[] = [
      ...['01', '02', '03', '04', '05', '06', '07'].map((d): CalendarDay => ({ date: `${FAR_YEAR}-10-${d}`, kind: 'holiday', name: '国庆节' })),
      { date: `${FAR_YEAR}-09-28`, kind: 'workday', name: '国庆节' },
      { date: `${FAR_YEAR}-10-11`, kind: 'workday', name: '国庆节' },
    ];

    it('makes a loaded year definitive, with its 调休', () => {
      const cal = buildWorkingCalendar({ fromYear: FAR_YEAR, toYear: FAR_YEAR }, { loadedYears: [FAR_YEAR], days: arrangement });
      const r = addWorkingDays(`${FAR_YEAR}-09-26`, 4, cal);
      expect(r.provisional).to.equal(false);
      expect(r.adjustedWorkdays).to.deep.equal([{ date: `${FAR_YEAR}-09-28`, holiday: '国庆节' }]);
      expect(r.dueOn).to.equal(`${FAR_YEAR}-10-08`);
    });

    it('sets the package’s copy of a year aside when an admin loads that year', () => {
      const corrected: CalendarDay[] = [{ date: '2025-10-01', kind: 'holiday', name: '国庆节' }];
      const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2025 }, { loadedYears: [2025], days: corrected });
      expect(isWorkingDay(cal, '2025-10-01')).to.equal(false);
      expect(isWorkingDay(cal, '2025-10-06'), 'no longer 中秋 once the admin’s arrangement replaces the package’s').to.equal(true);
      expect(isWorkingDay(cal, '2025-09-28'), 'a Sunday again').to.equal(false);
    });

    it('lays a single entered day over the package’s year, which otherwise stays as published', () => {
      const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2025 }, { loadedYears: [], days: [{ date: '2025-10-09', kind: 'holiday', name: '国庆节' }] });
      expect(isWorkingDay(cal, '2025-10-09')).to.equal(false);
      expect(isWorkingDay(cal, '2025-10-06')).to.equal(false);
    });
  });

  describe('input', () => {
    it('refuses zero, negative, fractional and too many days, and impossible or out-of-range dates', () => {
      expect(workingDaysInputProblems('2025-10-01', 0)).to.deep.equal([{ field: 'days', problem: 'range' }]);
      expect(workingDaysInputProblems('2025-10-01', -3)).to.deep.equal([{ field: 'days', problem: 'range' }]);
      expect(workingDaysInputProblems('2025-10-01', 2.5)).to.deep.equal([{ field: 'days', problem: 'range' }]);
      expect(workingDaysInputProblems('2025-10-01', MAX_WORKING_DAYS + 1)).to.deep.equal([{ field: 'days', problem: 'range' }]);
      expect(workingDaysInputProblems('2025-10-01', MAX_WORKING_DAYS)).to.deep.equal([]);
      expect(workingDaysInputProblems('2025-02-29', 5)).to.deep.equal([{ field: 'from', problem: 'date' }]);
      expect(workingDaysInputProblems('2003-12-31', 5)).to.deep.equal([{ field: 'from', problem: 'range' }]);
      expect(workingDaysInputProblems('2099-01-01', 5)).to.deep.equal([{ field: 'from', problem: 'range' }]);
    });

    it('throws the problems rather than answering a count it cannot make', () => {
      const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2026 });
      expect(() => addWorkingDays('2025-10-01', 0, cal)).to.throw(WorkingDaysInputError).with.property('problems').that.deep.equals([{ field: 'days', problem: 'range' }]);
    });

    it('refuses to answer outside the years the calendar was built for', () => {
      const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2025 });
      expect(() => addWorkingDays('2025-12-30', 5, cal)).to.throw(RangeError, '2026-01-01');
    });

    it('builds a span wide enough for the longest count from the latest start', () => {
      const r = count('2097-12-31', MAX_WORKING_DAYS);
      expect(r.trail.filter((d) => d.working)).to.have.length(MAX_WORKING_DAYS);
      expect(r.dueOn < '2100-01-01', 'within the years of the lunar tables').to.equal(true);
    });
  });

  it('knows the statutory holidays by the names notices use', () => {
    expect(statutoryHolidayOf('国庆节')).to.equal('nationalDay');
    expect(statutoryHolidayOf('中秋')).to.equal('midAutumn');
    expect(statutoryHolidayOf('清明节')).to.equal('qingming');
    expect(statutoryHolidayOf('中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日')).to.equal(null);
  });
});
