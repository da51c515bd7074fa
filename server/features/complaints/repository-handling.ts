import type { Knex } from 'knex';
import type { ComplaintRow } from './repository.ts';
import { deadlineDaysOf } from './repository.ts';
import type { DeadlineDays, RatingLevel } from './rules.ts';

/*
 * The handling slice's table reads and writes: locking a case for a step, ratings and their appeals,
 * findings of default in the credit record, the name disclosure and the deadline set versions.
 */

/** A case row with who disclosed a withheld name, and when (ComplaintRow has the reason only). */
export type LockedCase = ComplaintRow & { name_disclosed_by: number | null; name_disclosed_at: string | null };

/**
 * The case, locked for the rest of the transaction (an UPDATE takes the row lock on PostgreSQL; SQLite
 * has one writer): two officers taking a step at once, or two sweeps, cannot both act on the same state.
 */
export async function lockCase(trx: Knex, id: number, at: string): Promise<LockedCase | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const [row] = (await trx('complaints').where({ id }).update({ updated_at: at }).returning('*')) as LockedCase[];
  return row;
}

/** The agency's superior (上级机关), with its name; null when the agency has none. */
export async function superiorOf(db: Knex, agencyId: number): Promise<{ id: number; name: string } | null> {
  const row = await db('agencies as a').join('agencies as p', 'p.id', 'a.parent_id').where('a.id', agencyId).first('p.id', 'p.name');
  return row ? { id: Number(row.id), name: row.name } : null;
}

export async function agencyName(db: Knex, agencyId: number): Promise<string> {
  const row = await db('agencies').where({ id: agencyId }).first('name');
  return row?.name ?? '';
}

export async function markForwarded(trx: Knex, id: number, agencyId: number): Promise<void> {
  await trx('complaints').where({ id }).update({ forwarded_to_agency_id: agencyId });
}

