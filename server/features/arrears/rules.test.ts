import { expect } from 'chai';
import { addDays } from '../../domain/dates.ts';
import {
  ageingBucket,
  ageingDueRange,
  AGEING_BUCKETS,
  arrearsPosition,
  checkAgainstLpr,
  disclosureFigures,
  disclosureLate,
  dueDate,
  instalmentStates,
  isNewArrears,
  lateInterest,
  nonCompliantTerm,
  overdueAfterHandover,
  overpayment,
  paymentCounts,
  planMismatch,
  storedPosition,
  type PaymentFacts,
} from './rules.ts';

const D = '2026-03-01';
const payment = (amountFen: number, paidOn: string, over: Partial<PaymentFacts> = {}): PaymentFacts => ({ amountFen, paidOn, reversed: false, creditorResponse: null, disputeStatus: null, ...over });
const debt = (over: Partial<{ principalFen: number; disputedFen: number; dueOn: string; agreedAnnualRate: string | null }> = {}) => ({
  principalFen: 1_000_000,
  disputedFen: 0,
  dueOn: D,
  agreedAnnualRate: null,
  ...over,
});
const LPR = [
  { effectiveOn: '2024-10-21', percent: '3.10' },
  { effectiveOn: '2025-05-20', percent: '3.00' },
];

