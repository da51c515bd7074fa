import type { Knex } from 'knex';
import { datePlusDaysSql } from '../../../db/dialect.ts';
import type { ListScope } from '../../auth/policy.ts';
import { toFen } from './repository.ts';
import { ENTERPRISE_SCALES, isSme } from '../../domain/enterprise-scale.ts';
import { AGEING_BUCKETS, MAX_SME_TERM_DAYS, ageingDueRange, type AgeingBucket } from './rules.ts';

/*
 * The clearance figures (清欠统计) of the arrears a scope may see, per debtor agency and in total, in
 * SQL over the arrears and their payments, as of a date: only payments made by then count. Each
 * figure is the sum over arrears of what rules.ts says of one arrears (arrearsPosition, isNewArrears,
 * nonCompliantTerm); summary-sql.test.ts proves the two agree on both engines.
 */

export interface AgeingCell {
  count: number;
  /** Undisputed money still owed, of the arrears in the bucket. */
  amountFen: number;
}

export interface ArrearsFigures {
  arrearsCount: number;
  /** Principal. */
  owedFen: number;
  /** Counted payments made on or before the as-of date. */
  paidFen: number;
  /** Of those, the ones the creditor confirmed. */
  confirmedFen: number;
  outstandingFen: number;
  /** Arrears past their due date with undisputed money unpaid, and that money. */
  overdueCount: number;
  overdueFen: number;
  /** paid / owed; null when nothing is owed. */
  clearanceRate: number | null;
  ageing: Record<AgeingBucket, AgeingCell>;
  /** Arrears with an SME creditor and an agreed term over 60 days, and their principal. */
  nonCompliantCount: number;
  nonCompliantFen: number;
  /** Arrears that fell due after `since` and are overdue on the as-of date (null without `since`). */
  newArrears: AgeingCell | null;
}

export interface AgencyFigures extends ArrearsFigures {
  agencyId: number;
  agencyName: string;
}

export interface ArrearsSummary {
  asOf: string;
  since: string | null;
  /** The agencies with arrears in the scope, the most outstanding first. */
  agencies: AgencyFigures[];
  total: ArrearsFigures;
}

export interface SummaryOptions {
  asOf: string;
  /** Only this debtor agency. */
  agencyId?: number;
  /** Count new arrears (新增拖欠) since this date. */
  since?: string;
}

/**
 * A payment counts unless reversed, or disputed by the creditor and not upheld by the auditors
 * (rules.paymentCounts), over `arrears_payments p`.
 */
const COUNTED_SQL = `NOT EXISTS (SELECT 1 FROM arrears_reversals r WHERE r.payment_id = p.id)
  AND (p.creditor_response IS NULL OR p.creditor_response <> 'disputed' OR p.dispute_status = 'upheld')`;
const PAID_SQL = `COALESCE((SELECT SUM(p.amount_fen) FROM arrears_payments p WHERE p.arrears_id = a.id AND p.paid_on <= ? AND ${COUNTED_SQL}), 0)`;
const CONFIRMED_SQL = `COALESCE((SELECT SUM(p.amount_fen) FROM arrears_payments p WHERE p.arrears_id = a.id AND p.paid_on <= ? AND p.creditor_response = 'confirmed' AND ${COUNTED_SQL}), 0)`;
const SME_SCALES_SQL = ENTERPRISE_SCALES.filter(isSme).map((s) => `'${s}'`).join(', ');

function applyScope(qb: Knex.QueryBuilder, scope: ListScope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'all':
      return qb;
    case 'agency':
      return qb.where('a.agency_id', scope.agencyId);
    case 'enterprise':
      return qb.where('a.enterprise_id', scope.enterpriseId);
    default:
      return qb.whereRaw('1 = 0');
  }
}

/**
 * One row per arrears in the scope with what it stands at on the as-of date: principal, paid,
 * confirmed, outstanding, undisputed outstanding, due date and whether its term breaks the SME rule.
 */
