import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import type { ListScope } from '../../auth/policy.ts';
import { addDays } from '../../domain/dates.ts';
import { COMMITMENT_SORT_KEYS, type CommitmentKind } from './schema.ts';
import { COMMITMENT_STATUSES, OPEN_MILESTONE_STATUSES, oneYearBefore, type CommitmentStatus, type MilestoneStatus } from './rules.ts';

export const COMMITMENT_SORTS = COMMITMENT_SORT_KEYS;
export type CommitmentSort = (typeof COMMITMENT_SORTS)[number];

export interface CommitmentFilters {
  kind?: CommitmentKind;
  status?: CommitmentStatus;
  dueFrom?: string;
  dueTo?: string;
  enterpriseId?: number;
  agencyId?: number;
  /** With agencyId: the agencies beneath it too. */
  subordinates?: boolean;
  q?: string;
  sort?: CommitmentSort;
}

/** What both a ledger row and the commitment page say of a commitment. */
export interface CommitmentFacts {
  id: number;
  kind: CommitmentKind;
  title: string;
  referenceNo: string;
  agencyId: number;
  agencyName: string;
  enterpriseId: number | null;
  enterpriseName: string | null;
  signedOn: string;
  amountFen: number;
  responsibleOfficial: string;
  isPublic: boolean;
  terminatedOn: string | null;
  status: CommitmentStatus;
}

export interface CommitmentListRow extends CommitmentFacts {
  nextDueOn: string | null;
  milestoneCount: number;
}

/**
 * The commitment status of rules.ts commitmentStatus(), in portable SQL over the stored standing and
 * next due date (repository.ts refreshStanding keeps them), with one binding: today. An open
 * commitment is overdue once its next due date has passed. status-sql.test.ts proves the two agree.
 */
const STATUS_SQL = `CASE WHEN c.standing <> 'open' THEN c.standing WHEN c.next_due_on < ? THEN 'overdue' ELSE 'in_progress' END`;
const MILESTONE_COUNT_SQL = `(SELECT COUNT(*) FROM milestones cm WHERE cm.commitment_id = c.id)`;

/** Keeps the commitments of one status, by conditions the (standing, next_due_on) indexes serve. */
function whereStatus(qb: Knex.QueryBuilder, status: CommitmentStatus, today: string): Knex.QueryBuilder {
  switch (status) {
    case 'overdue':
      return qb.where('c.standing', 'open').where('c.next_due_on', '<', today);
    case 'in_progress':
      return qb.where('c.standing', 'open').where((w) => w.whereNull('c.next_due_on').orWhere('c.next_due_on', '>=', today));
    default:
      return qb.where('c.standing', status);
  }
}

function applyScope(qb: Knex.QueryBuilder, scope: ListScope, agencyColumn: string, enterpriseColumn: string): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'all':
      return qb;
    case 'agency':
      return qb.where(agencyColumn, scope.agencyId);
    case 'enterprise':
      return qb.where(enterpriseColumn, scope.enterpriseId);
    default:
      return qb.whereRaw('1 = 0');
  }
}

/** An agency and every agency beneath it (its districts, their streets), as a subquery of ids. */
const AGENCY_AND_SUBORDINATES_SQL = `(WITH RECURSIVE beneath(id) AS (
  SELECT id FROM agencies WHERE id = ?
  UNION ALL SELECT a.id FROM agencies a JOIN beneath b ON a.parent_id = b.id
) SELECT id FROM beneath)`;

/**
 * Narrows a query over `commitments as c` to the scope and the filters. `e` (enterprises) must be
 * joined when filters.q is set. The due-date range keeps commitments with any milestone due within it.
 */
function applyFilters(db: Knex, qb: Knex.QueryBuilder, scope: ListScope, filters: CommitmentFilters, today: string): Knex.QueryBuilder {
  applyScope(qb, scope, 'c.agency_id', 'c.enterprise_id');
  if (filters.kind) qb.where('c.kind', filters.kind);
  if (filters.agencyId && filters.subordinates) qb.whereRaw(`c.agency_id IN ${AGENCY_AND_SUBORDINATES_SQL}`, [filters.agencyId]);
  else if (filters.agencyId) qb.where('c.agency_id', filters.agencyId);
  if (filters.enterpriseId) qb.where('c.enterprise_id', filters.enterpriseId);
  if (filters.q) whereContains(qb, ['c.title', 'c.reference_no', 'c.responsible_official', 'e.name'], filters.q);
  if (filters.dueFrom || filters.dueTo) {
    qb.whereExists((sub) => {
      sub.select(db.raw('1')).from('milestones as dm').whereRaw('dm.commitment_id = c.id');
      if (filters.dueFrom) sub.where('dm.due_on', '>=', filters.dueFrom);
      if (filters.dueTo) sub.where('dm.due_on', '<=', filters.dueTo);
    });
  }
  if (filters.status) whereStatus(qb, filters.status, today);
  return qb;
}

