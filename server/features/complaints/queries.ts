import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import { mayKnowComplainant } from './policy.ts';
import { caseFacts, scopeOf, type ComplaintRow } from './repository.ts';
import { mayRate, type ComplaintCategory, type ComplaintStatus } from './rules.ts';
import { HANDLING_STEPS, overdueOn } from './rules-cases.ts';
import type { CaseFilters } from './schema-cases.ts';

/*
 * The case lists in SQL: the scope, the filters, the order and a page. Whether a case is overdue is
 * rules-cases.overdueOn over the stored awaited step and its due date (saveFacts keeps them), with
 * today as the one binding; status-sql.test.ts proves the stored columns and this filter equal to the rules.
 */

/** What a list says of a case; the complainant is null where the viewer may not know it (the name is withheld). */
export interface CaseListRow {
  id: number;
  agencyId: number;
  agencyName: string;
  forwardedToAgencyId: number | null;
  forwardedToAgencyName: string | null;
  complainant: { id: number; name: string } | null;
  withholdName: boolean;
  category: ComplaintCategory;
  statement: string;
  amountClaimedFen: number | null;
  status: ComplaintStatus;
  submittedOn: string;
  currentStep: string | null;
  currentDueOn: string | null;
  overdue: boolean;
}

/** rules-cases.overdueOn in SQL: a handling step awaited past its due date, bound to today. */
const OVERDUE_SQL = `(c.current_due_on IS NOT NULL AND c.current_step IN (${HANDLING_STEPS.map((s) => `'${s}'`).join(', ')}) AND c.current_due_on < ?)`;

/** An officer reads the cases against its agency and those forwarded to it; an enterprise its own; auditors all. */
function applyScope(qb: Knex.QueryBuilder, scope: ListScope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'all':
      return qb;
    case 'agency':
      return qb.where((w) => w.where('c.agency_id', scope.agencyId).orWhere('c.forwarded_to_agency_id', scope.agencyId));
    case 'enterprise':
      return qb.where('c.enterprise_id', scope.enterpriseId);
    default:
      return qb.whereRaw('1 = 0');
  }
}

function matchingCases(db: Knex, scope: ListScope, f: CaseFilters, today: string): Knex.QueryBuilder {
  const qb = applyScope(db('complaints as c'), scope);
  if (f.status) qb.where('c.status', f.status);
  if (f.category) qb.where('c.category', f.category);
  if (f.agencyId) qb.where('c.agency_id', f.agencyId);
  if (f.overdue === 'yes') qb.whereRaw(OVERDUE_SQL, [today]);
  if (f.overdue === 'no') qb.whereRaw(`NOT ${OVERDUE_SQL}`, [today]);
  return qb;
}

/** 'deadline': the nearest due date first (the longest overdue at the top), closed cases last; 'newest': the latest filed first. */
export type CaseOrder = 'deadline' | 'newest';

function ordered(qb: Knex.QueryBuilder, order: CaseOrder): Knex.QueryBuilder {
  if (order === 'newest') return qb.orderBy([{ column: 'c.submitted_on', order: 'desc' }, { column: 'c.id', order: 'desc' }]);
  // NULL sorts first on SQLite and last on PostgreSQL: say where it goes.
  return qb.orderByRaw('CASE WHEN c.current_due_on IS NULL THEN 1 ELSE 0 END, c.current_due_on ASC, c.id ASC');
}

type RawRow = Pick<ComplaintRow, 'id' | 'agency_id' | 'enterprise_id' | 'forwarded_to_agency_id' | 'category' | 'statement' | 'amount_claimed_fen' | 'withhold_name' | 'name_disclosed_reason' | 'status' | 'submitted_on' | 'current_step' | 'current_due_on'> & {
  agency_name: string;
  forwarded_name: string | null;
  enterprise_name: string;
};