function positions(db: Knex, scope: ListScope, options: SummaryOptions): Knex.QueryBuilder {
  const nonCompliant = `CASE WHEN e.scale IN (${SME_SCALES_SQL}) AND a.due_on > ${datePlusDaysSql(db, 'a.accepted_on', MAX_SME_TERM_DAYS)} THEN 1 ELSE 0 END`;
  const facts = db('arrears as a')
    .join('enterprises as e', 'e.id', 'a.enterprise_id')
    .select('a.id', 'a.agency_id', 'a.principal_fen', 'a.disputed_fen', 'a.due_on')
    .select(db.raw(`${nonCompliant} AS non_compliant`))
    .select(db.raw(`${PAID_SQL} AS paid_fen`, [options.asOf]))
    .select(db.raw(`${CONFIRMED_SQL} AS confirmed_fen`, [options.asOf]));
  applyScope(facts, scope);
  if (options.agencyId !== undefined) facts.where('a.agency_id', options.agencyId);
  return db
    .from(facts.as('x'))
    .select('x.*')
    .select(db.raw('CASE WHEN x.principal_fen > x.paid_fen THEN x.principal_fen - x.paid_fen ELSE 0 END AS outstanding_fen'))
    .select(db.raw('CASE WHEN x.principal_fen - x.paid_fen > x.disputed_fen THEN x.principal_fen - x.paid_fen - x.disputed_fen ELSE 0 END AS undisputed_fen'));
}

type Aggregate = [alias: string, sql: string, bindings: string[]];

/** The sums over `f` (rows of positions()), grouped by agency: each one's SQL with its bindings. */
function aggregates(options: SummaryOptions): Aggregate[] {
  const overdue = 'f.undisputed_fen > 0 AND f.due_on < ?';
  const countWhere = (alias: string, condition: string, bindings: string[]): Aggregate => [alias, `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`, bindings];
  const sumWhere = (alias: string, condition: string, bindings: string[], amount = 'f.undisputed_fen'): Aggregate => [alias, `SUM(CASE WHEN ${condition} THEN ${amount} ELSE 0 END)`, bindings];
  const list: Aggregate[] = [
    ['arrears_count', 'COUNT(*)', []],
    ['owed_fen', 'SUM(f.principal_fen)', []],
    ['paid_fen', 'SUM(f.paid_fen)', []],
    ['confirmed_fen', 'SUM(f.confirmed_fen)', []],
    ['outstanding_fen', 'SUM(f.outstanding_fen)', []],
    countWhere('overdue_count', overdue, [options.asOf]),
    sumWhere('overdue_fen', overdue, [options.asOf]),
    ['non_compliant_count', 'SUM(f.non_compliant)', []],
    sumWhere('non_compliant_fen', 'f.non_compliant = 1', [], 'f.principal_fen'),
  ];
  AGEING_BUCKETS.forEach(({ bucket }, i) => {
    // The due dates of the bucket, from the rules, so that SQL and ageingBucket() agree at every edge.
    const range = ageingDueRange(bucket, options.asOf);
    const condition = range.from === null ? `${overdue} AND f.due_on <= ?` : `${overdue} AND f.due_on >= ? AND f.due_on <= ?`;
    const bindings = range.from === null ? [options.asOf, range.to] : [options.asOf, range.from, range.to];
    list.push(countWhere(`ageing_${i}_count`, condition, bindings), sumWhere(`ageing_${i}_fen`, condition, bindings));
  });
  if (options.since !== undefined) {
    list.push(countWhere('new_count', `${overdue} AND f.due_on > ?`, [options.asOf, options.since]), sumWhere('new_fen', `${overdue} AND f.due_on > ?`, [options.asOf, options.since]));
  }
  return list;
}

function emptyAgeing(): Record<AgeingBucket, AgeingCell> {
  return Object.fromEntries(AGEING_BUCKETS.map(({ bucket }) => [bucket, { count: 0, amountFen: 0 }])) as Record<AgeingBucket, AgeingCell>;
}

