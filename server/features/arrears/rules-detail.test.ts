import { expect } from 'chai';
import { addDays } from '../../domain/dates.ts';
import { interestWorking } from './rules-detail.ts';
import { lateInterest, type PaymentFacts } from './rules.ts';

const D = '2026-03-01';
const payment = (amountFen: number, paidOn: string): PaymentFacts => ({ amountFen, paidOn, reversed: false, creditorResponse: null, disputeStatus: null });

describe('arrears rules: the working of late interest', () => {
  it('shows the issue’s example segment by segment: ¥20 paid late + ¥90 unpaid, ¥110.00 after the one rounding', () => {
    const r = lateInterest({ principalFen: 1_000_000, disputedFen: 0, dueOn: D, agreedAnnualRate: null }, [payment(400_000, addDays(D, 10))], addDays(D, 30));
    const w = interestWorking(r.rate, r.segments);
    expect(w.segments.map((s) => [s.amountFen, s.days, s.interest.yuan, s.interest.exact])).to.deep.equal([
      [400_000, 10, '20.0000', true],
      [600_000, 30, '90.0000', true],
    ]);
    expect(w.sum).to.deep.equal({ yuan: '110.0000', exact: true });
    expect(w.totalFen).to.equal(11_000).and.to.equal(r.totalFen);
  });

  it('keeps fractions of a fen until the end and says when four decimals are not the whole value', () => {
    // 10,000 fen at 3.65% a year for 1 day: exactly 1 fen; for 2 days of 3,333 fen at 3.45%: 0.6301… fen.
    const rate = { kind: 'agreed_annual', annualPercent: '3.45' } as const;
    const w = interestWorking(rate, [
      { amountFen: 3_333, from: addDays(D, 1), to: addDays(D, 2), days: 2, kind: 'paid' },
      { amountFen: 3_333, from: addDays(D, 1), to: addDays(D, 2), days: 2, kind: 'unpaid' },
    ]);
    expect(w.segments[0]!.interest).to.deep.equal({ yuan: '0.0063', exact: false });
    // 1.2602… fen in all: each segment alone would round to 1 fen (2 fen in all); the one rounding gives 1.
    expect(w.sum).to.deep.equal({ yuan: '0.0126', exact: false });
    expect(w.totalFen).to.equal(1);
    const r = lateInterest({ principalFen: 6_666, disputedFen: 0, dueOn: D, agreedAnnualRate: '3.45' }, [payment(3_333, addDays(D, 2))], addDays(D, 2));
    expect(interestWorking(r.rate, r.segments).totalFen).to.equal(r.totalFen).and.to.equal(1);
  });

  it('writes large sums with thousands separators', () => {
    const w = interestWorking({ kind: 'statutory_daily', perDay: '0.0005' }, [{ amountFen: 1_000_000_000, from: D, to: addDays(D, 99), days: 100, kind: 'unpaid' }]);
    expect(w.sum.yuan).to.equal('500,000.0000');
  });
});
