import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { arrearsSummary } from './summary.ts';
import { insertKnownArrears, type KnownArrears } from './summary-test-data.ts';

/*
 * The clearance figures on a data set worked out by hand (summary-test-data.ts, insertKnownArrears):
 * a reversed payment, disputed payments open, upheld and rejected, a disputed part, a non-compliant
 * term, and an as-of date before some of the payments.
 */

const NO_AGEING = { '0-30': { count: 0, amountFen: 0 }, '31-90': { count: 0, amountFen: 0 }, '91-180': { count: 0, amountFen: 0 }, '181-365': { count: 0, amountFen: 0 }, '365+': { count: 0, amountFen: 0 } };

describe('arrears clearance summary', () => {
  let ctx: TestContext;
  let known: KnownArrears;
  const today = TEST_CLOCK.today();
  const tokens: Record<string, string> = {};

  before(async () => {
    ctx = await startTestApp();
    known = await insertKnownArrears(ctx.db, today);
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
  });
  after(() => ctx.close());

  const api = (username: string, query = '') => request(ctx.app).get(`/api/v1/arrears/summary${query}`).set('Authorization', `Bearer ${tokens[username]}`);

  describe('figures', () => {
    it('counts paid, confirmed and outstanding money without the reversed and the disputed payments, and the undisputed overdue part by age', async () => {
      const { total, agencies } = await arrearsSummary(ctx.db, { kind: 'all' }, { asOf: today, since: daysFromToday(-60) });
      expect(total).to.deep.equal({
        arrearsCount: 5,
        owedFen: 2_350_000,
        // 1: 300,000 + 200,000 (not the reversed 100,000 nor the disputed 50,000); 2: the upheld 100,000; 3: 600,000; 5: not the rejected 50,000.
        paidFen: 1_200_000,
        confirmedFen: 900_000,
        outstandingFen: 1_150_000,
        overdueCount: 3,
        // 1: 500,000; 2: 300,000 less the 100,000 disputed part; 5: 150,000. 4 is not due yet, 3 is cleared.
        overdueFen: 850_000,
        clearanceRate: 1_200_000 / 2_350_000,
        ageing: { ...NO_AGEING, '0-30': { count: 1, amountFen: 150_000 }, '31-90': { count: 1, amountFen: 500_000 }, '91-180': { count: 1, amountFen: 200_000 } },
        // 2 only: 90 days with a small creditor; 3 has the same term with a large one.
        nonCompliantCount: 1,
        nonCompliantFen: 400_000,
        // Fell due after T-60 and still overdue: 5 only.
        newArrears: { count: 1, amountFen: 150_000 },
      });
      expect(agencies.map((a) => [a.agencyId, a.owedFen, a.paidFen, a.outstandingFen, a.overdueFen])).to.deep.equal([
        [known.agencyA, 2_000_000, 1_200_000, 800_000, 700_000],
        [known.agencyB, 350_000, 0, 350_000, 150_000],
      ]);
    });

    it('counts only the payments made by an as-of date in the past, and ages what was overdue then', async () => {
      const { total } = await arrearsSummary(ctx.db, { kind: 'all' }, { asOf: daysFromToday(-30) });
      expect(total).to.deep.include({
        owedFen: 2_350_000,
        // 1: 300,000 of T-60; 2: 100,000 of T-100; 3 was paid at T-20, after the date.
        paidFen: 400_000,
        confirmedFen: 300_000,
        outstandingFen: 1_950_000,
        overdueCount: 3,
        // 1: 700,000 for 40 days; 2: 200,000 undisputed for 80 days; 3: 600,000 for 80 days; 5 fell due at T-15, after the date.
        overdueFen: 1_500_000,
        clearanceRate: 400_000 / 2_350_000,
        newArrears: null,
      });
      expect(total.ageing).to.deep.equal({ ...NO_AGEING, '31-90': { count: 3, amountFen: 1_500_000 } });
    });

    it('has no clearance rate where nothing is owed', async () => {
      const { total, agencies } = await arrearsSummary(ctx.db, { kind: 'enterprise', enterpriseId: 999_999 }, { asOf: today });
      expect(agencies).to.deep.equal([]);
      expect(total).to.deep.include({ owedFen: 0, paidFen: 0, clearanceRate: null });
    });
  });

  describe('GET /api/v1/arrears/summary', () => {
    it('answers an auditor with the city’s figures, per agency, and the new arrears since a date', async () => {
      const res = await api('auditor', `?since=${daysFromToday(-60)}`);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.include({
        asOf: today,
        owedFen: 2_350_000,
        paidFen: 1_200_000,
        confirmedFen: 900_000,
        outstandingFen: 1_150_000,
        overdueFen: 850_000,
        nonCompliantCount: 1,
        nonCompliantFen: 400_000,
        newArrearsSince: { since: daysFromToday(-60), count: 1, amountFen: 150_000 },
      });
      expect(res.body.clearanceRate).to.be.closeTo(0.5106, 0.0001);
      expect(res.body.ageing['31-90']).to.deep.equal({ count: 1, amountFen: 500_000 });
      expect(Object.keys(res.body.ageing)).to.deep.equal(['0-30', '31-90', '91-180', '181-365', '365+']);
      expect(res.body.agencies.map((a: { agencyId: number }) => a.agencyId)).to.deep.equal([known.agencyA, known.agencyB]);
      const withoutSince = await api('auditor', `?asOf=${daysFromToday(-30)}`);
      expect(withoutSince.body).to.not.have.property('newArrearsSince');
      expect(withoutSince.body).to.deep.include({ asOf: daysFromToday(-30), paidFen: 400_000 });
    });

    it('keeps an officer to its agency: its own figures, 403 for another agency', async () => {
      const own = await api('officer1');
      expect(own.status).to.equal(200);
      expect(own.body).to.deep.include({ owedFen: 2_000_000, paidFen: 1_200_000, outstandingFen: 800_000 });
      expect(own.body.agencies.map((a: { agencyId: number }) => a.agencyId)).to.deep.equal([known.agencyA]);
      expect((await api('officer1', `?agencyId=${known.agencyA}`)).body.owedFen).to.equal(2_000_000);
      const other = await api('officer1', `?agencyId=${known.agencyB}`);
      expect(other.status).to.equal(403);
      expect(other.body.error).to.deep.include({ code: 'forbidden', message: '您只能查看本单位的清欠情况。' });
      expect((await api('officer2')).body).to.deep.include({ owedFen: 350_000, paidFen: 0 });
    });

    it('shows an enterprise only what is owed to it, by any agency or by one', async () => {
      const all = await api('enterprise1');
      expect(all.body).to.deep.include({ owedFen: 1_750_000, paidFen: 600_000, confirmedFen: 300_000, outstandingFen: 1_150_000, overdueFen: 850_000 });
      const one = await api('enterprise1', `?agencyId=${known.agencyB}`);
      expect(one.body).to.deep.include({ owedFen: 350_000, arrearsCount: 2 });
    });

    it('lets an auditor narrow to one agency, and answers 404 for an agency that does not exist', async () => {
      expect((await api('auditor', `?agencyId=${known.agencyB}`)).body).to.deep.include({ owedFen: 350_000 });
      expect((await api('auditor', '?agencyId=999999')).status).to.equal(404);
    });

    it('answers 422 naming each bad date, and refuses admins (403) and callers without a token (401)', async () => {
      const bad = await api('auditor', '?asOf=2026-02-30&since=yesterday');
      expect(bad.status).to.equal(422);
      expect(bad.body.error.code).to.equal('validation_failed');
      expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).to.deep.equal(['asOf', 'since']);
      const reversed = await api('auditor', `?asOf=${daysFromToday(-10)}&since=${daysFromToday(-5)}`);
      expect(reversed.status).to.equal(422);
      expect(reversed.body.error.details).to.deep.equal([{ path: 'since', message: '起算日不能晚于截止日期。' }]);
      expect((await api('auditor', '?agencyId=abc')).body.error.details[0].path).to.equal('agencyId');
      expect((await api('admin')).status).to.equal(403);
      expect((await request(ctx.app).get('/api/v1/arrears/summary')).status).to.equal(401);
    });
  });

  describe('pages', () => {
    it('shows auditors the dashboard: totals, each agency, the ageing table linked to the ledger, and the related queues', async () => {
      const auditor = await signIn(ctx.app, 'auditor');
      const res = await auditor.get(`/arrears/dashboard?since=${daysFromToday(-60)}`);
      expect(res.status).to.equal(200);
      const html = res.text;
      expect(html).to.include('<div class="num" id="total-owed">23,500.00</div>');
      expect(html).to.include('<div class="num" id="total-paid">12,000.00</div>');
      expect(html).to.include('<div class="num" id="total-confirmed">9,000.00</div>');
      expect(html).to.include('<div class="num" id="total-outstanding">11,500.00</div>');
      expect(html).to.include('<div class="num" id="total-rate">51.1%</div>');
      expect(html).to.include('<div class="num" id="total-overdue">8,500.00</div>');
      expect(html).to.include('<div class="num" id="total-non-compliant">1</div>');
      expect(html).to.include('<div class="num" id="total-new">1</div>');
      const agencyRow = html.slice(html.indexOf(`<tr id="agency-${known.agencyA}">`), html.indexOf('</tr>', html.indexOf(`<tr id="agency-${known.agencyA}">`)));
      expect(agencyRow).to.include(`<a href="/arrears?agencyId=${known.agencyA}">青岛市行政审批服务局</a>`);
      for (const figure of ['20,000.00', '12,000.00', '9,000.00', '8,000.00', '60%', '7,000.00']) expect(agencyRow).to.include(`>${figure}<`);
      expect(agencyRow).to.include(`href="/arrears?agencyId=${known.agencyA}&amp;nonCompliant=yes">1</a>`);
      const ageing = html.slice(html.indexOf('<tr id="ageing-31-90">'), html.indexOf('</tr>', html.indexOf('<tr id="ageing-31-90">')));
      expect(ageing).to.include('<a href="/arrears?ageing=31-90">逾期 31–90 天</a>');
      expect(ageing).to.include('>5,000.00<');
      expect(html).to.include('href="/arrears/payment-disputes"');
      expect(html).to.include('href="/campaigns"');
      expect(html).to.include(`value="${daysFromToday(-60)}"`);
    });

    it('takes a past as-of date, counts new arrears from the first of January by default, and names a bad date', async () => {
      const auditor = await signIn(ctx.app, 'auditor');
      const past = await auditor.get(`/arrears/dashboard?asOf=${daysFromToday(-30)}&lang=en`);
      expect(past.text).to.include('<div class="num" id="total-paid">4,000.00</div>');
      expect(past.text).to.include(`New arrears since 1 Jan ${daysFromToday(-30).slice(0, 4)}`);
      expect(past.text).to.include('The ledger links show today’s position.');
      const bad = await auditor.get('/arrears/dashboard?asOf=2026-13-01&lang=zh-CN');
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('请输入有效日期（YYYY-MM-DD）。');
      expect(bad.text).to.include('<div class="num" id="total-paid">12,000.00</div>');
    });

    it('keeps the dashboard to auditors and the owed page to enterprises', async () => {
      expect((await (await signIn(ctx.app, 'officer1')).get('/arrears/dashboard')).status).to.equal(403);
      expect((await (await signIn(ctx.app, 'enterprise1')).get('/arrears/dashboard')).status).to.equal(403);
      expect((await (await signIn(ctx.app, 'auditor')).get('/arrears/owed')).status).to.equal(403);
      expect((await (await signIn(ctx.app, 'officer1')).get('/arrears/owed')).status).to.equal(403);
    });

    it('shows an enterprise what each agency owes it, with the late interest accrued, and the payments waiting for its answer', async () => {
      const res = await (await signIn(ctx.app, 'enterprise1')).get('/arrears/owed');
      expect(res.status).to.equal(200);
      const row = (id: string) => res.text.slice(res.text.indexOf(`<tr id="${id}">`), res.text.indexOf('</tr>', res.text.indexOf(`<tr id="${id}">`)));
      // 1: (300,000 × 10 + 200,000 × 60 + 500,000 × 70) × 0.05% = 25,000; 2: (100,000 × 10 + 200,000 × 110) × 0.05% = 11,500.
      const a = row(`owed-agency-${known.agencyA}`);
      for (const figure of ['14,000.00', '6,000.00', '3,000.00', '8,000.00', '7,000.00', '365.00']) expect(a, figure).to.include(`>${figure}<`);
      // 5: 150,000 × 15 × 0.05% = 1,125.
      const b = row(`owed-agency-${known.agencyB}`);
      for (const figure of ['3,500.00', '0.00', '1,500.00', '11.25']) expect(b, figure).to.include(`>${figure}<`);
      expect(row('owed-total')).to.include('>376.25<');
      expect(row(`owed-arrears-${known.ids[0]}`)).to.include(`<a href="/arrears/${known.ids[0]}">青审批采〔2026〕1号</a>`);
      expect(row(`owed-arrears-${known.ids[0]}`)).to.include('>250.00<');
      expect(res.text).to.not.include(`owed-arrears-${known.ids[2]}`);
      expect(res.text).to.include('待您确认的付款（1）');
      expect(res.text).to.include(`href="/arrears/${known.awaiting.arrearsId}/payments/${known.awaiting.paymentId}/respond"`);
    });
  });
});
