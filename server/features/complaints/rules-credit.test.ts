import { expect } from 'chai';
import { buildWorkingCalendar } from '../../domain/calendar.ts';
import { walkCase, type TestStep } from './cases-test-data.ts';
import { DEFAULT_DEADLINE_DAYS, handlingRates } from './rules.ts';
import { caseFigures, defaultPeriod, handlingFigures, repairDateProblem, type StatisticsCase } from './rules-credit.ts';

const cal = buildWorkingCalendar({ fromYear: 2025, toYear: 2027 });
const TODAY = '2026-11-20';
const YEAR_2026 = { from: '2026-01-01', to: '2026-12-31' };

function caseOf(submittedOn: string, steps: TestStep[]): StatisticsCase {
  const { facts, ratings } = walkCase(submittedOn, steps);
  return { facts, days: DEFAULT_DEADLINE_DAYS, ratings };
}

describe('credit record rules', () => {
  it('dates a repair between the finding and today', () => {
    expect(repairDateProblem('2026-05-01', '2026-04-01', TODAY)).to.equal(null);
    expect(repairDateProblem('2026-04-01', '2026-04-01', TODAY)).to.equal(null);
    expect(repairDateProblem(TODAY, '2026-04-01', TODAY)).to.equal(null);
    expect(repairDateProblem('2026-03-31', '2026-04-01', TODAY)).to.equal('beforeFinding');
    expect(repairDateProblem('2026-11-21', '2026-04-01', TODAY)).to.equal('future');
    expect(repairDateProblem('2026-02-30', '2026-01-01', TODAY)).to.equal('date');
    expect(repairDateProblem('', '2026-01-01', TODAY)).to.equal('date');
  });

  it('defaults the statistics to this year so far', () => {
    expect(defaultPeriod(TODAY)).to.deep.equal({ from: '2026-01-01', to: TODAY });
  });
});

