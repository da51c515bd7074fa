import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import { addDays } from '../../domain/dates.ts';
import { filteredCommitments, DUE_SOON_DAYS, type MilestoneRef } from '../commitments/queries.ts';
import { COMMITMENT_STATUSES, OPEN_MILESTONE_STATUSES, type CommitmentStatus } from '../commitments/rules.ts';

/** The commitments a scope may see, counted by status (computed in SQL by the ledger's own rule). */
export async function commitmentCountsByStatus(db: Knex, scope: ListScope, today: string): Promise<Record<CommitmentStatus, number>> {
  const rows: Array<{ status: CommitmentStatus; n: unknown }> = await db
    .from(filteredCommitments(db, scope, {}, today).clearOrder().as('x'))
    .select('x.status')
    .count({ n: '*' })
    .groupBy('x.status');
  const counts = Object.fromEntries(COMMITMENT_STATUSES.map((s) => [s, 0])) as Record<CommitmentStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

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
