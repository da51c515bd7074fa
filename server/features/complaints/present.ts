import type { CaseListRow } from './queries.ts';
import type { ComplaintRow } from './repository.ts';
import type { CaseDetail, CaseStep } from './service/detail.ts';

/*
 * What the API and the pages show of a case: camelCase, dates 'YYYY-MM-DD', money integer fen.
 * Fields are listed one by one so that a column added to a record is not published by accident; the
 * complainant is null wherever the viewer may not know it, so nothing here can name a withheld complainant.
 */

export function caseListItemJson(c: CaseListRow) {
  return {
    id: c.id,
    agencyId: c.agencyId,
    agencyName: c.agencyName,
    forwardedToAgencyId: c.forwardedToAgencyId,
    forwardedToAgencyName: c.forwardedToAgencyName,
    complainant: c.complainant,
    withholdName: c.withholdName,
    category: c.category,
    amountClaimedFen: c.amountClaimedFen,
    status: c.status,
    submittedOn: c.submittedOn,
    currentStep: c.currentStep,
    currentDueOn: c.currentDueOn,
    overdue: c.overdue,
  };
}

function eventJson(s: CaseStep) {
  return {
    id: s.id,
    action: s.action,
    fromStatus: s.fromStatus,
    toStatus: s.toStatus,
    note: s.note,
    on: s.stepOn,
    at: s.at,
    actor: s.actor && { role: s.actor.role, name: s.actor.name },
    files: s.files.map((f) => ({ id: f.id, name: f.originalName, size: f.size })),
  };
}

export function caseJson(d: CaseDetail) {
  return {
    id: d.id,
    agencyId: d.agency.id,
    agencyName: d.agency.name,
    forwardedToAgencyId: d.forwardedTo?.id ?? null,
    forwardedToAgencyName: d.forwardedTo?.name ?? null,
    complainant: d.complainant && { id: d.complainant.id, name: d.complainant.name, creditCode: d.complainant.creditCode },
    withholdName: d.withholdName,
    nameDisclosed: d.nameDisclosedReason !== null,
    nameDisclosedReason: d.nameDisclosedReason,
    category: d.category,
    statement: d.statement,
    amountClaimedFen: d.amountClaimedFen,
    commitment: d.commitment && { id: d.commitment.id, label: d.commitment.label },
    arrears: d.arrears && { id: d.arrears.id, label: d.arrears.label },
    linkWithheld: d.linkWithheld,
    status: d.status,
    submittedOn: d.facts.submittedOn,
    acceptedOn: d.facts.acceptedOn,
    resolvedOn: d.facts.resolvedOn,
    badReviewOn: d.facts.badReviewOn,
    rectifiedOn: d.facts.rectifiedOn,
    followedUpOn: d.facts.followedUpOn,
    closedOn: d.facts.closedOn,
    closeKind: d.facts.closeKind,
    deadlineDays: d.days,
    currentStep: d.current.step,
    currentDueOn: d.current.dueOn,
    overdue: d.current.overdue,
    deadlines: d.deadlines.map((x) => ({ step: x.step, from: x.from, days: x.days, dueOn: x.dueOn, provisional: x.provisional, doneOn: x.doneOn, late: x.late })),
    events: d.steps.map(eventJson),
    ratings: d.ratings.map((r) => ({
      id: r.id,
      round: r.round,
      level: r.level,
      comment: r.comment,
      ratedOn: r.ratedOn,
      voided: r.voided,
      appeal: r.appeal && { id: r.appeal.id, reason: r.appeal.reason, appealedAt: r.appeal.appealedAt, decision: r.appeal.decision, decisionNote: r.appeal.decisionNote, decidedAt: r.appeal.decidedAt },
    })),
    evidence: d.evidence.map((f) => ({ id: f.id, name: f.originalName, size: f.size })),
    createdAt: d.createdAt,
  };
}

export type CaseJson = ReturnType<typeof caseJson>;

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
