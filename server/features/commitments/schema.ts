import { z } from 'zod';
import { calendarDate } from '../../http/validate.ts';

export const COMMITMENT_KINDS = ['contract', 'policy', 'investment', 'other'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/** Most a single amount may be, in fen: 10^15 fen, a trillion yuan times ten, far below 2^53. */
const MAX_FEN = 1_000_000_000_000_000;
const fen = z.number('validation.invalid').int('validation.invalid').min(0, 'validation.tooSmall').max(MAX_FEN, 'validation.tooBig');

export const milestoneInputSchema = z.object({
  /** When editing: the existing milestone this row is. Rows without one are new milestones. */
  id: z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').nullish(),
  description: z.string('validation.required').trim().min(1, 'validation.required').max(500, 'validation.tooLong'),
  dueOn: calendarDate,
  amountFen: fen.nullish(),
});

/**
 * A new commitment with its milestones: the API's JSON body, and what the form and the import
 * turn their input into before the service sees it.
 */
export const commitmentInputSchema = z.object({
  kind: z.enum(COMMITMENT_KINDS, 'validation.invalidOption'),
  title: z.string('validation.required').trim().min(1, 'validation.required').max(300, 'validation.tooLong'),
  referenceNo: z.string('validation.required').trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  agencyId: z.number('validation.required').int('validation.invalid').positive('validation.invalid'),
  enterpriseId: z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').nullish(),
  basis: z.string().trim().max(2000, 'validation.tooLong').nullish(),
  signedOn: calendarDate,
  amountFen: fen,
  responsibleOfficial: z.string('validation.required').trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  isPublic: z.boolean('validation.invalid'),
  milestones: z.array(milestoneInputSchema, 'validation.required').min(1, 'commitments:errors.noMilestones').max(500, 'validation.tooBig'),
});
export type CommitmentInput = z.infer<typeof commitmentInputSchema>;
export type MilestoneInput = z.infer<typeof milestoneInputSchema>;

export const COMMITMENT_STATUS_FILTERS = ['in_progress', 'overdue', 'breached', 'fulfilled', 'terminated'] as const;
export const COMMITMENT_SORT_KEYS = ['signed_desc', 'signed_asc', 'next_due_asc', 'amount_desc', 'title_asc'] as const;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryDate = z.preprocess(blankToUndefined, calendarDate.optional());
const optionalQueryId = z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').optional());

/**
 * The filters of a commitments list, from a page's query string or the API's: the list page, its
 * CSV/Excel export and GET /api/v1/commitments all read them through this one schema.
 */
export const commitmentFiltersSchema = z.object({
  kind: z.preprocess(blankToUndefined, z.enum(COMMITMENT_KINDS, 'validation.invalidOption').optional()),
  status: z.preprocess(blankToUndefined, z.enum(COMMITMENT_STATUS_FILTERS, 'validation.invalidOption').optional()),
  dueFrom: optionalQueryDate,
  dueTo: optionalQueryDate,
  enterpriseId: optionalQueryId,
  agencyId: optionalQueryId,
  /** With agencyId: the agencies beneath it too (a district's streets, the city's districts). */
  subordinates: z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || undefined, z.literal(true).optional()),
  q: z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : undefined), z.string().max(100, 'validation.tooLong').optional()),
  sort: z.preprocess(blankToUndefined, z.enum(COMMITMENT_SORT_KEYS, 'validation.invalidOption').optional()),
});
export type CommitmentFilterInput = z.infer<typeof commitmentFiltersSchema>;
