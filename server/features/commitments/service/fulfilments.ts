import type { Knex } from 'knex';
import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { formatYuan } from '../../../domain/money.ts';
import { conflict, fieldError, notFound } from '../../../http/errors.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { DISPUTE_EVIDENCE, FULFILMENT_EVIDENCE } from '../evidence-owners.ts';
import { COMMITMENTS } from '../policy.ts';
import {
  commitmentScope,
  fenOrNull,
  fulfilmentFacts,
  fulfilmentWithOwner,
  insertFulfilment,
  lockMilestone,
  milestoneRecords,
  saveMilestoneState,
  updateFulfilment,
} from '../repository.ts';
import { milestoneHistory, milestoneState, overFulfilment, type EnterpriseResponse } from '../rules.ts';
import { fulfilmentSummary, milestoneLabel } from './audit-facts.ts';
import { settleMilestone } from './milestone-state.ts';
import { assertMilestoneOpen, assertNotTerminated, notBeforeSigning, optionalText, pastDate, requiredText } from './guards.ts';

/** Fulfilments: the agency records what it did, the enterprise answers, the auditors settle disputes. */

export interface FulfilmentInput {
  fulfilledOn: string;
  note: string;
  amountFen?: number | null;
  complete: boolean;
}

/**
 * An officer of the agency records what was done on a milestone, with its evidence. The amounts on a
 * milestone may never exceed its amount: the error says by how much and what remains.
 */
export async function recordFulfilment(
  ctx: UseCaseContext,
  caller: Caller,
  commitmentId: number,
  milestoneId: number,
  input: FulfilmentInput,
  evidence: CheckedFile[] = [],
): Promise<{ fulfilmentId: number }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const note = requiredText('note', input.note);
  const amountFen = input.amountFen ?? null;
  if (amountFen !== null && (!Number.isSafeInteger(amountFen) || amountFen < 0)) throw fieldError('amountFen', 'validation.invalid');
  return ctx.db.transaction(async (trx) => {
    const scope = await commitmentScope(trx, commitmentId);
    authorize(caller.user, COMMITMENTS.fulfil, scope, COMMITMENTS.read);
    assertNotTerminated(scope);
    pastDate('fulfilledOn', input.fulfilledOn, today, notBeforeSigning(scope));
    const m = await lockMilestone(trx, commitmentId, milestoneId, at);
    if (!m) throw notFound();
    assertMilestoneOpen(m);
    const records = await milestoneRecords(trx, [m.id]);
    const { fulfilledFen } = milestoneHistory(
      { breached: m.breached_on !== null },
      records.fulfilments.map((f) => ({ amountFen: fenOrNull(f.amount_fen), disputeStatus: f.dispute_status })),
      records.waivers.length,
    );
    const over = overFulfilment(fenOrNull(m.amount_fen), fulfilledFen, amountFen);
    if (over) throw fieldError('amountFen', 'commitments:errors.overFulfilled', { excess: formatYuan(over.excessFen), remaining: formatYuan(over.remainingFen) });
    const fulfilmentId = await insertFulfilment(trx, { milestoneId: m.id, fulfilledOn: input.fulfilledOn, note, amountFen, completes: input.complete, recordedBy: caller.actor.id, at });
    const state = milestoneState({
      breached: m.breached_on !== null,
      waiverDecisions: records.waivers.map((w) => w.decision),
      fulfilments: [...records.fulfilments.map(fulfilmentFacts), { fulfilledOn: input.fulfilledOn, completes: input.complete, enterpriseResponse: null, disputeStatus: null }],
    });
    if (state.status !== m.status || state.completedOn !== m.completed_on) await saveMilestoneState(trx, m, state, at);
    const audit: AuditEntryInput[] = [{
      action: 'commitment.fulfilment_recorded',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { milestoneId, status: m.status },
      after: { milestoneId, fulfilmentId, milestone: milestoneLabel(m), fulfilledOn: input.fulfilledOn, note, amountFen, completes: input.complete, status: state.status },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: FULFILMENT_EVIDENCE, id: fulfilmentId }, evidence, { entityType: 'commitment', entityId: commitmentId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
    return { fulfilmentId };
  });
}

/** A fulfilment of the commitment that the caller answers for as its counterparty: 404 or 403 otherwise. */
async function counterpartysFulfilment(trx: Knex, caller: Caller, commitmentId: number, fulfilmentId: number) {
  const scope = await commitmentScope(trx, commitmentId);
  authorize(caller.user, COMMITMENTS.respond, scope, COMMITMENTS.read);
  const f = await fulfilmentWithOwner(trx, fulfilmentId);
  if (!f || f.commitment_id !== commitmentId) throw notFound();
  return f;
}

/**
 * The counterparty enterprise confirms a fulfilment or disputes it (partly, not at all: a comment
 * is required, and files may back it); a disputed fulfilment stops counting and goes to the
 * auditors' queue, where they see both sides' evidence.
 */
export async function respondToFulfilment(
  ctx: UseCaseContext,
  caller: Caller,
  commitmentId: number,
  fulfilmentId: number,
  input: { response: EnterpriseResponse; comment?: string | null },
  evidence: CheckedFile[] = [],
): Promise<void> {
  if (!['confirmed', 'partly', 'not_at_all'].includes(input.response)) throw fieldError('response', 'validation.invalidOption');
  const disputed = input.response !== 'confirmed';
  const comment = disputed ? requiredText('comment', input.comment) : optionalText('comment', input.comment);
  if (!disputed && evidence.length) throw fieldError('evidence', 'commitments:errors.evidenceOnlyForDispute');
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    const f = await counterpartysFulfilment(trx, caller, commitmentId, fulfilmentId);
    if (f.enterprise_response) throw conflict('commitments:errors.alreadyResponded');
    const m = (await lockMilestone(trx, commitmentId, f.milestone_id, at))!;
    await updateFulfilment(trx, fulfilmentId, { enterprise_response: input.response, enterprise_comment: comment, responded_at: at, dispute_status: disputed ? 'open' : null });
    const state = await settleMilestone(trx, m, at);
    const audit: AuditEntryInput[] = [{
      action: disputed ? 'commitment.fulfilment_disputed' : 'commitment.fulfilment_confirmed',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { milestoneId: m.id, fulfilmentId, status: m.status },
      after: { milestoneId: m.id, fulfilmentId, milestone: milestoneLabel(m), ...fulfilmentSummary(f), response: input.response, comment, status: state.status },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: DISPUTE_EVIDENCE, id: fulfilmentId }, evidence, { entityType: 'commitment', entityId: commitmentId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
  });
}

/** The enterprise adds files to its dispute while the auditors have not settled it. */
export async function addDisputeEvidence(ctx: UseCaseContext, caller: Caller, commitmentId: number, fulfilmentId: number, evidence: CheckedFile[]): Promise<void> {
  if (!evidence.length) throw fieldError('evidence', 'commitments:errors.noFiles');
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    const f = await counterpartysFulfilment(trx, caller, commitmentId, fulfilmentId);
    if (f.dispute_status !== 'open') throw conflict('commitments:errors.noOpenDispute');
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: DISPUTE_EVIDENCE, id: fulfilmentId }, evidence, { entityType: 'commitment', entityId: commitmentId }, at);
    // Added on its own, the entry says which milestone's dispute the files are for.
    await recordAuditEntries(trx, caller.actor, [{ ...auditEntry!, after: { milestone: milestoneLabel(f), ...(auditEntry!.after as object) } }]);
  });
}

