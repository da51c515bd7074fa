import { daysBetween } from '../../domain/dates.ts';
import { ageingBucket, type AgeingBucket } from './rules.ts';

/**
 * What the ledger shows of an arrears as of a date, from its stored outstanding amount alone (no
 * payments read): the stored amount counts every payment so far, and payments are never dated ahead,
 * so this equals rules.arrearsPosition as of today or later. status-sql.test.ts proves it.
 */
export function ledgerPosition(
  row: { outstandingFen: number; disputedFen: number; dueOn: string },
  asOf: string,
): { undisputedOutstandingFen: number; overdue: boolean; daysPastDue: number | null; ageingBucket: AgeingBucket | null } {
  const undisputedOutstandingFen = Math.max(0, row.outstandingFen - row.disputedFen);
  const overdue = undisputedOutstandingFen > 0 && asOf > row.dueOn;
  const daysPastDue = overdue ? daysBetween(row.dueOn, asOf) : null;
  return { undisputedOutstandingFen, overdue, daysPastDue, ageingBucket: daysPastDue === null ? null : ageingBucket(daysPastDue) };
}
