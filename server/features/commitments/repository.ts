import type { Knex } from 'knex';
import type { ScopedRecord } from '../../auth/policy.ts';
import { milestoneStanding, type DisputeStatus, type EnterpriseResponse, type FulfilmentFacts, type MilestoneStatus, type WaiverDecision } from './rules.ts';
import type { CommitmentInput, CommitmentKind } from './schema.ts';

/*
 * The commitments tables as the use cases read and write them: rows in, rows out, no rules. Every
 * function takes a Knex or the use case's transaction.
 */

export interface CommitmentRow {
  id: number;
  kind: CommitmentKind;
  title: string;
  reference_no: string;
  agency_id: number;
  enterprise_id: number | null;
  basis: string | null;
  signed_on: string;
  amount_fen: number;
  responsible_official: string;
  is_public: boolean | number;
  terminated_on: string | null;
  termination_reason: string | null;
}

export interface MilestoneRow {
  id: number;
  commitment_id: number;
  seq: number;
  description: string;
  due_on: string;
  amount_fen: number | null;
  status: MilestoneStatus;
  completed_on: string | null;
  breach_findings: string | null;
  breached_on: string | null;
}

export interface FulfilmentRow {
  id: number;
  milestone_id: number;
  fulfilled_on: string;
  note: string;
  amount_fen: number | null;
  completes: boolean | number;
  enterprise_response: EnterpriseResponse | null;
  enterprise_comment: string | null;
  dispute_status: DisputeStatus | null;
  dispute_decision_note: string | null;
}

export interface WaiverRow {
  id: number;
  milestone_id: number;
  reason: string;
  decision: WaiverDecision;
  decision_note: string | null;
  requested_at: string;
  decided_at: string | null;
}

export const fenOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The columns of a commitment that its input sets (the one input → row mapping: create, edit, import). */
export function commitmentColumns(input: CommitmentInput) {
  return {
    kind: input.kind,
    title: input.title,
    reference_no: input.referenceNo,
    agency_id: input.agencyId,
    enterprise_id: input.enterpriseId ?? null,
    basis: input.basis ?? null,
    signed_on: input.signedOn,
    amount_fen: input.amountFen,
    responsible_official: input.responsibleOfficial,
    is_public: input.isPublic,
  };
}

/** The columns of the milestone at position `index` of a commitment's input. */
export function milestoneColumns(m: CommitmentInput['milestones'][number], index: number) {
  return { seq: index + 1, description: m.description, due_on: m.dueOn, amount_fen: m.amountFen ?? null };
}

/** A stored commitment as the input that would make it (the one row → input mapping: edit form, audit). */
export function commitmentInputOf(row: CommitmentRow, milestones: MilestoneRow[]): CommitmentInput {
  return {
    kind: row.kind,
    title: row.title,
    referenceNo: row.reference_no,
    agencyId: Number(row.agency_id),
    enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id),
    basis: row.basis,
    signedOn: row.signed_on,
    amountFen: Number(row.amount_fen),
    responsibleOfficial: row.responsible_official,
    isPublic: Boolean(row.is_public),
    milestones: milestones.map((m) => ({ id: m.id, description: m.description, dueOn: m.due_on, amountFen: fenOrNull(m.amount_fen) })),
  };
}

/**
 * What the audit log keeps of a commitment and its milestones: the input without row ids, and the
 * counterparty's name as it was, so that the timeline names the enterprise rather than its id.
 */
export function auditView(input: CommitmentInput, enterpriseName: string | null) {
  const { milestones, ...fields } = input;
  return {
    ...fields,
    enterpriseId: fields.enterpriseId ?? null,
    enterprise: enterpriseName,
    basis: fields.basis ?? null,
    milestones: milestones.map((m) => ({ description: m.description, dueOn: m.dueOn, amountFen: m.amountFen ?? null })),
  };
}

/** The names of enterprises by id, for audit entries that name a counterparty. */
export async function enterpriseNames(db: Knex, ids: Array<number | null | undefined>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
  const names = new Map<number, string>();
  // Chunked: an import names thousands of enterprises, more than one statement may bind.
  for (let i = 0; i < wanted.length; i += 500) {
    const rows: Array<{ id: number; name: string }> = await db('enterprises').whereIn('id', wanted.slice(i, i + 500)).select('id', 'name');
    for (const r of rows) names.set(Number(r.id), r.name);
  }
  return names;
}

