import type { Knex } from 'knex';
import { can } from '../../../auth/policy.ts';
import type { Role } from '../../../config.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { addWorkingDays } from '../../../domain/calendar.ts';
import { attachmentsOf, type Attachment } from '../../../evidence/index.ts';
import { notFound } from '../../../http/errors.ts';
import { ARREARS } from '../../arrears/policy.ts';
import { COMMITMENTS } from '../../commitments/policy.ts';
import { CASE_EVIDENCE, STEP_EVIDENCE } from '../evidence-owners.ts';
import { COMPLAINTS, mayKnowComplainant, type ComplaintScope } from '../policy.ts';
import { CREDIT_RECORD } from '../policy-credit.ts';
import { calendarFor, caseFacts, deadlineDaysOf, scopeOf, type ComplaintRow } from '../repository.ts';
import { caseDeadlines, type CaseFacts, type ComplaintCategory, type ComplaintStatus, type DeadlineDays, type RatingLevel, type StepDeadline } from '../rules.ts';
import { countingSummary, overdueOn, type CountingSummary } from '../rules-cases.ts';

/** One case with everything its page and the API show, the complainant left out where the viewer may not know it. */

export interface LinkedRecord {
  id: number;
  label: string;
  /** Whether the viewer may open its page. */
  readable: boolean;
}

/** Who took a step or rated: a name, or null for the complainant whose name is withheld from the viewer. */
export interface StepActorName {
  role: Role | null;
  name: string | null;
}

export interface CaseStep {
  id: number;
  action: string;
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  note: string | null;
  stepOn: string;
  at: string;
  actor: StepActorName | null;
  files: Attachment[];
}

