import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import { paymentFacts, paymentsByArrears, paymentsOf } from './repository.ts';
import { currentPlans, whereInScope } from './repository-payments.ts';
import { overdueInstalments as overdueOfPlan } from './rules-payments.ts';

/** A missed instalment of a plan in force that later payments have not made up, with what lists show of its arrears. */
export interface OverdueInstalmentItem {
  arrearsId: number;
  agencyId: number;
  agencyName: string;
  enterpriseId: number;
  enterpriseName: string;
  contractRef: string | null;
  seq: number;
  dueOn: string;
  amountFen: number;
  /** What the instalments up to this one still lack today. */
  stillShortFen: number;
}

/**
 * Overdue instalments of the plans in force of the arrears the scope sees (not yet cleared), the
 * longest overdue first: for lists and the home pages. Derived from the payments each time, through
 * the same rule as the arrears page's instalment states.
 */
export async function overdueInstalments(db: Knex, scope: ListScope, today: string): Promise<OverdueInstalmentItem[]> {
  const arrears: Array<{ id: number; agency_id: number; agency_name: string; enterprise_id: number; enterprise_name: string; contract_ref: string | null }> = await whereInScope(
    db('arrears as a')
      .join('arrears_plans as pl', 'pl.arrears_id', 'a.id')
      .join('agencies as g', 'g.id', 'a.agency_id')
      .join('enterprises as e', 'e.id', 'a.enterprise_id')
      .whereNull('pl.superseded_at')
      .whereNot('a.status', 'cleared')
      // Only plans with an instalment already past can have a missed one.
      .whereExists((q) => q.select(db.raw('1')).from('arrears_instalments as i').whereRaw('i.plan_id = pl.id').where('i.due_on', '<', today)),
    scope,
  ).select('a.id', 'a.agency_id', 'g.name as agency_name', 'a.enterprise_id', 'e.name as enterprise_name', 'a.contract_ref');
  const ids = arrears.map((a) => Number(a.id));
  const [plans, payments] = await Promise.all([currentPlans(db, ids), paymentsOf(db, ids).then(paymentsByArrears)]);
  const items: OverdueInstalmentItem[] = [];
  for (const a of arrears) {
    const plan = plans.get(Number(a.id));
    if (!plan) continue;
    for (const s of overdueOfPlan(plan, (payments.get(Number(a.id)) ?? []).map(paymentFacts), today)) {
      items.push({
        arrearsId: Number(a.id),
        agencyId: Number(a.agency_id),
        agencyName: a.agency_name,
        enterpriseId: Number(a.enterprise_id),
        enterpriseName: a.enterprise_name,
        contractRef: a.contract_ref,
        seq: s.seq,
        dueOn: s.dueOn,
        amountFen: s.amountFen,
        stillShortFen: s.stillShortFen,
      });
    }
  }
  return items.sort((x, y) => (x.dueOn < y.dueOn ? -1 : x.dueOn > y.dueOn ? 1 : x.arrearsId - y.arrearsId));
}
