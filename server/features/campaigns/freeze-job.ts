import type { JobKind } from '../../jobs/types.ts';
import { freezeIfDue } from './service/baseline.ts';

export interface FreezePayload {
  campaignId: number;
}

/**
 * Freezes the baseline of a campaign that starts in the future, queued at its creation to run from
 * the first moment of its start date (Beijing time). The job runner has delayed jobs, not recurring
 * ones; so that a campaign never goes without its baseline when no runner ran that day, reading the
 * campaign at or after its start freezes it too (freezeIfDue), in one transaction, once.
 */
export const freezeBaselineJob: JobKind<FreezePayload> = {
  kind: 'campaigns.freeze_baseline',
  async run(ctx, job) {
    const c = await freezeIfDue(ctx, job.payload.campaignId);
    return { result: { campaignId: job.payload.campaignId, frozen: c?.baselineFrozenAt != null } };
  },
};
