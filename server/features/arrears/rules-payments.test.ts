import { expect } from 'chai';
import type { PaymentFacts } from './rules.ts';
import { overdueInstalments, scheduleProblems } from './rules-payments.ts';

const paid = (amountFen: number, paidOn: string, over: Partial<PaymentFacts> = {}): PaymentFacts => ({ amountFen, paidOn, reversed: false, creditorResponse: null, disputeStatus: null, ...over });

describe('arrears payment rules', () => {
  describe('scheduleProblems', () => {
    const today = '2026-03-10';

    it('accepts dates running strictly forward from today', () => {
      expect(scheduleProblems(['2026-03-10', '2026-04-10', '2026-05-10'], today)).to.deep.equal([]);
    });

    it('refuses a date already past, naming today', () => {
      expect(scheduleProblems(['2026-03-09', '2026-04-10'], today)).to.deep.equal([{ index: 0, problem: 'past', today }]);
    });

    it('refuses a date on or before the one before it, naming that date', () => {
      expect(scheduleProblems(['2026-04-10', '2026-04-10', '2026-04-01'], today)).to.deep.equal([
        { index: 1, problem: 'notAfterPrevious', previousDueOn: '2026-04-10' },
        { index: 2, problem: 'notAfterPrevious', previousDueOn: '2026-04-10' },
      ]);
    });
  });

  describe('overdueInstalments', () => {
    const plan = {
      paidFenAtStart: 100_000,
      instalments: [
        { seq: 1, dueOn: '2026-01-31', amountFen: 300_000 },
        { seq: 2, dueOn: '2026-02-28', amountFen: 300_000 },
        { seq: 3, dueOn: '2026-03-31', amountFen: 300_000 },
      ],
    };
    const before = paid(100_000, '2025-12-01');

    it('lists the missed instalments with what they still lack, not those to come', () => {
      const overdue = overdueInstalments(plan, [before, paid(300_000, '2026-01-30'), paid(100_000, '2026-02-20')], '2026-03-10');
      expect(overdue.map((s) => [s.seq, s.shortFen, s.stillShortFen])).to.deep.equal([[2, 200_000, 200_000]]);
    });

    it('drops a missed instalment once later payments make it up, and ignores payments that do not count', () => {
      const late = paid(300_000, '2026-02-05');
      expect(overdueInstalments(plan, [before, late], '2026-03-10').map((s) => s.seq)).to.deep.equal([2]);
      expect(overdueInstalments(plan, [before, late, paid(300_000, '2026-03-01')], '2026-03-10')).to.deep.equal([]);
      const disputed = paid(300_000, '2026-03-01', { creditorResponse: 'disputed', disputeStatus: 'open' });
      expect(overdueInstalments(plan, [before, late, disputed], '2026-03-10').map((s) => s.seq)).to.deep.equal([2]);
    });
  });
});