export async function insertCreditEntry(
  trx: Knex,
  row: { agencyId: number; complaintId: number; commitmentId: number | null; arrearsId: number | null; amountFen: number | null; foundOn: string; finding: string; foundBy: number | null; at: string },
): Promise<number> {
  const [{ id }] = await trx('credit_record_entries')
    .insert({
      agency_id: row.agencyId,
      complaint_id: row.complaintId,
      commitment_id: row.commitmentId,
      arrears_id: row.arrearsId,
      amount_fen: row.amountFen,
      found_on: row.foundOn,
      finding: row.finding,
      found_by: row.foundBy,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id');
  return Number(id);
}

export interface RatingRow {
  id: number;
  complaint_id: number;
  round: number;
  level: RatingLevel;
  comment: string | null;
  rated_on: string;
  rated_by: number | null;
  voided: boolean | number;
  created_at: string;
}

export interface AppealRow {
  id: number;
  rating_id: number;
  reason: string;
  appealed_by: number | null;
  appealed_at: string;
  decision: 'upheld' | 'voided' | null;
  decision_note: string | null;
  decided_by: number | null;
  decided_at: string | null;
}

/** The next rating round of a case: 1 for its first rating, then one more after each bad review's rectification. */
export async function nextRatingRound(trx: Knex, complaintId: number): Promise<number> {
  const row = await trx('complaint_ratings').where({ complaint_id: complaintId }).max({ round: 'round' }).first();
  return Number(row?.round ?? 0) + 1;
}

export async function insertRating(trx: Knex, row: { complaintId: number; round: number; level: RatingLevel; comment: string | null; ratedOn: string; ratedBy: number | null; at: string }): Promise<number> {
  const [{ id }] = await trx('complaint_ratings')
    .insert({ complaint_id: row.complaintId, round: row.round, level: row.level, comment: row.comment, rated_on: row.ratedOn, rated_by: row.ratedBy, voided: false, created_at: row.at })
    .returning('id');
  return Number(id);
}

export async function ratingOf(db: Knex, complaintId: number, ratingId: number): Promise<RatingRow | undefined> {
  if (!Number.isSafeInteger(ratingId) || ratingId <= 0) return undefined;
  return db('complaint_ratings').where({ id: ratingId, complaint_id: complaintId }).first();
}

export async function appealOfRating(db: Knex, ratingId: number): Promise<AppealRow | undefined> {
  return db('complaint_appeals').where({ rating_id: ratingId }).first();
}

/** The appeal with the rating it is about, if both belong to the case. */
export async function appealOf(db: Knex, complaintId: number, appealId: number): Promise<(AppealRow & { level: RatingLevel; round: number; comment: string | null; voided: boolean | number }) | undefined> {
  if (!Number.isSafeInteger(appealId) || appealId <= 0) return undefined;
  return db('complaint_appeals as ap')
    .join('complaint_ratings as r', 'r.id', 'ap.rating_id')
    .where({ 'ap.id': appealId, 'r.complaint_id': complaintId })
    .first('ap.*', 'r.level', 'r.round', 'r.comment', 'r.voided');
}

export async function insertAppeal(trx: Knex, row: { ratingId: number; reason: string; appealedBy: number | null; at: string }): Promise<number> {
  const [{ id }] = await trx('complaint_appeals').insert({ rating_id: row.ratingId, reason: row.reason, appealed_by: row.appealedBy, appealed_at: row.at }).returning('id');
  return Number(id);
}

/** Decides a pending appeal; answers whether it was still pending (another auditor may have decided it first). */
export async function decideAppealRow(trx: Knex, appealId: number, row: { decision: 'upheld' | 'voided'; note: string; decidedBy: number | null; at: string }): Promise<boolean> {
  const changed = await trx('complaint_appeals').where({ id: appealId }).whereNull('decision').update({ decision: row.decision, decision_note: row.note, decided_by: row.decidedBy, decided_at: row.at });
  return changed === 1;
}

export async function voidRating(trx: Knex, ratingId: number): Promise<void> {
  await trx('complaint_ratings').where({ id: ratingId }).update({ voided: true });
}

export interface PendingAppeal {
  appealId: number;
  complaintId: number;
  agencyName: string;
  ratingRound: number;
  level: RatingLevel;
  comment: string | null;
  ratedOn: string;
  reason: string;
  appealedAt: string;
  appealedBy: string | null;
}

/** The appeals waiting for an auditor, oldest first. */
export async function pendingAppeals(db: Knex): Promise<PendingAppeal[]> {
  const rows = await db('complaint_appeals as ap')
    .join('complaint_ratings as r', 'r.id', 'ap.rating_id')
    .join('complaints as c', 'c.id', 'r.complaint_id')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .leftJoin('users as u', 'u.id', 'ap.appealed_by')
    .whereNull('ap.decision')
    .orderBy([{ column: 'ap.appealed_at' }, { column: 'ap.id' }])
    .select('ap.id as appeal_id', 'c.id as complaint_id', 'a.name as agency_name', 'r.round', 'r.level', 'r.comment', 'r.rated_on', 'ap.reason', 'ap.appealed_at', 'u.display_name');
  return rows.map((r: Record<string, unknown>) => ({
    appealId: Number(r.appeal_id),
    complaintId: Number(r.complaint_id),
    agencyName: String(r.agency_name),
    ratingRound: Number(r.round),
    level: r.level as RatingLevel,
    comment: (r.comment as string | null) ?? null,
    ratedOn: String(r.rated_on),
    reason: String(r.reason),
    appealedAt: new Date(String(r.appealed_at)).toISOString(),
    appealedBy: (r.display_name as string | null) ?? null,
  }));
}

export async function markNameDisclosed(trx: Knex, id: number, row: { reason: string; by: number | null; at: string }): Promise<void> {
  await trx('complaints').where({ id }).update({ name_disclosed_reason: row.reason, name_disclosed_by: row.by, name_disclosed_at: row.at });
}

/** Ids of resolved cases, the only ones the auto-close sweep may close; each is checked again under its lock. */
export async function resolvedCaseIds(db: Knex): Promise<number[]> {
  const ids: Array<number | string> = await db('complaints').where({ status: 'resolved' }).orderBy('id').pluck('id');
  return ids.map(Number);
}

export interface DeadlineSetVersion {
  id: number;
  days: DeadlineDays;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
  /** How many cases were opened under this version (and keep its days). */
  cases: number;
}

/** Every version of the deadline set, newest first (the first is in force). */
export async function deadlineSetVersions(db: Knex): Promise<DeadlineSetVersion[]> {
  const counts = db('complaints').groupBy('deadline_set_id').select('deadline_set_id').count({ n: '*' }).as('k');
  const rows = await db('complaint_deadline_sets as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .leftJoin(counts, 'k.deadline_set_id', 's.id')
    .orderBy('s.id', 'desc')
    .select('s.*', 'u.display_name', 'k.n');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    days: deadlineDaysOf(r as unknown as Parameters<typeof deadlineDaysOf>[0]),
    note: (r.note as string | null) ?? null,
    createdBy: (r.display_name as string | null) ?? null,
    createdAt: new Date(String(r.created_at)).toISOString(),
    cases: Number(r.n ?? 0),
  }));
}

export async function insertDeadlineSet(trx: Knex, days: DeadlineDays, note: string | null, createdBy: number | null, at: string): Promise<number> {
  const [{ id }] = await trx('complaint_deadline_sets')
    .insert({ accept_days: days.acceptDays, resolve_days: days.resolveDays, rectify_days: days.rectifyDays, follow_up_days: days.followUpDays, auto_close_days: days.autoCloseDays, note, created_by: createdBy, created_at: at })
    .returning('id');
  return Number(id);
}
