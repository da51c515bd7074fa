import { z } from 'zod';
import { optionalText, requiredText } from '../../http/validate.ts';
import { RATING_LEVELS } from './rules.ts';

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

const workingDays = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string('validation.required').min(1, 'validation.required').regex(/^\d{1,4}$/, 'validation.invalid').transform(Number));

export const deadlineSetFormSchema = z.object({
  acceptDays: workingDays,
  resolveDays: workingDays,
  rectifyDays: workingDays,
  followUpDays: workingDays,
  autoCloseDays: workingDays,
  note: optionalText(500),
});