export function fulfilmentFacts(f: FulfilmentRow): FulfilmentFacts {
  return { fulfilledOn: f.fulfilled_on, completes: Boolean(f.completes), enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status };
}

/** What an access check and the guards of a use case need of a commitment: one cheap row. */
export interface CommitmentScope extends ScopedRecord {
  id: number;
  agencyId: number;
  enterpriseId: number | null;
  signedOn: string;
  terminatedOn: string | null;
  responsibleOfficial: string;
}

export async function commitmentScope(db: Knex, id: number): Promise<CommitmentScope | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db('commitments').where({ id }).first('id', 'agency_id', 'enterprise_id', 'signed_on', 'terminated_on', 'responsible_official');
  if (!row) return null;
  return {
    id: Number(row.id),
    agencyId: Number(row.agency_id),
    enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id),
    signedOn: row.signed_on,
    terminatedOn: row.terminated_on,
    responsibleOfficial: row.responsible_official,
  };
}

export async function commitmentRow(db: Knex, id: number): Promise<CommitmentRow | undefined> {
  return db('commitments').where({ id }).first();
}

export function milestonesOf(db: Knex, commitmentId: number): Promise<MilestoneRow[]> {
  return db('milestones').where({ commitment_id: commitmentId }).orderBy('seq');
}

/**
 * What a commitment's status is apart from today, from its milestones: terminated, breached,
 * fulfilled (every milestone fulfilled or waived) or open; an open one is overdue once next_due_on
 * (its earliest open milestone's due date) is before today, which queries.ts decides with today.
 * status-sql.test.ts proves the two together equal rules.ts commitmentStatus().
 */
const STANDING_SQL = `CASE
  WHEN commitments.terminated_on IS NOT NULL THEN 'terminated'
  WHEN EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id AND m.status = 'breached') THEN 'breached'
  WHEN EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id)
    AND NOT EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id AND m.status NOT IN ('fulfilled', 'waived')) THEN 'fulfilled'
  ELSE 'open'
END`;

/** A terminated commitment owes nothing more, so it has no next due date. */
const NEXT_DUE_SQL = `CASE WHEN commitments.terminated_on IS NULL THEN
  (SELECT MIN(m.due_on) FROM milestones m WHERE m.commitment_id = commitments.id AND m.status IN ('pending', 'partial'))
END`;

/**
 * Recomputes the stored standing and next due date of commitments (ids, or a query selecting them)
 * from their milestones. Every write below that changes a milestone's status or due date, or ends a
 * commitment, calls it in the same transaction; so does the import.
 */
export async function refreshStanding(trx: Knex, commitmentIds: number[] | Knex.QueryBuilder): Promise<void> {
  if (Array.isArray(commitmentIds) && !commitmentIds.length) return;
  await trx('commitments').whereIn('id', commitmentIds).update({ standing: trx.raw(STANDING_SQL), next_due_on: trx.raw(NEXT_DUE_SQL) });
}

/** The commitments of some milestones, as a subquery for refreshStanding. */
function commitmentsOfMilestones(trx: Knex, milestoneIds: number[]): Knex.QueryBuilder {
  return trx('milestones').whereIn('id', milestoneIds).select('commitment_id');
}

/** Inserts a commitment and its milestones; returns their ids in input order. */
export async function insertCommitmentRows(trx: Knex, input: CommitmentInput, createdBy: number | null, at: string): Promise<{ commitmentId: number; milestoneIds: number[] }> {
  const [{ id }] = await trx('commitments').insert({ ...commitmentColumns(input), created_by: createdBy, created_at: at, updated_at: at }).returning('id');
  const commitmentId = Number(id);
  const inserted: Array<{ id: number }> = await trx('milestones')
    .insert(input.milestones.map((m, i) => ({ ...milestoneColumns(m, i), commitment_id: commitmentId, status: 'pending', created_at: at, updated_at: at })))
    .returning('id');
  await refreshStanding(trx, [commitmentId]);
  return { commitmentId, milestoneIds: inserted.map((r) => Number(r.id)) };
}

