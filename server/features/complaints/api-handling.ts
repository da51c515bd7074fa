import { guardedRouter } from '../../auth/policy.ts';
import { ENTERPRISES, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { idParam } from '../../http/params.ts';
import { parseInput } from '../../http/validate.ts';
import { caseStateJson } from './present.ts';
import { ratingInputSchema, transitionInputSchema } from './schema.ts';
import { rateCase } from './service/rating.ts';
import { takeStep } from './service/transitions.ts';

/**
 * The handling API:
 * - `POST /complaints/:id/transitions` {action, note}: the handling agency's officers take the agency's
 *   steps, auditors forward and record findings of default → the case's state and awaited step; 409 when
 *   the case's state does not allow the step, 422 naming `note` when it needs one, 403 for a step the
 *   caller never takes, 404 outside the caller's cases;
 * - `POST /complaints/:id/rating` {level, comment}: the complainant → the case; a bad level answers
 *   "rectifying" with `rectifyDueOn`.
 */
export function complaintHandlingApiRoutes(ctx: AppContext) {
  const r = guardedRouter();

  r.post('/complaints/:id/transitions', OFFICERS_AND_AUDITORS, async (req, res) => {
    const id = idParam(req);
    const input = parseInput(transitionInputSchema, req.body);
    res.json(caseStateJson(await takeStep(ctx, callerOf(req), id, { action: input.action, note: input.note ?? null })));
  });

  r.post('/complaints/:id/rating', ENTERPRISES, async (req, res) => {
    const id = idParam(req);
    const input = parseInput(ratingInputSchema, req.body);
    res.json(caseStateJson(await rateCase(ctx, callerOf(req), id, { level: input.level, comment: input.comment ?? null })));
  });

  return r.router;
}
