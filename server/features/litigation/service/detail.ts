import type { Knex } from 'knex';
import { timelineOf, type TimelineEntry } from '../../../audit/timeline.ts';
import { assertMayActForAgency, authorize } from '../../../auth/policy.ts';
import type { SessionUser } from '../../../auth/types.ts';
import { LITIGATION } from '../policy.ts';
import { caseFactsOf, hearingsOfCases, ratesByAgency, registerScope, totalRates, type AgencyRates, type CaseFacts, type HearingFacts } from '../queries.ts';
import { defaultPeriod, type LitigationRates } from '../rules.ts';
import type { LitigationFilters } from '../schema.ts';

/** Reading the register: one case with its hearings and history, and the rates of a period. */

export interface CaseDetail extends CaseFacts {
  hearings: HearingFacts[];
  timeline: TimelineEntry[];
}

/** One case for a user who may read it (another agency's officers and everyone else: 404). */
export async function caseDetail(db: Knex, user: SessionUser, id: number): Promise<CaseDetail> {
  const facts = await caseFactsOf(db, id);
  authorize(user, LITIGATION.read, facts, LITIGATION.read);
  const [hearings, timeline] = await Promise.all([hearingsOfCases(db, [id]), timelineOf(db, 'litigation_case', id)]);
  return { ...facts, hearings: hearings.get(id)!, timeline };
}

export interface RatesReport {
  period: { from: string; to: string };
  /** The agency asked for, or null for every agency of the user's scope. */
  agencyId: number | null;
  agencies: AgencyRates[];
  total: LitigationRates & { appeared: number; spoke: number };
}

/**
 * The appearance and speaking rates of a period (the year to date unless asked) per agency the user
 * may read: the auditors every agency or the one they ask for, an officer its own (another agency
 * answers 403, naming why).
 */
export async function litigationRatesReport(db: Knex, user: SessionUser, filters: Pick<LitigationFilters, 'agencyId' | 'from' | 'to'>, today: string): Promise<RatesReport> {
  if (user.role === 'officer' && filters.agencyId !== undefined) assertMayActForAgency(user, filters.agencyId);
  // Without a start, the period is the year to date of its end.
  const fallback = defaultPeriod(filters.to ?? today);
  const period = { from: filters.from ?? fallback.from, to: fallback.to };
  const agencies = await ratesByAgency(db, registerScope(user), period, filters.agencyId);
  return { period, agencyId: filters.agencyId ?? null, agencies, total: totalRates(agencies) };
}
