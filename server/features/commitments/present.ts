import type { CommitmentListRow } from './queries.ts';
import type { CommitmentDetail, MilestoneDetail } from './service/detail.ts';

/**
 * What the API shows of commitments: camelCase, dates 'YYYY-MM-DD', money integer fen.
 * Fields are listed one by one so that a column added to a record is not published by accident.
 */
export function milestoneJson(m: MilestoneDetail) {
  return {
    id: m.id,
    seq: m.seq,
    description: m.description,
    dueOn: m.dueOn,
    amountFen: m.amountFen,
    status: m.status,
    overdue: m.overdue,
    overdueAfterHandover: m.overdueAfterHandover,
    completedOn: m.completedOn,
    fulfilledFen: m.fulfilledFen,
    breachFindings: m.breachFindings,
    breachedOn: m.breachedOn,
    fulfilments: m.fulfilments.map((f) => ({
      id: f.id,
      fulfilledOn: f.fulfilledOn,
      note: f.note,
      amountFen: f.amountFen,
      completes: f.completes,
      counts: f.counts,
      enterpriseResponse: f.enterpriseResponse,
      enterpriseComment: f.enterpriseComment,
      disputeStatus: f.disputeStatus,
      evidence: f.evidence,
      disputeEvidence: f.disputeEvidence,
    })),
    waivers: m.waivers.map((w) => ({ id: w.id, reason: w.reason, decision: w.decision, decisionNote: w.decisionNote, requestedAt: w.requestedAt, decidedAt: w.decidedAt, evidence: w.evidence })),
    breachEvidence: m.breachEvidence,
  };
}

export function commitmentJson(c: CommitmentDetail) {
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    referenceNo: c.referenceNo,
    agencyId: c.agencyId,
    agencyName: c.agencyName,
    enterpriseId: c.enterpriseId,
    enterpriseName: c.enterpriseName,
    basis: c.basis,
    signedOn: c.signedOn,
    amountFen: c.amountFen,
    responsibleOfficial: c.responsibleOfficial,
    isPublic: c.isPublic,
    terminatedOn: c.terminatedOn,
    terminationReason: c.terminationReason,
    status: c.status,
    milestones: c.milestones.map(milestoneJson),
    handovers: c.handovers.map((h) => ({ id: h.id, fromOfficial: h.fromOfficial, toOfficial: h.toOfficial, handedOverOn: h.handedOverOn, note: h.note })),
  };
}

export function listItemJson(r: CommitmentListRow) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    referenceNo: r.referenceNo,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    enterpriseId: r.enterpriseId,
    enterpriseName: r.enterpriseName,
    signedOn: r.signedOn,
    amountFen: r.amountFen,
    responsibleOfficial: r.responsibleOfficial,
    isPublic: r.isPublic,
    terminatedOn: r.terminatedOn,
    status: r.status,
    nextDueOn: r.nextDueOn,
    milestoneCount: r.milestoneCount,
  };
}
