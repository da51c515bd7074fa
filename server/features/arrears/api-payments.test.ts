import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { insertArrearsRows } from './repository.ts';

describe('arrears payments API /api/v1/arrears/:id/payments', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
  });
  after(() => ctx.close());

  const post = (username: string, path: string, body: unknown = {}) =>
    request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object);

  async function arrears(disputedFen = 0): Promise<number> {
    const officer = await demoUser(ctx.db, 'officer1');
    const [id] = await insertArrearsRows(ctx.db, [{
      agencyId: officer.agencyId!,
      enterpriseId: (await demoUser(ctx.db, 'enterprise1')).enterpriseId!,
      category: 'goods',
      principalFen: 1_000_000,
      disputedFen,
      acceptedOn: daysFromToday(-40),
      description: '档案柜采购款',
    }], officer.id, ctx.clock.now().toISOString());
    return id!;
  }

  function expectError(res: request.Response, status: number, code: string) {
    expect(res.status, res.text).to.equal(status);
    expect(res.type).to.equal('application/json');
    expect(res.body.error).to.include({ code });
  }

  const payment = (over: Record<string, unknown> = {}) => ({ amountFen: 400_000, paidOn: daysFromToday(-3), voucherNo: 'GK-API-1', ...over });

  it('records a payment: 201 with the payment and the new outstanding amount', async () => {
    const id = await arrears();
    const res = await post('officer1', `/arrears/${id}/payments`, payment({ note: '第一笔' }));
    expect(res.status, res.text).to.equal(201);
    expect(res.body.outstandingFen).to.equal(600_000);
    expect(res.body.payment).to.include({ arrearsId: id, amountFen: 400_000, paidOn: daysFromToday(-3), voucherNo: 'GK-API-1', note: '第一笔', reversed: false, counts: true, creditorResponse: null });
    expect(res.body.payment.id).to.be.a('number');
  });

  it('refuses an over-payment with 422 naming the most that may be paid', async () => {
    const id = await arrears(400_000);
    const res = await post('officer1', `/arrears/${id}/payments`, payment({ amountFen: 600_001 }));
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).to.deep.equal([{ path: 'amountFen', message: '超过无分歧未付金额 ¥6,000.00。', maxFen: 600_000 }]);
  });

  it('answers 422 for bad input, a future date included, and creates nothing', async () => {
    const id = await arrears();
    expectError(await post('officer1', `/arrears/${id}/payments`, payment({ amountFen: -1 })), 422, 'validation_failed');
    const future = await post('officer1', `/arrears/${id}/payments`, payment({ paidOn: daysFromToday(1) }));
    expectError(future, 422, 'validation_failed');
    expect(future.body.error.details[0]).to.include({ path: 'paidOn' });
    expectError(await post('officer1', `/arrears/${id}/payments`, payment({ voucherNo: '' })), 422, 'validation_failed');
    expect(await ctx.db('arrears_payments').where({ arrears_id: id })).to.have.length(0);
  });

  it('answers 404 for another agency’s arrears and for an unknown or non-numeric id, 403 for other roles', async () => {
    const id = await arrears();
    expectError(await post('officer2', `/arrears/${id}/payments`, payment()), 404, 'not_found');
    expectError(await post('officer1', '/arrears/999999/payments', payment()), 404, 'not_found');
    expectError(await post('officer1', '/arrears/abc/payments', payment()), 404, 'not_found');
    for (const username of ['auditor', 'enterprise1', 'admin']) expectError(await post(username, `/arrears/${id}/payments`, payment()), 403, 'forbidden');
  });

  it('reverses a payment once: 201, then 409', async () => {
    const id = await arrears();
    const paymentId = (await post('officer1', `/arrears/${id}/payments`, payment())).body.payment.id;
    const res = await post('officer1', `/arrears/${id}/payments/${paymentId}/reversal`, { reason: '金额录错' });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.outstandingFen).to.equal(1_000_000);
    expect(res.body.payment).to.include({ reversed: true, reversedOn: daysFromToday(0), reversalReason: '金额录错', counts: false });
    expectError(await post('officer1', `/arrears/${id}/payments/${paymentId}/reversal`, { reason: '再冲一次' }), 409, 'conflict');
    expectError(await post('officer1', `/arrears/${id}/payments/${paymentId}/reversal`, {}), 422, 'validation_failed');
  });

  it('lets the creditor confirm or dispute, and the auditors settle', async () => {
    const id = await arrears();
    const first = (await post('officer1', `/arrears/${id}/payments`, payment())).body.payment.id;
    const second = (await post('officer1', `/arrears/${id}/payments`, payment({ amountFen: 100_000, voucherNo: 'GK-API-2' }))).body.payment.id;
    expectError(await post('officer1', `/arrears/${id}/payments/${first}/confirm`), 403, 'forbidden');
    const confirmed = await post('enterprise1', `/arrears/${id}/payments/${first}/confirm`);
    expect(confirmed.status, confirmed.text).to.equal(200);
    expect(confirmed.body.payment).to.include({ creditorResponse: 'confirmed', counts: true });
    expectError(await post('enterprise1', `/arrears/${id}/payments/${first}/dispute`, { reason: '改口' }), 409, 'conflict');
    expectError(await post('enterprise1', `/arrears/${id}/payments/${second}/dispute`, {}), 422, 'validation_failed');
    const disputed = await post('enterprise1', `/arrears/${id}/payments/${second}/dispute`, { reason: '未到账' });
    expect(disputed.status).to.equal(200);
    expect(disputed.body).to.deep.include({ outstandingFen: 600_000 });
    expect(disputed.body.payment).to.include({ creditorResponse: 'disputed', disputeStatus: 'open', counts: false });
    expectError(await post('enterprise1', `/arrears/${id}/payments/${second}/settle`, { outcome: 'upheld', note: '已到账' }), 403, 'forbidden');
    expectError(await post('auditor', `/arrears/${id}/payments/${second}/settle`, { outcome: 'maybe', note: '？' }), 422, 'validation_failed');
    const settled = await post('auditor', `/arrears/${id}/payments/${second}/settle`, { outcome: 'rejected', note: '银行退票' });
    expect(settled.status, settled.text).to.equal(200);
    expect(settled.body.outstandingFen).to.equal(600_000);
    expect(settled.body.payment).to.include({ disputeStatus: 'rejected', counts: false });
    expectError(await post('auditor', `/arrears/${id}/payments/${second}/settle`, { outcome: 'upheld', note: '改判' }), 409, 'conflict');
    expectError(await post('auditor', `/arrears/${id}/payments/999999/settle`, { outcome: 'upheld', note: '有效' }), 404, 'not_found');
  });
});