/** Ledger rows (snake_case columns of CommitmentListRow) of `commitments as c`, with their agency and enterprise. */
function ledgerRows(db: Knex, today: string): Knex.QueryBuilder {
  return db('commitments as c')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .leftJoin('enterprises as e', 'e.id', 'c.enterprise_id')
    .select(
      'c.id',
      'c.kind',
      'c.title',
      'c.reference_no',
      'c.agency_id',
      'a.name as agency_name',
      'c.enterprise_id',
      'e.name as enterprise_name',
      'c.signed_on',
      'c.amount_fen',
      'c.responsible_official',
      'c.is_public',
      'c.terminated_on',
      'c.next_due_on',
    )
    .select(db.raw(`${STATUS_SQL} AS status`, [today]))
    .select(db.raw(`${MILESTONE_COUNT_SQL} AS milestone_count`));
}

/** The sort orders, over the columns of `commitments` under an alias (`c`, or `x` for a subquery of ledger rows). */
function sortBy(qb: Knex.QueryBuilder, sort: CommitmentSort, t: 'c' | 'x'): Knex.QueryBuilder {
  switch (sort) {
    case 'signed_asc':
      return qb.orderBy([{ column: `${t}.signed_on`, order: 'asc' }, { column: `${t}.id`, order: 'asc' }]);
    // Commitments with nothing left to fulfil go last.
    case 'next_due_asc':
      return qb.orderByRaw(`CASE WHEN ${t}.next_due_on IS NULL THEN 1 ELSE 0 END, ${t}.next_due_on ASC, ${t}.id ASC`);
    case 'amount_desc':
      return qb.orderBy([{ column: `${t}.amount_fen`, order: 'desc' }, { column: `${t}.id`, order: 'desc' }]);
    case 'title_asc':
      return qb.orderBy([{ column: `${t}.title`, order: 'asc' }, { column: `${t}.id`, order: 'asc' }]);
    default:
      return qb.orderBy([{ column: `${t}.signed_on`, order: 'desc' }, { column: `${t}.id`, order: 'desc' }]);
  }
}

/**
 * The commitments a user may see, filtered and sorted in SQL (snake_case columns of
 * CommitmentListRow under the alias `x`); the export streams it. A page of the list is read with
 * listCommitments instead, which chooses the page's ids before reading any row.
 */
export function filteredCommitments(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): Knex.QueryBuilder {
  const inner = applyFilters(db, ledgerRows(db, today), scope, filters, today);
  return sortBy(db.select('x.*').from(inner.as('x')), filters.sort ?? 'signed_desc', 'x');
}

/** The ids of the commitments that pass the filters, unsorted: only the tables the filters need. */
function matchingCommitments(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): Knex.QueryBuilder {
  const qb = db('commitments as c');
  if (filters.q) qb.leftJoin('enterprises as e', 'e.id', 'c.enterprise_id');
  return applyFilters(db, qb, scope, filters, today);
}

/** A commitment row (snake_case, with agency_name and enterprise_name joined) as the facts both a ledger row and the commitment page show. */
export function toCommitmentFacts(raw: Record<string, unknown>): Omit<CommitmentFacts, 'status'> {
  return {
    id: Number(raw.id),
    kind: raw.kind as CommitmentKind,
    title: String(raw.title),
    referenceNo: String(raw.reference_no),
    agencyId: Number(raw.agency_id),
    agencyName: String(raw.agency_name),
    enterpriseId: raw.enterprise_id === null || raw.enterprise_id === undefined ? null : Number(raw.enterprise_id),
    enterpriseName: (raw.enterprise_name as string | null | undefined) ?? null,
    signedOn: String(raw.signed_on),
    amountFen: Number(raw.amount_fen),
    responsibleOfficial: String(raw.responsible_official),
    isPublic: Boolean(raw.is_public),
    terminatedOn: (raw.terminated_on as string | null | undefined) ?? null,
  };
}

