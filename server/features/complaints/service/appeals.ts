import { isUniqueViolation } from '../../../../db/dialect.ts';
import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict, notFound } from '../../../http/errors.ts';
import { COMPLAINTS } from '../policy.ts';
import { complaintScope } from '../repository.ts';
import { appealOf, appealOfRating, decideAppealRow, insertAppeal, ratingOf, voidRating } from '../repository-handling.ts';
import { appealable } from '../rules-handling.ts';
import { requiredText } from './handling-guards.ts';

/*
 * 申诉: the handling agency appeals a bad review it thinks malicious or mistaken, once per review, with
 * its reason; an auditor upholds the review or voids it, with reasons. A voided review stays on the case,
 * struck through, and leaves the statistics (the statistics read `voided`).
 *
 * Voiding changes no state of the case. When the voided review was a bad one that reopened the case, the
 * case stays where the handling has taken it (rectifying, or rectified and rated again): the
 * rectification and the visit really happened and are on the timeline, and undoing them would need a
 * state change the state machine does not have. The statistics simply leave the voided review out.
 */

export async function appealRating(ctx: UseCaseContext, caller: Caller, id: number, ratingId: number, input: { reason: string }): Promise<{ appealId: number }> {
  const at = ctx.clock.now().toISOString();
  const reason = requiredText('reason', input.reason, 2000);
  return ctx.db.transaction(async (trx) => {
    const scope = await complaintScope(trx, id);
    authorize(caller.user, COMPLAINTS.appeal, scope, COMPLAINTS.read);
    const rating = await ratingOf(trx, id, ratingId);
    if (!rating) throw notFound();
    if (await appealOfRating(trx, ratingId)) throw conflict('complaints:appeals.errors.alreadyAppealed');
    if (!appealable({ level: rating.level, voided: Boolean(rating.voided) })) throw conflict('complaints:appeals.errors.notAppealable');
    let appealId: number;
    try {
      appealId = await insertAppeal(trx, { ratingId, reason, appealedBy: caller.actor.id, at });
    } catch (err) {
      // Another officer of the agency appealed the same review at the same moment.
      if (isUniqueViolation(err)) throw conflict('complaints:appeals.errors.alreadyAppealed');
      throw err;
    }
    await recordAuditEntries(trx, caller.actor, [{
      action: 'complaint.appealed',
      entityType: 'complaint',
      entityId: id,
      after: { ratingRound: rating.round, ratingLevel: rating.level, appealReason: reason },
    }]);
    return { appealId };
  });
}

export type AppealDecision = 'upheld' | 'voided';

export async function decideAppeal(ctx: UseCaseContext, caller: Caller, id: number, appealId: number, input: { decision: AppealDecision; note: string }): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const note = requiredText('note', input.note, 2000);
  await ctx.db.transaction(async (trx) => {
    const scope = await complaintScope(trx, id);
    authorize(caller.user, COMPLAINTS.supervise, scope, COMPLAINTS.read);
    const appeal = await appealOf(trx, id, appealId);
    if (!appeal) throw notFound();
    if (appeal.decision !== null || !(await decideAppealRow(trx, appealId, { decision: input.decision, note, decidedBy: caller.actor.id, at }))) {
      throw conflict('complaints:appeals.errors.alreadyDecided');
    }
    if (input.decision === 'voided') await voidRating(trx, appeal.rating_id);
    await recordAuditEntries(trx, caller.actor, [{
      action: 'complaint.appeal_decided',
      entityType: 'complaint',
      entityId: id,
      before: { ratingVoided: false },
      after: { ratingRound: appeal.round, ratingLevel: appeal.level, appealDecision: input.decision, appealDecisionNote: note, ratingVoided: input.decision === 'voided' },
    }]);
  });
}
