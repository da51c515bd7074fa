import { z } from 'zod';
import { calendarDate } from '../../http/validate.ts';
import { ARREARS_CATEGORIES } from './rules.ts';

/** Most a single amount may be, in fen: 10^15 fen, far below 2^53. */
const MAX_FEN = 1_000_000_000_000_000;
const fen = z.number('validation.invalid').int('validation.invalid').min(0, 'validation.tooSmall').max(MAX_FEN, 'validation.tooBig');
const positiveFen = fen.min(1, 'validation.tooSmall');
const id = z.number('validation.required').int('validation.invalid').positive('validation.invalid');

/** An annual percentage as exact decimal text: '3.45' (up to four decimals, below 100). */
export const annualRate = z.string('validation.invalid').trim().regex(/^\d{1,2}(\.\d{1,4})?$/, 'arrears:errors.rate');

/**
 * A new arrears: the API's JSON body, and what the form and the import turn their input into
 * before the service sees it. dueOn is the agreed due date; without one the statutory 30 days apply.
 */
export const arrearsInputSchema = z
  .object({
    agencyId: id,
    enterpriseId: id,
    category: z.enum(ARREARS_CATEGORIES, 'validation.invalidOption'),
    contractRef: z.string().trim().max(100, 'validation.tooLong').nullish(),
    contractSignedOn: calendarDate.nullish(),
    principalFen: positiveFen,
    acceptedOn: calendarDate,
    dueOn: calendarDate.nullish(),
    disputedFen: fen.nullish(),
    agreedAnnualRate: annualRate.nullish(),
    commitmentId: id.nullish(),
    responsibleOfficial: z.string().trim().max(100, 'validation.tooLong').nullish(),
    description: z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.dueOn && v.dueOn < v.acceptedOn) ctx.addIssue({ code: 'custom', path: ['dueOn'], message: 'arrears:errors.dueBeforeAccepted' });
    if ((v.disputedFen ?? 0) > v.principalFen) ctx.addIssue({ code: 'custom', path: ['disputedFen'], message: 'arrears:errors.disputedOverPrincipal' });
  });
export type ArrearsInput = z.infer<typeof arrearsInputSchema>;

export const paymentInputSchema = z.object({
  amountFen: positiveFen,
  paidOn: calendarDate,
  voucherNo: z.string('validation.required').trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  note: z.string().trim().max(2000, 'validation.tooLong').nullish(),
});
export type PaymentInput = z.infer<typeof paymentInputSchema>;

export const reasonSchema = z.object({
  reason: z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
});
