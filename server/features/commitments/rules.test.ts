import { expect } from 'chai';
import { shanghaiDate } from '../../domain/dates.ts';
import {
  commitmentStatus,
  fulfilmentCounts,
  isMilestoneOverdue,
  milestoneAmountsExcess,
  milestoneState,
  onTimeFulfilmentRate,
  oneYearBefore,
  overFulfilment,
  overdueAfterHandover,
  overdueDays,
  outstandingFen,
  type FulfilmentFacts,
} from './rules.ts';

const TODAY = '2026-03-11';
const fulfilment = (over: Partial<FulfilmentFacts> = {}): FulfilmentFacts => ({ fulfilledOn: '2026-03-01', completes: false, enterpriseResponse: null, disputeStatus: null, ...over });

describe('commitment rules', () => {
  describe('overdue', () => {
    it('is not overdue on its due day, and is the day after', () => {
      expect(isMilestoneOverdue({ status: 'pending', dueOn: TODAY }, TODAY)).to.equal(false);
      expect(isMilestoneOverdue({ status: 'pending', dueOn: '2026-03-10' }, TODAY)).to.equal(true);
      expect(isMilestoneOverdue({ status: 'partial', dueOn: '2026-03-10' }, TODAY)).to.equal(true);
    });

    it('counts the day in Asia/Shanghai: at 17:30 UTC on 10 March it is already 11 March there', () => {
      const now = new Date('2026-03-10T17:30:00Z');
      expect(now.toISOString().slice(0, 10)).to.equal('2026-03-10');
      const today = shanghaiDate(now);
      expect(today).to.equal('2026-03-11');
      expect(isMilestoneOverdue({ status: 'pending', dueOn: '2026-03-10' }, today)).to.equal(true);
      expect(commitmentStatus({ terminatedOn: null }, [{ status: 'pending', dueOn: '2026-03-10' }], today)).to.equal('overdue');
    });

    it('and a minute before midnight in Shanghai it is still the due day', () => {
      const today = shanghaiDate(new Date('2026-03-10T15:59:00Z'));
      expect(today).to.equal('2026-03-10');
      expect(isMilestoneOverdue({ status: 'pending', dueOn: '2026-03-10' }, today)).to.equal(false);
    });

    it('never marks a closed milestone overdue', () => {
      for (const status of ['fulfilled', 'waived', 'breached'] as const) {
        expect(isMilestoneOverdue({ status, dueOn: '2020-01-01' }, TODAY), status).to.equal(false);
      }
    });
  });

  describe('milestone status from its facts', () => {
    it('is pending without facts, partial with a counted fulfilment, fulfilled when one completes it', () => {
      expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [] })).to.deep.equal({ status: 'pending', completedOn: null });
      expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [fulfilment()] })).to.deep.equal({ status: 'partial', completedOn: null });
      expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [fulfilment(), fulfilment({ fulfilledOn: '2026-03-05', completes: true })] })).to.deep.equal({
        status: 'fulfilled',
        completedOn: '2026-03-05',
      });
    });

    it('leaves the milestone open while a waiver is pending or after it was refused', () => {
      expect(milestoneState({ breached: false, waiverDecisions: ['pending'], fulfilments: [] }).status).to.equal('pending');
      expect(milestoneState({ breached: false, waiverDecisions: ['refused'], fulfilments: [fulfilment()] }).status).to.equal('partial');
      expect(milestoneState({ breached: false, waiverDecisions: ['refused', 'confirmed'], fulfilments: [] }).status).to.equal('waived');
    });

    it('is breached once a breach is recorded', () => {
      expect(milestoneState({ breached: true, waiverDecisions: [], fulfilments: [fulfilment()] }).status).to.equal('breached');
    });

    it('does not count a disputed fulfilment until the auditors uphold it', () => {
      const completing = { completes: true, fulfilledOn: '2026-03-02' };
      expect(fulfilmentCounts({ enterpriseResponse: 'confirmed', disputeStatus: null })).to.equal(true);
      for (const response of ['partly', 'not_at_all'] as const) {
        expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [fulfilment({ ...completing, enterpriseResponse: response, disputeStatus: 'open' })] }).status).to.equal('pending');
        expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [fulfilment({ ...completing, enterpriseResponse: response, disputeStatus: 'rejected' })] }).status).to.equal('pending');
        expect(milestoneState({ breached: false, waiverDecisions: [], fulfilments: [fulfilment({ ...completing, enterpriseResponse: response, disputeStatus: 'upheld' })] })).to.deep.equal({
          status: 'fulfilled',
          completedOn: '2026-03-02',
        });
      }
    });

    it('takes completedOn from a counted completing fulfilment only', () => {
      const state = milestoneState({
        breached: false,
        waiverDecisions: [],
        fulfilments: [fulfilment({ fulfilledOn: '2026-02-01', completes: true, enterpriseResponse: 'not_at_all', disputeStatus: 'rejected' }), fulfilment({ fulfilledOn: '2026-02-20', completes: true })],
      });
      expect(state).to.deep.equal({ status: 'fulfilled', completedOn: '2026-02-20' });
    });
  });

  describe('commitment status', () => {
    const open = { terminatedOn: null };
    it('is in progress while milestones are owed and none is late', () => {
      expect(commitmentStatus(open, [{ status: 'pending', dueOn: TODAY }, { status: 'fulfilled', dueOn: '2026-01-01' }], TODAY)).to.equal('in_progress');
    });

    it('is overdue when an open milestone is past due', () => {
      expect(commitmentStatus(open, [{ status: 'partial', dueOn: '2026-03-10' }, { status: 'pending', dueOn: '2026-06-01' }], TODAY)).to.equal('overdue');
    });

    it('counts a milestone with a pending waiver as open, so it is still overdue', () => {
      const pendingWaiver = milestoneState({ breached: false, waiverDecisions: ['pending'], fulfilments: [] }).status;
      expect(commitmentStatus(open, [{ status: pendingWaiver, dueOn: '2026-03-01' }], TODAY)).to.equal('overdue');
    });

    it('is fulfilled when every milestone is fulfilled or waived', () => {
      expect(commitmentStatus(open, [{ status: 'fulfilled', dueOn: '2026-01-01' }, { status: 'waived', dueOn: '2026-02-01' }], TODAY)).to.equal('fulfilled');
    });

    it('puts breached above overdue', () => {
      expect(commitmentStatus(open, [{ status: 'breached', dueOn: '2026-06-01' }, { status: 'pending', dueOn: '2026-01-01' }], TODAY)).to.equal('breached');
    });

    it('puts terminated above everything', () => {
      expect(commitmentStatus({ terminatedOn: '2026-02-01' }, [{ status: 'breached', dueOn: '2026-01-01' }, { status: 'pending', dueOn: '2026-01-01' }], TODAY)).to.equal('terminated');
      expect(commitmentStatus({ terminatedOn: '2026-02-01' }, [{ status: 'fulfilled', dueOn: '2026-01-01' }], TODAY)).to.equal('terminated');
    });
  });

  describe('overdue after a handover', () => {
    it('marks milestones that fell due on or after the latest handover and are overdue', () => {
      const handovers = ['2025-06-01', '2026-01-15'];
      expect(overdueAfterHandover({ status: 'pending', dueOn: '2026-02-01' }, handovers, TODAY)).to.equal(true);
      expect(overdueAfterHandover({ status: 'pending', dueOn: '2026-01-15' }, handovers, TODAY)).to.equal(true);
      expect(overdueAfterHandover({ status: 'pending', dueOn: '2026-01-14' }, handovers, TODAY), 'fell overdue under the previous official').to.equal(false);
    });

    it('does not mark milestones that are not overdue, or without any handover', () => {
      expect(overdueAfterHandover({ status: 'fulfilled', dueOn: '2026-02-01' }, ['2026-01-15'], TODAY)).to.equal(false);
      expect(overdueAfterHandover({ status: 'pending', dueOn: TODAY }, ['2026-01-15'], TODAY)).to.equal(false);
      expect(overdueAfterHandover({ status: 'pending', dueOn: '2026-02-01' }, [], TODAY)).to.equal(false);
    });
  });

  describe('on-time fulfilment rate', () => {
    it('takes milestones due in the twelve months up to today and counts those completed by their due date', () => {
      const result = onTimeFulfilmentRate(
        [
          { status: 'fulfilled', dueOn: '2026-03-01', completedOn: '2026-03-01' }, // on time (on the day)
          { status: 'fulfilled', dueOn: '2026-01-10', completedOn: '2026-01-11' }, // a day late
          { status: 'pending', dueOn: '2025-12-01', completedOn: null }, // overdue
          { status: 'breached', dueOn: '2025-09-01', completedOn: null },
          { status: 'fulfilled', dueOn: '2025-03-12', completedOn: '2025-03-01' }, // first day of the window
          { status: 'fulfilled', dueOn: '2025-03-11', completedOn: '2025-03-01' }, // a year ago: outside
          { status: 'waived', dueOn: '2026-02-01', completedOn: null }, // not owed
          { status: 'pending', dueOn: TODAY, completedOn: null }, // not late yet
          { status: 'pending', dueOn: '2026-04-01', completedOn: null }, // not due yet
        ],
        TODAY,
      );
      expect(result).to.deep.equal({ due: 5, onTime: 2, rate: 0.4 });
    });

    it('has no rate when nothing fell due', () => {
      expect(onTimeFulfilmentRate([{ status: 'pending', dueOn: '2026-05-01', completedOn: null }], TODAY)).to.deep.equal({ due: 0, onTime: 0, rate: null });
    });

    it('goes back one calendar year, 29 February to 28 February', () => {
      expect(oneYearBefore('2028-02-29')).to.equal('2027-02-28');
      expect(oneYearBefore('2026-03-11')).to.equal('2025-03-11');
    });
  });

  describe('amounts', () => {
    it('refuses a fulfilment that goes past the milestone amount and says by how much', () => {
      expect(overFulfilment(100_000, 60_000, 40_000)).to.equal(null);
      expect(overFulfilment(100_000, 60_000, 50_000)).to.deep.equal({ excessFen: 10_000, remainingFen: 40_000 });
    });

    it('lets amounts be recorded freely where the milestone or the fulfilment has none', () => {
      expect(overFulfilment(null, 0, 999_999)).to.equal(null);
      expect(overFulfilment(100, 100, null)).to.equal(null);
    });

    it('says by how much the milestones exceed the total', () => {
      expect(milestoneAmountsExcess(1000, [400, null, 600])).to.equal(null);
      expect(milestoneAmountsExcess(1000, [400, 700])).to.equal(100);
    });
  });

  describe('a ledger row’s arrears', () => {
    it('counts the days an open milestone is past due, and none for one due today or settled', () => {
      expect(overdueDays({ status: 'pending', dueOn: '2026-03-01' }, TODAY)).to.equal(10);
      expect(overdueDays({ status: 'partial', dueOn: '2025-03-11' }, TODAY)).to.equal(365);
      expect(overdueDays({ status: 'pending', dueOn: TODAY }, TODAY)).to.equal(null);
      expect(overdueDays({ status: 'fulfilled', dueOn: '2026-03-01' }, TODAY)).to.equal(null);
      expect(overdueDays({ status: 'breached', dueOn: '2026-03-01' }, TODAY)).to.equal(null);
    });

    it('owes the amount less what was fulfilled, nothing once fulfilled or waived, and says nothing without an amount', () => {
      expect(outstandingFen({ status: 'partial', amountFen: 100_000 }, 30_000)).to.equal(70_000);
      expect(outstandingFen({ status: 'breached', amountFen: 100_000 }, 30_000)).to.equal(70_000);
      expect(outstandingFen({ status: 'pending', amountFen: 100_000 }, 120_000)).to.equal(0);
      expect(outstandingFen({ status: 'fulfilled', amountFen: 100_000 }, 60_000), 'completed for less').to.equal(0);
      expect(outstandingFen({ status: 'waived', amountFen: 100_000 }, 0)).to.equal(0);
      expect(outstandingFen({ status: 'pending', amountFen: null }, 0)).to.equal(null);
    });
  });
});
