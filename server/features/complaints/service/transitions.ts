import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { conflict, fieldError, forbidden } from '../../../http/errors.ts';
import { STEP_EVIDENCE } from '../evidence-owners.ts';
import { caseFacts, complaintRow, deadlineDaysOf, insertStep, saveFacts, scopeOf, type ComplaintRow } from '../repository.ts';
import { insertCreditEntry, lockCase, markForwarded, superiorOf } from '../repository-handling.ts';
import { takesStep } from '../rules-handling.ts';
import { applyTransition, type ComplaintAction } from '../rules.ts';
import { assertReads, optionalText, refusalError, stepActorOf } from './handling-guards.ts';

export interface StepInput {
  action: ComplaintAction;
  note?: string | null;
}

/**
 * One handling step on a case: the agency accepts, rejects (reason), investigates, rectifies, resolves
 * (outcome) or records the follow-up visit; an auditor forwards the case to the agency's superior or
 * records a finding of default. Who the caller acts as comes from the policy (the handling agency's
 * officers, then auditors); 404 when the caller may not read the case, 403 when it may never take this
 * kind of step, 409 when the case's state does not allow it, 422 when the note it needs is missing.
 * The facts, the stored deadline, the step with its files, a forward or a credit record entry and
 * their audit entries are written in one transaction, or nothing is.
 */
export async function takeStep(ctx: UseCaseContext, caller: Caller, id: number, input: StepInput, files: CheckedFile[] = []): Promise<ComplaintRow> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const note = optionalText('note', input.note);
  return ctx.db.transaction(async (trx) => {
    const row = await lockCase(trx, id, at);
    const scope = row ? scopeOf(row) : null;
    assertReads(caller.user, scope);
    const actor = stepActorOf(caller.user, scope);
    if (actor === null || !takesStep(input.action, actor)) throw forbidden();
    const before = caseFacts(row!);
    const step = applyTransition(before, input.action, actor, note, today);
    if (!step.ok) throw refusalError(step.refusal);

    const after: Record<string, unknown> = { caseStatus: step.facts.status, stepNote: note };
    const extra: AuditEntryInput[] = [];
    if (input.action === 'forward') {
      const superior = await superiorOf(trx, scope.agencyId);
      if (!superior) throw fieldError('action', 'complaints:handling.errors.noSuperior');
      if (scope.forwardedToAgencyId === superior.id) throw conflict('complaints:handling.errors.alreadyForwarded', { agency: superior.name });
      await markForwarded(trx, id, superior.id);
      after.forwardedTo = superior.name;
    }
    await saveFacts(trx, id, step.facts, deadlineDaysOf(row!), at);
    const stepId = await insertStep(trx, { complaintId: id, action: input.action, fromStatus: before.status, toStatus: step.facts.status, note, stepOn: today, actorId: caller.actor.id, at });
    if (input.action === 'find_default') {
      const amountFen = row!.amount_claimed_fen === null ? null : Number(row!.amount_claimed_fen);
      const entryId = await insertCreditEntry(trx, {
        agencyId: scope.agencyId,
        complaintId: id,
        commitmentId: row!.commitment_id,
        arrearsId: row!.arrears_id,
        amountFen,
        foundOn: today,
        finding: note!,
        foundBy: caller.actor.id,
        at,
      });
      extra.push({ action: 'credit_record.created', entityType: 'credit_record_entry', entityId: entryId, after: { complaintId: id, foundOn: today, finding: note, creditAmountFen: amountFen } });
    }
    const { attachments } = await attachFiles(trx, caller.actor, { type: STEP_EVIDENCE, id: stepId }, files, { entityType: 'complaint', entityId: id }, at);
    if (attachments.length) after.files = attachments.map((a, i) => ({ name: a.originalName, sha256: files[i]!.sha256, size: a.size }));
    await recordAuditEntries(trx, caller.actor, [{ action: `complaint.${input.action}`, entityType: 'complaint', entityId: id, before: { caseStatus: before.status }, after }, ...extra]);
    return (await complaintRow(trx, id))!;
  });
}
