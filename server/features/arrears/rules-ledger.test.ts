import { expect } from 'chai';
import { ledgerPosition } from './rules-ledger.ts';

describe('ledgerPosition', () => {
  const row = { outstandingFen: 100_000, disputedFen: 0, dueOn: '2026-01-31' };

  it('is not overdue on the due date, and one day past due the day after', () => {
    expect(ledgerPosition(row, '2026-01-31')).to.deep.equal({ undisputedOutstandingFen: 100_000, overdue: false, daysPastDue: null, ageingBucket: null });
    expect(ledgerPosition(row, '2026-02-01')).to.include({ overdue: true, daysPastDue: 1, ageingBucket: '0-30' });
    expect(ledgerPosition(row, '2026-03-02')).to.include({ daysPastDue: 30, ageingBucket: '0-30' });
    expect(ledgerPosition(row, '2026-03-03')).to.include({ daysPastDue: 31, ageingBucket: '31-90' });
  });

  it('owes nothing overdue when all that is left is disputed (Art. 15 counts the undisputed part only)', () => {
    expect(ledgerPosition({ ...row, disputedFen: 100_000 }, '2026-06-01')).to.include({ undisputedOutstandingFen: 0, overdue: false, ageingBucket: null });
    expect(ledgerPosition({ ...row, disputedFen: 40_000 }, '2026-06-01')).to.include({ undisputedOutstandingFen: 60_000, overdue: true });
    expect(ledgerPosition({ ...row, outstandingFen: 30_000, disputedFen: 40_000 }, '2026-06-01')).to.include({ undisputedOutstandingFen: 0, overdue: false });
  });

  it('is never overdue once cleared', () => {
    expect(ledgerPosition({ ...row, outstandingFen: 0 }, '2027-06-01')).to.include({ overdue: false, daysPastDue: null });
  });
});
