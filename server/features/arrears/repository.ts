import type { Knex } from 'knex';
import type { ScopedRecord } from '../../auth/policy.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { dueDate, storedPosition, type ArrearsCategory, type ArrearsFacts, type ArrearsStatus, type CreditorResponse, type PaymentDisputeStatus, type PaymentFacts } from './rules.ts';
import type { ArrearsInput } from './schema.ts';

/*
 * The arrears tables as the use cases read and write them: rows in, rows out, no rules beyond
 * calling rules.ts for what is stored derived. Every function takes a Knex or the use case's transaction.
 */

export interface ArrearsRow {
  id: number;
  agency_id: number;
  enterprise_id: number;
  category: ArrearsCategory;
  contract_ref: string | null;
  contract_signed_on: string | null;
  principal_fen: number;
  accepted_on: string;
  agreed_due_on: string | null;
  due_on: string;
  disputed_fen: number;
  agreed_annual_rate: string | null;
  commitment_id: number | null;
  responsible_official: string | null;
  description: string;
  paid_fen: number;
  outstanding_fen: number;
  status: ArrearsStatus;
  cleared_on: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentRow {
  id: number;
  arrears_id: number;
  amount_fen: number;
  paid_on: string;
  voucher_no: string;
  note: string | null;
  creditor_response: CreditorResponse | null;
  creditor_comment: string | null;
  responded_at: string | null;
  dispute_status: PaymentDisputeStatus | null;
  dispute_decision_note: string | null;
  recorded_by: number | null;
  created_at: string;
  /** From arrears_reversals: set when a reversing entry corrects this payment. */
  reversal_id: number | null;
  reversed_on: string | null;
  reversal_reason: string | null;
}

/** PostgreSQL returns bigint columns as strings: every amount passes through here on its way out. */
export const toFen = (v: unknown): number => Number(v ?? 0);

export function arrearsFacts(row: Pick<ArrearsRow, 'principal_fen' | 'disputed_fen' | 'due_on'>): ArrearsFacts {
  return { principalFen: toFen(row.principal_fen), disputedFen: toFen(row.disputed_fen), dueOn: row.due_on };
}

export function paymentFacts(p: Pick<PaymentRow, 'amount_fen' | 'paid_on' | 'reversal_id' | 'creditor_response' | 'dispute_status'>): PaymentFacts {
  return { amountFen: toFen(p.amount_fen), paidOn: p.paid_on, reversed: p.reversal_id !== null, creditorResponse: p.creditor_response, disputeStatus: p.dispute_status };
}

/** The columns of a new arrears from its input; the due date in force comes from the rules. */
export function arrearsColumns(input: ArrearsInput) {
  return {
    agency_id: input.agencyId,
    enterprise_id: input.enterpriseId,
    category: input.category,
    contract_ref: input.contractRef || null,
    contract_signed_on: input.contractSignedOn ?? null,
    principal_fen: input.principalFen,
    accepted_on: input.acceptedOn,
    agreed_due_on: input.dueOn ?? null,
    due_on: dueDate({ acceptedOn: input.acceptedOn, agreedDueOn: input.dueOn ?? null }),
    disputed_fen: input.disputedFen ?? 0,
    agreed_annual_rate: input.agreedAnnualRate ?? null,
    commitment_id: input.commitmentId ?? null,
    responsible_official: input.responsibleOfficial || null,
    description: input.description,
  };
}

/** Inserts arrears (one or an import's many) with their stored position as owing everything; returns their ids in input order. */
export async function insertArrearsRows(trx: Knex, inputs: ArrearsInput[], createdBy: number | null, at: string): Promise<number[]> {
  const ids: number[] = [];
  // Rows per insert: within SQLite's limit on terms in the compound statement knex builds.
  for (let i = 0; i < inputs.length; i += 100) {
    const rows = inputs.slice(i, i + 100).map((input) => ({
      ...arrearsColumns(input),
      paid_fen: 0,
      outstanding_fen: input.principalFen,
      status: 'outstanding',
      cleared_on: null,
      created_by: createdBy,
      created_at: at,
      updated_at: at,
    }));
    const inserted: Array<{ id: number }> = await trx('arrears').insert(rows).returning('id');
    ids.push(...inserted.map((r) => Number(r.id)));
  }
  return ids;
}

export async function arrearsRow(db: Knex, id: number): Promise<ArrearsRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return db('arrears').where({ id }).first();
}

