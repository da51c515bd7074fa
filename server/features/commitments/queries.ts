import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import type { ListScope } from '../../auth/policy.ts';
import { addDays } from '../../domain/dates.ts';
import { COMMITMENT_SORT_KEYS, type CommitmentKind } from './schema.ts';
import { COMMITMENT_STATUSES, oneYearBefore, onTimeFulfilmentRate, type CommitmentStatus, type MilestoneStatus } from './rules.ts';

export const COMMITMENT_SORTS = COMMITMENT_SORT_KEYS;
export type CommitmentSort = (typeof COMMITMENT_SORTS)[number];

export interface CommitmentFilters {
  kind?: CommitmentKind;
  status?: CommitmentStatus;
  dueFrom?: string;
  dueTo?: string;
  enterpriseId?: number;
  agencyId?: number;
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
 * The commitment status of rules.ts commitmentStatus(), in portable SQL over the stored milestone
 * statuses, with one binding: today. status-sql.test.ts proves the two agree.
 */
const STATUS_SQL = `CASE
  WHEN c.terminated_on IS NOT NULL THEN 'terminated'
  WHEN EXISTS (SELECT 1 FROM milestones sm WHERE sm.commitment_id = c.id AND sm.status = 'breached') THEN 'breached'
  WHEN EXISTS (SELECT 1 FROM milestones sm WHERE sm.commitment_id = c.id AND sm.status IN ('pending', 'partial') AND sm.due_on < ?) THEN 'overdue'
  WHEN EXISTS (SELECT 1 FROM milestones sm WHERE sm.commitment_id = c.id)
    AND NOT EXISTS (SELECT 1 FROM milestones sm WHERE sm.commitment_id = c.id AND sm.status NOT IN ('fulfilled', 'waived')) THEN 'fulfilled'
  ELSE 'in_progress'
END`;

/** A terminated commitment owes nothing more, so it has no next due date. */
const NEXT_DUE_SQL = `(CASE WHEN c.terminated_on IS NULL THEN (SELECT MIN(nm.due_on) FROM milestones nm WHERE nm.commitment_id = c.id AND nm.status IN ('pending', 'partial')) END)`;
const MILESTONE_COUNT_SQL = `(SELECT COUNT(*) FROM milestones cm WHERE cm.commitment_id = c.id)`;

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

/** Every commitment the scope may see, one row each with its status computed in SQL; unfiltered by status. */
function scopedCommitments(db: Knex, scope: ListScope, today: string): Knex.QueryBuilder {
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
    )
    .select(db.raw(`${STATUS_SQL} AS status`, [today]))
    .select(db.raw(`${NEXT_DUE_SQL} AS next_due_on`))
    .select(db.raw(`${MILESTONE_COUNT_SQL} AS milestone_count`))
    .modify((qb) => applyScope(qb, scope, 'c.agency_id', 'c.enterprise_id'));
}

const SORT_ORDER: Record<CommitmentSort, (qb: Knex.QueryBuilder) => Knex.QueryBuilder> = {
  signed_desc: (qb) => qb.orderBy([{ column: 'x.signed_on', order: 'desc' }, { column: 'x.id', order: 'desc' }]),
  signed_asc: (qb) => qb.orderBy([{ column: 'x.signed_on', order: 'asc' }, { column: 'x.id', order: 'asc' }]),
  // Commitments with nothing left to fulfil go last.
  next_due_asc: (qb) => qb.orderByRaw('CASE WHEN x.next_due_on IS NULL THEN 1 ELSE 0 END, x.next_due_on ASC, x.id ASC'),
  amount_desc: (qb) => qb.orderBy([{ column: 'x.amount_fen', order: 'desc' }, { column: 'x.id', order: 'desc' }]),
  title_asc: (qb) => qb.orderBy([{ column: 'x.title', order: 'asc' }, { column: 'x.id', order: 'asc' }]),
};

/**
 * The commitments a user may see, filtered and sorted in SQL (snake_case columns of
 * CommitmentListRow); the list page, the API and the export (streamed) all read it.
 * The due-date range keeps commitments with any milestone due within it.
 */
