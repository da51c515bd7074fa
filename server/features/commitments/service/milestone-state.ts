import type { Knex } from 'knex';
import { fulfilmentFacts, milestoneRecords, saveMilestoneState, type MilestoneRow } from '../repository.ts';
import { milestoneState } from '../rules.ts';

/**
 * Recomputes a milestone's stored status from its facts (waivers, breach, fulfilments and their
 * disputes) after a change to them, inside the use case's transaction; saves it when it moved.
 */
export async function settleMilestone(trx: Knex, m: MilestoneRow, at: string): Promise<{ status: MilestoneRow['status']; completedOn: string | null }> {
  const records = await milestoneRecords(trx, [m.id]);
  const state = milestoneState({ breached: m.breached_on !== null, waiverDecisions: records.waivers.map((w) => w.decision), fulfilments: records.fulfilments.map(fulfilmentFacts) });
  if (state.status !== m.status || state.completedOn !== m.completed_on) await saveMilestoneState(trx, m, state, at);
  return state;
}
