import type { Knex } from 'knex';
import { timelineOf, type TimelineEntry } from '../../../audit/timeline.ts';
import { can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { isValidDate } from '../../../domain/dates.ts';
import { attachmentsOf, type Attachment } from '../../../evidence/index.ts';
import { fieldError, notFound } from '../../../http/errors.ts';
import { COMMITMENTS } from '../../commitments/policy.ts';
import { ARREARS_EVIDENCE, PAYMENT_DISPUTE_EVIDENCE, PAYMENT_EVIDENCE } from '../evidence-owners.ts';
import { ARREARS } from '../policy.ts';
import { arrearsFacts, lprRates, paymentFacts, paymentsOf, toFen, type ArrearsRow } from '../repository.ts';
import type { EnterpriseScale } from '../../../domain/enterprise-scale.ts';
import { arrearsPosition, checkAgainstLpr, instalmentStates, lateInterest, nonCompliantTerm, overdueAfterHandover, paymentCounts, type ArrearsCategory, type ArrearsPosition, type ArrearsStatus, type CreditorResponse, type InstalmentState, type InterestSegment, type LateInterestRate, type LprCheck, type PaymentDisputeStatus } from '../rules.ts';

/** One arrears with everything its page and the API show, and what the rules derive from it as of a date. */

export interface PaymentDetail {
  id: number;
  amountFen: number;
  paidOn: string;
  voucherNo: string;
  note: string | null;
  recordedAt: string;
  creditorResponse: CreditorResponse | null;
  creditorComment: string | null;
  respondedAt: string | null;
  disputeStatus: PaymentDisputeStatus | null;
  disputeDecisionNote: string | null;
  reversal: { reversedOn: string; reason: string } | null;
  /** Whether it counts towards what was paid (not reversed, and not disputed unless upheld). */
  counts: boolean;
  /** The agency's voucher and proof of payment. */
  evidence: Attachment[];
  /** The creditor's files backing its dispute. */
  disputeEvidence: Attachment[];
}

export interface PlannedInstalment {
  seq: number;
  dueOn: string;
  amountFen: number;
}

interface PlanFacts<I> {
  id: number;
  /** Counted payments when it was saved: instalments are measured against what was paid after. */
  paidFenAtStart: number;
  totalFen: number;
  note: string | null;
  createdAt: string;
  supersededAt: string | null;
  instalments: I[];
}
/** The plan in force, each instalment with its state as of the date (missed or not). */
export type CurrentPlan = PlanFacts<InstalmentState>;
export type SupersededPlan = PlanFacts<PlannedInstalment>;

export interface DisputeChange {
  fromFen: number;
  toFen: number;
  reason: string;
  at: string;
}

export interface ArrearsHandover {
  fromOfficial: string;
  toOfficial: string;
  handedOverOn: string;
  note: string | null;
}

export interface ArrearsDetail {
  id: number;
  agencyId: number;
  agencyName: string;
  creditor: { id: number; name: string; creditCode: string; scale: EnterpriseScale };
  category: ArrearsCategory;
  contractRef: string | null;
  contractSignedOn: string | null;
  principalFen: number;
  acceptedOn: string;
  agreedDueOn: string | null;
  dueOn: string;
  disputedFen: number;
  /** Annual percent as exact decimal text; null: the statutory 0.05% a day. */
  agreedAnnualRate: string | null;
  responsibleOfficial: string | null;
  description: string;
  createdAt: string;
  /** The linked commitment; `readable` when the user may open its page. */
  commitment: { id: number; referenceNo: string; title: string; readable: boolean } | null;
  /** Where it stands now, all payments counted (the stored columns): what the actions go by. */
  current: { paidFen: number; outstandingFen: number; undisputedOutstandingFen: number; status: ArrearsStatus; clearedOn: string | null };
  /** The date the derived facts below are as of. */
  asOf: string;
  position: ArrearsPosition;
  lateInterest: { totalFen: number; rate: LateInterestRate; segments: InterestSegment[] };
  lprCheck: LprCheck;
  nonCompliantTerm: boolean;
  overdueAfterHandover: boolean;
  payments: PaymentDetail[];
  plan: CurrentPlan | null;
  supersededPlans: SupersededPlan[];
  disputeChanges: DisputeChange[];
  handovers: ArrearsHandover[];
  evidence: Attachment[];
  timeline: TimelineEntry[];
}

type DetailRow = ArrearsRow & { agency_name: string; enterprise_name: string; credit_code: string; scale: EnterpriseScale };

const iso = (at: string | Date | null): string | null => (at === null ? null : new Date(at).toISOString());

/** The as-of date asked for: a real calendar date, or today when none was given. */
export function asOfDate(asOf: string | undefined, today: string): string {
  if (asOf === undefined || asOf === '') return today;
  if (!isValidDate(asOf)) throw fieldError('asOf', 'validation.date');
  return asOf;
}

async function linkedCommitment(db: Knex, caller: Caller, commitmentId: number | null): Promise<ArrearsDetail['commitment']> {
  if (commitmentId === null) return null;
  const c: { id: number; reference_no: string; title: string; agency_id: number; enterprise_id: number | null } | undefined = await db('commitments')
    .where({ id: commitmentId })
    .first('id', 'reference_no', 'title', 'agency_id', 'enterprise_id');
  if (!c) return null;
  const readable = can(caller.user, COMMITMENTS.read, { agencyId: Number(c.agency_id), enterpriseId: c.enterprise_id === null ? null : Number(c.enterprise_id) });
  return { id: Number(c.id), referenceNo: c.reference_no, title: c.title, readable };
}

async function plansOf(db: Knex, arrearsId: number) {
  const plans: Array<{ id: number; paid_fen_at_start: number; total_fen: number; note: string | null; created_at: string; superseded_at: string | null }> = await db('arrears_plans')
    .where({ arrears_id: arrearsId })
    .orderBy('id');
  const instalments: Array<{ plan_id: number; seq: number; due_on: string; amount_fen: number }> = plans.length
    ? await db('arrears_instalments').whereIn('plan_id', plans.map((p) => p.id)).orderBy([{ column: 'plan_id' }, { column: 'seq' }])
    : [];
  return plans.map((p) => ({
    id: Number(p.id),
    paidFenAtStart: toFen(p.paid_fen_at_start),
    totalFen: toFen(p.total_fen),
    note: p.note,
    createdAt: iso(p.created_at)!,
    supersededAt: iso(p.superseded_at),
    instalments: instalments.filter((i) => Number(i.plan_id) === Number(p.id)).map((i) => ({ seq: Number(i.seq), dueOn: i.due_on, amountFen: toFen(i.amount_fen) })),
  }));
}

/**
 * One arrears with everything its page shows, and its position, late interest, flags and plan as of
 * `asOf` (today when not given; a bad date is a field error). 404 when it does not exist or the user
 * may not read it.
 */
export async function arrearsDetail(ctx: UseCaseContext, caller: Caller, id: number, asOf?: string): Promise<ArrearsDetail> {
  const { db } = ctx;
  const date = asOfDate(asOf, ctx.clock.today());
  const row: DetailRow | undefined = Number.isSafeInteger(id) && id > 0
    ? await db('arrears as a')
        .join('agencies as g', 'g.id', 'a.agency_id')
        .join('enterprises as e', 'e.id', 'a.enterprise_id')
        .where('a.id', id)
        .first('a.*', 'g.name as agency_name', 'e.name as enterprise_name', 'e.credit_code', 'e.scale')
    : undefined;
  if (!row || !can(caller.user, ARREARS.read, { agencyId: Number(row.agency_id), enterpriseId: Number(row.enterprise_id) })) throw notFound();

  const [paymentRows, plans, disputeChanges, handovers, rates, commitment, timeline] = await Promise.all([
    paymentsOf(db, [id]),
    plansOf(db, id),
    db('arrears_dispute_changes').where({ arrears_id: id }).orderBy('id') as Promise<Array<{ from_fen: number; to_fen: number; reason: string; created_at: string }>>,
    db('arrears_handovers').where({ arrears_id: id }).orderBy([{ column: 'handed_over_on' }, { column: 'id' }]) as Promise<Array<{ from_official: string; to_official: string; handed_over_on: string; note: string | null }>>,
    lprRates(db),
    linkedCommitment(db, caller, row.commitment_id === null ? null : Number(row.commitment_id)),
    timelineOf(db, 'arrears', id),
  ]);
  const files = await attachmentsOf(db, [{ type: ARREARS_EVIDENCE, id }, ...paymentRows.flatMap((p) => [{ type: PAYMENT_EVIDENCE, id: p.id }, { type: PAYMENT_DISPUTE_EVIDENCE, id: p.id }])]);

  const facts = arrearsFacts(row);
  const agreedAnnualRate = row.agreed_annual_rate;
  const payments = paymentRows.map(paymentFacts);
  const position = arrearsPosition(facts, payments, date);
  const current = arrearsPosition(facts, payments, '9999-12-31');
  const handoverDates = handovers.map((h) => h.handed_over_on);
  const currentPlan = plans.filter((p) => p.supersededAt === null).at(-1) ?? null;

  return {
    id: Number(row.id),
    agencyId: Number(row.agency_id),
    agencyName: row.agency_name,
    creditor: { id: Number(row.enterprise_id), name: row.enterprise_name, creditCode: row.credit_code, scale: row.scale },
    category: row.category,
    contractRef: row.contract_ref,
    contractSignedOn: row.contract_signed_on,
    principalFen: facts.principalFen,
    acceptedOn: row.accepted_on,
    agreedDueOn: row.agreed_due_on,
    dueOn: row.due_on,
    disputedFen: facts.disputedFen,
    agreedAnnualRate,
    responsibleOfficial: row.responsible_official,
    description: row.description,
    createdAt: iso(row.created_at)!,
    commitment,
    current: { paidFen: current.paidFen, outstandingFen: current.outstandingFen, undisputedOutstandingFen: current.undisputedOutstandingFen, status: current.status, clearedOn: current.clearedOn },
    asOf: date,
    position,
    lateInterest: lateInterest({ ...facts, agreedAnnualRate }, payments, date),
    lprCheck: checkAgainstLpr({ agreedAnnualRate, contractSignedOn: row.contract_signed_on, acceptedOn: row.accepted_on }, rates),
    nonCompliantTerm: nonCompliantTerm(row.scale, { acceptedOn: row.accepted_on, dueOn: row.due_on }),
    overdueAfterHandover: overdueAfterHandover(position, row.due_on, handoverDates),
    payments: paymentRows.map((p, i) => ({
      id: Number(p.id),
      amountFen: toFen(p.amount_fen),
      paidOn: p.paid_on,
      voucherNo: p.voucher_no,
      note: p.note,
      recordedAt: iso(p.created_at)!,
      creditorResponse: p.creditor_response,
      creditorComment: p.creditor_comment,
      respondedAt: iso(p.responded_at),
      disputeStatus: p.dispute_status,
      disputeDecisionNote: p.dispute_decision_note,
      reversal: p.reversal_id === null ? null : { reversedOn: p.reversed_on!, reason: p.reversal_reason! },
      counts: paymentCounts(payments[i]!),
      evidence: files.of({ type: PAYMENT_EVIDENCE, id: Number(p.id) }),
      disputeEvidence: files.of({ type: PAYMENT_DISPUTE_EVIDENCE, id: Number(p.id) }),
    })),
    plan: currentPlan && { ...currentPlan, instalments: instalmentStates(currentPlan, payments, date) },
    supersededPlans: plans.filter((p) => p !== currentPlan),
    disputeChanges: disputeChanges.map((c) => ({ fromFen: toFen(c.from_fen), toFen: toFen(c.to_fen), reason: c.reason, at: iso(c.created_at)! })),
    handovers: handovers.map((h) => ({ fromOfficial: h.from_official, toOfficial: h.to_official, handedOverOn: h.handed_over_on, note: h.note })),
    evidence: files.of({ type: ARREARS_EVIDENCE, id }),
    timeline,
  };
}
