import type { Knex } from 'knex';
import { addDays } from '../../domain/dates.ts';
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

/** A date counted in days from a given today. */
const from = (today: string, days: number) => addDays(today, days);

export interface KnownArrears {
  agencyA: number;
  agencyB: number;
  smallEnterprise: number;
  largeEnterprise: number;
  /** Ids in the order described at knownArrears. */
  ids: number[];
  /** The payment waiting for the creditor's answer, and the one it disputed that the auditors have not settled. */
  awaiting: { arrearsId: number; paymentId: number };
  openDispute: { arrearsId: number; paymentId: number };
  /** Counted payments of agency A, with their dates (for this year's clearance). */
  countedOfA: Array<{ amountFen: number; paidOn: string }>;
}

/**
 * A small data set whose figures are worked out by hand in the tests (today = T):
 * 1. A owes the small enterprise 10,000 yuan, due T-70: 3,000 paid T-60 (confirmed), 2,000 T-10 (no
 *    answer yet), 1,000 T-50 (reversed), 500 T-5 (disputed, open): paid 5,000, 31-90 days overdue.
 * 2. A owes it 4,000, a 90-day term (non-compliant: small creditor), due T-110, 1,000 disputed; 1,000
 *    paid T-100 (disputed, upheld): outstanding 3,000, undisputed 2,000, 91-180 days overdue.
 * 3. A owes the large enterprise 6,000, a 90-day term (compliant: large), due T-110, paid in full T-20.
 * 4. B owes the small enterprise 2,000, statutory term, due T+10.
 * 5. B owes it 1,500, due T-15; 500 paid T-12 (disputed, rejected): 0-30 days overdue.
 * Agency A's arrears 1 has a current repayment plan with one missed instalment, and a superseded one.
 */
export async function insertKnownArrears(db: Knex, today: string): Promise<KnownArrears> {
  const agencyA = Number((await db('users').where({ username: 'officer1' }).first('agency_id')).agency_id);
  const agencyB = Number((await db('users').where({ username: 'officer2' }).first('agency_id')).agency_id);
  const smallEnterprise = Number((await db('users').where({ username: 'enterprise1' }).first('enterprise_id')).enterprise_id);
  const largeEnterprise = Number((await db('enterprises').where({ scale: 'large' }).first('id')).id);
  const t = (days: number) => from(today, days);
  const inserted = await insertTestArrears(db, [
    {
      agencyId: agencyA, enterpriseId: smallEnterprise, principalFen: 1_000_000, acceptedOn: t(-100), dueOn: t(-70), contractRef: '青审批采〔2026〕1号',
      payments: [
        { amountFen: 300_000, paidOn: t(-60), response: 'confirmed' },
        { amountFen: 200_000, paidOn: t(-10) },
        { amountFen: 100_000, paidOn: t(-50), reversed: true },
        { amountFen: 50_000, paidOn: t(-5), response: 'disputed', disputeStatus: 'open' },
      ],
    },
    { agencyId: agencyA, enterpriseId: smallEnterprise, principalFen: 400_000, acceptedOn: t(-200), dueOn: t(-110), disputedFen: 100_000, payments: [{ amountFen: 100_000, paidOn: t(-100), response: 'disputed', disputeStatus: 'upheld' }] },
    { agencyId: agencyA, enterpriseId: largeEnterprise, principalFen: 600_000, acceptedOn: t(-200), dueOn: t(-110), payments: [{ amountFen: 600_000, paidOn: t(-20), response: 'confirmed' }] },
    { agencyId: agencyB, enterpriseId: smallEnterprise, principalFen: 200_000, acceptedOn: t(-20) },
    { agencyId: agencyB, enterpriseId: smallEnterprise, principalFen: 150_000, acceptedOn: t(-45), payments: [{ amountFen: 50_000, paidOn: t(-12), response: 'disputed', disputeStatus: 'rejected' }] },
  ]);
  const at = new Date().toISOString();
  const plan = async (superseded: boolean, paidAtStart: number, instalments: Array<[number, number]>) => {
    const [{ id }] = await db('arrears_plans')
      .insert({ arrears_id: inserted[0]!.id, paid_fen_at_start: paidAtStart, total_fen: instalments.reduce((s, [, a]) => s + a, 0), superseded_at: superseded ? at : null, created_at: at })
      .returning('id');
    await db('arrears_instalments').insert(instalments.map(([days, amount], i) => ({ plan_id: id, seq: i + 1, due_on: t(days), amount_fen: amount })));
  };
  // Superseded: its instalment was missed, but it no longer counts.
  await plan(true, 0, [[-50, 1_000_000]]);
  // Current, saved after the first payment: nothing paid by T-30 (missed), 200,000 by T-5 (kept), the rest later.
  await plan(false, 300_000, [[-30, 100_000], [-5, 100_000], [30, 300_000]]);
  return {
    agencyA,
    agencyB,
    smallEnterprise,
    largeEnterprise,
    ids: inserted.map((x) => x.id),
    awaiting: { arrearsId: inserted[0]!.id, paymentId: inserted[0]!.paymentIds[1]! },
    openDispute: { arrearsId: inserted[0]!.id, paymentId: inserted[0]!.paymentIds[3]! },
    countedOfA: [
      { amountFen: 300_000, paidOn: t(-60) },
      { amountFen: 200_000, paidOn: t(-10) },
      { amountFen: 100_000, paidOn: t(-100) },
      { amountFen: 600_000, paidOn: t(-20) },
    ],
  };
}
