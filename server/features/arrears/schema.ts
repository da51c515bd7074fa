import { z } from 'zod';
import { calendarDate } from '../../http/validate.ts';
import { AGEING_BUCKETS, ARREARS_CATEGORIES, ARREARS_STATUSES, type AgeingBucket } from './rules.ts';

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

export const ARREARS_SORT_KEYS = ['overdue_desc', 'due_asc', 'due_desc', 'outstanding_desc', 'principal_desc'] as const;
export type ArrearsSort = (typeof ARREARS_SORT_KEYS)[number];

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryId = z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').optional());
/** A yes/no filter: 'yes' or 'no' keeps the rows that are or are not; blank keeps both. */
const yesNo = z.preprocess(blankToUndefined, z.enum(['yes', 'no'], 'validation.invalidOption').optional());

/**
 * The filters of the arrears ledger, from a page's query string or the API's: the ledger page, its
 * CSV/Excel export and GET /api/v1/arrears all read them through this one schema.
 */
export const arrearsFiltersSchema = z.object({
  category: z.preprocess(blankToUndefined, z.enum(ARREARS_CATEGORIES, 'validation.invalidOption').optional()),
  status: z.preprocess(blankToUndefined, z.enum(ARREARS_STATUSES, 'validation.invalidOption').optional()),
  ageing: z.preprocess(blankToUndefined, z.enum(AGEING_BUCKETS.map((b) => b.bucket) as [AgeingBucket, ...AgeingBucket[]], 'validation.invalidOption').optional()),
  /** Undisputed money still owed after the due date, whatever its age. */
  overdue: yesNo,
  disputed: yesNo,
  nonCompliant: yesNo,
  enterpriseId: optionalQueryId,
  agencyId: optionalQueryId,
  q: z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : undefined), z.string().max(100, 'validation.tooLong').optional()),
  sort: z.preprocess(blankToUndefined, z.enum(ARREARS_SORT_KEYS, 'validation.invalidOption').optional()),
});
export type ArrearsFilters = z.output<typeof arrearsFiltersSchema>;
