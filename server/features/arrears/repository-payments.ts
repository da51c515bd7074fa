import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import { toFen, type ArrearsRow, type PaymentRow } from './repository.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import type { ArrearsCategory, ArrearsStatus, CreditorResponse, PaymentDisputeStatus } from './rules.ts';

/*
 * The tables the payments slice writes (payments, reversals, dispute changes, plans, handovers) as its
 * use cases and pages read and write them: rows in, rows out. Every function takes a Knex or the use
 * case's transaction.
 */

/** Takes the arrears row for the rest of the transaction (an update, which every engine locks), so that two payments cannot both fit. */
export async function lockArrears(trx: Knex, id: number, at: string): Promise<ArrearsRow | undefined> {
  const [row] = (await trx('arrears').where({ id }).update({ updated_at: at }).returning('*')) as ArrearsRow[];
  return row;
}

/** One payment of an arrears with its reversal, if any; undefined when the payment is not that arrears'. */
export async function paymentOf(db: Knex, arrearsId: number, paymentId: number): Promise<PaymentRow | undefined> {
  if (!Number.isSafeInteger(paymentId) || paymentId <= 0) return undefined;
  return db('arrears_payments as p')
    .leftJoin('arrears_reversals as r', 'r.payment_id', 'p.id')
    .where({ 'p.id': paymentId, 'p.arrears_id': arrearsId })
    .first('p.*', 'r.id as reversal_id', 'r.reversed_on', 'r.reason as reversal_reason');
}

export async function insertPayment(trx: Knex, p: { arrearsId: number; amountFen: number; paidOn: string; voucherNo: string; note: string | null; recordedBy: number | null; at: string }): Promise<number> {
  const [row] = await trx('arrears_payments')
    .insert({ arrears_id: p.arrearsId, amount_fen: p.amountFen, paid_on: p.paidOn, voucher_no: p.voucherNo, note: p.note, recorded_by: p.recordedBy, created_at: p.at })
    .returning('id');
  return Number(row.id);
}

export async function insertReversal(trx: Knex, r: { paymentId: number; reversedOn: string; reason: string; recordedBy: number | null; at: string }): Promise<number> {
  const [row] = await trx('arrears_reversals').insert({ payment_id: r.paymentId, reversed_on: r.reversedOn, reason: r.reason, recorded_by: r.recordedBy, created_at: r.at }).returning('id');
  return Number(row.id);
}

export async function saveCreditorResponse(trx: Knex, paymentId: number, r: { response: CreditorResponse; comment: string | null; respondedBy: number | null; at: string }): Promise<void> {
  await trx('arrears_payments').where({ id: paymentId }).update({
    creditor_response: r.response,
    creditor_comment: r.comment,
    responded_at: r.at,
    responded_by: r.respondedBy,
    dispute_status: r.response === 'disputed' ? 'open' : null,
  });
}

export async function saveDisputeOutcome(trx: Knex, paymentId: number, d: { outcome: Exclude<PaymentDisputeStatus, 'open'>; note: string; decidedBy: number | null; at: string }): Promise<void> {
  await trx('arrears_payments').where({ id: paymentId }).update({ dispute_status: d.outcome, dispute_decision_note: d.note, dispute_decided_by: d.decidedBy, dispute_decided_at: d.at });
}

export async function insertDisputeChange(trx: Knex, c: { arrearsId: number; fromFen: number; toFen: number; reason: string; recordedBy: number | null; at: string }): Promise<void> {
  await trx('arrears_dispute_changes').insert({ arrears_id: c.arrearsId, from_fen: c.fromFen, to_fen: c.toFen, reason: c.reason, recorded_by: c.recordedBy, created_at: c.at });
  await trx('arrears').where({ id: c.arrearsId }).update({ disputed_fen: c.toFen, updated_at: c.at });
}

export interface PlanRecord {
  id: number;
  arrearsId: number;
  paidFenAtStart: number;
  totalFen: number;
  note: string | null;
  createdAt: string;
  instalments: Array<{ seq: number; dueOn: string; amountFen: number }>;
}