describe('complaint statistics rules', () => {
  it('counts acceptance on time in working days across the National Day holiday (due 2026-10-16 for a case filed 2026-09-28)', () => {
    // 10 working days from 28 September: 29, 30 September, 8, 9, 10 (adjusted working Saturday), 12–16 October.
    const onTime = caseFigures(caseOf('2026-09-28', [{ action: 'accept', on: '2026-10-16' }]), YEAR_2026, TODAY, cal);
    expect(onTime).to.include({ cases: 1, acceptanceDue: 1, acceptedOnTime: 1 });
    const late = caseFigures(caseOf('2026-09-28', [{ action: 'accept', on: '2026-10-19' }]), YEAR_2026, TODAY, cal);
    expect(late).to.include({ acceptanceDue: 1, acceptedOnTime: 0 });
  });

  it('counts a refusal to accept as the acceptance step taken', () => {
    expect(caseFigures(caseOf('2026-03-02', [{ action: 'reject', on: '2026-03-05' }]), YEAR_2026, TODAY, cal)).to.include({ acceptanceDue: 1, acceptedOnTime: 1, resolutionDue: 0 });
  });

  it('counts a step by its due date once decided: not yet due and not taken counts nowhere; past due and not taken is late', () => {
    const waiting = caseOf('2026-11-18', []);
    expect(caseFigures(waiting, YEAR_2026, TODAY, cal)).to.include({ cases: 1, acceptanceDue: 0 });
    const overdue = caseOf('2026-10-20', []);
    expect(caseFigures(overdue, YEAR_2026, TODAY, cal)).to.include({ acceptanceDue: 1, acceptedOnTime: 0 });
    // Accepted early in December 2025 for a case filed then: the due date is in 2025, so 2026 does not count it.
    expect(caseFigures(caseOf('2025-12-01', [{ action: 'accept', on: '2025-12-02' }]), YEAR_2026, TODAY, cal)).to.include({ cases: 0, acceptanceDue: 0 });
  });

  it('counts a finding of default as a resolution due and not on time', () => {
    const found = caseOf('2026-03-02', [{ action: 'accept', on: '2026-03-03' }, { action: 'investigate', on: '2026-03-04' }, { action: 'find_default', on: '2026-03-10' }]);
    expect(caseFigures(found, YEAR_2026, TODAY, cal)).to.include({ resolutionDue: 1, resolvedOnTime: 0 });
    const resolved = caseOf('2026-03-02', [{ action: 'accept', on: '2026-03-03' }, { action: 'investigate', on: '2026-03-04' }, { action: 'resolve', on: '2026-03-10' }]);
    expect(caseFigures(resolved, YEAR_2026, TODAY, cal)).to.include({ resolutionDue: 1, resolvedOnTime: 1 });
  });

  it('leaves voided ratings out and counts good (top three levels) and bad ones in the period they were given', () => {
    const resolvedSteps: TestStep[] = [{ action: 'accept', on: '2026-03-03' }, { action: 'investigate', on: '2026-03-04' }, { action: 'resolve', on: '2026-03-10' }];
    const voidedBad = caseOf('2026-03-02', [...resolvedSteps, { rate: 'very_dissatisfied', on: '2026-03-12', voided: true }]);
    expect(caseFigures(voidedBad, YEAR_2026, TODAY, cal)).to.include({ ratings: 0, goodRatings: 0, badRatings: 0 });
    const basic = caseOf('2026-03-02', [...resolvedSteps, { rate: 'basically_satisfied', on: '2026-03-12' }]);
    expect(caseFigures(basic, YEAR_2026, TODAY, cal)).to.include({ ratings: 1, goodRatings: 1, badRatings: 0 });
    expect(caseFigures(basic, { from: '2026-04-01', to: '2026-12-31' }, TODAY, cal)).to.include({ ratings: 0 });
  });

  it('counts a bad review rectified once the agency put it right, and followed up once the visit was made', () => {
    const base: TestStep[] = [{ action: 'accept', on: '2026-03-03' }, { action: 'investigate', on: '2026-03-04' }, { action: 'resolve', on: '2026-03-10' }, { rate: 'dissatisfied', on: '2026-03-12' }];
    expect(caseFigures(caseOf('2026-03-02', base), YEAR_2026, TODAY, cal)).to.include({ badRatings: 1, badRectified: 0, rectifications: 0, followedUp: 0 });
    const rectified = [...base, { action: 'resolve' as const, on: '2026-03-20' }];
    expect(caseFigures(caseOf('2026-03-02', rectified), YEAR_2026, TODAY, cal)).to.include({ badRatings: 1, badRectified: 1, rectifications: 1, followedUp: 0 });
    const visited = [...rectified, { action: 'follow_up' as const, on: '2026-03-23' }];
    expect(caseFigures(caseOf('2026-03-02', visited), YEAR_2026, TODAY, cal)).to.include({ badRectified: 1, rectifications: 1, followedUp: 1 });
    // A second bad review: the first was rectified and followed up (the complainant could rate again only then); the second is not yet.
    const again = caseOf('2026-03-02', [...visited, { rate: 'very_dissatisfied', on: '2026-03-25' }]);
    expect(caseFigures(again, YEAR_2026, TODAY, cal)).to.include({ ratings: 2, badRatings: 2, badRectified: 1, rectifications: 1, followedUp: 1 });
    // The resolution stays on time: it is the first resolution that answers the resolution deadline.
    expect(caseFigures(again, YEAR_2026, TODAY, cal)).to.include({ resolutionDue: 1, resolvedOnTime: 1 });
  });

  it('adds the cases up into the rates', () => {
    const cases = [
      caseOf('2026-09-28', [{ action: 'accept', on: '2026-10-16' }]),
      caseOf('2026-09-28', [{ action: 'accept', on: '2026-10-19' }]),
      caseOf('2026-03-02', [{ action: 'accept', on: '2026-03-03' }, { action: 'investigate', on: '2026-03-04' }, { action: 'resolve', on: '2026-03-10' }, { rate: 'satisfied', on: '2026-03-11' }]),
    ];
    const figures = handlingFigures(cases, YEAR_2026, TODAY, cal);
    expect(figures).to.include({ cases: 3, acceptanceDue: 3, acceptedOnTime: 2, ratings: 1, goodRatings: 1 });
    expect(handlingRates(figures)).to.include({ acceptedOnTimeRate: 2 / 3, goodReviewRate: 1, badReviewRectificationRate: null });
  });
});
