import type { Knex } from 'knex';
import { addDays } from '../../domain/dates.ts';
import { DUE_SOON_DAYS, type MilestoneRef } from '../commitments/queries.ts';
import { OPEN_MILESTONE_STATUSES } from '../commitments/rules.ts';

export { commitmentCountsByStatus } from '../commitments/queries.ts';

/** Open milestones owed to an enterprise that fall due in the next 30 days, today included. */
export async function enterpriseMilestonesDueSoon(db: Knex, enterpriseId: number, today: string): Promise<MilestoneRef[]> {
  const rows = await db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where('c.enterprise_id', enterpriseId)
    .whereNull('c.terminated_on')
    .whereIn('m.status', [...OPEN_MILESTONE_STATUSES])
    .where('m.due_on', '>=', today)
    .where('m.due_on', '<=', addDays(today, DUE_SOON_DAYS))
    .orderBy([{ column: 'm.due_on' }, { column: 'm.id' }])
    .select('c.id as commitment_id', 'c.title', 'm.id as milestone_id', 'm.description', 'm.due_on', 'm.amount_fen', 'm.status');
  return rows.map((r) => ({
    commitmentId: Number(r.commitment_id),
    commitmentTitle: r.title,
    milestoneId: Number(r.milestone_id),
    description: r.description,
    dueOn: r.due_on,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    status: r.status,
  }));
}
