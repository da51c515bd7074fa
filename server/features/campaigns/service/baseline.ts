import type { Knex } from 'knex';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../../audit/chain.ts';
import type { UseCaseContext } from '../../../context.ts';
import { arrearsItemFacts, campaignRecord, claimBaselineFreeze, insertBaselineItems, milestoneItemFacts, type CampaignRecord } from '../repository.ts';
import { baselineDue, baselineOf } from '../rules.ts';

/**
 * Freezes a campaign's baseline inside the caller's transaction: every arrears and milestone of the
 * agencies in scope that needed action at the start date, with what it owed then. Does nothing when
 * the baseline is already frozen (a job and a page read may both try; the first one wins).
 */
export async function freezeBaseline(trx: Knex.Transaction, actor: AuditActor, c: CampaignRecord, at: string): Promise<boolean> {
  if (!(await claimBaselineFreeze(trx, c.id, at))) return false;
  const selection = { agencyIds: c.agencyIds, dueBefore: c.startedOn, breachedBy: c.startedOn };
  const [arrears, milestones] = await Promise.all([arrearsItemFacts(trx, selection), milestoneItemFacts(trx, selection)]);
  const items = baselineOf(arrears, milestones, c.startedOn);
  await insertBaselineItems(trx, c.id, items);
  const sum = (type: string) => items.filter((i) => i.itemType === type).reduce((s, i) => s + (i.amountFen ?? 0), 0);
  const count = (type: string) => items.filter((i) => i.itemType === type).length;
  await recordAudit(trx, actor, {
    action: 'campaign.baseline_frozen',
    entityType: 'campaign',
    entityId: c.id,
    after: { startedOn: c.startedOn, arrearsCount: count('arrears'), arrearsFen: sum('arrears'), milestoneCount: count('milestone'), milestoneFen: sum('milestone') },
  });
  return true;
}

/**
 * Freezes the baseline of a campaign whose start date has come, if nobody has yet: run by the job
 * queued for the start date, and on reading the campaign in case that job has not run (no runner,
 * or it failed). Answers the campaign as it now stands.
 */
export async function freezeIfDue(ctx: UseCaseContext, campaignId: number): Promise<CampaignRecord | null> {
  const c = await campaignRecord(ctx.db, campaignId);
  if (!c || c.baselineFrozenAt !== null || !baselineDue(c.startedOn, ctx.clock.today())) return c;
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction((trx) => freezeBaseline(trx, SYSTEM_ACTOR, c, at));
  return campaignRecord(ctx.db, campaignId);
}
