import type { Request } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, ENTERPRISES, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { idParam } from '../../http/params.ts';
import { parseInput } from '../../http/validate.ts';
import { paymentCounts } from './rules.ts';
import { paymentFacts, type PaymentRow } from './repository.ts';
import { paymentInputSchema, reasonSchema } from './schema.ts';
import { recordPayment, respondToPayment, reversePayment, settlePaymentDispute } from './service/payments.ts';

/**
 * The payments API under /api/v1/arrears/:id/payments:
 * - record a payment, reverse one: officers of the debtor agency;
 * - confirm or dispute a payment: the creditor enterprise;
 * - settle a dispute: auditors.
 * Record scope is checked by the use case: someone else's arrears answers 404.
 */

/** A payment as the API gives it: camelCase, dates YYYY-MM-DD, money in fen, whether it counts as paid now. */
export function paymentJson(p: PaymentRow) {
  return {
    id: Number(p.id),
    arrearsId: Number(p.arrears_id),
    amountFen: Number(p.amount_fen),
    paidOn: p.paid_on,
    voucherNo: p.voucher_no,
    note: p.note,
    creditorResponse: p.creditor_response,
    creditorComment: p.creditor_comment,
    disputeStatus: p.dispute_status,
    disputeDecisionNote: p.dispute_decision_note,
    reversed: p.reversal_id !== null,
    reversedOn: p.reversed_on,
    reversalReason: p.reversal_reason,
    counts: paymentCounts(paymentFacts(p)),
  };
}

const settlementBody = z.object({
  outcome: z.enum(['upheld', 'rejected'], 'validation.invalidOption'),
  note: reasonSchema.shape.reason,
});

export function arrearsPaymentsApiRoutes(ctx: AppContext) {
  const r = guardedRouter();
  const answer = (result: { payment: PaymentRow; outstandingFen: number }) => ({ payment: paymentJson(result.payment), outstandingFen: result.outstandingFen });

  r.post('/arrears/:id/payments', OFFICERS, async (req, res) => {
    const input = parseInput(paymentInputSchema, req.body);
    try {
      res.status(201).json(answer(await recordPayment(ctx, callerOf(req), idParam(req), input)));
    } catch (err) {
      throw withMaxFen(req, err);
    }
  });

  r.post('/arrears/:id/payments/:paymentId/reversal', OFFICERS, async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    res.status(201).json(answer(await reversePayment(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { reason })));
  });

  r.post('/arrears/:id/payments/:paymentId/confirm', ENTERPRISES, async (req, res) => {
    res.json(answer(await respondToPayment(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { response: 'confirmed' })));
  });

  r.post('/arrears/:id/payments/:paymentId/dispute', ENTERPRISES, async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    res.json(answer(await respondToPayment(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { response: 'disputed', comment: reason })));
  });

  r.post('/arrears/:id/payments/:paymentId/settle', AUDITORS, async (req, res) => {
    const input = parseInput(settlementBody, req.body);
    res.json(answer(await settlePaymentDispute(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), input)));
  });

  return r.router;
}

/** An over-payment's 422 names the most that may be paid in words and, for programs, as `maxFen` beside the field. */
function withMaxFen(req: Request, err: unknown): unknown {
  if (!(err instanceof ValidationError)) return err;
  const over = err.fieldErrors.find((e) => e.key === 'arrears:payments.errors.overpayment');
  if (!over) return err;
  const details = err.fieldErrors.map((e) => ({ path: e.path, message: req.t(e.key, e.params ?? {}), ...(e === over ? { maxFen: over.params?.maxFen } : {}) }));
  return new HttpError(422, 'validation_failed', 'errors.validation', {}, details);
}
