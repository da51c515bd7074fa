import type { Knex } from 'knex';
import { addWorkingDays, countingSpan, type WorkingCalendar } from '../../domain/calendar.ts';
import { loadWorkingCalendar } from '../calendar/queries.ts';
import type { ComplaintScope } from './policy.ts';
import { awaitedStep, caseDeadlines, daysFor, type CaseFacts, type ComplaintCategory, type ComplaintStatus, type DeadlineDays, type StepDeadline } from './rules.ts';

/*
 * The complaint tables as the use cases read and write them: rows in, rows out; the state and the
 * deadlines come from rules.ts. Every function takes a Knex or the use case's transaction.
 */

export interface ComplaintRow {
  id: number;
  enterprise_id: number;
  agency_id: number;
  forwarded_to_agency_id: number | null;
  category: ComplaintCategory;
  commitment_id: number | null;
  arrears_id: number | null;
  statement: string;
  amount_claimed_fen: number | null;
  withhold_name: boolean | number;
  name_disclosed_reason: string | null;
  status: ComplaintStatus;
  deadline_set_id: number;
  accept_days: number;
  resolve_days: number;
  rectify_days: number;
  follow_up_days: number;
  auto_close_days: number;
  submitted_on: string;
  accepted_on: string | null;
  resolved_on: string | null;
  bad_review_on: string | null;
  rectified_on: string | null;
  followed_up_on: string | null;
  closed_on: string | null;
  close_kind: CaseFacts['closeKind'];
  current_step: string | null;
  current_due_on: string | null;
  created_at: string;
  updated_at: string;
}

export function caseFacts(row: ComplaintRow): CaseFacts {
  return {
    status: row.status,
    submittedOn: row.submitted_on,
    acceptedOn: row.accepted_on,
    resolvedOn: row.resolved_on,
    badReviewOn: row.bad_review_on,
    rectifiedOn: row.rectified_on,
    followedUpOn: row.followed_up_on,
    closedOn: row.closed_on,
    closeKind: row.close_kind,
  };
}

export function deadlineDaysOf(row: Pick<ComplaintRow, 'accept_days' | 'resolve_days' | 'rectify_days' | 'follow_up_days' | 'auto_close_days'>): DeadlineDays {
  return { acceptDays: row.accept_days, resolveDays: row.resolve_days, rectifyDays: row.rectify_days, followUpDays: row.follow_up_days, autoCloseDays: row.auto_close_days };
}

/** The deadline set in force: the latest an admin saved. */
export async function currentDeadlineSet(db: Knex): Promise<{ id: number; days: DeadlineDays }> {
  const row = await db('complaint_deadline_sets').orderBy('id', 'desc').first();
  if (!row) throw new Error('no complaint deadline set: the complaints migration seeds one');
  return { id: Number(row.id), days: deadlineDaysOf(row) };
}

/** A working calendar wide enough for every deadline counted from these dates. */
export async function calendarFor(db: Knex, dates: string[], maxDays: number): Promise<WorkingCalendar> {
  const sorted = [...dates].sort();
  const first = countingSpan(sorted[0]!, maxDays);
  const last = countingSpan(sorted.at(-1)!, maxDays);
  return loadWorkingCalendar(db, { fromYear: first.fromYear, toYear: last.toYear });
}

function maxDaysOf(d: DeadlineDays): number {
  return Math.max(d.acceptDays, d.resolveDays, d.rectifyDays, d.followUpDays, d.autoCloseDays);
}

/** Every deadline of a case so far, on the shared calendar, with how each was counted. */
export async function deadlinesOf(db: Knex, row: ComplaintRow, today: string): Promise<StepDeadline[]> {
  const facts = caseFacts(row);
  const days = deadlineDaysOf(row);
  const cal = await calendarFor(db, [facts.submittedOn, today], maxDaysOf(days));
  return caseDeadlines(facts, days, cal, today);
}

/** The awaited step and its due date, as stored on the case for lists to flag and sort. */
export async function currentDeadline(db: Knex, facts: CaseFacts, days: DeadlineDays): Promise<{ current_step: string | null; current_due_on: string | null }> {
  const awaited = awaitedStep(facts);
  if (!awaited) return { current_step: null, current_due_on: null };
  const cal = await calendarFor(db, [awaited.from], maxDaysOf(days));
  return { current_step: awaited.step, current_due_on: addWorkingDays(awaited.from, daysFor(awaited.step, days), cal).dueOn };
}

/** The case's facts and stored deadline, written after every step. */
export async function saveFacts(trx: Knex, id: number, facts: CaseFacts, days: DeadlineDays, at: string): Promise<void> {
  await trx('complaints')
    .where({ id })
    .update({
      status: facts.status,
      accepted_on: facts.acceptedOn,
      resolved_on: facts.resolvedOn,
      bad_review_on: facts.badReviewOn,
      rectified_on: facts.rectifiedOn,
      followed_up_on: facts.followedUpOn,
      closed_on: facts.closedOn,
      close_kind: facts.closeKind,
      ...(await currentDeadline(trx, facts, days)),
      updated_at: at,
    });
}

export async function complaintRow(db: Knex, id: number): Promise<ComplaintRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return db('complaints').where({ id }).first();
}

export function scopeOf(row: Pick<ComplaintRow, 'id' | 'agency_id' | 'enterprise_id' | 'forwarded_to_agency_id'>): ComplaintScope {
  return {
    id: Number(row.id),
    agencyId: Number(row.agency_id),
    enterpriseId: Number(row.enterprise_id),
    forwardedToAgencyId: row.forwarded_to_agency_id === null ? null : Number(row.forwarded_to_agency_id),
  };
}

export async function complaintScope(db: Knex, id: number): Promise<ComplaintScope | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db('complaints').where({ id }).first('id', 'agency_id', 'enterprise_id', 'forwarded_to_agency_id');
  return row ? scopeOf(row) : null;
}

export async function insertStep(trx: Knex, row: { complaintId: number; action: string; fromStatus: ComplaintStatus | null; toStatus: ComplaintStatus; note: string | null; stepOn: string; actorId: number | null; at: string }): Promise<number> {
  const [{ id }] = await trx('complaint_steps')
    .insert({ complaint_id: row.complaintId, action: row.action, from_status: row.fromStatus, to_status: row.toStatus, note: row.note, step_on: row.stepOn, actor_id: row.actorId, created_at: row.at })
    .returning('id');
  return Number(id);
}
