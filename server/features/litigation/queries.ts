import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { CaseRow, HearingRow } from './repository.ts';
import { caseStatus, ratesOfCounts, type CaseStatus, type LitigationRates } from './rules.ts';
import type { LitigationFilters } from './schema.ts';

/** Which agencies' cases a user's register holds: every agency for the auditors, its own for an officer. */
export type RegisterScope = { kind: 'all' } | { kind: 'agency'; agencyId: number } | { kind: 'none' };

export function registerScope(user: SessionUser): RegisterScope {
  if (user.role === 'auditor') return { kind: 'all' };
  if (user.role === 'officer' && user.agencyId !== null) return { kind: 'agency', agencyId: user.agencyId };
  return { kind: 'none' };
}

function applyScope(qb: Knex.QueryBuilder, scope: RegisterScope, agencyColumn: string): Knex.QueryBuilder {
  if (scope.kind === 'all') return qb;
  if (scope.kind === 'agency') return qb.where(agencyColumn, scope.agencyId);
  return qb.whereRaw('1 = 0');
}

export interface CaseFacts {
  id: number;
  agencyId: number;
  agencyName: string;
  caseNo: string;
  court: string;
  plaintiff: string;
  plaintiffEnterpriseId: number | null;
  plaintiffEnterpriseName: string | null;
  cause: string | null;
  filedOn: string;
  outcome: string | null;
  concludedOn: string | null;
  status: CaseStatus;
}

export interface CaseListRow extends CaseFacts {
  hearingCount: number;
  /** Hearings the head did not attend. */
  missedCount: number;
  lastHearingOn: string | null;
}

export interface HearingFacts {
  id: number;
  hearingOn: string;
  headAppeared: boolean;
  headSpoke: boolean;
  headName: string | null;
  appearedInstead: string | null;
  note: string | null;
}

const CASE_COLUMNS = ['c.id', 'c.agency_id', 'g.name as agency_name', 'c.case_no', 'c.court', 'c.plaintiff', 'c.plaintiff_enterprise_id', 'e.name as enterprise_name', 'c.cause', 'c.filed_on', 'c.outcome', 'c.concluded_on'];

/** A case row with the names CASE_COLUMNS joins in. */
interface CaseSelectRow extends Omit<CaseRow, 'created_by' | 'created_at' | 'updated_at'> {
  agency_name: string;
  enterprise_name: string | null;
}

function caseFacts(r: CaseSelectRow): CaseFacts {
  return {
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    agencyName: r.agency_name,
    caseNo: r.case_no,
    court: r.court,
    plaintiff: r.plaintiff,
    plaintiffEnterpriseId: r.plaintiff_enterprise_id === null ? null : Number(r.plaintiff_enterprise_id),
    plaintiffEnterpriseName: r.enterprise_name,
    cause: r.cause,
    filedOn: r.filed_on,
    outcome: r.outcome,
    concludedOn: r.concluded_on,
    status: caseStatus({ concludedOn: r.concluded_on }),
  };
}

function casesQuery(db: Knex): Knex.QueryBuilder {
  return db('litigation_cases as c').join('agencies as g', 'g.id', 'c.agency_id').leftJoin('enterprises as e', 'e.id', 'c.plaintiff_enterprise_id');
}

/** One case with its agency's and plaintiff's names, whoever asks (the use case decides who may). */
export async function caseFactsOf(db: Knex, id: number): Promise<CaseFacts | null> {
  const row: CaseSelectRow | undefined = await casesQuery(db).where('c.id', id).first(CASE_COLUMNS);
  return row ? caseFacts(row) : null;
}

/**
 * The cases of the register a scope holds, matching the filters: of one agency, pending or concluded,
 * whose number, court, plaintiff or cause holds the text, and open at some time in the period (filed
 * by its end, not concluded before its start). Newest filed first.
 */