/** The plans in force (not superseded) of some arrears, by arrears id. */
export async function currentPlans(db: Knex, arrearsIds: number[]): Promise<Map<number, PlanRecord>> {
  const map = new Map<number, PlanRecord>();
  if (!arrearsIds.length) return map;
  const plans: Array<{ id: number; arrears_id: number; paid_fen_at_start: unknown; total_fen: unknown; note: string | null; created_at: string }> = await db('arrears_plans')
    .whereIn('arrears_id', arrearsIds)
    .whereNull('superseded_at')
    .select('id', 'arrears_id', 'paid_fen_at_start', 'total_fen', 'note', 'created_at');
  const instalments: Array<{ plan_id: number; seq: number; due_on: string; amount_fen: unknown }> = plans.length
    ? await db('arrears_instalments').whereIn('plan_id', plans.map((p) => p.id)).orderBy([{ column: 'plan_id' }, { column: 'seq' }]).select('plan_id', 'seq', 'due_on', 'amount_fen')
    : [];
  for (const p of plans) {
    map.set(Number(p.arrears_id), {
      id: Number(p.id),
      arrearsId: Number(p.arrears_id),
      paidFenAtStart: toFen(p.paid_fen_at_start),
      totalFen: toFen(p.total_fen),
      note: p.note,
      createdAt: p.created_at,
      instalments: instalments.filter((i) => Number(i.plan_id) === Number(p.id)).map((i) => ({ seq: Number(i.seq), dueOn: i.due_on, amountFen: toFen(i.amount_fen) })),
    });
  }
  return map;
}

/** Saves a plan in place of the one in force, which is kept, marked superseded. */
export async function replacePlan(
  trx: Knex,
  p: { arrearsId: number; paidFenAtStart: number; totalFen: number; note: string | null; instalments: Array<{ dueOn: string; amountFen: number }>; createdBy: number | null; at: string },
): Promise<{ planId: number; supersededId: number | null }> {
  const previous = await trx('arrears_plans').where({ arrears_id: p.arrearsId }).whereNull('superseded_at').first('id');
  if (previous) await trx('arrears_plans').where({ id: previous.id }).update({ superseded_at: p.at });
  const [row] = await trx('arrears_plans')
    .insert({ arrears_id: p.arrearsId, paid_fen_at_start: p.paidFenAtStart, total_fen: p.totalFen, note: p.note, created_by: p.createdBy, created_at: p.at })
    .returning('id');
  const planId = Number(row.id);
  await trx('arrears_instalments').insert(p.instalments.map((i, index) => ({ plan_id: planId, seq: index + 1, due_on: i.dueOn, amount_fen: i.amountFen })));
  return { planId, supersededId: previous ? Number(previous.id) : null };
}

export async function latestHandoverOn(db: Knex, arrearsId: number): Promise<string | null> {
  const row = await db('arrears_handovers').where({ arrears_id: arrearsId }).max({ latest: 'handed_over_on' }).first();
  return (row?.latest as string | null | undefined) ?? null;
}

export async function insertHandover(trx: Knex, h: { arrearsId: number; fromOfficial: string; toOfficial: string; handedOverOn: string; note: string | null; recordedBy: number | null; at: string }): Promise<number> {
  const [row] = await trx('arrears_handovers')
    .insert({ arrears_id: h.arrearsId, from_official: h.fromOfficial, to_official: h.toOfficial, handed_over_on: h.handedOverOn, note: h.note, recorded_by: h.recordedBy, created_at: h.at })
    .returning('id');
  await trx('arrears').where({ id: h.arrearsId }).update({ responsible_official: h.toOfficial, updated_at: h.at });
  return Number(row.id);
}