export function toListRow(raw: Record<string, unknown>): CommitmentListRow {
  return {
    ...toCommitmentFacts(raw),
    status: raw.status as CommitmentStatus,
    nextDueOn: (raw.next_due_on as string | null | undefined) ?? null,
    milestoneCount: Number(raw.milestone_count),
  };
}

/**
 * One page of the ledger: the page's ids are chosen first (filtered, sorted and cut in SQL over the
 * commitments alone), then only those rows are read with their agency, enterprise and milestone count.
 */
export async function listCommitments(
  db: Knex,
  scope: ListScope,
  filters: CommitmentFilters,
  page: number,
  pageSize: number,
  today: string,
): Promise<{ items: CommitmentListRow[]; total: number }> {
  const [{ n }] = await matchingCommitments(db, scope, filters, today).count({ n: '*' });
  const ids: number[] = (
    await sortBy(matchingCommitments(db, scope, filters, today).select('c.id'), filters.sort ?? 'signed_desc', 'c')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
  ).map((r: { id: number }) => Number(r.id));
  const rows: Array<Record<string, unknown>> = ids.length ? await ledgerRows(db, today).whereIn('c.id', ids) : [];
  const byId = new Map(rows.map((raw) => [Number(raw.id), toListRow(raw)]));
  return { items: ids.map((id) => byId.get(id)!), total: Number(n) };
}

/** The commitments a scope may see, counted by status. */
export async function commitmentCountsByStatus(db: Knex, scope: ListScope, today: string): Promise<Record<CommitmentStatus, number>> {
  const rows: Array<{ status: CommitmentStatus; n: unknown }> = await applyScope(db('commitments as c'), scope, 'c.agency_id', 'c.enterprise_id')
    .select(db.raw(`${STATUS_SQL} AS status`, [today]))
    .count({ n: '*' })
    .groupBy('status');
  const counts = emptyCounts();
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Commitments of one agency by status: its own, and with every agency beneath it (rolled up). */
export interface AgencySummary {
  agencyId: number;
  agencyName: string;
  /** How far below a top-level agency it sits (0 for the city and the city's bureaus). */
  depth: number;
  /** How many agencies sit beneath it, at any depth. */
  subordinates: number;
  /** Its own commitments only. */
  own: Record<CommitmentStatus, number> & { total: number };
  /** Its own commitments and those of every agency beneath it; the figures below are these. */
  rolled: Record<CommitmentStatus, number>;
  total: number;
  inProgress: number;
  overdue: number;
  breached: number;
  fulfilled: number;
  terminated: number;
}

function emptyCounts(): Record<CommitmentStatus, number> {
  return Object.fromEntries(COMMITMENT_STATUSES.map((s) => [s, 0])) as Record<CommitmentStatus, number>;
}

const totalOf = (counts: Record<CommitmentStatus, number>) => COMMITMENT_STATUSES.reduce((sum, s) => sum + counts[s], 0);

/**
 * Every agency with its commitments counted by status, in one pass over the commitments, listed as
 * a tree (each agency followed by those beneath it, by name): a street's commitments count again in
 * its district's figures, and a district's in the city's. Agencies without any show zeros.
 */
export async function agencySummaries(db: Knex, today: string): Promise<AgencySummary[]> {
  const agencies: Array<{ id: number; name: string; parent_id: number | null }> = await db('agencies').select('id', 'name', 'parent_id').orderBy('name');
  const rows: Array<{ agency_id: number; status: CommitmentStatus; n: unknown }> = await db('commitments as c')
    .select('c.agency_id', db.raw(`${STATUS_SQL} AS status`, [today]))
    .count({ n: '*' })
    .groupBy('c.agency_id', 'status');
  const own = new Map(agencies.map((a) => [a.id, emptyCounts()]));
  for (const r of rows) own.get(Number(r.agency_id))![r.status] = Number(r.n);
  const known = new Set(agencies.map((a) => a.id));
  const childrenOf = new Map<number | null, typeof agencies>();
  for (const a of agencies) {
    const parent = a.parent_id !== null && known.has(a.parent_id) ? a.parent_id : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), a]);
  }
  /** An agency's row (rolled up) followed by the rows of those beneath it. */
  const tree = (a: (typeof agencies)[number], depth: number): AgencySummary[] => {
    const below = (childrenOf.get(a.id) ?? []).flatMap((child) => tree(child, depth + 1));
    const mine = own.get(a.id)!;
    const rolled = { ...mine };
    for (const row of below) if (row.depth === depth + 1) for (const s of COMMITMENT_STATUSES) rolled[s] += row.rolled[s];
    const row = {
      agencyId: a.id,
      agencyName: a.name,
      depth,
      subordinates: below.length,
      own: { ...mine, total: totalOf(mine) },
      rolled,
      total: totalOf(rolled),
      inProgress: rolled.in_progress,
      overdue: rolled.overdue,
      breached: rolled.breached,
      fulfilled: rolled.fulfilled,
      terminated: rolled.terminated,
    };
    return [row, ...below];
  };
  return (childrenOf.get(null) ?? []).flatMap((root) => tree(root, 0));
}

