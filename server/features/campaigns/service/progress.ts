import { authorize } from '../../../auth/policy.ts';
import type { SessionUser } from '../../../auth/types.ts';
import type { UseCaseContext } from '../../../context.ts';
import { fieldError } from '../../../http/errors.ts';
import { CAMPAIGNS, visibleAgencies } from '../policy.ts';
import { agencyNames, arrearsItemFacts, campaignRecord, assignmentsOf, baselineItems, milestoneItemFacts, type AssignmentRow, type CampaignRecord } from '../repository.ts';
import { assignmentOverdue, itemProgress, progressFigures, type ItemProgress, type ItemState, type KindFigures } from '../rules.ts';
import { freezeIfDue } from './baseline.ts';

export interface CampaignProgress {
  campaign: CampaignRecord;
  asOf: string;
  /** The agencies whose part the user sees (all in scope for auditors, its own for an officer), by name. */
  agencies: Array<{ id: number; name: string }>;
  /** Empty until the baseline is frozen. */
  items: ItemProgress[];
  arrears: KindFigures;
  milestones: KindFigures;
  all: KindFigures;
  assignments: Array<AssignmentRow & { itemState: ItemState | null; overdue: boolean }>;
}

/** A campaign the user may read (404 otherwise), with its baseline frozen if its start date has come. */
export async function campaignForUser(ctx: UseCaseContext, user: SessionUser, id: number): Promise<CampaignRecord> {
  // The access check comes first: a reader outside the campaign must not set off its freezing.
  authorize(user, CAMPAIGNS.read, await campaignRecord(ctx.db, id), CAMPAIGNS.read);
  return (await freezeIfDue(ctx, id))!;
}

/** Where a campaign stands on a date, for the agencies the user sees: figures per agency and in total, each item, the assignments. */
export async function campaignProgress(ctx: UseCaseContext, user: SessionUser, id: number, asOf: string): Promise<CampaignProgress> {
  const campaign = await campaignForUser(ctx, user, id);
  if (asOf < campaign.startedOn) throw fieldError('asOf', 'campaigns:errors.asOfBeforeStart', { date: campaign.startedOn });
  const agencyIds = visibleAgencies(user, campaign);
  const names = await agencyNames(ctx.db, agencyIds);
  let items: ItemProgress[] = [];
  if (campaign.baselineFrozenAt !== null) {
    const selection = { agencyIds, baselineOf: campaign.id, dueFrom: campaign.startedOn, dueBefore: asOf, breachedBy: asOf };
    const [baseline, arrears, milestones] = await Promise.all([baselineItems(ctx.db, campaign.id, agencyIds), arrearsItemFacts(ctx.db, selection), milestoneItemFacts(ctx.db, selection)]);
    const visible = new Set(agencyIds);
    // Baseline items of agencies the user does not see are loaded by id; they are dropped here.
    items = itemProgress(baseline, arrears, milestones, campaign.startedOn, asOf).filter((i) => visible.has(i.agencyId));
  }
  const stateOf = new Map(items.map((i) => [`${i.itemType}#${i.itemId}`, i.state]));
  const today = ctx.clock.today();
  const assignments = (await assignmentsOf(ctx.db, campaign.id, agencyIds)).map((a) => {
    const itemState = stateOf.get(`${a.itemType}#${a.itemId}`) ?? null;
    return { ...a, itemState, overdue: assignmentOverdue(a, itemState, today) };
  });
  return {
    campaign,
    asOf,
    agencies: agencyIds.map((aid) => ({ id: aid, name: names.get(aid) ?? `#${aid}` })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    items,
    arrears: progressFigures(items, agencyIds, 'arrears'),
    milestones: progressFigures(items, agencyIds, 'milestone'),
    all: progressFigures(items, agencyIds),
    assignments,
  };
}
