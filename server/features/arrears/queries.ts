import type { Knex } from 'knex';
import { daysBetweenSql, whereContains } from '../../../db/dialect.ts';
import type { ListScope } from '../../auth/policy.ts';
import { handoverDates, paymentFacts, paymentsByArrears, paymentsOf, toFen } from './repository.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { ageingDueRange, lateInterest, MAX_SME_TERM_DAYS, overdueAfterHandover, type AgeingBucket, type ArrearsCategory, type ArrearsStatus } from './rules.ts';
import { ledgerPosition } from './rules-ledger.ts';
import type { ArrearsFilters, ArrearsSort } from './schema.ts';

/*
 * The arrears ledger in SQL: the scope, the filters, the sorts and a page. Whatever a filter decides by
 * a rule (status, overdue, ageing, a non-compliant term) is the rules.ts rule over the stored columns
 * (repository.ts refreshArrears keeps them), with today as the one binding; status-sql.test.ts proves
 * that each filter keeps exactly the arrears the pure rules select.
 */

/** What the ledger, its export and the API list say of an arrears. */
export interface ArrearsListRow {
  id: number;
  agencyId: number;
  agencyName: string;
  enterpriseId: number;
  enterpriseName: string;
  creditCode: string;
  creditorScale: EnterpriseScale;
  category: ArrearsCategory;
  contractRef: string | null;
  contractSignedOn: string | null;
  description: string;
  principalFen: number;
  paidFen: number;
  outstandingFen: number;
  disputedFen: number;
  /** Outstanding less the disputed part: what falls due despite a dispute (Art. 15). */
  undisputedOutstandingFen: number;
  acceptedOn: string;
  agreedDueOn: string | null;
  dueOn: string;
  /** Days from delivery or acceptance to the due date in force. */
  termDays: number;
  agreedAnnualRate: string | null;
  commitmentId: number | null;
  status: ArrearsStatus;
  clearedOn: string | null;
  overdue: boolean;
  daysPastDue: number | null;
  ageingBucket: AgeingBucket | null;
  /** An SME creditor with a term over 60 days (rules.nonCompliantTerm), computed in SQL. */
  nonCompliantTerm: boolean;
  /** Overdue, and fell due on or after the latest handover of the responsible official (Art. 14). */
  overdueAfterHandover: boolean;
}

/** Undisputed money still owed after the due date (rules.arrearsPosition's `overdue`), bound to today. */
const OVERDUE_SQL = '(ar.outstanding_fen > ar.disputed_fen AND ar.due_on < ?)';

/** rules.nonCompliantTerm: an SME creditor (not large) and a due date more than 60 days after acceptance; `e` must be joined. */
function nonCompliantSql(db: Knex): string {
  return `(e.scale <> 'large' AND ${daysBetweenSql(db, 'ar.accepted_on', 'ar.due_on')} > ${MAX_SME_TERM_DAYS})`;
}

function applyScope(qb: Knex.QueryBuilder, scope: ListScope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'all':
      return qb;
    case 'agency':
      return qb.where('ar.agency_id', scope.agencyId);
    case 'enterprise':
      return qb.where('ar.enterprise_id', scope.enterpriseId);
    default:
      return qb.whereRaw('1 = 0');
  }
}

/** Whether the filters read the creditor (its name or scale): only then is `e` joined to choose the ids. */
const needsEnterprise = (f: ArrearsFilters) => Boolean(f.q || f.nonCompliant);

/** Narrows a query over `arrears as ar` (and `enterprises as e` when needsEnterprise) to the scope and the filters. */
function applyFilters(db: Knex, qb: Knex.QueryBuilder, scope: ListScope, f: ArrearsFilters, today: string): Knex.QueryBuilder {
  applyScope(qb, scope);
  if (f.agencyId) qb.where('ar.agency_id', f.agencyId);
  if (f.enterpriseId) qb.where('ar.enterprise_id', f.enterpriseId);
  if (f.category) qb.where('ar.category', f.category);
  if (f.status) qb.where('ar.status', f.status);
  if (f.disputed === 'yes') qb.where('ar.disputed_fen', '>', 0);
  if (f.disputed === 'no') qb.where('ar.disputed_fen', 0);
  if (f.overdue === 'yes') qb.whereRaw(OVERDUE_SQL, [today]);
  if (f.overdue === 'no') qb.whereRaw(`NOT ${OVERDUE_SQL}`, [today]);
  if (f.ageing) {
    const range = ageingDueRange(f.ageing, today);
    qb.whereRaw(OVERDUE_SQL, [today]).where('ar.due_on', '<=', range.to);
    if (range.from) qb.where('ar.due_on', '>=', range.from);
  }
  if (f.nonCompliant === 'yes') qb.whereRaw(nonCompliantSql(db));
  if (f.nonCompliant === 'no') qb.whereRaw(`NOT ${nonCompliantSql(db)}`);
  if (f.q) whereContains(qb, ['ar.contract_ref', 'ar.description', 'e.name'], f.q);
  return qb;
}