/** Whether another commitment of the agency already carries the reference number. */
export async function referenceTaken(db: Knex, agencyId: number, referenceNo: string, exceptId: number | null): Promise<boolean> {
  const row = await db('commitments')
    .where({ agency_id: agencyId, reference_no: referenceNo })
    .modify((qb) => {
      if (exceptId !== null) qb.whereNot('id', exceptId);
    })
    .first('id');
  return Boolean(row);
}

export async function exists(db: Knex, table: 'agencies' | 'enterprises', id: number): Promise<boolean> {
  return Boolean(await db(table).where({ id }).first('id'));
}

/**
 * Rewrites a commitment and its milestones from an edited input: rows of `input.milestones` with an
 * id update that milestone, the others are inserted; `removedIds` are deleted.
 */
export async function rewriteCommitment(trx: Knex, id: number, input: CommitmentInput, removedIds: number[], at: string): Promise<void> {
  await trx('commitments').where({ id }).update({ ...commitmentColumns(input), updated_at: at });
  if (removedIds.length) await trx('milestones').whereIn('id', removedIds).delete();
  for (const [i, m] of input.milestones.entries()) {
    const fields = { ...milestoneColumns(m, i), updated_at: at };
    if (m.id) await trx('milestones').where({ id: m.id }).update(fields);
    else await trx('milestones').insert({ ...fields, commitment_id: id, status: 'pending', created_at: at });
  }
  await refreshStanding(trx, [id]);
}

/**
 * Reads one milestone of a commitment for a change to it. Touching the row first makes concurrent
 * changes of the milestone queue (a row lock on PostgreSQL; SQLite has a single writer), so the
 * checks that follow cannot be raced.
 */
export async function lockMilestone(trx: Knex, commitmentId: number, milestoneId: number, at: string): Promise<MilestoneRow | undefined> {
  if (!Number.isSafeInteger(milestoneId) || milestoneId <= 0) return undefined;
  const [row] = (await trx('milestones').where({ id: milestoneId, commitment_id: commitmentId }).update({ updated_at: at }).returning('*')) as MilestoneRow[];
  return row;
}

/** Everything recorded on milestones (fulfilments and waivers), by milestone id. */
export async function milestoneRecords(db: Knex, milestoneIds: number[]): Promise<{ fulfilments: FulfilmentRow[]; waivers: WaiverRow[] }> {
  if (!milestoneIds.length) return { fulfilments: [], waivers: [] };
  const [fulfilments, waivers] = await Promise.all([
    db('fulfilments').whereIn('milestone_id', milestoneIds).orderBy([{ column: 'fulfilled_on' }, { column: 'id' }]) as Promise<FulfilmentRow[]>,
    db('waivers').whereIn('milestone_id', milestoneIds).orderBy([{ column: 'requested_at' }, { column: 'id' }]) as Promise<WaiverRow[]>,
  ]);
  return { fulfilments, waivers };
}

/**
 * Saves a milestone's new status. The commitment's standing is refreshed only when the milestone
 * moved between owed, breached and settled: a pending milestone fulfilled in part is still owed,
 * by the same date, so nothing its commitment stores changes.
 */
export async function saveMilestoneState(trx: Knex, milestone: { id: number; status: MilestoneStatus }, state: { status: MilestoneStatus; completedOn: string | null }, at: string): Promise<void> {
  await trx('milestones').where({ id: milestone.id }).update({ status: state.status, completed_on: state.completedOn, updated_at: at });
  if (milestoneStanding(milestone.status) !== milestoneStanding(state.status)) await refreshStanding(trx, commitmentsOfMilestones(trx, [milestone.id]));
}

export async function insertFulfilment(
  trx: Knex,
  row: { milestoneId: number; fulfilledOn: string; note: string; amountFen: number | null; completes: boolean; recordedBy: number | null; at: string },
): Promise<number> {
  const [{ id }] = await trx('fulfilments')
    .insert({ milestone_id: row.milestoneId, fulfilled_on: row.fulfilledOn, note: row.note, amount_fen: row.amountFen, completes: row.completes, recorded_by: row.recordedBy, created_at: row.at })
    .returning('id');
  return Number(id);
}

