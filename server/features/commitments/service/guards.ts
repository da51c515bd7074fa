import { isValidDate } from '../../../domain/dates.ts';
import { formatYuan } from '../../../domain/money.ts';
import { conflict, fieldError, type FieldError } from '../../../http/errors.ts';
import type { CommitmentScope, MilestoneRow } from '../repository.ts';
import { isMilestoneOpen, milestoneAmountsExcess } from '../rules.ts';
import type { CommitmentInput } from '../schema.ts';

/*
 * The checks the use cases run on their input and on the record's state, inside their transaction.
 * Each throws the error the user sees: a field error (422) or a conflict with the record's state (409).
 */

/** Free text a use case requires (a reason, a note, findings): trimmed, not empty, not too long. */
export function requiredText(path: string, value: string | null | undefined, max = 2000): string {
  const text = (value ?? '').trim();
  if (!text) throw fieldError(path, 'validation.required');
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text;
}

export function optionalText(path: string, value: string | null | undefined, max = 2000): string | null {
  const text = (value ?? '').trim();
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text || null;
}

/** A date of something that has happened: a real date, not after today, not before `notBefore`. */
export function pastDate(path: string, date: string, today: string, notBefore?: { date: string; key: string }): string {
  if (!isValidDate(date)) throw fieldError(path, 'validation.date');
  if (date > today) throw fieldError(path, 'commitments:errors.futureDate', { today });
  if (notBefore && date < notBefore.date) throw fieldError(path, notBefore.key, { date: notBefore.date });
  return date;
}

export const notBeforeSigning = (scope: { signedOn: string }) => ({ date: scope.signedOn, key: 'commitments:errors.beforeSigned' });

export function assertNotTerminated(scope: Pick<CommitmentScope, 'terminatedOn'>): void {
  if (scope.terminatedOn) throw conflict('commitments:errors.terminated', { date: scope.terminatedOn });
}

export function assertMilestoneOpen(m: MilestoneRow): void {
  if (!isMilestoneOpen(m.status)) throw conflict('commitments:errors.milestoneNotOpen', { description: m.description, status: m.status });
}

/** Business rules on a commitment's input beyond its schema (the import checks rows with it too). */
export function commitmentInputErrors(input: CommitmentInput): FieldError[] {
  const excess = milestoneAmountsExcess(input.amountFen, input.milestones.map((m) => m.amountFen));
  return excess === null ? [] : [{ path: 'milestones', key: 'commitments:errors.milestonesExceedTotal', params: { excess: formatYuan(excess), total: formatYuan(input.amountFen) } }];
}
