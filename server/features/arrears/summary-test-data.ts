import type { Knex } from 'knex';
import { insertArrearsRows, refreshArrears } from './repository.ts';
import type { CreditorResponse, PaymentDisputeStatus } from './rules.ts';
import type { ArrearsInput } from './schema.ts';

/*
 * For the summary's tests: arrears and payments written straight into the tables, as the payments
 * slice's use cases leave them, with the stored position refreshed as those use cases do.
 */

export interface TestPayment {
  amountFen: number;
  paidOn: string;
  response?: CreditorResponse | null;
  disputeStatus?: PaymentDisputeStatus | null;
  /** A reversing entry corrects it. */
  reversed?: boolean;
}

export type TestArrears = Pick<ArrearsInput, 'agencyId' | 'enterpriseId' | 'principalFen' | 'acceptedOn'> & Partial<ArrearsInput> & { payments?: TestPayment[] };

let voucher = 0;

/** Inserts arrears with their payments and reversals; returns the arrears ids and the payment ids of each, in order. */
export async function insertTestArrears(db: Knex, list: TestArrears[], at = new Date().toISOString()): Promise<Array<{ id: number; paymentIds: number[] }>> {
  return db.transaction(async (trx) => {
    const inputs: ArrearsInput[] = list.map(({ payments: _payments, ...a }) => ({ category: 'goods', description: '测试欠款', ...a }));
    const ids = await insertArrearsRows(trx, inputs, null, at);
    const result: Array<{ id: number; paymentIds: number[] }> = [];
    for (const [i, a] of list.entries()) {
      const paymentIds: number[] = [];
      for (const p of a.payments ?? []) {
        const [{ id }] = await trx('arrears_payments')
          .insert({
            arrears_id: ids[i],
            amount_fen: p.amountFen,
            paid_on: p.paidOn,
            voucher_no: `PZ-${++voucher}`,
            creditor_response: p.response ?? null,
            responded_at: p.response ? at : null,
            dispute_status: p.disputeStatus ?? (p.response === 'disputed' ? 'open' : null),
            created_at: at,
          })
          .returning('id');
        paymentIds.push(Number(id));
        if (p.reversed) await trx('arrears_reversals').insert({ payment_id: id, reversed_on: p.paidOn, reason: '凭证录入错误', created_at: at });
      }
      result.push({ id: ids[i]!, paymentIds });
    }
    await refreshArrears(trx, ids, at);
    return result;
  });
}
