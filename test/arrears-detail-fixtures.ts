import type { Knex } from 'knex';
import { refreshArrears, insertArrearsRows } from '../server/features/arrears/repository.ts';
import type { CreditorResponse, PaymentDisputeStatus } from '../server/features/arrears/rules.ts';
import type { ArrearsInput } from '../server/features/arrears/schema.ts';

/*
 * Arrears, payments, plans and handovers written straight into their tables for the detail tests,
 * with the stored position refreshed as the use cases would: the page and the API read the tables,
 * whichever use case wrote them.
 */

const AT = '2026-01-01T00:00:00.000Z';

export async function arrearsWith(db: Knex, input: Omit<ArrearsInput, 'description'> & { description?: string }): Promise<number> {
  const [id] = await db.transaction((trx) => insertArrearsRows(trx, [{ description: '测试欠款', ...input }], null, AT));
  return id!;
}

export async function paymentOf(
  db: Knex,
  arrearsId: number,
  payment: { amountFen: number; paidOn: string; voucherNo?: string; response?: CreditorResponse; disputeStatus?: PaymentDisputeStatus; reversal?: { on: string; reason: string } },
): Promise<number> {
  return db.transaction(async (trx) => {
    const [{ id }] = await trx('arrears_payments')
      .insert({
        arrears_id: arrearsId,
        amount_fen: payment.amountFen,
        paid_on: payment.paidOn,
        voucher_no: payment.voucherNo ?? `PZ-${payment.paidOn}`,
        creditor_response: payment.response ?? null,
        dispute_status: payment.disputeStatus ?? null,
        created_at: AT,
      })
      .returning('id');
    if (payment.reversal) await trx('arrears_reversals').insert({ payment_id: id, reversed_on: payment.reversal.on, reason: payment.reversal.reason, created_at: AT });
    await refreshArrears(trx, [arrearsId], AT);
    return Number(id);
  });
}

export async function planOf(db: Knex, arrearsId: number, plan: { paidFenAtStart: number; instalments: Array<{ dueOn: string; amountFen: number }>; supersededAt?: string }): Promise<number> {
  return db.transaction(async (trx) => {
    const total = plan.instalments.reduce((sum, i) => sum + i.amountFen, 0);
    const [{ id }] = await trx('arrears_plans')
      .insert({ arrears_id: arrearsId, paid_fen_at_start: plan.paidFenAtStart, total_fen: total, superseded_at: plan.supersededAt ?? null, created_at: AT })
      .returning('id');
    await trx('arrears_instalments').insert(plan.instalments.map((i, n) => ({ plan_id: id, seq: n + 1, due_on: i.dueOn, amount_fen: i.amountFen })));
    return Number(id);
  });
}

export async function handoverOf(db: Knex, arrearsId: number, handedOverOn: string): Promise<void> {
  await db('arrears_handovers').insert({ arrears_id: arrearsId, from_official: '王处长', to_official: '刘处长', handed_over_on: handedOverOn, created_at: AT });
}
