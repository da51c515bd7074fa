import type { Knex } from 'knex';
import { calendarFor, caseFacts, deadlineDaysOf, type ComplaintRow } from './repository.ts';
import { handlingRates, type HandlingFigures } from './rules.ts';
import { NO_FIGURES, addFigures, caseFigures, earliestRelevantClosing, type Period, type RatingFacts, type StatisticsCase } from './rules-credit.ts';

/*
 * The complaint statistics per agency and period. A step's due date is counted in working days on the
 * shared calendar, which SQL cannot do: the query gathers the cases that can count in the period (by
 * agency, filed by its end, not closed long before its start) with their ratings, and each case is
 * then evaluated by the rules (rules-credit.ts caseFigures over caseDeadlines). Nothing more is stored
 * on the cases; statistics-sql.test.ts proves the narrowing loses no case.
 */

export type HandlingRates = ReturnType<typeof handlingRates>;

export interface AgencyStatistics {
  agencyId: number;
  agencyName: string;
  figures: HandlingFigures;
  rates: HandlingRates;
}

export interface StatisticsReport {
  period: Period;
  agencies: AgencyStatistics[];
  /** Every agency of the report together (for the auditors' overview). */
  total: { figures: HandlingFigures; rates: HandlingRates };
}

type StatisticsRow = Pick<ComplaintRow, 'id' | 'agency_id' | 'status' | 'submitted_on' | 'accepted_on' | 'resolved_on' | 'bad_review_on' | 'rectified_on' | 'followed_up_on' | 'closed_on' | 'close_kind' | 'accept_days' | 'resolve_days' | 'rectify_days' | 'follow_up_days' | 'auto_close_days'>;

const CASE_COLUMNS = ['id', 'agency_id', 'status', 'submitted_on', 'accepted_on', 'resolved_on', 'bad_review_on', 'rectified_on', 'followed_up_on', 'closed_on', 'close_kind', 'accept_days', 'resolve_days', 'rectify_days', 'follow_up_days', 'auto_close_days'];

/** Agencies by id (null: every agency), in the order lists show them. */
async function agenciesOf(db: Knex, agencyIds: number[] | null): Promise<Array<{ id: number; name: string }>> {
  const rows: Array<{ id: number; name: string }> = await db('agencies')
    .modify((q) => (agencyIds === null ? q : q.whereIn('id', agencyIds)))
    .orderBy('id')
    .select('id', 'name');
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

/** The cases of these agencies that can count in the period (see earliestRelevantClosing). */
function candidateCases(db: Knex, agencyIds: number[] | null, period: Period, maxDays: number): Knex.QueryBuilder {
  const closedSince = earliestRelevantClosing(period, maxDays);
  return db('complaints')
    .modify((q) => (agencyIds === null ? q : q.whereIn('agency_id', agencyIds)))
    .where('submitted_on', '<=', period.to)
    .where((q) => q.whereNull('closed_on').orWhere('closed_on', '>=', closedSince));
}

/** The cases and their ratings, as the rules read them, keyed by agency. */
async function gatherCases(db: Knex, agencyIds: number[] | null, period: Period): Promise<{ byAgency: Map<number, StatisticsCase[]>; dates: string[]; maxDays: number }> {
  const longest = await db('complaints').max({ accept: 'accept_days', resolve: 'resolve_days', rectify: 'rectify_days', followUp: 'follow_up_days', autoClose: 'auto_close_days' }).first();
  const dueDays = Math.max(Number(longest?.accept ?? 0), Number(longest?.resolve ?? 0));
  const maxDays = Math.max(dueDays, Number(longest?.rectify ?? 0), Number(longest?.followUp ?? 0), Number(longest?.autoClose ?? 0));
  const rows: StatisticsRow[] = await candidateCases(db, agencyIds, period, dueDays).orderBy('id').select(CASE_COLUMNS);
  const ratingRows: Array<{ complaint_id: number; round: number; level: RatingFacts['level']; rated_on: string; voided: boolean | number }> = await db('complaint_ratings')
    .whereIn('complaint_id', candidateCases(db, agencyIds, period, dueDays).select('id'))
    .orderBy(['complaint_id', 'round'])
    .select('complaint_id', 'round', 'level', 'rated_on', 'voided');
  const ratings = new Map<number, RatingFacts[]>();
  for (const r of ratingRows) {
    const list = ratings.get(Number(r.complaint_id)) ?? [];
    list.push({ round: Number(r.round), level: r.level, ratedOn: r.rated_on, voided: Boolean(r.voided) });
    ratings.set(Number(r.complaint_id), list);
  }
  const byAgency = new Map<number, StatisticsCase[]>();
  for (const row of rows) {
    const list = byAgency.get(Number(row.agency_id)) ?? [];
    list.push({ facts: caseFacts(row as ComplaintRow), days: deadlineDaysOf(row), ratings: ratings.get(Number(row.id)) ?? [] });
    byAgency.set(Number(row.agency_id), list);
  }
  return { byAgency, dates: rows.map((r) => r.submitted_on), maxDays };
}

/**
 * The handling figures and rates of each agency (null: every agency) over the period, as of today.
 * A case counts for the agency it was filed against, also once forwarded to a superior.
 */
export async function complaintStatistics(db: Knex, agencyIds: number[] | null, period: Period, today: string): Promise<StatisticsReport> {
  const [agencies, gathered] = await Promise.all([agenciesOf(db, agencyIds), gatherCases(db, agencyIds, period)]);
  const cal = gathered.dates.length ? await calendarFor(db, [...gathered.dates, today], gathered.maxDays) : null;
  let total = { ...NO_FIGURES };
  const rows = agencies.map((a) => {
    const figures = (gathered.byAgency.get(a.id) ?? []).reduce((sum, c) => addFigures(sum, caseFigures(c, period, today, cal!)), { ...NO_FIGURES });
    total = addFigures(total, figures);
    return { agencyId: a.id, agencyName: a.name, figures, rates: handlingRates(figures) };
  });
  return { period, agencies: rows, total: { figures: total, rates: handlingRates(total) } };
}