export function filteredCommitments(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): Knex.QueryBuilder {
  const inner = scopedCommitments(db, scope, today).modify((qb) => {
    if (filters.kind) qb.where('c.kind', filters.kind);
    if (filters.agencyId) qb.where('c.agency_id', filters.agencyId);
    if (filters.enterpriseId) qb.where('c.enterprise_id', filters.enterpriseId);
    if (filters.q) whereContains(qb, ['c.title', 'c.reference_no', 'c.responsible_official', 'e.name'], filters.q);
    if (filters.dueFrom || filters.dueTo) {
      qb.whereExists((sub) => {
        sub.select(db.raw('1')).from('milestones as dm').whereRaw('dm.commitment_id = c.id');
        if (filters.dueFrom) sub.where('dm.due_on', '>=', filters.dueFrom);
        if (filters.dueTo) sub.where('dm.due_on', '<=', filters.dueTo);
      });
    }
  });
  const outer = db.select('x.*').from(inner.as('x'));
  if (filters.status) outer.where('x.status', filters.status);
  return SORT_ORDER[filters.sort ?? 'signed_desc'](outer);
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

export async function listCommitments(
  db: Knex,
  scope: ListScope,
  filters: CommitmentFilters,
  page: number,
  pageSize: number,
  today: string,
): Promise<{ items: CommitmentListRow[]; total: number }> {
  const query = filteredCommitments(db, scope, filters, today);
  const [{ n }] = await db.from(query.clone().clearOrder().as('counted')).count({ n: '*' });
  const rows: Array<Record<string, unknown>> = await query.limit(pageSize).offset((page - 1) * pageSize);
  return { items: rows.map(toListRow), total: Number(n) };
}

export interface AgencySummary {
  agencyId: number;
  agencyName: string;
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

async function countsByAgencyAndStatus(db: Knex, scope: ListScope, today: string): Promise<Array<{ agency_id: number; status: CommitmentStatus; n: number }>> {
  const rows: Array<{ agency_id: number; status: CommitmentStatus; n: unknown }> = await db
    .from(scopedCommitments(db, scope, today).as('x'))
    .select('x.agency_id', 'x.status')
    .count({ n: '*' })
    .groupBy('x.agency_id', 'x.status');
  return rows.map((r) => ({ agency_id: Number(r.agency_id), status: r.status, n: Number(r.n) }));
}

/** Every agency with its commitments counted by status (agencies without any show zeros). */
export async function agencySummaries(db: Knex, today: string): Promise<AgencySummary[]> {
  const agencies: Array<{ id: number; name: string }> = await db('agencies').select('id', 'name').orderBy('name');
  const counts = await countsByAgencyAndStatus(db, { kind: 'all' }, today);
  return agencies.map((a) => {
    const byStatus = emptyCounts();
    for (const c of counts) if (c.agency_id === a.id) byStatus[c.status] = c.n;
    return {
      agencyId: a.id,
      agencyName: a.name,
      total: Object.values(byStatus).reduce((x, y) => x + y, 0),
      inProgress: byStatus.in_progress,
      overdue: byStatus.overdue,
      breached: byStatus.breached,
      fulfilled: byStatus.fulfilled,
      terminated: byStatus.terminated,
    };
  });
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

function agencyOpenMilestones(db: Knex, agencyId: number): Knex.QueryBuilder {
  return db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where('c.agency_id', agencyId)
    .whereNull('c.terminated_on')
    .whereIn('m.status', ['pending', 'partial'])
    .orderBy([{ column: 'm.due_on' }, { column: 'm.id' }])
    .select('c.id as commitment_id', 'c.title', 'm.id as milestone_id', 'm.description', 'm.due_on', 'm.amount_fen', 'm.status');
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

/**
 * An officer's home page: the agency's commitments by status, open milestones due in the next
 * 30 days (today included) and overdue ones (terminated commitments left out), and the on-time
 * rate of the last twelve months (milestones of a terminated commitment count if due before it ended).
 */
export async function officerDashboard(
  db: Knex,
  agencyId: number,
  today: string,
): Promise<{ countsByStatus: Record<CommitmentStatus, number>; dueSoon: MilestoneRef[]; overdue: MilestoneRef[]; onTime: { due: number; onTime: number; rate: number | null } }> {
  const countsByStatus = emptyCounts();
  for (const c of await countsByAgencyAndStatus(db, { kind: 'agency', agencyId }, today)) countsByStatus[c.status] = c.n;
  const dueSoon = (await agencyOpenMilestones(db, agencyId).where('m.due_on', '>=', today).where('m.due_on', '<=', addDays(today, DUE_SOON_DAYS))).map(toMilestoneRef);
  const overdue = (await agencyOpenMilestones(db, agencyId).where('m.due_on', '<', today)).map(toMilestoneRef);
  const recent: Array<{ status: MilestoneStatus; due_on: string; completed_on: string | null }> = await db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where('c.agency_id', agencyId)
    .where('m.due_on', '>', oneYearBefore(today))
    .where('m.due_on', '<=', today)
    .where((w) => w.whereNull('c.terminated_on').orWhereRaw('m.due_on <= c.terminated_on'))
    .select('m.status', 'm.due_on', 'm.completed_on');
  const onTime = onTimeFulfilmentRate(recent.map((m) => ({ status: m.status, dueOn: m.due_on, completedOn: m.completed_on })), today);
  return { countsByStatus, dueSoon, overdue, onTime };
}
