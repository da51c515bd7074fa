import { expect } from 'chai';
import type { PaymentFacts } from '../arrears/rules.ts';
import {
  assignmentOverdue,
  baselineDue,
  baselineOf,
  campaignPhase,
  daysLeft,
  itemProgress,
  milestoneOn,
  progressFigures,
  type ArrearsItemFacts,
  type MilestoneItemFacts,
} from './rules.ts';

const START = '2026-03-01';

const pay = (amountFen: number, paidOn: string, over: Partial<PaymentFacts> = {}): PaymentFacts => ({ amountFen, paidOn, reversed: false, creditorResponse: null, disputeStatus: null, ...over });
const debt = (id: number, dueOn: string, over: Partial<ArrearsItemFacts> = {}): ArrearsItemFacts => ({ id, agencyId: 1, facts: { principalFen: 100_000, disputedFen: 0, dueOn }, payments: [], ...over });
const milestone = (id: number, dueOn: string, over: Partial<MilestoneItemFacts> = {}): MilestoneItemFacts => ({
  id,
  agencyId: 1,
  dueOn,
  amountFen: 50_000,
  breachedOn: null,
  waivedOn: null,
  terminatedOn: null,
  fulfilments: [],
  ...over,
});
const fulfil = (fulfilledOn: string, amountFen: number | null, completes = true) => ({ fulfilledOn, amountFen, completes, enterpriseResponse: null, disputeStatus: null });

