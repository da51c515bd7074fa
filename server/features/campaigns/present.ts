import type { KindFigures, ProgressFigures } from './rules.ts';
import type { CampaignProgress } from './service/progress.ts';

/** A campaign's progress as the API answers it: figures of each kind, in total and per agency. */

function kindJson(figures: KindFigures, agencies: CampaignProgress['agencies']): { total: ProgressFigures; agencies: Array<{ agencyId: number; agencyName: string } & ProgressFigures> } {
  return { total: figures.total, agencies: agencies.map((a) => ({ agencyId: a.id, agencyName: a.name, ...figures.byAgency.get(a.id)! })) };
}

export function progressJson(p: CampaignProgress) {
  return {
    id: p.campaign.id,
    name: p.campaign.name,
    startedOn: p.campaign.startedOn,
    targetOn: p.campaign.targetOn,
    asOf: p.asOf,
    baselineFrozen: p.campaign.baselineFrozenAt !== null,
    arrears: kindJson(p.arrears, p.agencies),
    milestones: kindJson(p.milestones, p.agencies),
    all: kindJson(p.all, p.agencies),
  };
}

/** What the baseline holds: how many items of each kind and what they owed at the start. */
export function baselineJson(p: CampaignProgress) {
  return {
    arrearsCount: p.arrears.total.baselineCount,
    arrearsFen: p.arrears.total.baselineFen,
    milestoneCount: p.milestones.total.baselineCount,
    milestoneFen: p.milestones.total.baselineFen,
  };
}
