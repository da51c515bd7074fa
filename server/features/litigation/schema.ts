import { z } from 'zod';
import { calendarDate } from '../../http/validate.ts';
import { CASE_STATUSES } from './rules.ts';

const id = z.number('validation.required').int('validation.invalid').positive('validation.invalid');
/** Text that may be left out: blank text is no text (null). */
const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v), z.string('validation.invalid').max(max, 'validation.tooLong').nullish());
const requiredText = (max: number) => z.string('validation.required').trim().min(1, 'validation.required').max(max, 'validation.tooLong');

/**
 * A case of the register: the API's JSON body, and what the form turns its fields into. The plaintiff
 * is a name, or a registered enterprise (whose name it then defaults to); the outcome and the date
 * the case concluded are recorded together.
 */
export const caseInputSchema = z
  .object({
    agencyId: id,
    caseNo: requiredText(100),
    court: requiredText(200),
    plaintiff: optionalText(200),
    plaintiffEnterpriseId: id.nullish(),
    cause: optionalText(2000),
    filedOn: calendarDate,
    outcome: optionalText(2000),
    concludedOn: calendarDate.nullish(),
  })
  .superRefine((v, ctx) => {
    if (!v.plaintiff && !v.plaintiffEnterpriseId) ctx.addIssue({ code: 'custom', path: ['plaintiff'], message: 'litigation:errors.plaintiffMissing' });
    if (v.concludedOn && v.concludedOn < v.filedOn) ctx.addIssue({ code: 'custom', path: ['concludedOn'], message: 'litigation:errors.concludedBeforeFiled' });
    if (v.outcome && !v.concludedOn) ctx.addIssue({ code: 'custom', path: ['concludedOn'], message: 'litigation:errors.concludedOnMissing' });
    if (v.concludedOn && !v.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'litigation:errors.outcomeMissing' });
    // Run even when other fields failed, so that every error shows at once: these comparisons bear values that are themselves at fault.
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });
export type CaseInput = z.infer<typeof caseInputSchema>;

/** One hearing of a case: whether the agency's head appeared (出庭) and spoke (出声), and who stood in. */
export const hearingInputSchema = z.object({
  hearingOn: calendarDate,
  headAppeared: z.boolean('validation.required'),
  headSpoke: z.boolean('validation.required'),
  headName: optionalText(100),
  appearedInstead: optionalText(200),
  note: optionalText(2000),
});
export type HearingInput = z.infer<typeof hearingInputSchema>;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const queryDate = z.preprocess(blankToUndefined, calendarDate.optional());

/**
 * The register's filters and the rates' period, from a page's query string or the API's: the cases of
 * an agency (auditors choose; officers have their own), pending or concluded, matching a text, and
 * the period (from–to, inclusive) whose hearings the rates count.
 */
export const litigationFiltersSchema = z
  .object({
    agencyId: z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), id.optional()),
    status: z.preprocess(blankToUndefined, z.enum(CASE_STATUSES, 'validation.invalidOption').optional()),
    q: z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : undefined), z.string().max(100, 'validation.tooLong').optional()),
    from: queryDate,
    to: queryDate,
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'litigation:errors.periodReversed' });
  });
export type LitigationFilters = z.output<typeof litigationFiltersSchema>;