/** What an action form shows of the arrears it acts on. */
export interface ArrearsSummary {
  id: number;
  agencyId: number;
  enterpriseId: number;
  agencyName: string;
  enterpriseName: string;
  creditorScale: EnterpriseScale;
  category: ArrearsCategory;
  contractRef: string | null;
  acceptedOn: string;
  dueOn: string;
  principalFen: number;
  paidFen: number;
  outstandingFen: number;
  disputedFen: number;
  /** Outstanding less the disputed part (Art. 15): what may be paid now. */
  undisputedOutstandingFen: number;
  status: ArrearsStatus;
  responsibleOfficial: string | null;
}

export async function arrearsSummary(db: Knex, id: number): Promise<ArrearsSummary | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db('arrears as a')
    .join('agencies as g', 'g.id', 'a.agency_id')
    .join('enterprises as e', 'e.id', 'a.enterprise_id')
    .where('a.id', id)
    .first('a.*', 'g.name as agency_name', 'e.name as enterprise_name', 'e.scale as creditor_scale');
  if (!row) return null;
  const outstandingFen = toFen(row.outstanding_fen);
  const disputedFen = toFen(row.disputed_fen);
  return {
    id: Number(row.id),
    agencyId: Number(row.agency_id),
    enterpriseId: Number(row.enterprise_id),
    agencyName: row.agency_name,
    enterpriseName: row.enterprise_name,
    creditorScale: row.creditor_scale,
    category: row.category,
    contractRef: row.contract_ref,
    acceptedOn: row.accepted_on,
    dueOn: row.due_on,
    principalFen: toFen(row.principal_fen),
    paidFen: toFen(row.paid_fen),
    outstandingFen,
    disputedFen,
    undisputedOutstandingFen: Math.max(0, outstandingFen - disputedFen),
    status: row.status,
    responsibleOfficial: row.responsible_official,
  };
}

/** Restricts a query on `arrears as a` to what the list scope lets the user see. */
export function whereInScope(q: Knex.QueryBuilder, scope: ListScope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'all':
      return q;
    case 'agency':
      return q.where('a.agency_id', scope.agencyId);
    case 'enterprise':
      return q.where('a.enterprise_id', scope.enterpriseId);
    default:
      return q.whereRaw('1 = 0');
  }
}

/** A payment the creditor disputed and the auditors have yet to settle, with what the queue shows of its arrears. */
export interface OpenPaymentDispute {
  arrearsId: number;
  paymentId: number;
  agencyName: string;
  enterpriseName: string;
  contractRef: string | null;
  principalFen: number;
  amountFen: number;
  paidOn: string;
  voucherNo: string;
  note: string | null;
  creditorComment: string | null;
  respondedAt: string;
}

/** Open disputes of payments not since reversed (a reversed payment no longer counts, whatever the auditors find), oldest first. */
export async function openPaymentDisputes(db: Knex): Promise<OpenPaymentDispute[]> {
  const rows = await db('arrears_payments as p')
    .join('arrears as a', 'a.id', 'p.arrears_id')
    .join('agencies as g', 'g.id', 'a.agency_id')
    .join('enterprises as e', 'e.id', 'a.enterprise_id')
    .leftJoin('arrears_reversals as r', 'r.payment_id', 'p.id')
    .where('p.dispute_status', 'open')
    .whereNull('r.id')
    .orderBy([{ column: 'p.responded_at' }, { column: 'p.id' }])
    .select('p.id', 'p.arrears_id', 'g.name as agency_name', 'e.name as enterprise_name', 'a.contract_ref', 'a.principal_fen', 'p.amount_fen', 'p.paid_on', 'p.voucher_no', 'p.note', 'p.creditor_comment', 'p.responded_at');
  return rows.map((r) => ({
    arrearsId: Number(r.arrears_id),
    paymentId: Number(r.id),
    agencyName: r.agency_name,
    enterpriseName: r.enterprise_name,
    contractRef: r.contract_ref,
    principalFen: toFen(r.principal_fen),
    amountFen: toFen(r.amount_fen),
    paidOn: r.paid_on,
    voucherNo: r.voucher_no,
    note: r.note,
    creditorComment: r.creditor_comment,
    respondedAt: r.responded_at,
  }));
}
