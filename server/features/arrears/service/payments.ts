import type { Knex } from 'knex';
import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { formatYuan } from '../../../domain/money.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { conflict, fieldError, notFound } from '../../../http/errors.ts';
import { parseInput } from '../../../http/validate.ts';
import { PAYMENT_DISPUTE_EVIDENCE, PAYMENT_EVIDENCE } from '../evidence-owners.ts';
import { ARREARS } from '../policy.ts';
import { arrearsFacts, arrearsScope, paymentFacts, paymentsOf, refreshArrears, toFen, type ArrearsRow, type PaymentRow } from '../repository.ts';
import { insertPayment, insertReversal, lockArrears, paymentOf, saveCreditorResponse, saveDisputeOutcome } from '../repository-payments.ts';
import { arrearsPosition, overpayment, type ArrearsPosition, type CreditorResponse } from '../rules.ts';
import { paymentInputSchema, type PaymentInput } from '../schema.ts';
import { optionalText, pastDate, requiredText } from './action-checks.ts';

/**
 * Payments: the debtor agency records what it paid (never editing or deleting a payment: a reversing
 * entry corrects a mistake), the creditor confirms or disputes each one, the auditors settle a dispute.
 * Every change to what counts refreshes the arrears' stored position in the same transaction.
 */

/** Where the arrears stands today, from its row and every payment recorded so far. */
export async function currentPosition(trx: Knex, row: ArrearsRow, today: string): Promise<ArrearsPosition> {
  const payments = await paymentsOf(trx, [row.id]);
  return arrearsPosition(arrearsFacts(row), payments.map(paymentFacts), today);
}

/** The arrears as locked for a write by someone allowed `action` on it: 404 or 403 otherwise. */
async function arrearsFor(trx: Knex, caller: Caller, arrearsId: number, action: string, at: string): Promise<ArrearsRow> {
  authorize(caller.user, action, await arrearsScope(trx, arrearsId), ARREARS.read);
  return (await lockArrears(trx, arrearsId, at))!;
}

async function paymentOrNotFound(trx: Knex, arrearsId: number, paymentId: number): Promise<PaymentRow> {
  const payment = await paymentOf(trx, arrearsId, paymentId);
  if (!payment) throw notFound();
  return payment;
}

/** What an audit entry records of the payment an action is about. */
function paymentSummary(p: Pick<PaymentRow, 'amount_fen' | 'paid_on' | 'voucher_no'>) {
  return { amountFen: toFen(p.amount_fen), paidOn: p.paid_on, voucherNo: p.voucher_no };
}

async function refreshedPosition(trx: Knex, arrearsId: number, at: string): Promise<{ outstandingFen: number; status: string }> {
  await refreshArrears(trx, [arrearsId], at);
  const row = await trx('arrears').where({ id: arrearsId }).first('outstanding_fen', 'status');
  return { outstandingFen: toFen(row.outstanding_fen), status: row.status };
}

/**
 * An officer of the debtor agency records a payment with its voucher and evidence. It may not be
 * dated ahead of today or before delivery or acceptance, nor pass the undisputed outstanding amount:
 * the error names the most that may be paid.
 */
export async function recordPayment(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  input: PaymentInput,
  files: CheckedFile[] = [],
): Promise<{ payment: PaymentRow; outstandingFen: number }> {
  const payment = parseInput(paymentInputSchema, input);
  const note = optionalText('note', payment.note);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const row = await arrearsFor(trx, caller, arrearsId, ARREARS.pay, at);
    pastDate('paidOn', payment.paidOn, today, { date: row.accepted_on, key: 'arrears:payments.errors.beforeAccepted' });
    const before = await currentPosition(trx, row, today);
    const over = overpayment(before.undisputedOutstandingFen, payment.amountFen);
    if (over) throw fieldError('amountFen', 'arrears:payments.errors.overpayment', { max: formatYuan(over.maxFen), maxFen: over.maxFen });
    const paymentId = await insertPayment(trx, { arrearsId, amountFen: payment.amountFen, paidOn: payment.paidOn, voucherNo: payment.voucherNo, note, recordedBy: caller.actor.id, at });
    const after = await refreshedPosition(trx, arrearsId, at);
    const audit: AuditEntryInput[] = [{
      action: 'arrears.payment_recorded',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { outstandingFen: before.outstandingFen, status: before.status },
      after: { paymentId, amountFen: payment.amountFen, paidOn: payment.paidOn, voucherNo: payment.voucherNo, paymentNote: note, outstandingFen: after.outstandingFen, status: after.status },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: PAYMENT_EVIDENCE, id: paymentId }, files, { entityType: 'arrears', entityId: arrearsId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
    return { payment: (await paymentOf(trx, arrearsId, paymentId))!, outstandingFen: after.outstandingFen };
  });
}

/**
 * An officer of the debtor agency corrects a mistaken payment by a reversing entry with a reason,
 * dated today; the payment itself stays as it was recorded. Once per payment.
 */