/** Payments of some arrears with their reversals, in payment order. */
export async function paymentsOf(db: Knex, arrearsIds: number[]): Promise<PaymentRow[]> {
  if (!arrearsIds.length) return [];
  return db('arrears_payments as p')
    .leftJoin('arrears_reversals as r', 'r.payment_id', 'p.id')
    .whereIn('p.arrears_id', arrearsIds)
    .orderBy([{ column: 'p.paid_on' }, { column: 'p.id' }])
    .select('p.*', 'r.id as reversal_id', 'r.reversed_on', 'r.reason as reversal_reason');
}

/** Groups payment rows by arrears id. */
export function paymentsByArrears(rows: PaymentRow[]): Map<number, PaymentRow[]> {
  const map = new Map<number, PaymentRow[]>();
  for (const p of rows) {
    const key = Number(p.arrears_id);
    const list = map.get(key) ?? [];
    list.push(p);
    map.set(key, list);
  }
  return map;
}

/**
 * Recomputes the stored position (paid, outstanding, status, cleared date) of arrears from their
 * facts through rules.storedPosition. Every write that changes a payment's standing, the principal
 * or the disputed part calls it in the same transaction.
 */
export async function refreshArrears(trx: Knex, arrearsIds: number[], at: string): Promise<void> {
  if (!arrearsIds.length) return;
  const rows: Array<Pick<ArrearsRow, 'id' | 'principal_fen' | 'disputed_fen' | 'due_on'>> = await trx('arrears').whereIn('id', arrearsIds).select('id', 'principal_fen', 'disputed_fen', 'due_on');
  const payments = paymentsByArrears(await paymentsOf(trx, arrearsIds));
  for (const row of rows) {
    const position = storedPosition(arrearsFacts(row), (payments.get(Number(row.id)) ?? []).map(paymentFacts));
    await trx('arrears').where({ id: row.id }).update({
      paid_fen: position.paidFen,
      outstanding_fen: position.outstandingFen,
      status: position.status,
      cleared_on: position.clearedOn,
      updated_at: at,
    });
  }
}

/** What an access check and the guards of a use case need of an arrears: one cheap row. */
export interface ArrearsScope extends ScopedRecord {
  id: number;
  agencyId: number;
  enterpriseId: number;
}

export async function arrearsScope(db: Knex, id: number): Promise<ArrearsScope | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await db('arrears').where({ id }).first('id', 'agency_id', 'enterprise_id');
  return row ? { id: Number(row.id), agencyId: Number(row.agency_id), enterpriseId: Number(row.enterprise_id) } : null;
}

/** The scale (划型) of creditors, by enterprise id. */
export async function creditorScales(db: Knex, enterpriseIds: number[]): Promise<Map<number, EnterpriseScale>> {
  if (!enterpriseIds.length) return new Map();
  const rows: Array<{ id: number; scale: EnterpriseScale }> = await db('enterprises').whereIn('id', [...new Set(enterpriseIds)]).select('id', 'scale');
  return new Map(rows.map((r) => [Number(r.id), r.scale]));
}

/** The LPR table as the rules read it. */
export async function lprRates(db: Knex): Promise<Array<{ effectiveOn: string; percent: string }>> {
  const rows: Array<{ effective_on: string; one_year_percent: string }> = await db('lpr_rates').orderBy('effective_on').select('effective_on', 'one_year_percent');
  return rows.map((r) => ({ effectiveOn: r.effective_on, percent: r.one_year_percent }));
}

/** Handover dates by arrears id. */
export async function handoverDates(db: Knex, arrearsIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (!arrearsIds.length) return map;
  const rows: Array<{ arrears_id: number; handed_over_on: string }> = await db('arrears_handovers').whereIn('arrears_id', arrearsIds).select('arrears_id', 'handed_over_on');
  for (const r of rows) map.set(Number(r.arrears_id), [...(map.get(Number(r.arrears_id)) ?? []), r.handed_over_on]);
  return map;
}
