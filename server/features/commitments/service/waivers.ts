import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict, fieldError, notFound } from '../../../http/errors.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { WAIVER_EVIDENCE } from '../evidence-owners.ts';
import { COMMITMENTS } from '../policy.ts';
import { commitmentScope, decideWaiverRow, insertWaiver, lockMilestone, milestoneRecords, waiverWithOwner } from '../repository.ts';
import { assertMilestoneOpen, assertNotTerminated, optionalText, requiredText } from './guards.ts';
import { milestoneLabel } from './audit-facts.ts';
import { settleMilestone } from './milestone-state.ts';

/** Waivers: the agency asks that a milestone no longer be owed; an auditor confirms or refuses. */

/** An officer asks to waive a milestone; it stays open (and can fall overdue) until an auditor confirms. */
export async function requestWaiver(ctx: UseCaseContext, caller: Caller, commitmentId: number, milestoneId: number, reason: string, evidence: CheckedFile[] = []): Promise<{ waiverId: number }> {
  const text = requiredText('reason', reason);
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const scope = await commitmentScope(trx, commitmentId);
    authorize(caller.user, COMMITMENTS.requestWaiver, scope, COMMITMENTS.read);
    assertNotTerminated(scope);
    const m = await lockMilestone(trx, commitmentId, milestoneId, at);
    if (!m) throw notFound();
    assertMilestoneOpen(m);
    if ((await milestoneRecords(trx, [m.id])).waivers.some((w) => w.decision === 'pending')) throw conflict('commitments:errors.waiverPending');
    const waiverId = await insertWaiver(trx, { milestoneId: m.id, reason: text, requestedBy: caller.actor.id, at });
    const audit: AuditEntryInput[] = [{ action: 'commitment.waiver_requested', entityType: 'commitment', entityId: commitmentId, after: { milestoneId, waiverId, milestone: milestoneLabel(m), reason: text } }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: WAIVER_EVIDENCE, id: waiverId }, evidence, { entityType: 'commitment', entityId: commitmentId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
    return { waiverId };
  });
}

/** An auditor confirms (the milestone is waived) or refuses (it stays owed) a pending waiver of the commitment. */
export async function decideWaiver(ctx: UseCaseContext, caller: Caller, commitmentId: number, waiverId: number, decision: 'confirmed' | 'refused', note?: string | null): Promise<void> {
  if (decision !== 'confirmed' && decision !== 'refused') throw fieldError('decision', 'validation.invalidOption');
  const decisionNote = optionalText('note', note);
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    const waiver = await waiverWithOwner(trx, waiverId);
    const scope = waiver?.commitment_id === commitmentId ? await commitmentScope(trx, commitmentId) : null;
    authorize(caller.user, COMMITMENTS.verify, scope, COMMITMENTS.read);
    if (waiver!.decision !== 'pending') throw conflict('commitments:errors.waiverDecided');
    const m = (await lockMilestone(trx, scope.id, waiver!.milestone_id, at))!;
    await decideWaiverRow(trx, waiverId, { decision, note: decisionNote, decidedBy: caller.actor.id, at });
    const state = await settleMilestone(trx, m, at);
    await recordAuditEntries(trx, caller.actor, [{
      action: decision === 'confirmed' ? 'commitment.waiver_confirmed' : 'commitment.waiver_refused',
      entityType: 'commitment',
      entityId: scope.id,
      before: { milestoneId: m.id, waiverId, status: m.status },
      after: { milestoneId: m.id, waiverId, milestone: milestoneLabel(m), reason: waiver!.reason, decision, decisionNote, status: state.status },
    }]);
  });
}
