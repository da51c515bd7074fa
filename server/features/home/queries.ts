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

/** A fulfilment the enterprise has to answer, or a dispute of its own that the auditors have not settled. */
export interface EnterpriseFulfilmentItem {
  fulfilmentId: number;
  commitmentId: number;
  commitmentTitle: string;
  agencyName: string;
  milestoneSeq: number;
  milestoneDescription: string;
  fulfilledOn: string;
  amountFen: number | null;
  note: string;
  /** When the enterprise disputed it (disputes only). */
  respondedAt: string | null;
}

function enterpriseFulfilments(db: Knex, enterpriseId: number): Knex.QueryBuilder {
  return db('fulfilments as f')
    .join('milestones as m', 'm.id', 'f.milestone_id')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .where('c.enterprise_id', enterpriseId)
    .select('f.id', 'c.id as commitment_id', 'c.title', 'a.name as agency_name', 'm.seq', 'm.description', 'f.fulfilled_on', 'f.amount_fen', 'f.note', 'f.responded_at');
}

function toFulfilmentItem(r: Record<string, unknown>): EnterpriseFulfilmentItem {
  return {
    fulfilmentId: Number(r.id),
    commitmentId: Number(r.commitment_id),
    commitmentTitle: String(r.title),
    agencyName: String(r.agency_name),
    milestoneSeq: Number(r.seq),
    milestoneDescription: String(r.description),
    fulfilledOn: String(r.fulfilled_on),
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    note: String(r.note),
    respondedAt: r.responded_at ? new Date(r.responded_at as string).toISOString() : null,
  };
}

/**
 * What waits for an enterprise: fulfilments the agencies recorded that it has neither confirmed nor
 * disputed (oldest first), and its disputes still open before the auditors (oldest first), to which it
 * may add files.
 */
export async function enterpriseToDo(db: Knex, enterpriseId: number): Promise<{ awaitingAnswer: EnterpriseFulfilmentItem[]; openDisputes: EnterpriseFulfilmentItem[] }> {
  const [awaiting, disputes] = await Promise.all([
    enterpriseFulfilments(db, enterpriseId).whereNull('f.enterprise_response').orderBy([{ column: 'f.fulfilled_on' }, { column: 'f.id' }]),
    enterpriseFulfilments(db, enterpriseId).where('f.dispute_status', 'open').orderBy([{ column: 'f.responded_at' }, { column: 'f.id' }]),
  ]);
  return { awaitingAnswer: awaiting.map(toFulfilmentItem), openDisputes: disputes.map(toFulfilmentItem) };
}