export interface CaseAppeal {
  id: number;
  reason: string;
  appealedAt: string;
  appealedBy: string | null;
  decision: 'upheld' | 'voided' | null;
  decisionNote: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

export interface CaseRating {
  id: number;
  round: number;
  level: RatingLevel;
  comment: string | null;
  ratedOn: string;
  voided: boolean;
  appeal: CaseAppeal | null;
}

export interface CaseDeadline extends StepDeadline {
  counting: CountingSummary;
}

export interface CaseDetail {
  id: number;
  scope: ComplaintScope;
  agency: { id: number; name: string; parentId: number | null };
  forwardedTo: { id: number; name: string } | null;
  /** Null where the viewer may not know who complained (withheld and not disclosed). */
  complainant: { id: number; name: string; creditCode: string } | null;
  withholdName: boolean;
  /** Why an auditor disclosed a withheld name, once one did, who and when. */
  nameDisclosedReason: string | null;
  nameDisclosedAt: string | null;
  nameDisclosedBy: string | null;
  category: ComplaintCategory;
  statement: string;
  amountClaimedFen: number | null;
  status: ComplaintStatus;
  facts: CaseFacts;
  days: DeadlineDays;
  /** The linked commitment and arrears; hidden with the name, since either names the complainant. */
  commitment: LinkedRecord | null;
  arrears: LinkedRecord | null;
  linkWithheld: boolean;
  /** The finding of default this case left in the agency's credit record, and whether the viewer may read that record. */
  creditEntry: { id: number; agencyId: number; agencyName: string; foundOn: string; repairedOn: string | null; readable: boolean } | null;
  /** The awaited step and its due date as stored for the lists, and whether it is past. */
  current: { step: string | null; dueOn: string | null; overdue: boolean };
  deadlines: CaseDeadline[];
  steps: CaseStep[];
  ratings: CaseRating[];
  evidence: Attachment[];
  createdAt: string;
}

const iso = (at: string | Date | null): string | null => (at === null ? null : new Date(at).toISOString());

type DetailRow = ComplaintRow & { agency_name: string; agency_parent_id: number | null; forwarded_name: string | null; enterprise_name: string; credit_code: string; name_disclosed_at: string | Date | null; disclosed_by_name: string | null };

async function linkedCommitment(db: Knex, caller: Caller, id: number | null): Promise<LinkedRecord | null> {
  if (id === null) return null;
  const c: { id: number; reference_no: string; title: string; agency_id: number; enterprise_id: number | null } | undefined = await db('commitments').where({ id }).first('id', 'reference_no', 'title', 'agency_id', 'enterprise_id');
  if (!c) return null;
  const readable = can(caller.user, COMMITMENTS.read, { agencyId: Number(c.agency_id), enterpriseId: c.enterprise_id === null ? null : Number(c.enterprise_id) });
  return { id: Number(c.id), label: `${c.reference_no} ${c.title}`, readable };
}

async function linkedArrears(db: Knex, caller: Caller, id: number | null): Promise<LinkedRecord | null> {
  if (id === null) return null;
  const a: { id: number; contract_ref: string | null; description: string; agency_id: number; enterprise_id: number } | undefined = await db('arrears').where({ id }).first('id', 'contract_ref', 'description', 'agency_id', 'enterprise_id');
  if (!a) return null;
  const readable = can(caller.user, ARREARS.read, { agencyId: Number(a.agency_id), enterpriseId: Number(a.enterprise_id) });
  return { id: Number(a.id), label: a.contract_ref ? `${a.contract_ref} ${a.description}` : a.description, readable };
}

/** Every deadline of the case so far with how it was counted, on a calendar wide enough for all of them. */
async function countedDeadlines(db: Knex, facts: CaseFacts, days: DeadlineDays, today: string): Promise<CaseDeadline[]> {
  const maxDays = Math.max(days.acceptDays, days.resolveDays, days.rectifyDays, days.followUpDays, days.autoCloseDays);
  const cal = await calendarFor(db, [facts.submittedOn, today], maxDays);
  return caseDeadlines(facts, days, cal, today).map((d) => ({ ...d, counting: countingSummary(addWorkingDays(d.from, d.days, cal)) }));
}

/**
 * One case with its facts, deadlines (each with how it was counted), steps with their files, ratings
 * with their appeals, and its evidence. 404 when it does not exist or the user may not read it. The
 * complainant's name, credit code and linked record, and the names of the complainant's users on its
 * steps, are left out for a viewer who may not know who complained.
 */
export async function caseDetail(ctx: UseCaseContext, caller: Caller, id: number): Promise<CaseDetail> {
  const { db } = ctx;
  const today = ctx.clock.today();
  const row: DetailRow | undefined = Number.isSafeInteger(id) && id > 0
    ? await db('complaints as c')
        .join('agencies as g', 'g.id', 'c.agency_id')
        .leftJoin('agencies as f', 'f.id', 'c.forwarded_to_agency_id')
        .join('enterprises as e', 'e.id', 'c.enterprise_id')
        .leftJoin('users as d', 'd.id', 'c.name_disclosed_by')
        .where('c.id', id)
        .first('c.*', 'g.name as agency_name', 'g.parent_id as agency_parent_id', 'f.name as forwarded_name', 'e.name as enterprise_name', 'e.credit_code', 'd.display_name as disclosed_by_name')
    : undefined;
  const scope = row ? scopeOf(row) : null;
  if (!row || !scope || !can(caller.user, COMPLAINTS.read, scope)) throw notFound();
  const withholdName = Boolean(row.withhold_name);
  const known = mayKnowComplainant(caller.user, { ...scope, withholdName, nameDisclosed: row.name_disclosed_reason !== null });
  const facts = caseFacts(row);
  const days = deadlineDaysOf(row);

  const [deadlines, commitment, arrears, stepRows, ratingRows, creditRow] = await Promise.all([
    countedDeadlines(db, facts, days, today),
    known ? linkedCommitment(db, caller, row.commitment_id === null ? null : Number(row.commitment_id)) : null,
    known ? linkedArrears(db, caller, row.arrears_id === null ? null : Number(row.arrears_id)) : null,
    db('complaint_steps as s').leftJoin('users as u', 'u.id', 's.actor_id').where('s.complaint_id', id).orderBy('s.id').select('s.*', 'u.display_name', 'u.role', 'u.enterprise_id as actor_enterprise_id') as Promise<Array<{ id: number; action: string; from_status: ComplaintStatus | null; to_status: ComplaintStatus; note: string | null; step_on: string; created_at: string; actor_id: number | null; display_name: string | null; role: Role | null; actor_enterprise_id: number | null }>>,
    db('complaint_ratings').where({ complaint_id: id }).orderBy('round') as Promise<Array<{ id: number; round: number; level: RatingLevel; comment: string | null; rated_on: string; voided: boolean | number }>>,
    db('credit_record_entries as r').join('agencies as ra', 'ra.id', 'r.agency_id').where('r.complaint_id', id).first('r.id', 'r.agency_id', 'ra.name as agency_name', 'r.found_on', 'r.repaired_on') as Promise<{ id: number; agency_id: number; agency_name: string; found_on: string; repaired_on: string | null } | undefined>,
  ]);
  const appealRows: Array<{ id: number; rating_id: number; reason: string; appealed_at: string; decision: 'upheld' | 'voided' | null; decision_note: string | null; decided_at: string | null; appellant: string | null; decider: string | null }> = ratingRows.length
    ? await db('complaint_appeals as a')
        .leftJoin('users as ua', 'ua.id', 'a.appealed_by')
        .leftJoin('users as ud', 'ud.id', 'a.decided_by')
        .whereIn('a.rating_id', ratingRows.map((r) => r.id))
        .select('a.id', 'a.rating_id', 'a.reason', 'a.appealed_at', 'a.decision', 'a.decision_note', 'a.decided_at', 'ua.display_name as appellant', 'ud.display_name as decider')
    : [];
  const files = await attachmentsOf(db, [{ type: CASE_EVIDENCE, id }, ...stepRows.map((s) => ({ type: STEP_EVIDENCE, id: Number(s.id) }))]);

  const actorOf = (s: (typeof stepRows)[number]): StepActorName | null => {
    if (s.actor_id === null) return null;
    // The complainant's own users are the complainant: named only to those who may know it.
    const isComplainant = s.role === 'enterprise' && Number(s.actor_enterprise_id) === scope.enterpriseId;
    return { role: s.role, name: isComplainant && !known ? null : s.display_name };
  };

  return {
    id: Number(row.id),
    scope,
    agency: { id: Number(row.agency_id), name: row.agency_name, parentId: row.agency_parent_id === null ? null : Number(row.agency_parent_id) },
    forwardedTo: row.forwarded_to_agency_id === null ? null : { id: Number(row.forwarded_to_agency_id), name: row.forwarded_name! },
    complainant: known ? { id: Number(row.enterprise_id), name: row.enterprise_name, creditCode: row.credit_code } : null,
    withholdName,
    nameDisclosedReason: row.name_disclosed_reason,
    nameDisclosedAt: iso(row.name_disclosed_at),
    nameDisclosedBy: row.disclosed_by_name,
    category: row.category,
    statement: row.statement,
    amountClaimedFen: row.amount_claimed_fen === null ? null : Number(row.amount_claimed_fen),
    status: row.status,
    facts,
    days,
    commitment,
    arrears,
    linkWithheld: !known && (row.commitment_id !== null || row.arrears_id !== null),
    creditEntry: creditRow
      ? { id: Number(creditRow.id), agencyId: Number(creditRow.agency_id), agencyName: creditRow.agency_name, foundOn: creditRow.found_on, repairedOn: creditRow.repaired_on, readable: can(caller.user, CREDIT_RECORD.read, { agencyId: Number(creditRow.agency_id) }) }
      : null,
    current: { step: row.current_step, dueOn: row.current_due_on, overdue: overdueOn({ step: row.current_step, dueOn: row.current_due_on }, today) },
    deadlines,
    steps: stepRows.map((s) => ({
      id: Number(s.id),
      action: s.action,
      fromStatus: s.from_status,
      toStatus: s.to_status,
      note: s.note,
      stepOn: s.step_on,
      at: iso(s.created_at)!,
      actor: actorOf(s),
      files: files.of({ type: STEP_EVIDENCE, id: Number(s.id) }),
    })),
    ratings: ratingRows.map((r) => {
      const a = appealRows.find((x) => Number(x.rating_id) === Number(r.id));
      return {
        id: Number(r.id),
        round: Number(r.round),
        level: r.level,
        comment: r.comment,
        ratedOn: r.rated_on,
        voided: Boolean(r.voided),
        appeal: a ? { id: Number(a.id), reason: a.reason, appealedAt: iso(a.appealed_at)!, appealedBy: a.appellant, decision: a.decision, decisionNote: a.decision_note, decidedAt: iso(a.decided_at), decidedBy: a.decider } : null,
      };
    }),
    evidence: files.of({ type: CASE_EVIDENCE, id }),
    createdAt: iso(row.created_at)!,
  };
}