/** An auditor settles a disputed fulfilment of the commitment: upheld (it counts again) or rejected (it never counts). */
export async function settleDispute(ctx: UseCaseContext, caller: Caller, commitmentId: number, fulfilmentId: number, input: { decision: 'upheld' | 'rejected'; note: string }): Promise<void> {
  if (input.decision !== 'upheld' && input.decision !== 'rejected') throw fieldError('decision', 'validation.invalidOption');
  const note = requiredText('note', input.note);
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    const f = await fulfilmentWithOwner(trx, fulfilmentId);
    const scope = f?.commitment_id === commitmentId ? await commitmentScope(trx, commitmentId) : null;
    authorize(caller.user, COMMITMENTS.verify, scope, COMMITMENTS.read);
    if (f!.dispute_status !== 'open') throw conflict('commitments:errors.noOpenDispute');
    const m = (await lockMilestone(trx, scope.id, f!.milestone_id, at))!;
    await updateFulfilment(trx, fulfilmentId, { dispute_status: input.decision, dispute_decision_note: note, dispute_decided_by: caller.actor.id, dispute_decided_at: at });
    const state = await settleMilestone(trx, m, at);
    await recordAuditEntries(trx, caller.actor, [{
      action: 'commitment.dispute_settled',
      entityType: 'commitment',
      entityId: scope.id,
      before: { milestoneId: m.id, fulfilmentId, status: m.status },
      after: { milestoneId: m.id, fulfilmentId, milestone: milestoneLabel(m), ...fulfilmentSummary(f!), response: f!.enterprise_response, decision: input.decision, settlementNote: note, status: state.status },
    }]);
  });
}