/** A fulfilment with the milestone (its number and what it owes) and commitment it belongs to. */
export async function fulfilmentWithOwner(db: Knex, fulfilmentId: number): Promise<(FulfilmentRow & { commitment_id: number; seq: number; description: string }) | undefined> {
  if (!Number.isSafeInteger(fulfilmentId) || fulfilmentId <= 0) return undefined;
  return db('fulfilments as f').join('milestones as m', 'm.id', 'f.milestone_id').where('f.id', fulfilmentId).first('f.*', 'm.commitment_id', 'm.seq', 'm.description');
}

export async function updateFulfilment(trx: Knex, fulfilmentId: number, fields: Record<string, unknown>): Promise<void> {
  await trx('fulfilments').where({ id: fulfilmentId }).update(fields);
}

/** A waiver with the commitment it belongs to. */
export async function waiverWithOwner(db: Knex, waiverId: number): Promise<(WaiverRow & { commitment_id: number }) | undefined> {
  if (!Number.isSafeInteger(waiverId) || waiverId <= 0) return undefined;
  return db('waivers as w').join('milestones as m', 'm.id', 'w.milestone_id').where('w.id', waiverId).first('w.*', 'm.commitment_id');
}

export async function insertWaiver(trx: Knex, row: { milestoneId: number; reason: string; requestedBy: number | null; at: string }): Promise<number> {
  const [{ id }] = await trx('waivers').insert({ milestone_id: row.milestoneId, reason: row.reason, requested_by: row.requestedBy, requested_at: row.at, decision: 'pending' }).returning('id');
  return Number(id);
}

export async function decideWaiverRow(trx: Knex, waiverId: number, fields: { decision: WaiverDecision; note: string | null; decidedBy: number | null; at: string }): Promise<void> {
  await trx('waivers').where({ id: waiverId }).update({ decision: fields.decision, decision_note: fields.note, decided_by: fields.decidedBy, decided_at: fields.at });
}

export function openMilestonesOf(trx: Knex, commitmentId: number): Promise<MilestoneRow[]> {
  return trx('milestones').where({ commitment_id: commitmentId }).whereIn('status', ['pending', 'partial']).orderBy('seq');
}

export async function markBreached(trx: Knex, milestoneIds: number[], fields: { findings: string; breachedOn: string; breachedBy: number | null; at: string }): Promise<void> {
  await trx('milestones').whereIn('id', milestoneIds).update({ status: 'breached', completed_on: null, breach_findings: fields.findings, breached_on: fields.breachedOn, breached_by: fields.breachedBy, updated_at: fields.at });
  await refreshStanding(trx, commitmentsOfMilestones(trx, milestoneIds));
}

export async function markTerminated(trx: Knex, commitmentId: number, fields: { terminatedOn: string; reason: string; at: string }): Promise<void> {
  await trx('commitments').where({ id: commitmentId }).update({ terminated_on: fields.terminatedOn, termination_reason: fields.reason, updated_at: fields.at });
  await refreshStanding(trx, [commitmentId]);
}

export async function latestHandoverDate(db: Knex, commitmentId: number): Promise<string | null> {
  const row = await db('handovers').where({ commitment_id: commitmentId }).max({ d: 'handed_over_on' }).first();
  return row?.d ?? null;
}

export async function insertHandover(
  trx: Knex,
  row: { commitmentId: number; fromOfficial: string; toOfficial: string; handedOverOn: string; note: string | null; recordedBy: number | null; at: string },
): Promise<number> {
  const [{ id }] = await trx('handovers')
    .insert({ commitment_id: row.commitmentId, from_official: row.fromOfficial, to_official: row.toOfficial, handed_over_on: row.handedOverOn, note: row.note, recorded_by: row.recordedBy, created_at: row.at })
    .returning('id');
  await trx('commitments').where({ id: row.commitmentId }).update({ responsible_official: row.toOfficial, updated_at: row.at });
  return Number(id);
}
