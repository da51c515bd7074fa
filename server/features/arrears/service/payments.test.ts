import { expect } from 'chai';
import { HttpError, ValidationError } from '../../../http/errors.ts';
import type { Caller } from '../../../context.ts';
import { callerFor, daysFromToday, demoUser } from '../../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../../test/helpers.ts';
import { insertArrearsRows } from '../repository.ts';
import type { ArrearsInput } from '../schema.ts';
import { recordPayment, respondToPayment, reversePayment, settlePaymentDispute } from './payments.ts';

/** The error a use case throws, or a failure when it succeeds. */
async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

function fieldErrorOf(err: HttpError) {
  expect(err).to.be.instanceOf(ValidationError);
  return (err as ValidationError).fieldErrors[0]!;
}

describe('arrears payments (service)', () => {
  let ctx: TestContext;
  let officer1: Caller;
  let officer2: Caller;
  let auditor: Caller;
  let enterprise1: Caller;

  /** An arrears of officer1's agency to enterprise1, delivered 60 days ago and due 30 days ago. */
  async function arrears(over: Partial<ArrearsInput> = {}): Promise<number> {
    const input: ArrearsInput = {
      agencyId: officer1.user.agencyId!,
      enterpriseId: enterprise1.user.enterpriseId!,
      category: 'goods',
      principalFen: 1_000_000,
      acceptedOn: daysFromToday(-60),
      description: '办公设备采购款',
      ...over,
    };
    const [id] = await insertArrearsRows(ctx.db, [input], officer1.actor.id, ctx.clock.now().toISOString());
    return id!;
  }

  const stored = async (id: number) => {
    const row = await ctx.db('arrears').where({ id }).first('paid_fen', 'outstanding_fen', 'status', 'cleared_on');
    return { paidFen: Number(row.paid_fen), outstandingFen: Number(row.outstanding_fen), status: row.status as string, clearedOn: row.cleared_on as string | null };
  };
  const pay = (id: number, amountFen: number, paidOn = daysFromToday(-1), caller = officer1) => recordPayment(ctx, caller, id, { amountFen, paidOn, voucherNo: `GK-${amountFen}` });

  before(async () => {
    ctx = await startTestApp();
    [officer1, officer2, auditor, enterprise1] = await Promise.all(['officer1', 'officer2', 'auditor', 'enterprise1'].map(async (u) => callerFor(await demoUser(ctx.db, u))));
  });
  after(() => ctx.close());

  describe('recordPayment', () => {
    it('records a payment, refreshes the stored position and audits it', async () => {
      const id = await arrears();
      const { payment, outstandingFen } = await pay(id, 400_000, daysFromToday(-3));
      expect(outstandingFen).to.equal(600_000);
      expect(payment).to.include({ amount_fen: 400_000, paid_on: daysFromToday(-3), voucher_no: 'GK-400000' });
      expect(await stored(id)).to.deep.include({ paidFen: 400_000, outstandingFen: 600_000, status: 'partly_cleared' });
      const entry = await ctx.db('audit_log').where({ entity_type: 'arrears', entity_id: String(id), action: 'arrears.payment_recorded' }).first();
      expect(JSON.parse(entry.after_json)).to.include({ amountFen: 400_000, outstandingFen: 600_000, status: 'partly_cleared' });
    });

    it('refuses more than the undisputed outstanding amount, naming the figure', async () => {
      const id = await arrears({ disputedFen: 400_000 });
      await pay(id, 100_000);
      const err = fieldErrorOf(await refusal(pay(id, 500_001)));
      expect(err).to.deep.include({ path: 'amountFen', key: 'arrears:payments.errors.overpayment' });
      expect(err.params).to.include({ max: '5,000.00', maxFen: 500_000 });
      expect((await pay(id, 500_000)).outstandingFen).to.equal(400_000);
      expect(await stored(id)).to.deep.include({ status: 'partly_cleared' });
    });

    it('clears the arrears with the payment that pays the rest', async () => {
      const id = await arrears();
      await pay(id, 1_000_000, daysFromToday(-2));
      expect(await stored(id)).to.deep.equal({ paidFen: 1_000_000, outstandingFen: 0, status: 'cleared', clearedOn: daysFromToday(-2) });
      expect(fieldErrorOf(await refusal(pay(id, 1))).params).to.include({ max: '0.00' });
    });

    it('takes a date in the past, never one in the future nor before acceptance', async () => {
      const id = await arrears();
      const future = fieldErrorOf(await refusal(pay(id, 1_000, daysFromToday(1))));
      expect(future).to.deep.include({ path: 'paidOn', key: 'arrears:payments.errors.futureDate' });
      expect(future.params).to.deep.equal({ today: daysFromToday(0) });
      const early = fieldErrorOf(await refusal(pay(id, 1_000, daysFromToday(-61))));
      expect(early).to.deep.include({ path: 'paidOn', key: 'arrears:payments.errors.beforeAccepted' });
      expect((await pay(id, 1_000, daysFromToday(-60))).outstandingFen).to.equal(999_000);
      expect((await pay(id, 1_000, daysFromToday(0))).outstandingFen).to.equal(998_000);
    });

    it('requires a voucher number', async () => {
      const id = await arrears();
      const err = fieldErrorOf(await refusal(recordPayment(ctx, officer1, id, { amountFen: 1_000, paidOn: daysFromToday(-1), voucherNo: '  ' })));
      expect(err).to.deep.include({ path: 'voucherNo', key: 'validation.required' });
    });

    it('answers 404 to another agency’s officer and 403 to readers who may not pay', async () => {
      const id = await arrears();
      expect((await refusal(pay(id, 1_000, daysFromToday(-1), officer2))).status).to.equal(404);
      expect((await refusal(pay(id, 1_000, daysFromToday(-1), auditor))).status).to.equal(403);
      expect((await refusal(pay(id, 1_000, daysFromToday(-1), enterprise1))).status).to.equal(403);
      expect((await stored(id)).paidFen).to.equal(0);
    });
  });

  describe('reversePayment', () => {
    it('restores the outstanding amount by a reversing entry dated today, leaving the payment as recorded, once', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 1_000_000);
      expect((await stored(id)).status).to.equal('cleared');
      const { outstandingFen } = await reversePayment(ctx, officer1, id, payment.id, { reason: '凭证号录错，重复登记' });
      expect(outstandingFen).to.equal(1_000_000);
      expect(await stored(id)).to.deep.equal({ paidFen: 0, outstandingFen: 1_000_000, status: 'outstanding', clearedOn: null });
      expect(await ctx.db('arrears_payments').where({ id: payment.id }).first('amount_fen', 'paid_on')).to.deep.equal({ amount_fen: 1_000_000, paid_on: payment.paid_on });
      expect(await ctx.db('arrears_reversals').where({ payment_id: payment.id }).first('reversed_on', 'reason')).to.deep.equal({ reversed_on: daysFromToday(0), reason: '凭证号录错，重复登记' });
      const again = await refusal(reversePayment(ctx, officer1, id, payment.id, { reason: '再次冲正' }));
      expect(again.status).to.equal(409);
      expect(again.key).to.equal('arrears:payments.errors.alreadyReversed');
      expect(await ctx.db('arrears_reversals').where({ payment_id: payment.id })).to.have.length(1);
    });

    it('needs a reason, and a payment of this arrears', async () => {
      const id = await arrears();
      const other = await arrears();
      const { payment } = await pay(id, 1_000);
      expect(fieldErrorOf(await refusal(reversePayment(ctx, officer1, id, payment.id, { reason: ' ' })))).to.deep.include({ path: 'reason' });
      expect((await refusal(reversePayment(ctx, officer1, other, payment.id, { reason: '错账' }))).status).to.equal(404);
      expect((await refusal(reversePayment(ctx, officer2, id, payment.id, { reason: '错账' }))).status).to.equal(404);
    });
  });

  describe('the creditor’s answer and the auditors’ settlement', () => {
    it('stops a disputed payment counting until the auditors uphold it', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 300_000);
      const disputed = await respondToPayment(ctx, enterprise1, id, payment.id, { response: 'disputed', comment: '账户未收到该笔款项' });
      expect(disputed.outstandingFen).to.equal(1_000_000);
      expect(disputed.payment).to.include({ creditor_response: 'disputed', dispute_status: 'open' });
      const upheld = await settlePaymentDispute(ctx, auditor, id, payment.id, { outcome: 'upheld', note: '国库支付凭证显示已到账' });
      expect(upheld.outstandingFen).to.equal(700_000);
      expect(await stored(id)).to.deep.include({ paidFen: 300_000, status: 'partly_cleared' });
      const twice = await refusal(settlePaymentDispute(ctx, auditor, id, payment.id, { outcome: 'rejected', note: '改判' }));
      expect(twice.status).to.equal(409);
    });

    it('never counts a payment the auditors reject, and lets the agency pay the amount again', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 1_000_000);
      await respondToPayment(ctx, enterprise1, id, payment.id, { response: 'disputed', comment: '未到账' });
      await settlePaymentDispute(ctx, auditor, id, payment.id, { outcome: 'rejected', note: '银行退票，款项未支付成功' });
      expect(await stored(id)).to.deep.include({ paidFen: 0, outstandingFen: 1_000_000, status: 'outstanding' });
      expect((await pay(id, 1_000_000)).outstandingFen).to.equal(0);
    });

    it('takes one answer per payment, a reason for a dispute, and files only with a dispute', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 1_000);
      expect(fieldErrorOf(await refusal(respondToPayment(ctx, enterprise1, id, payment.id, { response: 'disputed', comment: '' })))).to.deep.include({ path: 'comment', key: 'validation.required' });
      const file = { path: '/nonexistent', originalName: 'a.pdf', size: 1, mime: 'application/pdf', sha256: 'x'.repeat(64) };
      expect(fieldErrorOf(await refusal(respondToPayment(ctx, enterprise1, id, payment.id, { response: 'confirmed', files: [file] })))).to.deep.include({ path: 'evidence' });
      const confirmed = await respondToPayment(ctx, enterprise1, id, payment.id, { response: 'confirmed' });
      expect(confirmed.payment).to.include({ creditor_response: 'confirmed', dispute_status: null });
      expect(confirmed.outstandingFen).to.equal(999_000);
      const again = await refusal(respondToPayment(ctx, enterprise1, id, payment.id, { response: 'disputed', comment: '改口' }));
      expect(again.status).to.equal(409);
    });

    it('lets only the creditor answer and only auditors settle', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 1_000);
      expect((await refusal(respondToPayment(ctx, officer1, id, payment.id, { response: 'confirmed' }))).status).to.equal(403);
      expect((await refusal(respondToPayment(ctx, auditor, id, payment.id, { response: 'confirmed' }))).status).to.equal(403);
      expect((await refusal(respondToPayment(ctx, officer2, id, payment.id, { response: 'confirmed' }))).status).to.equal(404);
      await respondToPayment(ctx, enterprise1, id, payment.id, { response: 'disputed', comment: '未到账' });
      for (const caller of [officer1, enterprise1]) {
        expect((await refusal(settlePaymentDispute(ctx, caller, id, payment.id, { outcome: 'upheld', note: '有效' }))).status).to.equal(403);
      }
      expect((await refusal(settlePaymentDispute(ctx, officer2, id, payment.id, { outcome: 'upheld', note: '有效' }))).status).to.equal(404);
      expect((await ctx.db('arrears_payments').where({ id: payment.id }).first('dispute_status')).dispute_status).to.equal('open');
    });

    it('refuses to settle a payment nobody disputed', async () => {
      const id = await arrears();
      const { payment } = await pay(id, 1_000);
      const err = await refusal(settlePaymentDispute(ctx, auditor, id, payment.id, { outcome: 'upheld', note: '有效' }));
      expect(err.status).to.equal(409);
      expect(err.key).to.equal('arrears:payments.errors.noOpenDispute');
    });
  });
});
