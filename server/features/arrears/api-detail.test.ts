import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { addDays } from '../../domain/dates.ts';
import { issueToken } from '../admin/service.ts';
import { arrearsWith, handoverOf, paymentOf, planOf } from '../../../test/arrears-detail-fixtures.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';
import { idOf, startTestApp, type TestContext } from '../../../test/helpers.ts';

describe('arrears API GET /api/v1/arrears/:id', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let example: number;
  let disputedPaymentId: number;
  let largeCreditorArrears: number;
  const D = daysFromToday(-30);

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    const agencyId = (await demoUser(ctx.db, 'officer1')).agencyId!;
    const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    example = await arrearsWith(ctx.db, { agencyId, enterpriseId, category: 'works', contractRef: 'QD-GC-2026-008', contractSignedOn: '2025-06-01', principalFen: 1_000_000, acceptedOn: addDays(D, -90), dueOn: D });
    await paymentOf(ctx.db, example, { amountFen: 400_000, paidOn: addDays(D, 10), voucherNo: '付-0001', response: 'confirmed' });
    disputedPaymentId = await paymentOf(ctx.db, example, { amountFen: 100_000, paidOn: addDays(D, 15), voucherNo: '付-0002', response: 'disputed', disputeStatus: 'open' });
    await paymentOf(ctx.db, example, { amountFen: 50_000, paidOn: addDays(D, 12), voucherNo: '付-0003', reversal: { on: addDays(D, 13), reason: '金额录错' } });
    await planOf(ctx.db, example, { paidFenAtStart: 400_000, instalments: [{ dueOn: addDays(D, 20), amountFen: 300_000 }, { dueOn: addDays(D, 60), amountFen: 300_000 }] });
    await handoverOf(ctx.db, example, addDays(D, -5));
    const large = await idOf(ctx.db, 'enterprises', { name: '青岛中德智能制造有限公司' });
    largeCreditorArrears = await arrearsWith(ctx.db, { agencyId, enterpriseId: large, category: 'goods', principalFen: 500_000, acceptedOn: daysFromToday(-100), dueOn: daysFromToday(-10), agreedAnnualRate: '2.5', contractSignedOn: '2025-06-01' });
  });
  after(() => ctx.close());

  const get = (username: string, path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`);

  it('answers the facts, payments with whether each counts, the plan, and the position and interest as of today', async () => {
    const res = await get('officer1', `/arrears/${example}`);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({
      id: example,
      enterpriseName: '青岛海滨精密机械有限公司',
      creditorScale: 'small',
      category: 'works',
      contractRef: 'QD-GC-2026-008',
      principalFen: 1_000_000,
      agreedDueOn: D,
      dueOn: D,
      dueOnBasis: 'agreed',
      termDays: 90,
      disputedFen: 0,
      agreedAnnualRate: null,
      asOf: daysFromToday(0),
      paidFen: 400_000,
      outstandingFen: 600_000,
      undisputedOutstandingFen: 600_000,
      status: 'partly_cleared',
      daysPastDue: 30,
      ageingBucket: '0-30',
      // The issue's example: 400,000 paid 10 days late, 600,000 unpaid for 30 days at 0.05% a day.
      lateInterestFen: 11_000,
      nonCompliantTerm: true,
      overdueAfterHandover: true,
    });
    expect(res.body.lateInterestRate).to.deep.equal({ kind: 'statutory_daily', perDay: '0.0005' });
    expect(res.body.lateInterestSegments).to.deep.equal([
      { amountFen: 400_000, from: addDays(D, 1), to: addDays(D, 10), days: 10, kind: 'paid' },
      { amountFen: 600_000, from: addDays(D, 1), to: daysFromToday(0), days: 30, kind: 'unpaid' },
    ]);
    expect(res.body.lprCheck).to.deep.equal({ result: 'no_agreed_rate' });
    expect(res.body.payments.map((p: { voucherNo: string; counts: boolean; reversed: boolean }) => [p.voucherNo, p.counts, p.reversed])).to.deep.equal([
      ['付-0001', true, false],
      ['付-0003', false, true],
      ['付-0002', false, false],
    ]);
    const disputed = res.body.payments.find((p: { id: number }) => p.id === disputedPaymentId);
    expect(disputed).to.include({ amountFen: 100_000, paidOn: addDays(D, 15), creditorResponse: 'disputed', disputeStatus: 'open', reversedOn: null });
    expect(res.body.payments[1]).to.include({ reversedOn: addDays(D, 13), reversalReason: '金额录错' });
    expect(res.body.plan.instalments).to.deep.equal([
      { seq: 1, dueOn: addDays(D, 20), amountFen: 300_000, cumulativeFen: 300_000, paidByDueFen: 0, missed: true, shortFen: 300_000 },
      { seq: 2, dueOn: addDays(D, 60), amountFen: 300_000, cumulativeFen: 600_000, paidByDueFen: 0, missed: false, shortFen: 600_000 },
    ]);
    expect(res.body.handovers).to.have.length(1);
    expect(res.body.evidence).to.deep.equal([]);
    // Not published: internal columns.
    expect(res.body).to.not.have.any.keys('created_by', 'paid_fen', 'agency_id');
  });

  it('answers status, ageing and interest as of another date', async () => {
    const res = await get('auditor', `/arrears/${example}?asOf=${addDays(D, 5)}`);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ asOf: addDays(D, 5), paidFen: 0, outstandingFen: 1_000_000, status: 'outstanding', daysPastDue: 5, ageingBucket: '0-30', lateInterestFen: 2_500 });
    expect(res.body.plan.instalments[0].missed).to.equal(false);
    // 400,000 × 0.05% × 10 days + 600,000 × 0.05% × 200 days.
    const later = await get('enterprise1', `/arrears/${example}?asOf=${addDays(D, 200)}`);
    expect(later.body).to.include({ daysPastDue: 200, ageingBucket: '181-365', lateInterestFen: 62_000 });
    const notDue = await get('officer1', `/arrears/${example}?asOf=${addDays(D, -1)}`);
    expect(notDue.body).to.include({ overdue: false, daysPastDue: null, ageingBucket: null, lateInterestFen: 0, overdueAfterHandover: false });
  });

  it('checks an agreed rate against the LPR and flags no term for a large creditor', async () => {
    const res = await get('officer1', `/arrears/${largeCreditorArrears}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ creditorScale: 'large', termDays: 90, nonCompliantTerm: false, agreedAnnualRate: '2.5' });
    expect(res.body.lateInterestRate).to.deep.equal({ kind: 'agreed_annual', annualPercent: '2.5' });
    expect(res.body.lprCheck).to.deep.equal({ result: 'below', lpr: { effectiveOn: '2025-05-20', percent: '3.00' }, date: '2025-06-01' });
  });

  it('answers 422 naming asOf for a date that does not exist', async () => {
    for (const bad of ['2026-02-30', 'tomorrow', '2026-1-5']) {
      const res = await get('officer1', `/arrears/${example}?asOf=${bad}`);
      expect(res.status, bad).to.equal(422);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details).to.have.length(1);
      expect(res.body.error.details[0].path).to.equal('asOf');
    }
  });

  it('answers 404 outside the caller’s scope and for no such arrears, 403 to admins, 401 without a token', async () => {
    for (const [who, status] of [['officer2', 404], ['admin', 403]] as const) {
      const res = await get(who, `/arrears/${example}`);
      expect(res.status, who).to.equal(status);
      expect(res.body.error.code).to.equal(status === 404 ? 'not_found' : 'forbidden');
    }
    expect((await get('enterprise1', `/arrears/${largeCreditorArrears}`)).status).to.equal(404);
    expect((await get('auditor', '/arrears/999999')).status).to.equal(404);
    expect((await get('auditor', '/arrears/x1')).status).to.equal(404);
    expect((await request(ctx.app).get(`/api/v1/arrears/${example}`)).status).to.equal(401);
  });
});