/** The sort orders over `arrears as ar`; days overdue is the due date read backwards among the overdue, so it needs no dialect. */
function sortBy(qb: Knex.QueryBuilder, sort: ArrearsSort, today: string): Knex.QueryBuilder {
  switch (sort) {
    case 'due_asc':
      return qb.orderBy([{ column: 'ar.due_on', order: 'asc' }, { column: 'ar.id', order: 'asc' }]);
    case 'due_desc':
      return qb.orderBy([{ column: 'ar.due_on', order: 'desc' }, { column: 'ar.id', order: 'desc' }]);
    case 'outstanding_desc':
      return qb.orderBy([{ column: 'ar.outstanding_fen', order: 'desc' }, { column: 'ar.id', order: 'desc' }]);
    case 'principal_desc':
      return qb.orderBy([{ column: 'ar.principal_fen', order: 'desc' }, { column: 'ar.id', order: 'desc' }]);
    // The longest overdue first, then the rest by due date.
    default:
      return qb.orderByRaw(`CASE WHEN ${OVERDUE_SQL} THEN 0 ELSE 1 END, ar.due_on ASC, ar.id ASC`, [today]);
  }
}

/** The ids of the arrears that pass the filters, over only the tables the filters need. */
function matchingArrears(db: Knex, scope: ListScope, filters: ArrearsFilters, today: string): Knex.QueryBuilder {
  const qb = db('arrears as ar');
  if (needsEnterprise(filters)) qb.join('enterprises as e', 'e.id', 'ar.enterprise_id');
  return applyFilters(db, qb, scope, filters, today);
}

/** Every id the filters keep, in the chosen order: what an export walks through a batch at a time. */
export async function filteredArrearsIds(db: Knex, scope: ListScope, filters: ArrearsFilters, today: string): Promise<number[]> {
  const rows: Array<{ id: number }> = await sortBy(matchingArrears(db, scope, filters, today).select('ar.id'), filters.sort ?? 'overdue_desc', today);
  return rows.map((r) => Number(r.id));
}

interface RawRow {
  id: number;
  agency_id: number;
  agency_name: string;
  enterprise_id: number;
  enterprise_name: string;
  credit_code: string;
  scale: EnterpriseScale;
  category: ArrearsCategory;
  contract_ref: string | null;
  contract_signed_on: string | null;
  description: string;
  principal_fen: number | string;
  paid_fen: number | string;
  outstanding_fen: number | string;
  disputed_fen: number | string;
  accepted_on: string;
  agreed_due_on: string | null;
  due_on: string;
  term_days: number | string;
  agreed_annual_rate: string | null;
  commitment_id: number | null;
  status: ArrearsStatus;
  cleared_on: string | null;
  non_compliant: number | boolean | string;
}