describe('arrears rules', () => {
  describe('payment term', () => {
    it('falls due 30 days after acceptance when no date was agreed, and on the agreed date when one was', () => {
      expect(dueDate({ acceptedOn: '2026-01-31', agreedDueOn: null })).to.equal('2026-03-02');
      expect(dueDate({ acceptedOn: '2026-01-31', agreedDueOn: '2026-05-01' })).to.equal('2026-05-01');
    });

    it('flags a term over 60 days for small, medium and micro creditors only', () => {
      const ninety = { acceptedOn: '2026-01-01', dueOn: addDays('2026-01-01', 90) };
      const sixty = { acceptedOn: '2026-01-01', dueOn: addDays('2026-01-01', 60) };
      for (const scale of ['small', 'medium', 'micro'] as const) expect(nonCompliantTerm(scale, ninety), scale).to.equal(true);
      expect(nonCompliantTerm('large', ninety)).to.equal(false);
      expect(nonCompliantTerm('small', sixty)).to.equal(false);
      expect(nonCompliantTerm('small', { acceptedOn: '2026-01-01', dueOn: addDays('2026-01-01', 61) })).to.equal(true);
    });
  });

  describe('what counts as paid', () => {
    it('leaves out reversed payments and disputed ones the auditors have not upheld', () => {
      expect(paymentCounts({ reversed: false, creditorResponse: null, disputeStatus: null })).to.equal(true);
      expect(paymentCounts({ reversed: false, creditorResponse: 'confirmed', disputeStatus: null })).to.equal(true);
      expect(paymentCounts({ reversed: true, creditorResponse: 'confirmed', disputeStatus: null })).to.equal(false);
      expect(paymentCounts({ reversed: false, creditorResponse: 'disputed', disputeStatus: 'open' })).to.equal(false);
      expect(paymentCounts({ reversed: false, creditorResponse: 'disputed', disputeStatus: 'rejected' })).to.equal(false);
      expect(paymentCounts({ reversed: false, creditorResponse: 'disputed', disputeStatus: 'upheld' })).to.equal(true);
    });

    it('derives outstanding and status, and a reversal restores the outstanding amount', () => {
      const paid = [payment(400_000, '2026-03-05')];
      expect(arrearsPosition(debt(), [], '2026-03-10')).to.include({ paidFen: 0, outstandingFen: 1_000_000, status: 'outstanding' });
      expect(arrearsPosition(debt(), paid, '2026-03-10')).to.include({ paidFen: 400_000, outstandingFen: 600_000, status: 'partly_cleared' });
      expect(arrearsPosition(debt(), [payment(400_000, '2026-03-05', { reversed: true })], '2026-03-10')).to.include({ outstandingFen: 1_000_000, status: 'outstanding' });
      const cleared = arrearsPosition(debt(), [...paid, payment(600_000, '2026-03-08')], '2026-03-10');
      expect(cleared).to.include({ outstandingFen: 0, status: 'cleared', clearedOn: '2026-03-08', overdue: false, ageingBucket: null });
    });

    it('counts only payments made by the as-of date', () => {
      const p = [payment(400_000, '2026-03-05')];
      expect(arrearsPosition(debt(), p, '2026-03-04').paidFen).to.equal(0);
      expect(arrearsPosition(debt(), p, '2026-03-05').paidFen).to.equal(400_000);
    });

    it('stores the position with every payment counted', () => {
      expect(storedPosition(debt(), [payment(1_000_000, '2026-03-05')])).to.deep.equal({ paidFen: 1_000_000, outstandingFen: 0, status: 'cleared', clearedOn: '2026-03-05' });
    });

    it('refuses a payment over the undisputed outstanding amount, naming the most that may be paid', () => {
      expect(overpayment(600_000, 600_000)).to.equal(null);
      expect(overpayment(600_000, 600_001)).to.deep.equal({ maxFen: 600_000 });
    });
  });

  describe('ageing', () => {
    it('puts the bucket edges where the ledger says', () => {
      const cases: Array<[number, string]> = [[1, '0-30'], [30, '0-30'], [31, '31-90'], [90, '31-90'], [91, '91-180'], [180, '91-180'], [181, '181-365'], [365, '181-365'], [366, '365+'], [2000, '365+']];
      for (const [days, bucket] of cases) expect(ageingBucket(days), String(days)).to.equal(bucket);
    });

    it('is not overdue on the due date, and is the day after', () => {
      expect(arrearsPosition(debt(), [], D)).to.include({ overdue: false, daysPastDue: null, ageingBucket: null });
      expect(arrearsPosition(debt(), [], addDays(D, 1))).to.include({ overdue: true, daysPastDue: 1, ageingBucket: '0-30' });
    });

    it('the due-date range of each bucket holds exactly the dates the bucket rule puts in it', () => {
      const asOf = '2026-11-29';
      for (const { bucket } of AGEING_BUCKETS) {
        const { from, to } = ageingDueRange(bucket, asOf);
        expect(arrearsPosition(debt({ dueOn: to }), [], asOf).ageingBucket, `${bucket} to`).to.equal(bucket);
        expect(arrearsPosition(debt({ dueOn: addDays(to, 1) }), [], asOf).ageingBucket, `${bucket} after`).to.not.equal(bucket);
        if (from) {
          expect(arrearsPosition(debt({ dueOn: from }), [], asOf).ageingBucket, `${bucket} from`).to.equal(bucket);
          expect(arrearsPosition(debt({ dueOn: addDays(from, -1) }), [], asOf).ageingBucket, `${bucket} before`).to.not.equal(bucket);
        }
      }
    });

    it('a disputed remainder is owed but not overdue: the undisputed part is what falls due', () => {
      const p = arrearsPosition(debt({ disputedFen: 300_000 }), [payment(700_000, '2026-02-20')], '2026-04-01');
      expect(p).to.include({ outstandingFen: 300_000, undisputedOutstandingFen: 0, status: 'partly_cleared', overdue: false });
      expect(arrearsPosition(debt({ disputedFen: 300_000 }), [], '2026-04-01')).to.include({ undisputedOutstandingFen: 700_000, overdue: true });
    });
  });

  describe('late interest', () => {
    it('follows the worked example: 1,000,000 due on D, 400,000 paid on D+10, as of D+30 is 11,000 fen', () => {
      const r = lateInterest(debt(), [payment(400_000, addDays(D, 10))], addDays(D, 30));
      expect(r.totalFen).to.equal(11_000);
      expect(r.segments).to.deep.equal([
        { amountFen: 400_000, from: addDays(D, 1), to: addDays(D, 10), days: 10, kind: 'paid' },
        { amountFen: 600_000, from: addDays(D, 1), to: addDays(D, 30), days: 30, kind: 'unpaid' },
      ]);
    });

    it('runs on the undisputed part only, and not at all on payments made in time', () => {
      expect(lateInterest(debt({ disputedFen: 400_000 }), [], addDays(D, 10)).totalFen).to.equal(3_000);
      expect(lateInterest(debt(), [payment(1_000_000, D)], addDays(D, 30)).totalFen).to.equal(0);
      expect(lateInterest(debt(), [], D).totalFen).to.equal(0);
    });

    it('leaves out a reversed payment and a disputed one: they accrue as unpaid', () => {
      const asOf = addDays(D, 30);
      const expected = lateInterest(debt(), [], asOf).totalFen;
      expect(lateInterest(debt(), [payment(400_000, addDays(D, 10), { reversed: true })], asOf).totalFen).to.equal(expected);
      expect(lateInterest(debt(), [payment(400_000, addDays(D, 10), { creditorResponse: 'disputed', disputeStatus: 'open' })], asOf).totalFen).to.equal(expected);
    });

    it('uses an agreed annual rate over 365 days and rounds once at the end, half up', () => {
      // 1,000 fen × 3.65% × 1/365 = 0.1 fen a day: ten one-day amounts give 1 fen, not ten roundings of 0.
      const r = lateInterest(debt({ principalFen: 10_000, agreedAnnualRate: '3.65' }), [], addDays(D, 1));
      expect(r.rate).to.deep.equal({ kind: 'agreed_annual', annualPercent: '3.65' });
      expect(r.totalFen).to.equal(1);
      const paidInTen = Array.from({ length: 10 }, () => payment(1_000, addDays(D, 1)));
      expect(lateInterest(debt({ principalFen: 10_000, agreedAnnualRate: '3.65' }), paidInTen, addDays(D, 5)).totalFen).to.equal(1);
      // 0.5 fen rounds up: 1,000 fen × 0.0005 × 1 day.
      expect(lateInterest(debt({ principalFen: 1_000 }), [], addDays(D, 1)).totalFen).to.equal(1);
      expect(lateInterest(debt({ principalFen: 999 }), [], addDays(D, 1)).totalFen).to.equal(0);
    });
  });

  describe('the LPR floor', () => {
    it('flags an agreed rate below the LPR in force on the contract date', () => {
      expect(checkAgainstLpr({ agreedAnnualRate: '3.05', contractSignedOn: '2025-01-10', acceptedOn: '2025-06-01' }, LPR)).to.deep.include({ result: 'below', date: '2025-01-10' });
      expect(checkAgainstLpr({ agreedAnnualRate: '3.05', contractSignedOn: '2025-05-20', acceptedOn: '2025-06-01' }, LPR)).to.deep.include({ result: 'not_below' });
      expect(checkAgainstLpr({ agreedAnnualRate: '3.1', contractSignedOn: '2025-01-10', acceptedOn: '2025-06-01' }, LPR).result).to.equal('not_below');
    });

    it('uses the acceptance date without a contract date, and says so when no LPR is known', () => {
      expect(checkAgainstLpr({ agreedAnnualRate: '3.05', contractSignedOn: null, acceptedOn: '2025-06-01' }, LPR).result).to.equal('not_below');
      expect(checkAgainstLpr({ agreedAnnualRate: '3.05', contractSignedOn: '2019-01-01', acceptedOn: '2025-06-01' }, LPR)).to.deep.equal({ result: 'lpr_unknown', date: '2019-01-01' });
      expect(checkAgainstLpr({ agreedAnnualRate: null, contractSignedOn: null, acceptedOn: '2025-06-01' }, LPR)).to.deep.equal({ result: 'no_agreed_rate' });
    });
  });

  it('flags overdue arrears that fell due on or after the latest handover', () => {
    const overdue = { overdue: true };
    expect(overdueAfterHandover(overdue, '2026-03-01', ['2026-02-01'])).to.equal(true);
    expect(overdueAfterHandover(overdue, '2026-01-31', ['2026-02-01'])).to.equal(false);
    expect(overdueAfterHandover({ overdue: false }, '2026-03-01', ['2026-02-01'])).to.equal(false);
    expect(overdueAfterHandover(overdue, '2026-03-01', [])).to.equal(false);
  });

  describe('repayment plans', () => {
    it('must add up to the outstanding amount', () => {
      expect(planMismatch(600_000, [300_000, 300_000])).to.equal(null);
      expect(planMismatch(600_000, [300_000, 200_000])).to.equal(-100_000);
      expect(planMismatch(600_000, [300_000, 400_000])).to.equal(100_000);
    });

    it('flags an instalment missed once its date has passed short, counting payments since the plan cumulatively', () => {
      const plan = { paidFenAtStart: 400_000, instalments: [{ seq: 1, dueOn: '2026-04-01', amountFen: 300_000 }, { seq: 2, dueOn: '2026-05-01', amountFen: 300_000 }] };
      const payments = [payment(400_000, '2026-02-01'), payment(200_000, '2026-03-20')];
      const [first, second] = instalmentStates(plan, payments, '2026-04-02');
      expect(first).to.include({ cumulativeFen: 300_000, paidByDueFen: 200_000, missed: true, shortFen: 100_000 });
      expect(second).to.include({ missed: false });
      expect(instalmentStates(plan, payments, '2026-04-01')[0]!.missed, 'not on its due day').to.equal(false);
      const caughtUp = instalmentStates(plan, [...payments, payment(400_000, '2026-04-30')], '2026-05-02');
      expect(caughtUp.map((i) => i.missed)).to.deep.equal([true, false]);
    });
  });

  it('new arrears fell due after the start and are still unpaid', () => {
    expect(isNewArrears(debt({ dueOn: '2026-06-02' }), [], '2026-06-01', '2026-07-01')).to.equal(true);
    expect(isNewArrears(debt({ dueOn: '2026-06-01' }), [], '2026-06-01', '2026-07-01')).to.equal(false);
    expect(isNewArrears(debt({ dueOn: '2026-06-02' }), [payment(1_000_000, '2026-06-10')], '2026-06-01', '2026-07-01')).to.equal(false);
  });

  describe('the annual disclosure', () => {
    it('counts SME contracts still overdue at the year end and their undisputed unpaid amount', () => {
      const items = [
        { facts: debt({ dueOn: '2025-11-01' }), creditorScale: 'small' as const, payments: [payment(250_000, '2025-12-01')] },
        { facts: debt({ dueOn: '2025-11-01', disputedFen: 100_000 }), creditorScale: 'micro' as const, payments: [] },
        { facts: debt({ dueOn: '2025-11-01' }), creditorScale: 'large' as const, payments: [] },
        { facts: debt({ dueOn: '2025-12-31' }), creditorScale: 'medium' as const, payments: [] },
        { facts: debt({ dueOn: '2025-11-01' }), creditorScale: 'small' as const, payments: [payment(1_000_000, '2025-12-30')] },
        { facts: debt({ dueOn: '2025-11-01' }), creditorScale: 'small' as const, payments: [payment(1_000_000, '2026-01-05')] },
      ];
      expect(disclosureFigures(items, 2025)).to.deep.equal({ overdueCount: 3, overdueFen: 750_000 + 900_000 + 1_000_000 });
    });

    it('is late when published after 31 March of the next year, or unpublished once that has passed', () => {
      expect(disclosureLate(2025, '2026-03-31', '2026-11-29')).to.equal(false);
      expect(disclosureLate(2025, '2026-04-01', '2026-11-29')).to.equal(true);
      expect(disclosureLate(2025, null, '2026-03-31')).to.equal(false);
      expect(disclosureLate(2025, null, '2026-04-01')).to.equal(true);
    });
  });
});
