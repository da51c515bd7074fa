import type { Knex } from 'knex';
import { can } from '../../../auth/policy.ts';
import type { SessionUser } from '../../../auth/types.ts';
import { notFound } from '../../../http/errors.ts';
import { attachmentsOf, type Attachment } from '../../../evidence/index.ts';
import { BREACH_EVIDENCE, DISPUTE_EVIDENCE, FULFILMENT_EVIDENCE, WAIVER_EVIDENCE } from '../evidence-owners.ts';
import { COMMITMENTS } from '../policy.ts';
import { toCommitmentFacts, type CommitmentFacts } from '../queries.ts';
import { fenOrNull, milestoneRecords, milestonesOf } from '../repository.ts';
import {
  commitmentStatus,
  fulfilmentCounts,
  isMilestoneOverdue,
  overdueAfterHandover,
  type DisputeStatus,
  type EnterpriseResponse,
  type MilestoneStatus,
  type WaiverDecision,
} from '../rules.ts';

/** One commitment with everything its page and the API show. */

export interface FulfilmentDetail {
  id: number;
  fulfilledOn: string;
  note: string;
  amountFen: number | null;
  completes: boolean;
  enterpriseResponse: EnterpriseResponse | null;
  enterpriseComment: string | null;
  disputeStatus: DisputeStatus | null;
  disputeDecisionNote: string | null;
  counts: boolean;
  /** The agency's proof of what it did. */
  evidence: Attachment[];
  /** The enterprise's files backing its dispute. */
  disputeEvidence: Attachment[];
}

export interface WaiverDetail {
  id: number;
  reason: string;
  decision: WaiverDecision;
  decisionNote: string | null;
  requestedAt: string;
  decidedAt: string | null;
  evidence: Attachment[];
}

export interface MilestoneDetail {
  id: number;
  seq: number;
  description: string;
  dueOn: string;
  amountFen: number | null;
  status: MilestoneStatus;
  overdue: boolean;
  overdueAfterHandover: boolean;
  completedOn: string | null;
  /** What the counted fulfilments paid, in fen. */
  fulfilledFen: number;
  breachFindings: string | null;
  breachedOn: string | null;
  fulfilments: FulfilmentDetail[];
  waivers: WaiverDetail[];
  breachEvidence: Attachment[];
}

export interface HandoverDetail {
  id: number;
  fromOfficial: string;
  toOfficial: string;
  handedOverOn: string;
  note: string | null;
}

export interface CommitmentDetail extends CommitmentFacts {
  basis: string | null;
  terminationReason: string | null;
  milestones: MilestoneDetail[];
  handovers: HandoverDetail[];
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** One commitment with everything its page shows; 404 when it does not exist or the user may not read it. */
export async function getCommitmentForUser(db: Knex, user: SessionUser, id: number, today: string): Promise<CommitmentDetail> {
  const row = Number.isSafeInteger(id) && id > 0
    ? await db('commitments as c')
        .join('agencies as a', 'a.id', 'c.agency_id')
        .leftJoin('enterprises as e', 'e.id', 'c.enterprise_id')
        .where('c.id', id)
        .first('c.*', 'a.name as agency_name', 'e.name as enterprise_name')
    : undefined;
  const facts = row ? toCommitmentFacts(row) : null;
  if (!facts || !can(user, COMMITMENTS.read, facts)) throw notFound();
  const milestones = await milestonesOf(db, id);
  const [{ fulfilments, waivers }, handovers] = await Promise.all([
    milestoneRecords(db, milestones.map((m) => m.id)),
    db('handovers').where({ commitment_id: id }).orderBy([{ column: 'handed_over_on' }, { column: 'id' }]) as Promise<Array<{ id: number; from_official: string; to_official: string; handed_over_on: string; note: string | null }>>,
  ]);
  const evidence = await attachmentsOf(db, [
    ...fulfilments.flatMap((f) => [{ type: FULFILMENT_EVIDENCE, id: f.id }, { type: DISPUTE_EVIDENCE, id: f.id }]),
    ...waivers.map((w) => ({ type: WAIVER_EVIDENCE, id: w.id })),
    ...milestones.map((m) => ({ type: BREACH_EVIDENCE, id: m.id })),
  ]);
  const evidenceOf = (type: string, id: number): Attachment[] => evidence.of({ type, id });
  const fulfilmentsByMilestone = groupBy(fulfilments, (f) => f.milestone_id);
  const waiversByMilestone = groupBy(waivers, (w) => w.milestone_id);
  const handoverDates = handovers.map((h) => h.handed_over_on);

  const milestoneDetails: MilestoneDetail[] = milestones.map((m) => {
    const fs = (fulfilmentsByMilestone.get(m.id) ?? []).map((f) => ({
      id: f.id,
      fulfilledOn: f.fulfilled_on,
      note: f.note,
      amountFen: fenOrNull(f.amount_fen),
      completes: Boolean(f.completes),
      enterpriseResponse: f.enterprise_response,
      enterpriseComment: f.enterprise_comment,
      disputeStatus: f.dispute_status,
      disputeDecisionNote: f.dispute_decision_note,
      counts: fulfilmentCounts({ enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status }),
      evidence: evidenceOf(FULFILMENT_EVIDENCE, f.id),
      disputeEvidence: evidenceOf(DISPUTE_EVIDENCE, f.id),
    }));
    const dates = { status: m.status, dueOn: m.due_on };
    return {
      id: m.id,
      seq: m.seq,
      description: m.description,
      dueOn: m.due_on,
      amountFen: fenOrNull(m.amount_fen),
      status: m.status,
      overdue: isMilestoneOverdue(dates, today),
      overdueAfterHandover: overdueAfterHandover(dates, handoverDates, today),
      completedOn: m.completed_on,
      fulfilledFen: fs.filter((f) => f.counts).reduce((sum, f) => sum + (f.amountFen ?? 0), 0),
      breachFindings: m.breach_findings,
      breachedOn: m.breached_on,
      fulfilments: fs,
      waivers: (waiversByMilestone.get(m.id) ?? []).map((w) => ({
        id: w.id,
        reason: w.reason,
        decision: w.decision,
        decisionNote: w.decision_note,
        requestedAt: new Date(w.requested_at).toISOString(),
        decidedAt: w.decided_at ? new Date(w.decided_at).toISOString() : null,
        evidence: evidenceOf(WAIVER_EVIDENCE, w.id),
      })),
      breachEvidence: evidenceOf(BREACH_EVIDENCE, m.id),
    };
  });

  return {
    ...facts,
    basis: row.basis,
    terminationReason: row.termination_reason,
    status: commitmentStatus(facts, milestoneDetails, today),
    milestones: milestoneDetails,
    handovers: handovers.map((h) => ({ id: h.id, fromOfficial: h.from_official, toOfficial: h.to_official, handedOverOn: h.handed_over_on, note: h.note })),
  };
}
