import { expect } from 'chai';
import { appealable, deadlineDaysProblems, nextSweepAt, takesStep } from './rules-handling.ts';
import { COMPLAINT_ACTIONS, DEFAULT_DEADLINE_DAYS } from './rules.ts';

describe('complaint handling rules', () => {
  it('know who ever takes each step: the agency handles, the auditor forwards and finds defaults', () => {
    const byAgency = COMPLAINT_ACTIONS.filter((a) => takesStep(a, 'agency'));
    const byAuditor = COMPLAINT_ACTIONS.filter((a) => takesStep(a, 'auditor'));
    expect(byAgency).to.deep.equal(['accept', 'reject', 'investigate', 'rectify', 'resolve', 'follow_up']);
    expect(byAuditor).to.deep.equal(['forward', 'find_default']);
    expect(COMPLAINT_ACTIONS.filter((a) => takesStep(a, 'complainant'))).to.deep.equal([]);
  });

  it('let the agency appeal a bad review that stands, never a good one', () => {
    expect(appealable({ level: 'dissatisfied', voided: false })).to.equal(true);
    expect(appealable({ level: 'very_dissatisfied', voided: false })).to.equal(true);
    expect(appealable({ level: 'very_dissatisfied', voided: true })).to.equal(false);
    expect(appealable({ level: 'basically_satisfied', voided: false })).to.equal(false);
  });

  it('accept deadline sets of 1 to 60 working days per step', () => {
    expect(deadlineDaysProblems(DEFAULT_DEADLINE_DAYS)).to.deep.equal([]);
    expect(deadlineDaysProblems({ ...DEFAULT_DEADLINE_DAYS, acceptDays: 0, rectifyDays: 61 })).to.deep.equal(['acceptDays', 'rectifyDays']);
    expect(deadlineDaysProblems({ ...DEFAULT_DEADLINE_DAYS, followUpDays: 2.5 })).to.deep.equal(['followUpDays']);
    expect(deadlineDaysProblems({ ...DEFAULT_DEADLINE_DAYS, autoCloseDays: 60, resolveDays: 1 })).to.deep.equal([]);
  });

  it('schedule the next sweep at 00:30 Beijing time of the next Beijing day', () => {
    // 23:59 Beijing on 1 March is 15:59 UTC; 00:10 Beijing on 2 March is still 1 March in UTC.
    expect(nextSweepAt(new Date('2026-03-01T15:59:00Z')).toISOString()).to.equal('2026-03-01T16:30:00.000Z');
    expect(nextSweepAt(new Date('2026-03-01T16:10:00Z')).toISOString()).to.equal('2026-03-02T16:30:00.000Z');
    expect(nextSweepAt(new Date('2026-12-31T17:00:00Z')).toISOString()).to.equal('2027-01-01T16:30:00.000Z');
  });
});
