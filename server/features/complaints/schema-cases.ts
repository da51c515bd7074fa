import { z } from 'zod';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from './rules.ts';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryId = z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').optional());

/**
 * The filters of the case lists, from a page's query string or the API's: the list page, the overdue
 * queue and GET /api/v1/complaints read them through this one schema. `agencyId` is the agency a case
 * is against (auditors; another role's scope already narrows it).
 */
export const caseFiltersSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(COMPLAINT_STATUSES, 'validation.invalidOption').optional()),
  category: z.preprocess(blankToUndefined, z.enum(COMPLAINT_CATEGORIES, 'validation.invalidOption').optional()),
  overdue: z.preprocess((v) => (v === true || v === 'true' ? 'yes' : v === false || v === 'false' ? 'no' : blankToUndefined(v)), z.enum(['yes', 'no'], 'validation.invalidOption').optional()),
  agencyId: optionalQueryId,
});
export type CaseFilters = z.output<typeof caseFiltersSchema>;
