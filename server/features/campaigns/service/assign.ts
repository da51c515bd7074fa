import { recordAudit } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict, fieldError, notFound } from '../../../http/errors.ts';
import { CAMPAIGNS } from '../policy.ts';
import { campaignRecord, insertAssignment } from '../repository.ts';
import type { AssignmentInput } from '../schema.ts';
import { campaignProgress } from './progress.ts';

/**
 * An auditor assigns an item of a campaign (调度) to the agency it belongs to, with a due date and an
 * instruction. Only an item that still needs action today can be assigned: one of the baseline still
 * open, or a new problem.
 */
export async function assignItem(ctx: UseCaseContext, caller: Caller, campaignId: number, input: AssignmentInput): Promise<{ assignmentId: number }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  if (input.dueOn < today) throw fieldError('dueOn', 'campaigns:errors.duePast', { today });
  return ctx.db.transaction(async (trx) => {
    authorize(caller.user, CAMPAIGNS.assign, await campaignRecord(trx, campaignId), CAMPAIGNS.read);
    const progress = await campaignProgress({ db: trx, clock: ctx.clock }, caller.user, campaignId, today);
    const item = progress.items.find((i) => i.itemType === input.item.itemType && i.itemId === input.item.itemId);
    if (!item) throw notFound();
    if (item.state === 'cleared') throw conflict('campaigns:errors.itemCleared');
    const assignmentId = await insertAssignment(trx, { campaignId, agencyId: item.agencyId, itemType: item.itemType, itemId: item.itemId, dueOn: input.dueOn, instruction: input.instruction, assignedBy: caller.actor.id, at });
    await recordAudit(trx, caller.actor, {
      action: 'campaign.assigned',
      entityType: 'campaign',
      entityId: campaignId,
      after: { assignmentId, agencyId: item.agencyId, itemType: item.itemType, itemId: item.itemId, dueOn: input.dueOn, instruction: input.instruction },
    });
    return { assignmentId };
  });
}