/** The first of January of a date's year: new arrears and this year's clearance are counted from it. */
export function yearStart(date: string): string {
  return `${date.slice(0, 4)}-01-01`;
}

export function clearanceRate(paidFen: number, owedFen: number): number | null {
  return owedFen > 0 ? paidFen / owedFen : null;
}

function toFigures(raw: Record<string, unknown>, withSince: boolean): ArrearsFigures {
  const ageing = emptyAgeing();
  AGEING_BUCKETS.forEach(({ bucket }, i) => {
    ageing[bucket] = { count: toFen(raw[`ageing_${i}_count`]), amountFen: toFen(raw[`ageing_${i}_fen`]) };
  });
  const owedFen = toFen(raw.owed_fen);
  const paidFen = toFen(raw.paid_fen);
  return {
    arrearsCount: toFen(raw.arrears_count),
    owedFen,
    paidFen,
    confirmedFen: toFen(raw.confirmed_fen),
    outstandingFen: toFen(raw.outstanding_fen),
    overdueCount: toFen(raw.overdue_count),
    overdueFen: toFen(raw.overdue_fen),
    clearanceRate: clearanceRate(paidFen, owedFen),
    ageing,
    nonCompliantCount: toFen(raw.non_compliant_count),
    nonCompliantFen: toFen(raw.non_compliant_fen),
    newArrears: withSince ? { count: toFen(raw.new_count), amountFen: toFen(raw.new_fen) } : null,
  };
}

/** The figures of several agencies added up. */
function addUp(list: ArrearsFigures[], withSince: boolean): ArrearsFigures {
  const sum = (pick: (f: ArrearsFigures) => number) => list.reduce((acc, f) => acc + pick(f), 0);
  const ageing = emptyAgeing();
  for (const { bucket } of AGEING_BUCKETS) ageing[bucket] = { count: sum((f) => f.ageing[bucket].count), amountFen: sum((f) => f.ageing[bucket].amountFen) };
  const owedFen = sum((f) => f.owedFen);
  const paidFen = sum((f) => f.paidFen);
  return {
    arrearsCount: sum((f) => f.arrearsCount),
    owedFen,
    paidFen,
    confirmedFen: sum((f) => f.confirmedFen),
    outstandingFen: sum((f) => f.outstandingFen),
    overdueCount: sum((f) => f.overdueCount),
    overdueFen: sum((f) => f.overdueFen),
    clearanceRate: clearanceRate(paidFen, owedFen),
    ageing,
    nonCompliantCount: sum((f) => f.nonCompliantCount),
    nonCompliantFen: sum((f) => f.nonCompliantFen),
    newArrears: withSince ? { count: sum((f) => f.newArrears!.count), amountFen: sum((f) => f.newArrears!.amountFen) } : null,
  };
}

/**
 * The clearance figures of the arrears a scope may see (optionally of one agency), per debtor agency
 * and in total, as of a date. One pass over the arrears, grouped by agency.
 */
export async function arrearsSummary(db: Knex, scope: ListScope, options: SummaryOptions): Promise<ArrearsSummary> {
  const withSince = options.since !== undefined;
  const query = db.from(positions(db, scope, options).as('f')).select('f.agency_id').groupBy('f.agency_id');
  for (const [alias, sql, bindings] of aggregates(options)) query.select(db.raw(`${sql} AS ${alias}`, bindings));
  const rows: Array<Record<string, unknown>> = await query;
  const names = new Map<number, string>(
    rows.length ? (await db('agencies').whereIn('id', rows.map((r) => Number(r.agency_id))).select('id', 'name')).map((a: { id: number; name: string }) => [Number(a.id), a.name]) : [],
  );
  const agencies = rows
    .map((raw) => ({ agencyId: Number(raw.agency_id), agencyName: names.get(Number(raw.agency_id)) ?? '', ...toFigures(raw, withSince) }))
    .sort((a, b) => b.outstandingFen - a.outstandingFen || a.agencyId - b.agencyId);
  return { asOf: options.asOf, since: options.since ?? null, agencies, total: addUp(agencies, withSince) };
}
