import type { Knex } from 'knex';
import type { SessionUser } from '../../auth/types.ts';
import { attachmentsOf, type Attachment } from '../../evidence/index.ts';
import { STEP_EVIDENCE } from './evidence-owners.ts';
import { mayKnowComplainant } from './policy.ts';
import { complaintRow, scopeOf, type ComplaintRow } from './repository.ts';
import type { RatingRow } from './repository-handling.ts';
import type { ComplaintCategory, ComplaintStatus, RatingLevel } from './rules.ts';
import { assertReads } from './service/handling-guards.ts';

/** What each handling page shows of the case it acts on; the complainant's name only to those who may know it. */
export interface CaseSummary {
  id: number;
  agencyId: number;
  agencyName: string;
  forwardedToName: string | null;
  /** Null while the name is withheld from the viewer: the page shows "匿名企业". */
  complainantName: string | null;
  nameWithheld: boolean;
  nameDisclosedReason: string | null;
  category: ComplaintCategory;
  statement: string;
  amountClaimedFen: number | null;
  commitmentId: number | null;
  arrearsId: number | null;
  status: ComplaintStatus;
  submittedOn: string;
  currentStep: string | null;
  currentDueOn: string | null;
  overdue: boolean;
  row: ComplaintRow;
}

/** The case for a user who may read it (404 otherwise). */
export async function caseSummaryFor(db: Knex, user: SessionUser, id: number, today: string): Promise<CaseSummary> {
  const row = await complaintRow(db, id);
  const scope = row ? scopeOf(row) : null;
  assertReads(user, scope);
  const r = row!;
  const names = await db('agencies').whereIn('id', [r.agency_id, r.forwarded_to_agency_id ?? r.agency_id]).select('id', 'name');
  const nameOf = (agencyId: number | null) => (agencyId === null ? null : (names.find((a: { id: number }) => Number(a.id) === Number(agencyId))?.name ?? null));
  const withheld = Boolean(r.withhold_name);
  const knows = mayKnowComplainant(user, { ...scope, withholdName: withheld, nameDisclosed: r.name_disclosed_reason !== null });
  const enterprise = knows ? await db('enterprises').where({ id: r.enterprise_id }).first('name') : null;
  return {
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    agencyName: nameOf(Number(r.agency_id)) ?? '',
    forwardedToName: nameOf(r.forwarded_to_agency_id === null ? null : Number(r.forwarded_to_agency_id)),
    complainantName: enterprise?.name ?? null,
    nameWithheld: withheld && r.name_disclosed_reason === null,
    nameDisclosedReason: r.name_disclosed_reason,
    category: r.category,
    statement: r.statement,
    amountClaimedFen: r.amount_claimed_fen === null ? null : Number(r.amount_claimed_fen),
    commitmentId: r.commitment_id === null ? null : Number(r.commitment_id),
    arrearsId: r.arrears_id === null ? null : Number(r.arrears_id),
    status: r.status,
    submittedOn: r.submitted_on,
    currentStep: r.current_step,
    currentDueOn: r.current_due_on,
    overdue: r.current_due_on !== null && r.current_due_on < today,
    row: r,
  };
}

export interface RatingView {
  id: number;
  round: number;
  level: RatingLevel;
  comment: string | null;
  ratedOn: string;
  voided: boolean;
  appeal: { id: number; reason: string; decision: 'upheld' | 'voided' | null; decisionNote: string | null } | null;
}

/** The ratings of a case, round by round, each with its appeal if any. */
export async function ratingsOf(db: Knex, complaintId: number): Promise<RatingView[]> {
  const rows: Array<RatingRow & { appeal_id: number | null; reason: string | null; decision: 'upheld' | 'voided' | null; decision_note: string | null }> = await db('complaint_ratings as r')
    .leftJoin('complaint_appeals as ap', 'ap.rating_id', 'r.id')
    .where('r.complaint_id', complaintId)
    .orderBy('r.round')
    .select('r.*', 'ap.id as appeal_id', 'ap.reason', 'ap.decision', 'ap.decision_note');
  return rows.map((r) => ({
    id: Number(r.id),
    round: Number(r.round),
    level: r.level,
    comment: r.comment,
    ratedOn: r.rated_on,
    voided: Boolean(r.voided),
    appeal: r.appeal_id === null ? null : { id: Number(r.appeal_id), reason: r.reason!, decision: r.decision, decisionNote: r.decision_note },
  }));
}

export interface StepView {
  id: number;
  action: string;
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  note: string | null;
  stepOn: string;
  actorName: string | null;
  files: Attachment[];
}

/**
 * The steps of a case with their files, oldest first (the cases slice's page shows the full timeline).
 * Where the viewer may not know the complainant, the complainant's own steps (filing, rating) name nobody.
 */
export async function stepsOf(db: Knex, complaintId: number, knowsComplainant: boolean): Promise<StepView[]> {
  const rows = await db('complaint_steps as s').leftJoin('users as u', 'u.id', 's.actor_id').where('s.complaint_id', complaintId).orderBy('s.id').select('s.*', 'u.display_name', 'u.role');
  const files = await attachmentsOf(db, rows.map((r: { id: number }) => ({ type: STEP_EVIDENCE, id: Number(r.id) })));
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    action: String(r.action),
    fromStatus: (r.from_status as ComplaintStatus | null) ?? null,
    toStatus: r.to_status as ComplaintStatus,
    note: (r.note as string | null) ?? null,
    stepOn: String(r.step_on),
    actorName: !knowsComplainant && r.role === 'enterprise' ? null : ((r.display_name as string | null) ?? null),
    files: files.of({ type: STEP_EVIDENCE, id: Number(r.id) }),
  }));
}

/** The case as the handling API answers: its state, the step it now waits for and by when. */
export function caseStateJson(row: ComplaintRow) {
  return {
    id: Number(row.id),
    status: row.status,
    closeKind: row.close_kind,
    currentStep: row.current_step,
    currentDueOn: row.current_due_on,
    // A bad review reopens the case: the rectification is due by then.
    rectifyDueOn: row.current_step === 'rectify' ? row.current_due_on : null,
    forwardedToAgencyId: row.forwarded_to_agency_id === null ? null : Number(row.forwarded_to_agency_id),
  };
}
