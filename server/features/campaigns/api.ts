import { z } from 'zod';
import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { idParam } from '../../http/params.ts';
import { calendarDate, parseInput } from '../../http/validate.ts';
import { baselineJson, progressJson } from './present.ts';
import { campaignInputSchema } from './schema.ts';
import { createCampaign } from './service/create.ts';
import { campaignProgress } from './service/progress.ts';

/**
 * Who may use the campaigns API:
 * - create: auditors;
 * - progress: auditors (every agency in scope), officers of an agency in the campaign (their agency's
 *   part); officers of other agencies get 404, enterprises and admins 403.
 */
const progressQuery = z.object({ asOf: calendarDate.optional() });

export function campaignsApiRoutes(ctx: AppContext) {
  const r = guardedRouter();

  r.post('/campaigns', AUDITORS, async (req, res) => {
    const input = parseInput(campaignInputSchema, req.body);
    const { id, baselineFrozen } = await createCampaign(ctx, callerOf(req), input);
    const progress = await campaignProgress(ctx, req.user!, id, input.startedOn);
    res.status(201).json({ id, name: input.name, startedOn: input.startedOn, targetOn: input.targetOn, agencyIds: progress.campaign.agencyIds, baselineFrozen, baseline: baselineJson(progress) });
  });

  r.get('/campaigns/:id/progress', OFFICERS_AND_AUDITORS, async (req, res) => {
    const id = idParam(req);
    const { asOf } = parseInput(progressQuery, req.query);
    res.json(progressJson(await campaignProgress(ctx, req.user!, id, asOf ?? ctx.clock.today())));
  });

  return r.router;
}