export interface PendingWaiver {
  waiverId: number;
  commitmentId: number;
  commitmentTitle: string;
  agencyName: string;
  milestoneId: number;
  milestoneDescription: string;
  dueOn: string;
  reason: string;
  requestedBy: string | null;
  requestedAt: string;
}

/** How many waivers wait for the auditors' decision. */
export async function pendingWaiverCount(db: Knex): Promise<number> {
  const [{ n }] = await db('waivers').where('decision', 'pending').count({ n: '*' });
  return Number(n);
}

/** How many disputed fulfilments wait for the auditors. */
export async function openDisputeCount(db: Knex): Promise<number> {
  const [{ n }] = await db('fulfilments').where('dispute_status', 'open').count({ n: '*' });
  return Number(n);
}

/** The auditors' queue of waivers waiting for a decision, oldest request first. */
export async function pendingWaivers(db: Knex): Promise<PendingWaiver[]> {
  const rows = await db('waivers as w')
    .join('milestones as m', 'm.id', 'w.milestone_id')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .leftJoin('users as u', 'u.id', 'w.requested_by')
    .where('w.decision', 'pending')
    .orderBy([{ column: 'w.requested_at' }, { column: 'w.id' }])
    .select('w.id as waiver_id', 'c.id as commitment_id', 'c.title', 'a.name as agency_name', 'm.id as milestone_id', 'm.description', 'm.due_on', 'w.reason', 'u.display_name', 'w.requested_at');
  return rows.map((r) => ({
    waiverId: r.waiver_id,
    commitmentId: r.commitment_id,
    commitmentTitle: r.title,
    agencyName: r.agency_name,
    milestoneId: r.milestone_id,
    milestoneDescription: r.description,
    dueOn: r.due_on,
    reason: r.reason,
    requestedBy: r.display_name ?? null,
    requestedAt: new Date(r.requested_at).toISOString(),
  }));
}

export interface OpenDispute {
  fulfilmentId: number;
  commitmentId: number;
  commitmentTitle: string;
  agencyName: string;
  milestoneDescription: string;
  fulfilledOn: string;
  note: string;
  amountFen: number | null;
  enterpriseResponse: 'partly' | 'not_at_all';
  enterpriseComment: string | null;
}

/** Fulfilments the counterparty disputed, waiting for the auditors; oldest first. */
export async function openDisputes(db: Knex): Promise<OpenDispute[]> {
  const rows = await db('fulfilments as f')
    .join('milestones as m', 'm.id', 'f.milestone_id')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .where('f.dispute_status', 'open')
    .orderBy([{ column: 'f.responded_at' }, { column: 'f.id' }])
    .select('f.id', 'c.id as commitment_id', 'c.title', 'a.name as agency_name', 'm.description', 'f.fulfilled_on', 'f.note', 'f.amount_fen', 'f.enterprise_response', 'f.enterprise_comment');
  return rows.map((r) => ({
    fulfilmentId: r.id,
    commitmentId: r.commitment_id,
    commitmentTitle: r.title,
    agencyName: r.agency_name,
    milestoneDescription: r.description,
    fulfilledOn: r.fulfilled_on,
    note: r.note,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    enterpriseResponse: r.enterprise_response,
    enterpriseComment: r.enterprise_comment ?? null,
  }));
}

export interface MilestoneRef {
  commitmentId: number;
  commitmentTitle: string;
  milestoneId: number;
  description: string;
  dueOn: string;
  amountFen: number | null;
  status: MilestoneStatus;
}

/**
 * Open milestones of an agency's commitments that are not terminated; no columns chosen. The statuses
 * are literals, as in the predicate of the partial index of open milestones by due date, so that the
 * planners can use it.
 */
function agencyOpenMilestones(db: Knex, agencyId: number): Knex.QueryBuilder {
  return db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where('c.agency_id', agencyId)
    .whereNull('c.terminated_on')
    .whereRaw("m.status IN ('pending', 'partial')");
}

