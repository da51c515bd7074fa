import { expect } from 'chai';
import { buildWorkingCalendar } from '../../domain/calendar.ts';
import {
  applyRating,
  applyTransition,
  autoClose,
  autoCloseDue,
  awaitedStep,
  caseDeadlines,
  COMPLAINT_ACTIONS,
  COMPLAINT_STATUSES,
  DEFAULT_DEADLINE_DAYS,
  handlingRates,
  mayRate,
  type CaseFacts,
  type ComplaintAction,
  type StepActor,
} from './rules.ts';

const cal = buildWorkingCalendar({ fromYear: 2026, toYear: 2028 });
const submitted = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  status: 'submitted',
  submittedOn: '2026-02-12',
  acceptedOn: null,
  resolvedOn: null,
  badReviewOn: null,
  rectifiedOn: null,
  followedUpOn: null,
  closedOn: null,
  closeKind: null,
  ...over,
});

/** Takes steps in order, failing the test on a refusal. */
function walk(c: CaseFacts, steps: Array<[ComplaintAction, StepActor, string]>): CaseFacts {
  let facts = c;
  for (const [action, actor, on] of steps) {
    const r = applyTransition(facts, action, actor, 'note', on);
    if (!r.ok) throw new Error(`${action} by ${actor} from ${facts.status}: ${r.refusal}`);
    facts = r.facts;
  }
  return facts;
}

const ALLOWED: Record<ComplaintAction, { from: string[]; by: StepActor }> = {
  accept: { from: ['submitted'], by: 'agency' },
  reject: { from: ['submitted'], by: 'agency' },
  investigate: { from: ['accepted'], by: 'agency' },
  rectify: { from: ['investigating'], by: 'agency' },
  resolve: { from: ['investigating', 'rectifying'], by: 'agency' },
  follow_up: { from: [], by: 'agency' },
  forward: { from: ['submitted', 'accepted', 'investigating', 'rectifying', 'resolved'], by: 'auditor' },
  find_default: { from: ['investigating', 'rectifying'], by: 'auditor' },
};

