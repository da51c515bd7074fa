import type { Knex } from 'knex';
import { addDays } from '../../domain/dates.ts';
import { paymentFacts, paymentsByArrears, paymentsOf, toFen } from '../arrears/repository.ts';
import { instalmentStates } from '../arrears/rules.ts';
import { arrearsSummary, yearStart, type ArrearsFigures } from '../arrears/summary.ts';

export { creditorPaymentsToDo } from '../arrears/creditor.ts';

/** An officer's arrears at a glance: what its agency owes, what it cleared this year, and what is late. */
export interface OfficerArrears {
  figures: ArrearsFigures;
  /** Counted payments made this calendar year. */
  clearedThisYearFen: number;
  /** Instalments of current repayment plans whose due date has passed short of what was due by then. */
  missedInstalments: number;
}

/** Instalments missed on the current plans of an agency's arrears, by the rules (instalmentStates). */
async function missedInstalments(db: Knex, agencyId: number, today: string): Promise<number> {
  const plans: Array<{ id: number; arrears_id: number; paid_fen_at_start: unknown }> = await db('arrears_plans as p')
    .join('arrears as a', 'a.id', 'p.arrears_id')
    .where('a.agency_id', agencyId)
    .whereNull('p.superseded_at')
    .select('p.id', 'p.arrears_id', 'p.paid_fen_at_start');
  if (!plans.length) return 0;
  const [instalments, payments] = await Promise.all([
    db('arrears_instalments').whereIn('plan_id', plans.map((p) => p.id)).select('plan_id', 'seq', 'due_on', 'amount_fen') as Promise<Array<{ plan_id: number; seq: number; due_on: string; amount_fen: unknown }>>,
    paymentsOf(db, plans.map((p) => Number(p.arrears_id))).then(paymentsByArrears),
  ]);
  let missed = 0;
  for (const plan of plans) {
    const own = instalments.filter((i) => Number(i.plan_id) === Number(plan.id)).map((i) => ({ seq: Number(i.seq), dueOn: i.due_on, amountFen: toFen(i.amount_fen) }));
    const paid = (payments.get(Number(plan.arrears_id)) ?? []).map(paymentFacts);
    missed += instalmentStates({ paidFenAtStart: toFen(plan.paid_fen_at_start), instalments: own }, paid, today).filter((s) => s.missed).length;
  }
  return missed;
}

export async function officerArrears(db: Knex, agencyId: number, today: string): Promise<OfficerArrears> {
  const scope = { kind: 'agency', agencyId } as const;
  const [now, lastYear, missed] = await Promise.all([
    arrearsSummary(db, scope, { asOf: today }),
    // What was paid by the end of last year: the difference is what was paid this year.
    arrearsSummary(db, scope, { asOf: addDays(yearStart(today), -1) }),
    missedInstalments(db, agencyId, today),
  ]);
  return { figures: now.total, clearedThisYearFen: now.total.paidFen - lastYear.total.paidFen, missedInstalments: missed };
}

/** The whole city's arrears as of today, for the auditors' home. */
export async function cityArrears(db: Knex, today: string): Promise<ArrearsFigures> {
  return (await arrearsSummary(db, { kind: 'all' }, { asOf: today })).total;
}