describe('campaign rules', () => {
  describe('the baseline at the start date', () => {
    it('holds arrears overdue at the start with their undisputed outstanding amount, and leaves out those due on the start day or later', () => {
      const items = baselineOf(
        [
          debt(1, '2026-02-28', { facts: { principalFen: 100_000, disputedFen: 30_000, dueOn: '2026-02-28' }, payments: [pay(20_000, '2026-02-10')] }),
          debt(2, START),
          debt(3, '2026-03-02'),
        ],
        [],
        START,
      );
      expect(items).to.deep.equal([{ itemType: 'arrears', itemId: 1, agencyId: 1, amountFen: 50_000 }]);
    });

    it('leaves out arrears paid before the start, or whose unpaid rest is all disputed; counts payments made after the start as unpaid then', () => {
      const items = baselineOf(
        [
          debt(1, '2026-01-01', { payments: [pay(100_000, '2026-02-01')] }),
          debt(2, '2026-01-01', { facts: { principalFen: 100_000, disputedFen: 100_000, dueOn: '2026-01-01' } }),
          debt(3, '2026-01-01', { payments: [pay(100_000, START)] }),
          debt(4, '2026-01-01', { payments: [pay(100_000, '2026-03-02')] }),
        ],
        [],
        START,
      );
      expect(items.map((i) => i.itemId)).to.deep.equal([4]);
    });

    it('holds milestones overdue or breached at the start, rebuilt from dated facts', () => {
      const items = baselineOf(
        [],
        [
          milestone(1, '2026-02-01'), // overdue at the start
          milestone(2, '2026-02-01', { fulfilments: [fulfil('2026-02-20', 50_000)] }), // fulfilled before the start
          milestone(3, '2026-02-01', { fulfilments: [fulfil('2026-03-05', 50_000)] }), // fulfilled after: overdue then
          milestone(4, '2026-06-01', { breachedOn: '2026-02-15' }), // breached before it fell due
          milestone(5, '2026-02-01', { waivedOn: '2026-02-25' }),
          milestone(6, '2026-02-01', { terminatedOn: '2026-02-20' }),
          milestone(7, START), // due on the start day: not overdue yet
          milestone(8, '2026-02-01', { fulfilments: [fulfil('2026-02-10', 20_000, false)] }), // partly fulfilled: still owed
        ],
        START,
      );
      expect(items.map((i) => [i.itemId, i.amountFen])).to.deep.equal([
        [1, 50_000],
        [3, 50_000],
        [4, 50_000],
        [8, 30_000],
      ]);
    });

    it('leaves out a fulfilment that does not count (an open dispute), so the milestone stays overdue', () => {
      const disputed = { ...fulfil('2026-02-10', 50_000), enterpriseResponse: 'not_at_all' as const, disputeStatus: 'open' as const };
      expect(milestoneOn(milestone(1, '2026-02-01', { fulfilments: [disputed] }), START)).to.include({ needsAction: true, status: 'pending' });
    });
  });

  describe('progress on a later date', () => {
    const asOf = '2026-05-01';

    it('sorts baseline items into cleared and still open, and finds new problems that fell due from the start on', () => {
      const arrears = [
        debt(1, '2026-02-01', { payments: [pay(100_000, '2026-04-01')] }), // cleared
        debt(2, '2026-02-01', { payments: [pay(40_000, '2026-04-01')] }), // still open, paid down
        debt(3, START), // due on the start day, unpaid: new
        debt(4, '2026-04-01', { payments: [pay(100_000, '2026-04-01')] }), // due after the start, paid on time: nothing
        debt(5, '2026-04-30'), // due after the start, unpaid: new
        debt(6, '2026-05-01'), // due on the as-of day: not late yet
      ];
      const milestones = [
        milestone(10, '2026-02-01', { fulfilments: [fulfil('2026-04-10', 50_000)] }), // cleared
        milestone(11, '2026-02-01'), // open
        milestone(12, '2026-04-01'), // new
        milestone(13, '2026-09-01', { breachedOn: '2026-04-15' }), // breached during the campaign: new
      ];
      const baseline = baselineOf(arrears, milestones, START);
      const items = itemProgress(baseline, arrears, milestones, START, asOf);
      const state = (type: string, id: number) => items.find((i) => i.itemType === type && i.itemId === id)?.state ?? null;
      expect([1, 2, 3, 4, 5, 6].map((id) => state('arrears', id))).to.deep.equal(['cleared', 'open', 'new', null, 'new', null]);
      expect([10, 11, 12, 13].map((id) => state('milestone', id))).to.deep.equal(['cleared', 'open', 'new', 'new']);

      const arrearsFigures = progressFigures(items, [1], 'arrears').total;
      expect(arrearsFigures).to.deep.equal({
        baselineCount: 2,
        baselineFen: 200_000,
        clearedCount: 1,
        clearedFen: 140_000,
        openCount: 1,
        openFen: 60_000,
        newProblemCount: 2,
        newProblemFen: 200_000,
        clearanceRate: 0.5,
      });
      const all = progressFigures(items, [1]).total;
      expect(all).to.include({ baselineCount: 4, clearedCount: 2, openCount: 2, newProblemCount: 4, clearanceRate: 0.5 });
    });

    it('counts figures per agency in scope and in total', () => {
      const arrears = [debt(1, '2026-02-01'), debt(2, '2026-02-01', { agencyId: 2, payments: [pay(100_000, '2026-04-01')] })];
      const items = itemProgress(baselineOf(arrears, [], START), arrears, [], START, '2026-05-01');
      const figures = progressFigures(items, [1, 2, 3]);
      expect(figures.byAgency.get(1)).to.include({ baselineCount: 1, clearedCount: 0, clearanceRate: 0 });
      expect(figures.byAgency.get(2)).to.include({ baselineCount: 1, clearedCount: 1, clearanceRate: 1 });
      expect(figures.byAgency.get(3)).to.include({ baselineCount: 0, clearanceRate: null });
      expect(figures.total).to.include({ baselineCount: 2, clearedCount: 1, clearanceRate: 0.5 });
    });

    it('reopens a cleared item when the payment that cleared it is reversed', () => {
      const arrears = [debt(1, '2026-02-01', { payments: [pay(100_000, '2026-04-01', { reversed: true })] })];
      const items = itemProgress(baselineOf(arrears, [], START), arrears, [], START, '2026-05-01');
      expect(items[0]).to.include({ state: 'open', currentFen: 100_000 });
    });
  });

  describe('dates', () => {
    it('names the phase, the days left and when the baseline is due', () => {
      const c = { startedOn: START, targetOn: '2026-06-30' };
      expect(['2026-02-28', START, '2026-06-30', '2026-07-01'].map((d) => campaignPhase(c, d))).to.deep.equal(['upcoming', 'running', 'running', 'past_target']);
      expect(daysLeft('2026-06-30', '2026-06-20')).to.equal(10);
      expect(daysLeft('2026-06-30', '2026-07-02')).to.equal(-2);
      expect([baselineDue(START, '2026-02-28'), baselineDue(START, START)]).to.deep.equal([false, true]);
    });

    it('flags an assignment overdue only while its item still needs action', () => {
      expect(assignmentOverdue({ dueOn: '2026-04-01' }, 'open', '2026-04-02')).to.equal(true);
      expect(assignmentOverdue({ dueOn: '2026-04-01' }, 'open', '2026-04-01')).to.equal(false);
      expect(assignmentOverdue({ dueOn: '2026-04-01' }, 'cleared', '2026-05-01')).to.equal(false);
    });
  });
});
