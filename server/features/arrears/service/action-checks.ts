import { isValidDate } from '../../../domain/dates.ts';
import { fieldError } from '../../../http/errors.ts';

/*
 * The checks the payments slice's use cases run on their input inside their transaction. Each throws
 * the field error (422) the user sees beside the field.
 */

/** Free text a use case requires (a reason, a note): trimmed, not empty, not too long. */
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

/** The date of something that has happened: a real date, not after today, not before `notBefore` (with the error that names it). */
export function pastDate(path: string, date: string, today: string, notBefore?: { date: string; key: string }): string {
  if (!isValidDate(date)) throw fieldError(path, 'validation.date');
  if (date > today) throw fieldError(path, 'arrears:payments.errors.futureDate', { today });
  if (notBefore && date < notBefore.date) throw fieldError(path, notBefore.key, { date: notBefore.date });
  return date;
}