describe('complaint rules', () => {
  describe('the state machine', () => {
    it('allows each action from its states only, and to its actor only', () => {
      for (const action of COMPLAINT_ACTIONS) {
        for (const status of COMPLAINT_STATUSES) {
          const facts = submitted({ status, acceptedOn: '2026-02-13' });
          const r = applyTransition(facts, action, ALLOWED[action].by, 'note', '2026-03-01');
          expect(r.ok, `${action} from ${status}`).to.equal(ALLOWED[action].from.includes(status));
        }
        const other: StepActor = ALLOWED[action].by === 'agency' ? 'auditor' : 'agency';
        const from = ALLOWED[action].from[0];
        if (from) expect(applyTransition(submitted({ status: from as CaseFacts['status'], acceptedOn: '2026-02-13' }), action, other, 'note', '2026-03-01')).to.deep.equal({ ok: false, refusal: 'not_your_step' });
      }
    });

    it('needs a reason to reject, an outcome to resolve and a finding to find a default', () => {
      expect(applyTransition(submitted(), 'reject', 'agency', '  ', '2026-02-13')).to.deep.equal({ ok: false, refusal: 'note_required' });
      expect(applyTransition(submitted({ status: 'investigating' }), 'resolve', 'agency', null, '2026-02-13')).to.deep.equal({ ok: false, refusal: 'note_required' });
      expect(applyTransition(submitted({ status: 'investigating' }), 'find_default', 'auditor', '', '2026-02-13')).to.deep.equal({ ok: false, refusal: 'note_required' });
    });

    it('closes on a good rating and reopens as rectifying on a bad one; after rectification and the visit, rates again', () => {
      const resolved = walk(submitted(), [['accept', 'agency', '2026-02-13'], ['investigate', 'agency', '2026-02-24'], ['resolve', 'agency', '2026-03-10']]);
      expect(resolved).to.include({ status: 'resolved', resolvedOn: '2026-03-10' });
      expect(mayRate(resolved)).to.equal(true);
      const good = applyRating(resolved, 'basically_satisfied', '2026-03-11');
      expect(good.ok && good.facts).to.include({ status: 'closed', closeKind: 'rated', closedOn: '2026-03-11' });

      const bad = applyRating(resolved, 'dissatisfied', '2026-03-11');
      if (!bad.ok) throw new Error('refused');
      expect(bad.facts).to.include({ status: 'rectifying', badReviewOn: '2026-03-11' });
      expect(awaitedStep(bad.facts)).to.deep.equal({ step: 'rectify', from: '2026-03-11' });
      const rectified = walk(bad.facts, [['resolve', 'agency', '2026-03-20']]);
      expect(rectified).to.include({ status: 'resolved', rectifiedOn: '2026-03-20', resolvedOn: '2026-03-10' });
      expect(mayRate(rectified), 'not before the follow-up visit').to.equal(false);
      expect(applyRating(rectified, 'satisfied', '2026-03-21')).to.deep.equal({ ok: false, refusal: 'follow_up_not_due' });
      expect(awaitedStep(rectified)).to.deep.equal({ step: 'follow_up', from: '2026-03-20' });
      const visited = walk(rectified, [['follow_up', 'agency', '2026-03-23']]);
      expect(mayRate(visited)).to.equal(true);
      expect(applyTransition(visited, 'follow_up', 'agency', 'again', '2026-03-24')).to.deep.equal({ ok: false, refusal: 'follow_up_not_due' });
    });

    it('ends in a finding of default from investigating or rectifying', () => {
      const found = walk(submitted(), [['accept', 'agency', '2026-02-13'], ['investigate', 'agency', '2026-02-24'], ['find_default', 'auditor', '2026-03-02']]);
      expect(found).to.include({ status: 'default_found', closeKind: 'default_found', closedOn: '2026-03-02' });
    });
  });

  describe('deadlines in working days', () => {
    it('counts acceptance across the 2026 Spring Festival, with its adjusted working days', () => {
      // From the day after 12 Feb: 13 Feb, Sat 14 Feb (adjusted), 15–23 Feb off, 24–27 Feb, Sat 28 Feb (adjusted), 2–4 Mar.
      const [accept] = caseDeadlines(submitted(), DEFAULT_DEADLINE_DAYS, cal, '2026-02-13');
      expect(accept).to.include({ step: 'accept', from: '2026-02-12', days: 10, dueOn: '2026-03-04', provisional: false, late: false });
    });

    it('counts across National Day 2026, where Saturday 10 October is a working day', () => {
      const [accept] = caseDeadlines(submitted({ submittedOn: '2026-09-28' }), { ...DEFAULT_DEADLINE_DAYS, acceptDays: 5 }, cal, '2026-09-29');
      expect(accept!.dueOn).to.equal('2026-10-10');
    });

    it('marks a deadline in a year whose arrangement is not known as provisional', () => {
      const [accept] = caseDeadlines(submitted({ submittedOn: '2026-12-24' }), DEFAULT_DEADLINE_DAYS, cal, '2026-12-25');
      expect(accept).to.include({ dueOn: '2027-01-08', provisional: true });
    });

    it('flags a step taken late or still awaited past its date, and keeps the days the case was opened under', () => {
      const accepted = walk(submitted(), [['accept', 'agency', '2026-03-05']]);
      const [accept, resolve] = caseDeadlines(accepted, DEFAULT_DEADLINE_DAYS, cal, '2026-03-05');
      expect(accept).to.include({ doneOn: '2026-03-05', late: true });
      expect(resolve).to.include({ step: 'resolve', from: '2026-03-05', late: false });
      const short = caseDeadlines(submitted(), { ...DEFAULT_DEADLINE_DAYS, acceptDays: 5 }, cal, '2026-02-13')[0]!;
      expect(short.dueOn).to.equal('2026-02-26');
      expect(caseDeadlines(submitted(), DEFAULT_DEADLINE_DAYS, cal, '2026-03-05')[0]).to.include({ doneOn: null, late: true });
    });

    it('closes a resolved case nobody rated once the window has passed, as unrated', () => {
      const resolved = walk(submitted(), [['accept', 'agency', '2026-02-13'], ['investigate', 'agency', '2026-02-24'], ['resolve', 'agency', '2026-03-02']]);
      // 15 working days after 2 March is 23 March.
      expect(autoCloseDue(resolved, DEFAULT_DEADLINE_DAYS, cal, '2026-03-23')).to.equal(false);
      expect(autoCloseDue(resolved, DEFAULT_DEADLINE_DAYS, cal, '2026-03-24')).to.equal(true);
      expect(autoClose(resolved, '2026-03-24')).to.include({ status: 'closed', closeKind: 'unrated' });
      const rated = applyRating(resolved, 'satisfied', '2026-03-03');
      expect(rated.ok && autoCloseDue(rated.facts, DEFAULT_DEADLINE_DAYS, cal, '2026-06-01')).to.equal(false);
    });
  });

  it('computes handling rates, with no rate where nothing was due', () => {
    const rates = handlingRates({ cases: 4, acceptedOnTime: 3, acceptanceDue: 4, resolvedOnTime: 1, resolutionDue: 2, ratings: 4, goodRatings: 3, badRatings: 1, badRectified: 1, rectifications: 1, followedUp: 0 });
    expect(rates).to.deep.equal({ acceptedOnTimeRate: 0.75, resolvedOnTimeRate: 0.5, goodReviewRate: 0.75, badReviewRectificationRate: 1, followUpRate: 0 });
    expect(handlingRates({ cases: 0, acceptedOnTime: 0, acceptanceDue: 0, resolvedOnTime: 0, resolutionDue: 0, ratings: 0, goodRatings: 0, badRatings: 0, badRectified: 0, rectifications: 0, followedUp: 0 }).goodReviewRate).to.equal(null);
  });
});
