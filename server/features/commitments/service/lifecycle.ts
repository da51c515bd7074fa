import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict, fieldError, notFound } from '../../../http/errors.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { BREACH_EVIDENCE } from '../evidence-owners.ts';
import { COMMITMENTS } from '../policy.ts';
import { commitmentScope, insertHandover, latestHandoverDate, lockMilestone, markBreached, markTerminated, openMilestonesOf, type MilestoneRow } from '../repository.ts';
import { milestoneLabel } from './audit-facts.ts';
import { assertMilestoneOpen, assertNotTerminated, notBeforeSigning, optionalText, pastDate, requiredText } from './guards.ts';

/** Breaches, termination and handovers: what happens to a commitment as a whole. */

/**
 * An officer of the agency or an auditor records a breach with findings, on one open milestone or,
 * without milestoneId, on every open milestone of the commitment. Its evidence belongs to each
 * milestone found in breach; the bytes are stored once.
 */
export async function recordBreach(
  ctx: UseCaseContext,
  caller: Caller,
  commitmentId: number,
  input: { findings: string; milestoneId?: number | null; breachedOn?: string | null },
  evidence: CheckedFile[] = [],
): Promise<{ milestoneIds: number[] }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const findings = requiredText('findings', input.findings);
  return ctx.db.transaction(async (trx) => {
    const scope = await commitmentScope(trx, commitmentId);
    authorize(caller.user, COMMITMENTS.recordBreach, scope, COMMITMENTS.read);
    assertNotTerminated(scope);
    const breachedOn = pastDate('breachedOn', input.breachedOn || today, today, notBeforeSigning(scope));
    let targets: MilestoneRow[];
    if (input.milestoneId) {
      const m = await lockMilestone(trx, commitmentId, input.milestoneId, at);
      if (!m) throw notFound();
      assertMilestoneOpen(m);
      targets = [m];
    } else {
      targets = await openMilestonesOf(trx, commitmentId);
      if (!targets.length) throw conflict('commitments:errors.noOpenMilestones');
    }
    const milestoneIds = targets.map((m) => m.id);
    // An open milestone has no confirmed waiver, so a breach settles it as breached.
    await markBreached(trx, milestoneIds, { findings, breachedOn, breachedBy: caller.actor.id, at });
    // One entry per milestone found in breach, each followed by its evidence: the timeline reads milestone by milestone.
    const audit: AuditEntryInput[] = [];
    for (const m of targets) {
      audit.push({
        action: 'commitment.breach_recorded',
        entityType: 'commitment',
        entityId: commitmentId,
        before: { milestoneId: m.id, status: m.status },
        after: { milestoneId: m.id, milestone: milestoneLabel(m), findings, breachedOn, status: 'breached' },
      });
      const { auditEntry } = await attachFiles(trx, caller.actor, { type: BREACH_EVIDENCE, id: m.id }, evidence, { entityType: 'commitment', entityId: commitmentId }, at);
      if (auditEntry) audit.push(auditEntry);
    }
    await recordAuditEntries(trx, caller.actor, audit);
    return { milestoneIds };
  });
}

/** An officer of the agency ends a commitment with a reason; it stays visible as terminated. */
export async function terminateCommitment(ctx: UseCaseContext, caller: Caller, commitmentId: number, input: { reason: string; terminatedOn?: string | null }): Promise<void> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const reason = requiredText('reason', input.reason);
  await ctx.db.transaction(async (trx) => {
    const scope = await commitmentScope(trx, commitmentId);
    authorize(caller.user, COMMITMENTS.terminate, scope, COMMITMENTS.read);
    assertNotTerminated(scope);
    const terminatedOn = pastDate('terminatedOn', input.terminatedOn || today, today, notBeforeSigning(scope));
    await markTerminated(trx, commitmentId, { terminatedOn, reason, at });
    await recordAuditEntries(trx, caller.actor, [{ action: 'commitment.terminated', entityType: 'commitment', entityId: commitmentId, after: { terminatedOn, reason } }]);
  });
}

/**
 * A new official takes over responsibility; the commitment stays with the agency and nothing owed
 * changes. Milestones that fall overdue from then on are marked overdueAfterHandover.
 */
export async function recordHandover(
  ctx: UseCaseContext,
  caller: Caller,
  commitmentId: number,
  input: { toOfficial: string; handedOverOn: string; note?: string | null },
): Promise<{ handoverId: number }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const toOfficial = requiredText('toOfficial', input.toOfficial, 100);
  const note = optionalText('note', input.note);
  return ctx.db.transaction(async (trx) => {
    const scope = await commitmentScope(trx, commitmentId);
    authorize(caller.user, COMMITMENTS.handOver, scope, COMMITMENTS.read);
    assertNotTerminated(scope);
    if (toOfficial === scope.responsibleOfficial) throw fieldError('toOfficial', 'commitments:errors.sameOfficial', { name: toOfficial });
    const latest = await latestHandoverDate(trx, commitmentId);
    pastDate('handedOverOn', input.handedOverOn, today, latest ? { date: latest, key: 'commitments:errors.beforeLastHandover' } : notBeforeSigning(scope));
    const handoverId = await insertHandover(trx, { commitmentId, fromOfficial: scope.responsibleOfficial, toOfficial, handedOverOn: input.handedOverOn, note, recordedBy: caller.actor.id, at });
    await recordAuditEntries(trx, caller.actor, [{
      action: 'commitment.handed_over',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { responsibleOfficial: scope.responsibleOfficial },
      after: { responsibleOfficial: toOfficial, handedOverOn: input.handedOverOn, handoverNote: note, handoverId },
    }]);
    return { handoverId };
  });
}
