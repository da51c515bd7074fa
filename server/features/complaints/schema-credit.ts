import { z } from 'zod';
import { isValidDate } from '../../domain/dates.ts';

/** The filters of the credit record and the statistics, read from a query string. */

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryId = z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').optional());
const optionalDate = z.preprocess(blankToUndefined, z.string('validation.date').refine(isValidDate, 'validation.date').optional());

export const creditRecordFiltersSchema = z.object({
  agencyId: optionalQueryId,
  repaired: z.preprocess(blankToUndefined, z.enum(['yes', 'no'], 'validation.invalidOption').optional()),
  /** The year of the finding. */
  year: z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').min(2000, 'validation.tooSmall').max(2100, 'validation.tooBig').optional()),
});
export type CreditRecordFilters = z.output<typeof creditRecordFiltersSchema>;

export const statisticsFiltersSchema = z
  .object({ from: optionalDate, to: optionalDate, agencyId: optionalQueryId })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'complaints:statistics.errors.toBeforeFrom' });
export type StatisticsFilters = z.output<typeof statisticsFiltersSchema>;

/** The repair form: the date the agency performed (or the auditor confirmed it) and what it did. */
export const repairFormSchema = z.object({
  repairedOn: z.string('validation.required').trim().min(1, 'validation.required'),
  note: z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
});
