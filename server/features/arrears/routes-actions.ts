import type { Request, Response } from 'express';
import { authorize, guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, ENTERPRISES, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { formatYuan, fenToYuanInput } from '../../domain/money.ts';
import { attachmentsOf, checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { notFound, type FieldError } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { PAYMENT_DISPUTE_EVIDENCE, PAYMENT_EVIDENCE } from './evidence-owners.ts';
import {
  PLAN_ROWS,
  disputedPartFormSchema,
  handoverFormSchema,
  paymentFormSchema,
  planFormErrors,
  planFromForm,
  planRows,
  responseFormSchema,
  reversalFormSchema,
  settlementFormSchema,
  type PlanForm,
} from './form-payments.ts';
import { ARREARS } from './policy.ts';
import { arrearsSummary, currentPlans, openPaymentDisputes, paymentOf } from './repository-payments.ts';
import { toFen } from './repository.ts';
import { reviseDisputedPart } from './service/disputed-part.ts';
import { recordHandover } from './service/handovers.ts';
import { recordPayment, respondToPayment, reversePayment, settlePaymentDispute } from './service/payments.ts';
import { saveRepaymentPlan } from './service/plans.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const VIEWS = {
  payment: 'arrears/views/payment-form',
  reverse: 'arrears/views/reverse-form',
  respond: 'arrears/views/respond-form',
  settle: 'arrears/views/settle-form',
  plan: 'arrears/views/plan-form',
  handover: 'arrears/views/handover-form',
  disputed: 'arrears/views/disputed-form',
  queue: 'arrears/views/payment-disputes',
} as const;

/** The auditors' queue, where a settlement started there goes back to. */
const QUEUE_URL = '/arrears/payment-disputes';

/**
 * The payments slice's pages: one form page per action on an arrears (record, reverse, answer and
 * settle a payment; plan; hand over; revise the disputed part), each showing what the arrears owes,
 * and the auditors' queue of disputed payments. Each form is one actionForm: the use case checks
 * access and the record's state inside its own transaction; the page's locals check access first, so
 * that a form nobody may use is never shown (404, or 403 for those who only read).
 */
export function arrearsPaymentRoutes(ctx: AppContext) {
  const { db } = ctx;
  const r = guardedRouter();
  const back = (req: Request) => `/arrears/${idParam(req)}`;
  const evidence = (field: string) => ({ field, check: checkUploads });

  /** The arrears the page acts on, for a user allowed `action` on it. */
  const summaryFor = async (req: Request, action: string) => {
    const summary = await arrearsSummary(db, idParam(req));
    authorize(req.user!, action, summary, ARREARS.read);
    return summary;
  };

  /** The payment the page is about, with both sides' evidence. */
  const paymentFor = async (req: Request) => {
    const paymentId = idParam(req, 'paymentId');
    const row = await paymentOf(db, idParam(req), paymentId);
    if (!row) throw notFound();
    const files = await attachmentsOf(db, [{ type: PAYMENT_EVIDENCE, id: paymentId }, { type: PAYMENT_DISPUTE_EVIDENCE, id: paymentId }]);
    return {
      id: Number(row.id),
      amountFen: toFen(row.amount_fen),
      paidOn: row.paid_on,
      voucherNo: row.voucher_no,
      note: row.note,
      creditorResponse: row.creditor_response,
      creditorComment: row.creditor_comment,
      respondedAt: row.responded_at,
      disputeStatus: row.dispute_status,
      disputeDecisionNote: row.dispute_decision_note,
      reversedOn: row.reversed_on,
      reversalReason: row.reversal_reason,
      agencyEvidence: files.of({ type: PAYMENT_EVIDENCE, id: paymentId }),
      creditorEvidence: files.of({ type: PAYMENT_DISPUTE_EVIDENCE, id: paymentId }),
    };
  };

  const pageLocals = (action: string, titleKey: string, withPayment = false) => async (req: Request, res: Response) => {
    const a = await summaryFor(req, action);
    return { title: (res.locals.t as T)(titleKey), a, payment: withPayment ? await paymentFor(req) : null, backUrl: back(req) };
  };
  const show = (view: string, locals: (req: Request, res: Response) => Promise<Record<string, unknown>>, values?: (req: Request, locals: Record<string, unknown>) => Record<string, unknown>) =>
    async (req: Request, res: Response) => {
      const l = await locals(req, res);
      renderPage(res, view, { ...l, values: values ? values(req, l) : {} });
    };

  // Record a payment

  const paymentLocals = pageLocals(ARREARS.pay, 'arrears:payments.new.title');
  r.get('/arrears/:id/payments/new', OFFICERS, show(VIEWS.payment, paymentLocals, () => ({ paidOn: ctx.clock.today() })));
  r.post('/arrears/:id/payments/new', OFFICERS, ...actionForm({
    view: VIEWS.payment,
    locals: paymentLocals,
    read: paymentFormSchema,
    files: evidence('paymentEvidence'),
    fields: { amountFen: 'amount' },
    conflictField: '',
    run: (req, f, files) => recordPayment(ctx, callerOf(req), idParam(req), { amountFen: f.amount, paidOn: f.paidOn, voucherNo: f.voucherNo, note: f.note ?? null }, files),
    done: (req, _f, result) => ({ to: back(req), flash: 'arrears:payments.flash.recorded', params: { outstanding: formatYuan(result.outstandingFen) } }),
  }));

  // Reverse a payment

  const reverseLocals = pageLocals(ARREARS.reverse, 'arrears:payments.reverse.title', true);
  r.get('/arrears/:id/payments/:paymentId/reverse', OFFICERS, show(VIEWS.reverse, reverseLocals));
  r.post('/arrears/:id/payments/:paymentId/reverse', OFFICERS, ...actionForm({
    view: VIEWS.reverse,
    locals: reverseLocals,
    read: reversalFormSchema,
    conflictField: 'reason',
    run: (req, f) => reversePayment(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { reason: f.reason }),
    done: (req, _f, result) => ({ to: back(req), flash: 'arrears:payments.flash.reversed', params: { outstanding: formatYuan(result.outstandingFen) } }),
  }));

  // The creditor's answer

  const respondLocals = pageLocals(ARREARS.respond, 'arrears:payments.respond.title', true);
  r.get('/arrears/:id/payments/:paymentId/respond', ENTERPRISES, show(VIEWS.respond, respondLocals));
  r.post('/arrears/:id/payments/:paymentId/respond', ENTERPRISES, ...actionForm({
    view: VIEWS.respond,
    locals: respondLocals,
    read: responseFormSchema,
    files: evidence('disputeEvidence'),
    fields: { evidence: 'disputeEvidence' },
    conflictField: 'response',
    run: (req, f, files) => respondToPayment(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { response: f.response, comment: f.comment ?? null, files }),
    done: (req, f) => ({ to: back(req), flash: f.response === 'confirmed' ? 'arrears:payments.flash.confirmed' : 'arrears:payments.flash.disputed' }),
  }));

  // The auditors' settlement, from the payment's page or from their queue

  const settleLocals = async (req: Request, res: Response) => ({
    ...(await pageLocals(ARREARS.settle, 'arrears:payments.settle.title', true)(req, res)),
    fromQueue: req.query.from === 'queue' || (req.body as Record<string, unknown> | undefined)?.returnTo === 'queue',
  });
  r.get('/arrears/:id/payments/:paymentId/settle', AUDITORS, show(VIEWS.settle, settleLocals));
  r.post('/arrears/:id/payments/:paymentId/settle', AUDITORS, ...actionForm({
    view: VIEWS.settle,
    locals: settleLocals,
    read: settlementFormSchema,
    conflictField: 'outcome',
    run: (req, f) => settlePaymentDispute(ctx, callerOf(req), idParam(req), idParam(req, 'paymentId'), { outcome: f.outcome, note: f.note }),
    done: (req, f) => ({
      to: (req.body as Record<string, unknown>).returnTo === 'queue' ? QUEUE_URL : back(req),
      flash: f.outcome === 'upheld' ? 'arrears:payments.flash.upheld' : 'arrears:payments.flash.rejected',
    }),
  }));

  // Repayment plan

  const planLocals = async (req: Request, res: Response) => {
    const a = await summaryFor(req, ARREARS.plan);
    const posted = req.method === 'POST' ? planRows(req.body as Record<string, unknown>) : [];
    return {
      title: (res.locals.t as T)('arrears:plans.title'),
      a,
      backUrl: back(req),
      current: (await currentPlans(db, [a.id])).get(a.id) ?? null,
      rowCount: Math.max(PLAN_ROWS, (posted.at(-1) ?? -1) + 1),
    };
  };
  r.get('/arrears/:id/plan', OFFICERS, show(VIEWS.plan, planLocals));
  r.post('/arrears/:id/plan', OFFICERS, ...actionForm({
    view: VIEWS.plan,
    locals: planLocals,
    read: (body) => planFromForm(body),
    fields: (errors: FieldError[], form: PlanForm) => planFormErrors(errors, form.rows),
    conflictField: 'instalments',
    run: (req, form: PlanForm) => saveRepaymentPlan(ctx, callerOf(req), idParam(req), form.input),
    done: (req) => ({ to: back(req), flash: 'arrears:plans.flash' }),
  }));

  // Handover of the responsible official

  const handoverLocals = pageLocals(ARREARS.handOver, 'arrears:handovers.title');
  r.get('/arrears/:id/handover', OFFICERS, show(VIEWS.handover, handoverLocals, () => ({ handedOverOn: ctx.clock.today() })));
  r.post('/arrears/:id/handover', OFFICERS, ...actionForm({
    view: VIEWS.handover,
    locals: handoverLocals,
    read: handoverFormSchema,
    conflictField: 'toOfficial',
    run: (req, f) => recordHandover(ctx, callerOf(req), idParam(req), { toOfficial: f.toOfficial, handedOverOn: f.handedOverOn, note: f.note ?? null }),
    done: (req) => ({ to: back(req), flash: 'arrears:handovers.flash' }),
  }));

  // The disputed part

  const disputedLocals = pageLocals(ARREARS.reviseDispute, 'arrears:payments.disputedPart.title');
  r.get('/arrears/:id/disputed', OFFICERS, show(VIEWS.disputed, disputedLocals, (_req, l) => ({ disputed: fenToYuanInput((l.a as { disputedFen: number }).disputedFen) })));
  r.post('/arrears/:id/disputed', OFFICERS, ...actionForm({
    view: VIEWS.disputed,
    locals: disputedLocals,
    read: disputedPartFormSchema,
    fields: { disputedFen: 'disputed' },
    conflictField: 'disputed',
    run: (req, f) => reviseDisputedPart(ctx, callerOf(req), idParam(req), { disputedFen: f.disputed, reason: f.reason }),
    done: (req) => ({ to: back(req), flash: 'arrears:payments.flash.disputedRevised' }),
  }));

  // The auditors' queue of disputed payments, with both sides' evidence

  r.get(QUEUE_URL, AUDITORS, async (_req, res) => {
    const disputes = await openPaymentDisputes(db);
    const files = await attachmentsOf(db, disputes.flatMap((d) => [{ type: PAYMENT_EVIDENCE, id: d.paymentId }, { type: PAYMENT_DISPUTE_EVIDENCE, id: d.paymentId }]));
    renderPage(res, VIEWS.queue, {
      title: (res.locals.t as T)('arrears:payments.queue.title'),
      disputes: disputes.map((d) => ({
        ...d,
        agencyEvidence: files.of({ type: PAYMENT_EVIDENCE, id: d.paymentId }),
        creditorEvidence: files.of({ type: PAYMENT_DISPUTE_EVIDENCE, id: d.paymentId }),
      })),
    });
  });

  return r.router;
}