function toMilestoneRef(r: Record<string, unknown>): MilestoneRef {
  return {
    commitmentId: Number(r.commitment_id),
    commitmentTitle: String(r.title),
    milestoneId: Number(r.milestone_id),
    description: String(r.description),
    dueOn: String(r.due_on),
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    status: r.status as MilestoneStatus,
  };
}

export const DUE_SOON_DAYS = 30;
/** How many milestones a home page lists: the nearest ones; the rest are counted, and the ledger shows them all. */
export const HOME_LIST_LIMIT = 10;

/** The first items of a longer list, and how many there are in all. */
export interface BoundedList<T> {
  items: T[];
  total: number;
}

/** The `limit` milestones of a query nearest to today: earliest due first, or latest with 'desc'. */
async function nearestMilestones(query: Knex.QueryBuilder, order: 'asc' | 'desc', limit: number): Promise<MilestoneRef[]> {
  const rows = await query
    .orderBy([{ column: 'm.due_on', order }, { column: 'm.id', order }])
    .limit(limit)
    .select('c.id as commitment_id', 'c.title', 'm.id as milestone_id', 'm.description', 'm.due_on', 'm.amount_fen', 'm.status');
  return rows.map(toMilestoneRef);
}

/**
 * The on-time rate of rules.ts onTimeFulfilmentRate() over an agency's milestones, counted in SQL
 * rather than read row by row: due in the twelve months up to today, waived ones left out, one still
 * open on its due day not counted yet, and those of a terminated commitment only if due before it
 * ended. status-sql.test.ts proves the two agree.
 */
export async function agencyOnTimeRate(db: Knex, agencyId: number, today: string): Promise<{ due: number; onTime: number; rate: number | null }> {
  const [row] = await db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where('c.agency_id', agencyId)
    .where('m.due_on', '>', oneYearBefore(today))
    .where('m.due_on', '<=', today)
    .where((w) => w.whereNull('c.terminated_on').orWhereRaw('m.due_on <= c.terminated_on'))
    .whereNot('m.status', 'waived')
    .whereNot((w) => w.whereIn('m.status', OPEN_MILESTONE_STATUSES).where('m.due_on', today))
    .select(db.raw('COUNT(*) AS due'), db.raw("SUM(CASE WHEN m.status = 'fulfilled' AND m.completed_on <= m.due_on THEN 1 ELSE 0 END) AS on_time"));
  const due = Number(row.due);
  const onTime = Number(row.on_time ?? 0);
  return { due, onTime, rate: due ? onTime / due : null };
}

export interface OfficerDashboard {
  countsByStatus: Record<CommitmentStatus, number>;
  dueSoon: BoundedList<MilestoneRef>;
  overdue: BoundedList<MilestoneRef>;
  onTime: { due: number; onTime: number; rate: number | null };
}

/**
 * An officer's home page: the agency's commitments by status; open milestones due in the next
 * 30 days (today included), the nearest first, and overdue ones, the most recently lapsed first
 * (terminated commitments left out), each at most `limit` with their count; and the on-time rate of
 * the last twelve months (milestones of a terminated commitment count if due before it ended).
 */
export async function officerDashboard(db: Knex, agencyId: number, today: string, limit = HOME_LIST_LIMIT): Promise<OfficerDashboard> {
  const countsByStatus = await commitmentCountsByStatus(db, { kind: 'agency', agencyId }, today);
  const dueSoonTo = addDays(today, DUE_SOON_DAYS);
  // Both counts in one pass over the open milestones due by the end of the due-soon window.
  const [counts] = await agencyOpenMilestones(db, agencyId)
    .where('m.due_on', '<=', dueSoonTo)
    .select(db.raw('SUM(CASE WHEN m.due_on < ? THEN 1 ELSE 0 END) AS overdue', [today]), db.raw('SUM(CASE WHEN m.due_on >= ? THEN 1 ELSE 0 END) AS due_soon', [today]));
  const dueSoon = await nearestMilestones(agencyOpenMilestones(db, agencyId).where('m.due_on', '>=', today).where('m.due_on', '<=', dueSoonTo), 'asc', limit);
  const overdue = await nearestMilestones(agencyOpenMilestones(db, agencyId).where('m.due_on', '<', today), 'desc', limit);
  return {
    countsByStatus,
    dueSoon: { items: dueSoon, total: Number(counts.due_soon ?? 0) },
    overdue: { items: overdue, total: Number(counts.overdue ?? 0) },
    onTime: await agencyOnTimeRate(db, agencyId, today),
  };
}