export async function listCases(db: Knex, scope: RegisterScope, filters: LitigationFilters, page: number, pageSize: number): Promise<{ items: CaseListRow[]; total: number }> {
  const q = applyScope(casesQuery(db), scope, 'c.agency_id');
  if (filters.agencyId) q.where('c.agency_id', filters.agencyId);
  if (filters.status === 'pending') q.whereNull('c.concluded_on');
  if (filters.status === 'concluded') q.whereNotNull('c.concluded_on');
  if (filters.q) whereContains(q, ['c.case_no', 'c.court', 'c.plaintiff', 'c.cause'], filters.q);
  if (filters.to) q.where('c.filed_on', '<=', filters.to);
  if (filters.from) q.where((w) => w.whereNull('c.concluded_on').orWhere('c.concluded_on', '>=', filters.from!));
  const [{ n }] = await q.clone().clearSelect().count({ n: '*' });
  const rows: Array<CaseSelectRow & { hearing_count: number; missed_count: number; last_hearing_on: string | null }> = await q
    .clone()
    .select(CASE_COLUMNS)
    .select(db.raw('(SELECT COUNT(*) FROM litigation_hearings h WHERE h.case_id = c.id) AS hearing_count'))
    .select(db.raw('(SELECT COUNT(*) FROM litigation_hearings h WHERE h.case_id = c.id AND NOT h.head_appeared) AS missed_count'))
    .select(db.raw('(SELECT MAX(h.hearing_on) FROM litigation_hearings h WHERE h.case_id = c.id) AS last_hearing_on'))
    .orderBy([{ column: 'c.filed_on', order: 'desc' }, { column: 'c.id', order: 'desc' }])
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    items: rows.map((r) => ({ ...caseFacts(r), hearingCount: Number(r.hearing_count), missedCount: Number(r.missed_count), lastHearingOn: r.last_hearing_on })),
    total: Number(n),
  };
}

export function hearingFacts(h: HearingRow): HearingFacts {
  return {
    id: Number(h.id),
    hearingOn: h.hearing_on,
    headAppeared: Boolean(h.head_appeared),
    headSpoke: Boolean(h.head_spoke),
    headName: h.head_name,
    appearedInstead: h.appeared_instead,
    note: h.note,
  };
}

/** The hearings of the cases, each case's in the order they were held. */
export async function hearingsOfCases(db: Knex, caseIds: number[]): Promise<Map<number, HearingFacts[]>> {
  const byCase = new Map<number, HearingFacts[]>(caseIds.map((id) => [id, []]));
  if (!caseIds.length) return byCase;
  const rows: HearingRow[] = await db('litigation_hearings').whereIn('case_id', caseIds).orderBy([{ column: 'hearing_on' }, { column: 'id' }]);
  for (const r of rows) byCase.get(Number(r.case_id))?.push(hearingFacts(r));
  return byCase;
}

/** An agency's hearings of a period, added up, with the rates they give. */
export interface AgencyRates extends LitigationRates {
  agencyId: number;
  agencyName: string;
  appeared: number;
  spoke: number;
}

/**
 * The hearings of the period (from–to, inclusive) per agency of the scope, added up in SQL: how many,
 * how many the head attended, how many the head attended and spoke; the rates of rules.ts
 * litigationRates() from them (rates-sql.test.ts proves the two agree). Every agency of the scope is
 * listed, those without a hearing too (with no rate).
 */
export async function ratesByAgency(db: Knex, scope: RegisterScope, period: { from: string; to: string }, agencyId?: number): Promise<AgencyRates[]> {
  const q = applyScope(db('agencies as g'), scope, 'g.id')
    .leftJoin('litigation_cases as c', 'c.agency_id', 'g.id')
    .leftJoin('litigation_hearings as h', (j) => j.on('h.case_id', 'c.id').andOnVal('h.hearing_on', '>=', period.from).andOnVal('h.hearing_on', '<=', period.to))
    .groupBy('g.id', 'g.name')
    .orderBy('g.id')
    .select('g.id', 'g.name')
    .select(db.raw('COUNT(h.id) AS hearings'))
    .select(db.raw('SUM(CASE WHEN h.head_appeared THEN 1 ELSE 0 END) AS appeared'))
    .select(db.raw('SUM(CASE WHEN h.head_appeared AND h.head_spoke THEN 1 ELSE 0 END) AS spoke'));
  if (agencyId) q.where('g.id', agencyId);
  const rows: Array<{ id: number; name: string; hearings: number | string; appeared: number | string | null; spoke: number | string | null }> = await q;
  return rows.map((r) => {
    const counts = { hearings: Number(r.hearings), appeared: Number(r.appeared ?? 0), spoke: Number(r.spoke ?? 0) };
    return { agencyId: Number(r.id), agencyName: r.name, ...counts, ...ratesOfCounts(counts) };
  });
}

/** The rates of several agencies together (the whole city's, for the auditors). */
export function totalRates(rows: AgencyRates[]): LitigationRates & { appeared: number; spoke: number } {
  const counts = rows.reduce((sum, r) => ({ hearings: sum.hearings + r.hearings, appeared: sum.appeared + r.appeared, spoke: sum.spoke + r.spoke }), { hearings: 0, appeared: 0, spoke: 0 });
  return { ...counts, ...ratesOfCounts(counts) };
}
