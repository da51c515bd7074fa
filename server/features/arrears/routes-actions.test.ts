import { expect } from 'chai';
import type request from 'supertest';
import { PNG, pdfBytes } from '../../../test/files.ts';
import { callerFor, daysFromToday, demoUser } from '../../../test/factories.ts';
import { csrfFrom, idOf, postForm, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { PAYMENT_DISPUTE_EVIDENCE, PAYMENT_EVIDENCE } from './evidence-owners.ts';
import { insertArrearsRows } from './repository.ts';
import type { ArrearsInput } from './schema.ts';
import { recordPayment } from './service/payments.ts';

type Agent = request.Agent;

/** The payments slice's form pages and the auditors' queue, as the users reach them. */
describe('arrears payment pages', () => {
  let ctx: TestContext;
  let officer1: Agent;
  let officer2: Agent;
  let auditor: Agent;
  let enterprise1: Agent;

  async function arrears(over: Partial<ArrearsInput> = {}): Promise<number> {
    const officer = await demoUser(ctx.db, 'officer1');
    const input: ArrearsInput = {
      agencyId: officer.agencyId!,
      enterpriseId: (await demoUser(ctx.db, 'enterprise1')).enterpriseId!,
      category: 'services',
      contractRef: 'QDSP-FW-2026-009',
      principalFen: 1_000_000,
      acceptedOn: daysFromToday(-90),
      responsibleOfficial: '王建国',
      description: '政务大厅保洁服务费',
      ...over,
    };
    const [id] = await insertArrearsRows(ctx.db, [input], officer.id, ctx.clock.now().toISOString());
    return id!;
  }

  async function paymentBy(id: number, amountFen: number): Promise<number> {
    const { payment } = await recordPayment(ctx, callerFor(await demoUser(ctx.db, 'officer1')), id, { amountFen, paidOn: daysFromToday(-5), voucherNo: 'GK-2026-0451' });
    return payment.id;
  }

  async function multipart(agent: Agent, formPage: string, action: string, fields: Record<string, string>, files: Array<{ field: string; name: string; bytes: Buffer }> = []) {
    const token = await csrfFrom(agent, formPage);
    let req = agent.post(uploadUrl(action, token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const f of files) req = req.attach(f.field, f.bytes, { filename: f.name, contentType: 'application/octet-stream' });
    return req;
  }

  before(async () => {
    ctx = await startTestApp();
    [officer1, officer2, auditor, enterprise1] = await Promise.all(['officer1', 'officer2', 'auditor', 'enterprise1'].map((u) => signIn(ctx.app, u)));
  });
  after(() => ctx.close());

  describe('record a payment', () => {
    it('shows what the arrears owes, and only to officers of the debtor agency', async () => {
      const id = await arrears({ disputedFen: 400_000 });
      const page = await officer1.get(`/arrears/${id}/payments/new`);
      expect(page.status).to.equal(200);
      for (const text of ['青岛海滨精密机械有限公司', '10,000.00', '无分歧未付金额', '6,000.00', 'QDSP-FW-2026-009']) expect(page.text).to.include(text);
      expect((await officer2.get(`/arrears/${id}/payments/new`)).status).to.equal(404);
      expect((await enterprise1.get(`/arrears/${id}/payments/new`)).status).to.equal(403);
      expect((await auditor.get(`/arrears/${id}/payments/new`)).status).to.equal(403);
    });

    it('records a payment in yuan with its voucher file and goes back to the arrears', async () => {
      const id = await arrears();
      const res = await multipart(officer1, `/arrears/${id}/payments/new`, `/arrears/${id}/payments/new`, { amount: '2,500.50', paidOn: daysFromToday(-1), voucherNo: 'GK-2026-0001' }, [{ field: 'paymentEvidence', name: '支付凭证.pdf', bytes: await pdfBytes('voucher') }]);
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      expect(res.headers.location).to.equal(`/arrears/${id}`);
      const payment = await ctx.db('arrears_payments').where({ arrears_id: id }).first();
      expect(payment).to.include({ amount_fen: 250_050, voucher_no: 'GK-2026-0001' });
      await idOf(ctx.db, 'evidence_attachments', { owner_type: PAYMENT_EVIDENCE, owner_id: payment.id });
      expect((await ctx.db('arrears').where({ id }).first('outstanding_fen')).outstanding_fen).to.equal(749_950);
    });

    it('refuses an over-payment beside the amount, naming the undisputed outstanding amount', async () => {
      const id = await arrears({ disputedFen: 400_000 });
      const res = await multipart(officer1, `/arrears/${id}/payments/new`, `/arrears/${id}/payments/new`, { amount: '6000.01', paidOn: daysFromToday(0), voucherNo: 'GK-1' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('超过无分歧未付金额 ¥6,000.00');
      expect(res.text).to.match(/id="f-amount"[^>]*aria-invalid="true"/);
      expect(res.text).to.include('value="GK-1"');
      const future = await multipart(officer1, `/arrears/${id}/payments/new`, `/arrears/${id}/payments/new`, { amount: '1', paidOn: daysFromToday(1), voucherNo: 'GK-1' });
      expect(future.status).to.equal(422);
      expect(future.text).to.include(`日期不能晚于今天（${daysFromToday(0)}）`);
      expect(await ctx.db('arrears_payments').where({ arrears_id: id })).to.have.length(0);
    });
  });

  describe('reverse a payment', () => {
    it('reverses once, and shows a second attempt’s refusal at the form', async () => {
      const id = await arrears();
      const paymentId = await paymentBy(id, 300_000);
      const page = `/arrears/${id}/payments/${paymentId}/reverse`;
      const form = await officer1.get(page);
      expect(form.text).to.include('GK-2026-0451');
      const res = await postForm(officer1, page, page, { reason: '重复登记' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/arrears/${id}`);
      const token = await csrfFrom(officer1, `/arrears/${id}/payments/new`);
      const again = await officer1.post(page).type('form').send({ reason: '再次冲正', _csrf: token });
      expect(again.status).to.equal(422);
      expect(again.text).to.include(`该笔付款已于 ${daysFromToday(0)} 冲正`);
      expect((await ctx.db('arrears').where({ id }).first('outstanding_fen')).outstanding_fen).to.equal(1_000_000);
      expect((await officer2.get(page)).status).to.equal(404);
    });
  });

  describe('the creditor’s answer and the auditors’ queue', () => {
    it('takes the creditor’s dispute with files and shows the auditors both sides’ evidence', async () => {
      const id = await arrears();
      const token = await csrfFrom(officer1, `/arrears/${id}/payments/new`);
      const recorded = await officer1.post(uploadUrl(`/arrears/${id}/payments/new`, token))
        .field('amount', '5000').field('paidOn', daysFromToday(-2)).field('voucherNo', 'GK-2026-0777')
        .attach('paymentEvidence', PNG, { filename: '回单.png', contentType: 'image/png' });
      expect(recorded.status).to.equal(303);
      const paymentId = (await ctx.db('arrears_payments').where({ arrears_id: id }).first('id')).id as number;
      const page = `/arrears/${id}/payments/${paymentId}/respond`;
      expect((await officer1.get(page)).status).to.equal(403);
      const noReason = await multipart(enterprise1, page, page, { response: 'disputed', comment: '' });
      expect(noReason.status).to.equal(422);
      const res = await multipart(enterprise1, page, page, { response: 'disputed', comment: '账户未收到该笔款项' }, [{ field: 'disputeEvidence', name: '银行流水.pdf', bytes: await pdfBytes('statement') }]);
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      expect((await ctx.db('arrears').where({ id }).first('outstanding_fen')).outstanding_fen).to.equal(1_000_000);

      const queue = await auditor.get('/arrears/payment-disputes');
      expect(queue.status).to.equal(200);
      const row = queue.text.slice(queue.text.indexOf(`id="payment-${paymentId}"`));
      const agencyFile = await idOf(ctx.db, 'evidence_attachments', { owner_type: PAYMENT_EVIDENCE, owner_id: paymentId });
      const creditorFile = await idOf(ctx.db, 'evidence_attachments', { owner_type: PAYMENT_DISPUTE_EVIDENCE, owner_id: paymentId });
      expect(row.indexOf(`/evidence/${agencyFile}`)).to.be.greaterThan(0);
      expect(row.indexOf(`/evidence/${agencyFile}`)).to.be.lessThan(row.indexOf(`/evidence/${creditorFile}`));
      expect(row).to.include('账户未收到该笔款项');
      expect(row).to.include(`/arrears/${id}/payments/${paymentId}/settle?from=queue`);
      expect((await officer1.get('/arrears/payment-disputes')).status).to.equal(403);

      const settlePage = `/arrears/${id}/payments/${paymentId}/settle?from=queue`;
      const settleForm = await auditor.get(settlePage);
      expect(settleForm.text).to.include('name="returnTo" value="queue"');
      expect(settleForm.text).to.include('银行流水.pdf');
      const settled = await postForm(auditor, settlePage, `/arrears/${id}/payments/${paymentId}/settle`, { outcome: 'upheld', note: '国库支付凭证显示已到账', returnTo: 'queue' });
      expect(settled.status).to.equal(303);
      expect(settled.headers.location).to.equal('/arrears/payment-disputes');
      expect((await ctx.db('arrears').where({ id }).first('outstanding_fen')).outstanding_fen).to.equal(500_000);
      expect((await auditor.get('/arrears/payment-disputes')).text).to.not.include(`id="payment-${paymentId}"`);
    });

    it('lets the creditor confirm without files, once', async () => {
      const id = await arrears();
      const paymentId = await paymentBy(id, 100_000);
      const page = `/arrears/${id}/payments/${paymentId}/respond`;
      expect((await multipart(enterprise1, page, page, { response: 'confirmed' })).status).to.equal(303);
      const again = await enterprise1.get(page);
      expect(again.text).to.include('企业已确认');
      expect(again.text).to.not.include('name="response"');
    });
  });

  describe('repayment plan', () => {
    it('names the instalment row of each error and saves a plan from the filled rows, ignoring blank ones', async () => {
      const id = await arrears();
      const page = `/arrears/${id}/plan`;
      const form = await officer1.get(page);
      expect(form.text.match(/name="instalments\[\d+\]\[dueOn\]"/g)).to.have.length(12);
      const bad = await postForm(officer1, page, page, {
        'instalments[0][dueOn]': daysFromToday(10), 'instalments[0][amount]': '4000',
        'instalments[1][dueOn]': daysFromToday(5), 'instalments[1][amount]': '6000',
      });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('第 2 期的到期日</a>：到期日须晚于上一期');
      const short = await postForm(officer1, page, page, { 'instalments[0][dueOn]': daysFromToday(10), 'instalments[0][amount]': '4000', 'instalments[3][dueOn]': daysFromToday(40), 'instalments[3][amount]': '5000' });
      expect(short.status).to.equal(422);
      expect(short.text).to.include('各期合计比未付金额 ¥10,000.00 少 ¥1,000.00');
      const ok = await postForm(officer1, page, page, { 'instalments[0][dueOn]': daysFromToday(10), 'instalments[0][amount]': '4000', 'instalments[3][dueOn]': daysFromToday(40), 'instalments[3][amount]': '6,000.00', note: '分两期' });
      expect(ok.status).to.equal(303);
      const plan = await ctx.db('arrears_plans').where({ arrears_id: id }).first('id', 'total_fen');
      expect(plan.total_fen).to.equal(1_000_000);
      expect(await ctx.db('arrears_instalments').where({ plan_id: plan.id }).orderBy('seq').select('seq', 'amount_fen')).to.deep.equal([{ seq: 1, amount_fen: 400_000 }, { seq: 2, amount_fen: 600_000 }]);
      expect((await officer1.get(page)).text).to.include('现行计划');
    });
  });

  describe('handover and the disputed part', () => {
    it('records a handover from the current official', async () => {
      const id = await arrears();
      const page = `/arrears/${id}/handover`;
      expect((await officer1.get(page)).text).to.include('现任责任人：王建国');
      const res = await postForm(officer1, page, page, { toOfficial: '刘洋', handedOverOn: daysFromToday(-1), note: '调任' });
      expect(res.status).to.equal(303);
      expect((await ctx.db('arrears').where({ id }).first('responsible_official')).responsible_official).to.equal('刘洋');
      const same = await postForm(officer1, page, page, { toOfficial: '刘洋', handedOverOn: daysFromToday(0) });
      expect(same.status).to.equal(422);
      expect(same.text).to.include('“刘洋”已是现任责任人');
    });

    it('revises the disputed part in yuan, never above the outstanding amount', async () => {
      const id = await arrears();
      const page = `/arrears/${id}/disputed`;
      const over = await postForm(officer1, page, page, { disputed: '10000.01', reason: '分歧' });
      expect(over.status).to.equal(422);
      expect(over.text).to.include('不能超过未付金额 ¥10,000.00');
      const res = await postForm(officer1, page, page, { disputed: '1500', reason: '检测费用有异议' });
      expect(res.status).to.equal(303);
      expect((await ctx.db('arrears').where({ id }).first('disputed_fen')).disputed_fen).to.equal(150_000);
      expect((await officer2.get(page)).status).to.equal(404);
    });
  });
});
