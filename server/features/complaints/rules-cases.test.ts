import { expect } from 'chai';
import { addWorkingDays, buildWorkingCalendar } from '../../domain/calendar.ts';
import { DEFAULT_DEADLINE_DAYS, type CaseFacts } from './rules.ts';
import { actionsOpenTo, caseOverdue, countingSummary, overdueOn } from './rules-cases.ts';

const cal = buildWorkingCalendar({ fromYear: 2026, toYear: 2028 });
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  status: 'submitted', submittedOn: '2026-02-12', acceptedOn: null, resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null, ...over,
});

describe('case rules of the lists and the case page', () => {
  it('flags a handling step awaited past its due date, not the day it falls due, and never the rating window', () => {
    expect(overdueOn({ step: 'accept', dueOn: '2026-03-04' }, '2026-03-04')).to.equal(false);
    expect(overdueOn({ step: 'accept', dueOn: '2026-03-04' }, '2026-03-05')).to.equal(true);
    expect(overdueOn({ step: 'follow_up', dueOn: '2026-03-04' }, '2026-04-01')).to.equal(true);
    expect(overdueOn({ step: 'rate', dueOn: '2026-03-04' }, '2026-04-01')).to.equal(false);
    expect(overdueOn({ step: null, dueOn: null }, '2026-04-01')).to.equal(false);
    // Filed 12 Feb 2026: acceptance due 4 March, across the Spring Festival.
    expect(caseOverdue(facts(), DEFAULT_DEADLINE_DAYS, cal, '2026-03-04')).to.equal(false);
    expect(caseOverdue(facts(), DEFAULT_DEADLINE_DAYS, cal, '2026-03-05')).to.equal(true);
    expect(caseOverdue(facts({ status: 'resolved', acceptedOn: '2026-02-13', resolvedOn: '2026-02-24' }), DEFAULT_DEADLINE_DAYS, cal, '2026-06-01')).to.equal(false);
    expect(caseOverdue(facts({ status: 'closed', closedOn: '2026-02-13', closeKind: 'rejected' }), DEFAULT_DEADLINE_DAYS, cal, '2026-06-01')).to.equal(false);
  });

  it('offers each side the actions the state machine allows it now', () => {
    expect(actionsOpenTo(facts(), 'agency')).to.deep.equal(['accept', 'reject']);
    expect(actionsOpenTo(facts(), 'auditor')).to.deep.equal(['forward']);
    expect(actionsOpenTo(facts({ status: 'investigating', acceptedOn: '2026-02-13' }), 'agency')).to.deep.equal(['rectify', 'resolve']);
    expect(actionsOpenTo(facts({ status: 'investigating', acceptedOn: '2026-02-13' }), 'auditor')).to.deep.equal(['forward', 'find_default']);
    expect(actionsOpenTo(facts({ status: 'resolved', acceptedOn: '2026-02-13', resolvedOn: '2026-03-01', badReviewOn: '2026-03-02', rectifiedOn: '2026-03-10' }), 'agency')).to.deep.equal(['follow_up']);
    expect(actionsOpenTo(facts({ status: 'closed', closeKind: 'rated', closedOn: '2026-03-01' }), 'agency')).to.deep.equal([]);
    expect(actionsOpenTo(facts(), 'complainant')).to.deep.equal([]);
  });

  it('reads a count across the 2026 Spring Festival: the holiday by name, the weekend day, the two adjusted working days', () => {
    const r = addWorkingDays('2026-02-12', 10, cal);
    expect(r.dueOn).to.equal('2026-03-04');
    const summary = countingSummary(r);
    expect(summary.holidays).to.have.length(1);
    expect(summary.holidays[0]).to.include({ first: '2026-02-15', last: '2026-02-23', days: 9 });
    expect(summary.holidays[0]!.name).to.include('春节');
    expect(summary.weekendDays).to.equal(1);
    expect(summary.adjustedWorkdays.map((d) => d.date)).to.deep.equal(['2026-02-14', '2026-02-28']);
    expect(summary.provisionalYears).to.deep.equal([]);
    expect(countingSummary(addWorkingDays('2026-12-24', 10, cal)).provisionalYears).to.deep.equal([2027]);
  });
});
