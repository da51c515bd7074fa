import { recordAuditEntries } from '../../../audit/chain.ts';
import { can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { shanghaiDayStart } from '../../../domain/dates.ts';
import { fieldError, forbidden } from '../../../http/errors.ts';
import { enqueue } from '../../../jobs/queue.ts';
import { freezeBaselineJob } from '../freeze-job.ts';
import { CAMPAIGNS } from '../policy.ts';
import { campaignRecord, insertCampaign } from '../repository.ts';
import { baselineDue } from '../rules.ts';
import type { CampaignInput } from '../schema.ts';
import { freezeBaseline } from './baseline.ts';

/**
 * An auditor starts a campaign over some agencies. One that starts today or earlier has its baseline
 * frozen at once, as of its start date; one that starts later gets a job queued for its start date.
 */
export async function createCampaign(ctx: UseCaseContext, caller: Caller, input: CampaignInput): Promise<{ id: number; baselineFrozen: boolean }> {
  if (!can(caller.user, CAMPAIGNS.create)) throw forbidden();
  const at = ctx.clock.now().toISOString();
  const agencyIds = [...new Set(input.agencyIds)].sort((a, b) => a - b);
  return ctx.db.transaction(async (trx) => {
    const known: Array<{ id: number; name: string }> = await trx('agencies').whereIn('id', agencyIds).orderBy('id').select('id', 'name');
    if (known.length !== agencyIds.length) throw fieldError('agencyIds', 'validation.invalidOption');
    const id = await insertCampaign(trx, { ...input, agencyIds }, caller.actor.id, at);
    await recordAuditEntries(trx, caller.actor, [
      { action: 'campaign.created', entityType: 'campaign', entityId: id, after: { name: input.name, startedOn: input.startedOn, targetOn: input.targetOn, goal: input.goal, agencyIds, agencies: known.map((a) => a.name) } },
    ]);
    if (baselineDue(input.startedOn, ctx.clock.today())) {
      await freezeBaseline(trx, caller.actor, (await campaignRecord(trx, id))!, at);
      return { id, baselineFrozen: true };
    }
    await enqueue(trx, freezeBaselineJob, { campaignId: id }, { clock: ctx.clock, createdBy: caller.actor.id, runAfter: new Date(shanghaiDayStart(input.startedOn)) });
    return { id, baselineFrozen: false };
  });
}
