import type { Knex } from 'knex';
import { arrearsFacts, paymentFacts, paymentsByArrears, paymentsOf, toFen, type ArrearsRow } from './repository.ts';
import { arrearsPosition, lateInterest, type ArrearsCategory, type ArrearsStatus } from './rules.ts';
import { arrearsSummary, type AgencyFigures, type ArrearsFigures } from './summary.ts';

/*
 * What the agencies owe one enterprise: the clearance figures per agency (summary.ts) with the late
 * interest accrued so far, each arrears with its position, and the payments waiting for its answer.
 * An enterprise is owed by few agencies, so the interest is counted by the rules in JS, row by row.
 */

export interface OwedArrears {
  id: number;
  agencyId: number;
  category: ArrearsCategory;
  contractRef: string | null;
  description: string;
  principalFen: number;
  dueOn: string;
  outstandingFen: number;
  overdue: boolean;
  status: ArrearsStatus;
  interestFen: number;
}

export interface OwedByAgency extends AgencyFigures {
  interestFen: number;
  arrears: OwedArrears[];
}

export interface OwedToEnterprise {
  agencies: OwedByAgency[];
  total: ArrearsFigures & { interestFen: number };
}

export async function owedToEnterprise(db: Knex, enterpriseId: number, today: string): Promise<OwedToEnterprise> {
  const [summary, rows] = await Promise.all([
    arrearsSummary(db, { kind: 'enterprise', enterpriseId }, { asOf: today }),
    db('arrears').where('enterprise_id', enterpriseId).orderBy([{ column: 'due_on' }, { column: 'id' }]).select<ArrearsRow[]>('*'),
  ]);
  const payments = paymentsByArrears(await paymentsOf(db, rows.map((r) => Number(r.id))));
  const arrears: OwedArrears[] = rows.map((row) => {
    const facts = arrearsFacts(row);
    const paid = (payments.get(Number(row.id)) ?? []).map(paymentFacts);
    const position = arrearsPosition(facts, paid, today);
    return {
      id: Number(row.id),
      agencyId: Number(row.agency_id),
      category: row.category,
      contractRef: row.contract_ref,
      description: row.description,
      principalFen: facts.principalFen,
      dueOn: row.due_on,
      outstandingFen: position.outstandingFen,
      overdue: position.overdue,
      status: position.status,
      interestFen: lateInterest({ ...facts, agreedAnnualRate: row.agreed_annual_rate }, paid, today).totalFen,
    };
  });
  const agencies = summary.agencies.map((a) => {
    const own = arrears.filter((x) => x.agencyId === a.agencyId);
    return { ...a, interestFen: own.reduce((sum, x) => sum + x.interestFen, 0), arrears: own };
  });
  return { agencies, total: { ...summary.total, interestFen: agencies.reduce((sum, a) => sum + a.interestFen, 0) } };
}

/** A payment an agency recorded on an arrears owed to the enterprise. */
export interface CreditorPaymentItem {
  paymentId: number;
  arrearsId: number;
  agencyName: string;
  contractRef: string | null;
  description: string;
  amountFen: number;
  paidOn: string;
  voucherNo: string;
  respondedAt: string | null;
}

function creditorPayments(db: Knex, enterpriseId: number): Knex.QueryBuilder {
  return db('arrears_payments as p')
    .join('arrears as a', 'a.id', 'p.arrears_id')
    .join('agencies as g', 'g.id', 'a.agency_id')
    .where('a.enterprise_id', enterpriseId)
    .whereNotExists((sub) => sub.select(db.raw('1')).from('arrears_reversals as r').whereRaw('r.payment_id = p.id'))
    .select('p.id', 'p.arrears_id', 'g.name as agency_name', 'a.contract_ref', 'a.description', 'p.amount_fen', 'p.paid_on', 'p.voucher_no', 'p.responded_at');
}

function toPaymentItem(r: Record<string, unknown>): CreditorPaymentItem {
  return {
    paymentId: Number(r.id),
    arrearsId: Number(r.arrears_id),
    agencyName: String(r.agency_name),
    contractRef: (r.contract_ref as string | null) ?? null,
    description: String(r.description),
    amountFen: toFen(r.amount_fen),
    paidOn: String(r.paid_on),
    voucherNo: String(r.voucher_no),
    respondedAt: r.responded_at ? new Date(r.responded_at as string).toISOString() : null,
  };
}

/**
 * What waits for the creditor: payments it has neither confirmed nor disputed (oldest first), and its
 * disputes of payments the auditors have not settled. Reversed payments wait for nobody.
 */
export async function creditorPaymentsToDo(db: Knex, enterpriseId: number): Promise<{ awaitingAnswer: CreditorPaymentItem[]; openDisputes: CreditorPaymentItem[] }> {
  const [awaiting, disputes] = await Promise.all([
    creditorPayments(db, enterpriseId).whereNull('p.creditor_response').orderBy([{ column: 'p.paid_on' }, { column: 'p.id' }]),
    creditorPayments(db, enterpriseId).where('p.creditor_response', 'disputed').where('p.dispute_status', 'open').orderBy([{ column: 'p.responded_at' }, { column: 'p.id' }]),
  ]);
  return { awaitingAnswer: awaiting.map(toPaymentItem), openDisputes: disputes.map(toPaymentItem) };
}