export async function reversePayment(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  paymentId: number,
  input: { reason: string },
): Promise<{ payment: PaymentRow; outstandingFen: number }> {
  const reason = requiredText('reason', input.reason);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const row = await arrearsFor(trx, caller, arrearsId, ARREARS.reverse, at);
    const payment = await paymentOrNotFound(trx, arrearsId, paymentId);
    if (payment.reversal_id !== null) throw conflict('arrears:payments.errors.alreadyReversed', { date: payment.reversed_on });
    const before = await currentPosition(trx, row, today);
    await insertReversal(trx, { paymentId, reversedOn: today, reason, recordedBy: caller.actor.id, at });
    const after = await refreshedPosition(trx, arrearsId, at);
    await recordAuditEntries(trx, caller.actor, [{
      action: 'arrears.payment_reversed',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { outstandingFen: before.outstandingFen, status: before.status },
      after: { paymentId, ...paymentSummary(payment), reversedOn: today, reason, outstandingFen: after.outstandingFen, status: after.status },
    }]);
    return { payment: (await paymentOf(trx, arrearsId, paymentId))!, outstandingFen: after.outstandingFen };
  });
}

/**
 * The creditor confirms a payment, or disputes it with a reason (and files, for a dispute only): a
 * disputed payment stops counting until the auditors settle it. Each payment is answered once.
 */
export async function respondToPayment(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  paymentId: number,
  input: { response: CreditorResponse; comment?: string | null; files?: CheckedFile[] },
): Promise<{ payment: PaymentRow; outstandingFen: number }> {
  if (input.response !== 'confirmed' && input.response !== 'disputed') throw fieldError('response', 'validation.invalidOption');
  const disputed = input.response === 'disputed';
  const comment = disputed ? requiredText('comment', input.comment) : optionalText('comment', input.comment);
  const files = input.files ?? [];
  if (!disputed && files.length) throw fieldError('evidence', 'arrears:payments.errors.evidenceOnlyForDispute');
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const row = await arrearsFor(trx, caller, arrearsId, ARREARS.respond, at);
    const payment = await paymentOrNotFound(trx, arrearsId, paymentId);
    if (payment.creditor_response !== null) throw conflict('arrears:payments.errors.alreadyAnswered');
    if (payment.reversal_id !== null) throw conflict('arrears:payments.errors.reversed', { date: payment.reversed_on });
    const before = await currentPosition(trx, row, today);
    await saveCreditorResponse(trx, paymentId, { response: input.response, comment, respondedBy: caller.actor.id, at });
    const after = await refreshedPosition(trx, arrearsId, at);
    const audit: AuditEntryInput[] = [{
      action: disputed ? 'arrears.payment_disputed' : 'arrears.payment_confirmed',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { outstandingFen: before.outstandingFen, status: before.status },
      after: { paymentId, ...paymentSummary(payment), response: input.response, comment, outstandingFen: after.outstandingFen, status: after.status },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: PAYMENT_DISPUTE_EVIDENCE, id: paymentId }, files, { entityType: 'arrears', entityId: arrearsId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
    return { payment: (await paymentOf(trx, arrearsId, paymentId))!, outstandingFen: after.outstandingFen };
  });
}

/** An auditor settles an open dispute of a payment: upheld (the payment counts again) or rejected (it never counts). */
export async function settlePaymentDispute(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  paymentId: number,
  input: { outcome: 'upheld' | 'rejected'; note: string },
): Promise<{ payment: PaymentRow; outstandingFen: number }> {
  if (input.outcome !== 'upheld' && input.outcome !== 'rejected') throw fieldError('outcome', 'validation.invalidOption');
  const note = requiredText('note', input.note);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const row = await arrearsFor(trx, caller, arrearsId, ARREARS.settle, at);
    const payment = await paymentOrNotFound(trx, arrearsId, paymentId);
    if (payment.dispute_status !== 'open') throw conflict('arrears:payments.errors.noOpenDispute');
    if (payment.reversal_id !== null) throw conflict('arrears:payments.errors.reversed', { date: payment.reversed_on });
    const before = await currentPosition(trx, row, today);
    await saveDisputeOutcome(trx, paymentId, { outcome: input.outcome, note, decidedBy: caller.actor.id, at });
    const after = await refreshedPosition(trx, arrearsId, at);
    await recordAuditEntries(trx, caller.actor, [{
      action: 'arrears.payment_dispute_settled',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { outstandingFen: before.outstandingFen, status: before.status },
      after: { paymentId, ...paymentSummary(payment), comment: payment.creditor_comment, outcome: input.outcome, settlementNote: note, outstandingFen: after.outstandingFen, status: after.status },
    }]);
    return { payment: (await paymentOf(trx, arrearsId, paymentId))!, outstandingFen: after.outstandingFen };
  });
}
