import type { Knex } from 'knex';
import { z } from 'zod';
import { listScope } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import { HttpError, fieldError, notFound } from '../../http/errors.ts';
import { calendarDate } from '../../http/validate.ts';
import { arrearsSummary, type ArrearsSummary } from './summary.ts';

/** The summary's query string (API and dashboard): a blank value is a value not given. */
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
export const summaryQuerySchema = z.object({
  agencyId: z.preprocess((v) => (blank(v) === undefined ? undefined : Number(v)), z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').optional()),
  asOf: z.preprocess(blank, calendarDate.optional()),
  since: z.preprocess(blank, calendarDate.optional()),
});
export type SummaryQuery = z.output<typeof summaryQuerySchema>;

/**
 * The clearance summary a user asked for, within their scope (an officer its agency, an enterprise
 * what is owed to it, an auditor everything), as of a date (default today). An officer naming another
 * agency is refused (403, as when it names one to register for); an agency that does not exist is 404.
 */
export async function summaryForUser(db: Knex, user: SessionUser, query: SummaryQuery, today: string): Promise<ArrearsSummary> {
  const asOf = query.asOf ?? today;
  if (query.since !== undefined && query.since > asOf) throw fieldError('since', 'arrears:dashboard.errors.sinceAfterAsOf');
  if (query.agencyId !== undefined) {
    if (user.role === 'officer' && query.agencyId !== user.agencyId) throw new HttpError(403, 'forbidden', 'arrears:dashboard.errors.otherAgency');
    if (!(await db('agencies').where({ id: query.agencyId }).first('id'))) throw notFound();
  }
  return arrearsSummary(db, listScope(user), { asOf, agencyId: query.agencyId, since: query.since });
}
