import { z } from 'zod';
import { COMPLAINT_ACTIONS, COMPLAINT_CATEGORIES, RATING_LEVELS } from './rules.ts';

const MAX_FEN = 1_000_000_000_000_000;
const id = z.number('validation.required').int('validation.invalid').positive('validation.invalid');

/** A new case: the API's JSON body, and what the form turns its input into before the service sees it. */
export const complaintInputSchema = z.object({
  agencyId: id,
  category: z.enum(COMPLAINT_CATEGORIES, 'validation.invalidOption'),
  statement: z.string('validation.required').trim().min(1, 'validation.required').max(5000, 'validation.tooLong'),
  commitmentId: id.nullish(),
  arrearsId: id.nullish(),
  amountClaimedFen: z.number('validation.invalid').int('validation.invalid').min(0, 'validation.tooSmall').max(MAX_FEN, 'validation.tooBig').nullish(),
  withholdName: z.boolean('validation.invalid').nullish(),
});
export type ComplaintInput = z.infer<typeof complaintInputSchema>;

export const transitionInputSchema = z.object({
  action: z.enum(COMPLAINT_ACTIONS, 'validation.invalidOption'),
  note: z.string().trim().max(5000, 'validation.tooLong').nullish(),
});
export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const ratingInputSchema = z.object({
  level: z.enum(RATING_LEVELS, 'validation.invalidOption'),
  comment: z.string().trim().max(2000, 'validation.tooLong').nullish(),
});
export type RatingInput = z.infer<typeof ratingInputSchema>;