/** The list rows of some cases in the order of `ids`, the complainant left out where this user may not know it. */
export async function caseRowsByIds(db: Knex, ids: number[], user: SessionUser, today: string): Promise<CaseListRow[]> {
  if (!ids.length) return [];
  const raw: RawRow[] = await db('complaints as c')
    .join('agencies as g', 'g.id', 'c.agency_id')
    .leftJoin('agencies as f', 'f.id', 'c.forwarded_to_agency_id')
    .join('enterprises as e', 'e.id', 'c.enterprise_id')
    .whereIn('c.id', ids)
    .select(
      'c.id', 'c.agency_id', 'g.name as agency_name', 'c.forwarded_to_agency_id', 'f.name as forwarded_name', 'c.enterprise_id', 'e.name as enterprise_name',
      'c.category', 'c.statement', 'c.amount_claimed_fen', 'c.withhold_name', 'c.name_disclosed_reason', 'c.status', 'c.submitted_on', 'c.current_step', 'c.current_due_on',
    );
  const byId = new Map(raw.map((r) => {
    const withholdName = Boolean(r.withhold_name);
    const known = mayKnowComplainant(user, { ...scopeOf(r), withholdName, nameDisclosed: r.name_disclosed_reason !== null });
    const row: CaseListRow = {
      id: Number(r.id),
      agencyId: Number(r.agency_id),
      agencyName: r.agency_name,
      forwardedToAgencyId: r.forwarded_to_agency_id === null ? null : Number(r.forwarded_to_agency_id),
      forwardedToAgencyName: r.forwarded_name,
      complainant: known ? { id: Number(r.enterprise_id), name: r.enterprise_name } : null,
      withholdName,
      category: r.category,
      statement: r.statement,
      amountClaimedFen: r.amount_claimed_fen === null ? null : Number(r.amount_claimed_fen),
      status: r.status,
      submittedOn: r.submitted_on,
      currentStep: r.current_step,
      currentDueOn: r.current_due_on,
      overdue: overdueOn({ step: r.current_step, dueOn: r.current_due_on }, today),
    };
    return [row.id, row];
  }));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One page of cases: the page's ids chosen over the complaints alone (filtered, ordered, cut in SQL), then only those rows read. */
export async function listCases(db: Knex, user: SessionUser, scope: ListScope, filters: CaseFilters, order: CaseOrder, page: number, pageSize: number, today: string): Promise<{ items: CaseListRow[]; total: number }> {
  const [{ n }] = await matchingCases(db, scope, filters, today).count({ n: '*' });
  const ids: number[] = (await ordered(matchingCases(db, scope, filters, today).select('c.id'), order).limit(pageSize).offset((page - 1) * pageSize)).map((r: { id: number }) => Number(r.id));
  return { items: await caseRowsByIds(db, ids, user, today), total: Number(n) };
}

/** Every case id the filters keep, unpaged (for tests that compare the SQL with the rules). */
export async function filteredCaseIds(db: Knex, scope: ListScope, filters: CaseFilters, today: string): Promise<number[]> {
  const rows: Array<{ id: number }> = await matchingCases(db, scope, filters, today).select('c.id').orderBy('c.id');
  return rows.map((r) => Number(r.id));
}

/** A resolved case of the enterprise it may rate now (mayRate: any follow-up visit it is owed has been made). */
export interface CaseToRate {
  id: number;
  agencyName: string;
  category: ComplaintCategory;
  resolvedOn: string;
  rateByOn: string | null;
}

/** The enterprise's resolved cases waiting for its rating, the one whose window closes first at the top. */
export async function casesAwaitingRating(db: Knex, enterpriseId: number): Promise<CaseToRate[]> {
  const rows: Array<ComplaintRow & { agency_name: string }> = await db('complaints as c')
    .join('agencies as g', 'g.id', 'c.agency_id')
    .where({ 'c.enterprise_id': enterpriseId, 'c.status': 'resolved' })
    .orderByRaw('CASE WHEN c.current_due_on IS NULL THEN 1 ELSE 0 END, c.current_due_on ASC, c.id ASC')
    .select('c.*', 'g.name as agency_name');
  return rows
    .filter((r) => mayRate(caseFacts(r)))
    .map((r) => ({ id: Number(r.id), agencyName: r.agency_name, category: r.category, resolvedOn: r.resolved_on!, rateByOn: r.current_step === 'rate' ? r.current_due_on : null }));
}

/** The enterprise's commitments and arrears a case may be linked to (each with the agency it is with), for the filing form's choices. */
export async function linkableRecords(db: Knex, enterpriseId: number): Promise<{ commitments: Array<{ id: number; label: string; agencyName: string }>; arrears: Array<{ id: number; label: string; agencyName: string }> }> {
  const [commitments, arrears] = await Promise.all([
    db('commitments as c').join('agencies as g', 'g.id', 'c.agency_id').where('c.enterprise_id', enterpriseId).orderBy([{ column: 'g.name' }, { column: 'c.id', order: 'desc' }]).select('c.id', 'c.reference_no', 'c.title', 'g.name as agency_name') as Promise<Array<{ id: number; reference_no: string; title: string; agency_name: string }>>,
    db('arrears as a').join('agencies as g', 'g.id', 'a.agency_id').where('a.enterprise_id', enterpriseId).orderBy([{ column: 'g.name' }, { column: 'a.id', order: 'desc' }]).select('a.id', 'a.contract_ref', 'a.description', 'g.name as agency_name') as Promise<Array<{ id: number; contract_ref: string | null; description: string; agency_name: string }>>,
  ]);
  return {
    commitments: commitments.map((c) => ({ id: Number(c.id), label: `${c.reference_no} ${c.title}`, agencyName: c.agency_name })),
    arrears: arrears.map((a) => ({ id: Number(a.id), label: a.contract_ref ? `${a.contract_ref} ${a.description}` : a.description, agencyName: a.agency_name })),
  };
}
