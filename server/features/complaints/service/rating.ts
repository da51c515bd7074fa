import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict, fieldError } from '../../../http/errors.ts';
import { COMPLAINTS } from '../policy.ts';
import { caseFacts, complaintRow, deadlineDaysOf, insertStep, saveFacts, scopeOf, type ComplaintRow } from '../repository.ts';
import { insertRating, lockCase, nextRatingRound } from '../repository-handling.ts';
import { applyRating, isBadLevel, type RatingLevel } from '../rules.ts';
import { optionalText } from './handling-guards.ts';

/** The step a rating is on the case's timeline (complaint_steps.action). */
export const RATING_STEP = 'rate';

/**
 * The complainant rates the handling of a resolved case (好差评). A good level closes the case; a bad
 * one reopens it as rectifying with the rectification deadline, and after the agency's rectification
 * and follow-up visit the complainant rates again: each rating is a round of its own, numbered from 1.
 * A bad review says why, so that the agency knows what to put right.
 */
export async function rateCase(ctx: UseCaseContext, caller: Caller, id: number, input: { level: RatingLevel; comment?: string | null }): Promise<ComplaintRow> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const comment = optionalText('comment', input.comment, 2000);
  return ctx.db.transaction(async (trx) => {
    const row = await lockCase(trx, id, at);
    const scope = row ? scopeOf(row) : null;
    authorize(caller.user, COMPLAINTS.rate, scope, COMPLAINTS.read);
    const before = caseFacts(row!);
    const rated = applyRating(before, input.level, today);
    if (!rated.ok) throw conflict(rated.refusal === 'follow_up_not_due' ? 'complaints:handling.errors.visitPending' : 'complaints:handling.errors.notRateable');
    if (isBadLevel(input.level) && !comment) throw fieldError('comment', 'complaints:handling.errors.badReviewNeedsComment');
    const round = await nextRatingRound(trx, id);
    await insertRating(trx, { complaintId: id, round, level: input.level, comment, ratedOn: today, ratedBy: caller.actor.id, at });
    await saveFacts(trx, id, rated.facts, deadlineDaysOf(row!), at);
    await insertStep(trx, { complaintId: id, action: RATING_STEP, fromStatus: before.status, toStatus: rated.facts.status, note: comment, stepOn: today, actorId: caller.actor.id, at });
    await recordAuditEntries(trx, caller.actor, [{
      action: 'complaint.rated',
      entityType: 'complaint',
      entityId: id,
      before: { caseStatus: before.status },
      after: { ratingRound: round, ratingLevel: input.level, ratingComment: comment, caseStatus: rated.facts.status },
    }]);
    return (await complaintRow(trx, id))!;
  });
}