/** The ledger rows of some arrears, in the order of `ids`, with their position as of today and their flags. */
export async function arrearsRowsByIds(db: Knex, ids: number[], today: string): Promise<ArrearsListRow[]> {
  if (!ids.length) return [];
  const raw: RawRow[] = await db('arrears as ar')
    .join('agencies as ag', 'ag.id', 'ar.agency_id')
    .join('enterprises as e', 'e.id', 'ar.enterprise_id')
    .whereIn('ar.id', ids)
    .select(
      'ar.id', 'ar.agency_id', 'ag.name as agency_name', 'ar.enterprise_id', 'e.name as enterprise_name', 'e.credit_code', 'e.scale',
      'ar.category', 'ar.contract_ref', 'ar.contract_signed_on', 'ar.description', 'ar.principal_fen', 'ar.paid_fen', 'ar.outstanding_fen',
      'ar.disputed_fen', 'ar.accepted_on', 'ar.agreed_due_on', 'ar.due_on', 'ar.agreed_annual_rate', 'ar.commitment_id', 'ar.status', 'ar.cleared_on',
    )
    .select(db.raw(`${daysBetweenSql(db, 'ar.accepted_on', 'ar.due_on')} AS term_days`))
    .select(db.raw(`CASE WHEN ${nonCompliantSql(db)} THEN 1 ELSE 0 END AS non_compliant`));
  const handovers = await handoverDates(db, ids);
  const byId = new Map(raw.map((r) => {
    const position = ledgerPosition({ outstandingFen: toFen(r.outstanding_fen), disputedFen: toFen(r.disputed_fen), dueOn: r.due_on }, today);
    const row: ArrearsListRow = {
      id: Number(r.id),
      agencyId: Number(r.agency_id),
      agencyName: r.agency_name,
      enterpriseId: Number(r.enterprise_id),
      enterpriseName: r.enterprise_name,
      creditCode: r.credit_code,
      creditorScale: r.scale,
      category: r.category,
      contractRef: r.contract_ref,
      contractSignedOn: r.contract_signed_on,
      description: r.description,
      principalFen: toFen(r.principal_fen),
      paidFen: toFen(r.paid_fen),
      outstandingFen: toFen(r.outstanding_fen),
      disputedFen: toFen(r.disputed_fen),
      undisputedOutstandingFen: position.undisputedOutstandingFen,
      acceptedOn: r.accepted_on,
      agreedDueOn: r.agreed_due_on,
      dueOn: r.due_on,
      termDays: Number(r.term_days),
      agreedAnnualRate: r.agreed_annual_rate,
      commitmentId: r.commitment_id === null ? null : Number(r.commitment_id),
      status: r.status,
      clearedOn: r.cleared_on,
      overdue: position.overdue,
      daysPastDue: position.daysPastDue,
      ageingBucket: position.ageingBucket,
      nonCompliantTerm: Number(r.non_compliant) === 1 || r.non_compliant === true,
      overdueAfterHandover: overdueAfterHandover(position, r.due_on, handovers.get(Number(r.id)) ?? []),
    };
    return [row.id, row];
  }));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One page of the ledger: the page's ids are chosen first (filtered, sorted and cut in SQL over the
 * arrears, with the enterprises only when a filter reads them), then only those rows are read.
 */
export async function listArrears(db: Knex, scope: ListScope, filters: ArrearsFilters, page: number, pageSize: number, today: string): Promise<{ items: ArrearsListRow[]; total: number }> {
  const [{ n }] = await matchingArrears(db, scope, filters, today).count({ n: '*' });
  const ids: number[] = (
    await sortBy(matchingArrears(db, scope, filters, today).select('ar.id'), filters.sort ?? 'overdue_desc', today)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
  ).map((r: { id: number }) => Number(r.id));
  return { items: await arrearsRowsByIds(db, ids, today), total: Number(n) };
}

/** The late interest of ledger rows as of a date (rules.lateInterest over their payments), by arrears id: one query for the rows' payments. */
export async function lateInterestOf(db: Knex, rows: ArrearsListRow[], asOf: string): Promise<Map<number, number>> {
  const payments = paymentsByArrears(await paymentsOf(db, rows.map((r) => r.id)));
  return new Map(rows.map((r) => [
    r.id,
    lateInterest({ principalFen: r.principalFen, disputedFen: r.disputedFen, dueOn: r.dueOn, agreedAnnualRate: r.agreedAnnualRate }, (payments.get(r.id) ?? []).map(paymentFacts), asOf).totalFen,
  ]));
}

/** The commitments of an agency an arrears may be linked to, newest first, for the form's choice. */
export async function agencyCommitmentOptions(db: Knex, agencyId: number): Promise<Array<{ id: number; referenceNo: string; title: string }>> {
  const rows: Array<{ id: number; reference_no: string; title: string }> = await db('commitments')
    .where('agency_id', agencyId)
    .orderBy([{ column: 'signed_on', order: 'desc' }, { column: 'id', order: 'desc' }])
    .select('id', 'reference_no', 'title');
  return rows.map((r) => ({ id: Number(r.id), referenceNo: r.reference_no, title: r.title }));
}
