import { z } from 'zod';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { optionalText, requiredText } from '../../http/validate.ts';
import { DEADLINE_DAYS_MAX, DEADLINE_DAYS_MIN, DEADLINE_FIELDS, deadlineDaysProblems } from './rules-handling.ts';
import { DEFAULT_DEADLINE_DAYS, RATING_LEVELS, type DeadlineDays } from './rules.ts';

/*
 * The handling forms: what their fields are called and how a post becomes the use case's input. A
 * step's note is optional here: whether the step needs one is the state machine's rule, and its
 * refusal names the field.
 */

export const stepFormSchema = z.object({ note: optionalText(5000) });

export const ratingFormSchema = z.object({
  level: z.enum(RATING_LEVELS, 'validation.invalidOption'),
  comment: optionalText(2000),
});

export const appealFormSchema = z.object({ reason: requiredText(2000) });

export const appealDecisionFormSchema = z.object({
  decision: z.enum(['upheld', 'voided'], 'validation.invalidOption'),
  note: requiredText(2000),
});

export const disclosureFormSchema = z.object({ reason: requiredText(2000) });

/** The deadline set form: every field's problem at once, a range error naming the range. */
export function readDeadlineSetForm(body: Record<string, unknown>): { days: DeadlineDays; note: string | null } {
  const errors: FieldError[] = [];
  const days = {} as DeadlineDays;
  for (const field of DEADLINE_FIELDS) {
    const raw = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
    if (!raw) errors.push({ path: field, key: 'validation.required' });
    else if (!/^\d{1,4}$/.test(raw) || deadlineDaysProblems({ ...DEFAULT_DEADLINE_DAYS, [field]: Number(raw) }).length) {
      errors.push({ path: field, key: 'complaints:handling.deadlines.errors.range', params: { min: DEADLINE_DAYS_MIN, max: DEADLINE_DAYS_MAX } });
    } else days[field] = Number(raw);
  }
  const note = typeof body.note === 'string' ? body.note.trim() : '';
  if (note.length > 500) errors.push({ path: 'note', key: 'validation.tooLong', params: { max: 500 } });
  if (errors.length) throw new ValidationError(errors);
  return { days, note: note || null };
}
