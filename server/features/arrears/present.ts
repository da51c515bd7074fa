import { daysBetween } from '../../domain/dates.ts';
import type { ArrearsDetail, PaymentDetail } from './service/detail.ts';

/**
 * What the API and the arrears page show of one arrears: camelCase, dates 'YYYY-MM-DD', money integer
 * fen, and the facts derived as of `asOf`. The page renders this same object, so that it shows what
 * the API answers. Fields are listed one by one so that a column added to a record is not published by accident.
 */

export function paymentJson(p: PaymentDetail) {
  return {
    id: p.id,
    amountFen: p.amountFen,
    paidOn: p.paidOn,
    voucherNo: p.voucherNo,
    note: p.note,
    recordedAt: p.recordedAt,
    creditorResponse: p.creditorResponse,
    creditorComment: p.creditorComment,
    respondedAt: p.respondedAt,
    disputeStatus: p.disputeStatus,
    disputeDecisionNote: p.disputeDecisionNote,
    reversed: p.reversal !== null,
    reversedOn: p.reversal?.reversedOn ?? null,
    reversalReason: p.reversal?.reason ?? null,
    counts: p.counts,
    evidence: p.evidence,
    disputeEvidence: p.disputeEvidence,
  };
}

export function arrearsJson(d: ArrearsDetail) {
  return {
    id: d.id,
    agencyId: d.agencyId,
    agencyName: d.agencyName,
    enterpriseId: d.creditor.id,
    enterpriseName: d.creditor.name,
    creditorCreditCode: d.creditor.creditCode,
    creditorScale: d.creditor.scale,
    category: d.category,
    contractRef: d.contractRef,
    contractSignedOn: d.contractSignedOn,
    commitment: d.commitment && { id: d.commitment.id, referenceNo: d.commitment.referenceNo, title: d.commitment.title },
    principalFen: d.principalFen,
    acceptedOn: d.acceptedOn,
    agreedDueOn: d.agreedDueOn,
    dueOn: d.dueOn,
    // Agreed, or the statutory 30 days after delivery or acceptance.
    dueOnBasis: d.agreedDueOn === null ? ('statutory' as const) : ('agreed' as const),
    termDays: daysBetween(d.acceptedOn, d.dueOn),
    disputedFen: d.disputedFen,
    agreedAnnualRate: d.agreedAnnualRate,
    lateInterestRate: d.lateInterest.rate,
    responsibleOfficial: d.responsibleOfficial,
    description: d.description,
    createdAt: d.createdAt,
    asOf: d.asOf,
    paidFen: d.position.paidFen,
    outstandingFen: d.position.outstandingFen,
    undisputedOutstandingFen: d.position.undisputedOutstandingFen,
    status: d.position.status,
    clearedOn: d.position.clearedOn,
    overdue: d.position.overdue,
    daysPastDue: d.position.daysPastDue,
    ageingBucket: d.position.ageingBucket,
    lateInterestFen: d.lateInterest.totalFen,
    lateInterestSegments: d.lateInterest.segments.map((s) => ({ amountFen: s.amountFen, from: s.from, to: s.to, days: s.days, kind: s.kind })),
    nonCompliantTerm: d.nonCompliantTerm,
    lprCheck: d.lprCheck,
    overdueAfterHandover: d.overdueAfterHandover,
    payments: d.payments.map(paymentJson),
    plan: d.plan && {
      id: d.plan.id,
      paidFenAtStart: d.plan.paidFenAtStart,
      totalFen: d.plan.totalFen,
      note: d.plan.note,
      createdAt: d.plan.createdAt,
      instalments: d.plan.instalments.map((i) => ({ seq: i.seq, dueOn: i.dueOn, amountFen: i.amountFen, cumulativeFen: i.cumulativeFen, paidByDueFen: i.paidByDueFen, missed: i.missed, shortFen: i.shortFen })),
    },
    supersededPlans: d.supersededPlans.map((p) => ({
      id: p.id,
      totalFen: p.totalFen,
      note: p.note,
      createdAt: p.createdAt,
      supersededAt: p.supersededAt,
      instalments: p.instalments.map((i) => ({ seq: i.seq, dueOn: i.dueOn, amountFen: i.amountFen })),
    })),
    disputeChanges: d.disputeChanges.map((c) => ({ fromFen: c.fromFen, toFen: c.toFen, reason: c.reason, at: c.at })),
    handovers: d.handovers.map((h) => ({ fromOfficial: h.fromOfficial, toOfficial: h.toOfficial, handedOverOn: h.handedOverOn, note: h.note })),
    evidence: d.evidence,
  };
}

export type ArrearsJson = ReturnType<typeof arrearsJson>;
