import { expect } from 'chai';
import type request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { addDays } from '../../domain/dates.ts';
import { formatYuan } from '../../domain/money.ts';
import { createUser } from '../admin/service.ts';
import { arrearsWith, handoverOf, paymentOf, planOf } from '../../../test/arrears-detail-fixtures.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { csrfFrom, idOf, signIn, startTestApp, uploadUrl, type TestContext } from '../../../test/helpers.ts';
import { lateInterest } from './rules.ts';

type Agent = request.Agent;

/** A minimal PDF: its bytes say PDF, whatever the name says. */
const OTHER_PASSWORD = 'Qingdao-Harbour-Ledger-77';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The text of a page without its markup, whitespace folded: what a reader sees. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#34;/g, '"').replace(/\s+/g, ' ');

describe('the arrears page', () => {
  let ctx: TestContext;
  const agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1' | 'admin' | 'otherEnterprise', Agent> = {} as never;
  let agencyId: number;
  let smallCreditor: number;
  let largeCreditor: number;
  /** The worked example: 1,000,000 fen due on D (30 days ago), 400,000 paid on D+10. */
  let example: number;
  let paymentId: number;
  let disputedPaymentId: number;
  const D = daysFromToday(-30);

  before(async () => {
    ctx = await startTestApp();
    agencyId = (await demoUser(ctx.db, 'officer1')).agencyId!;
    smallCreditor = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    largeCreditor = await idOf(ctx.db, 'enterprises', { name: '青岛中德智能制造有限公司' });
    await createUser(ctx.db, SYSTEM_ACTOR, { username: 'zhongde', displayName: '中德财务', role: 'enterprise', enterpriseId: largeCreditor, password: OTHER_PASSWORD }, { mustChangePassword: false });
    for (const name of ['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'] as const) agents[name] = await signIn(ctx.app, name);
    agents.otherEnterprise = await signIn(ctx.app, 'zhongde', OTHER_PASSWORD);

    // No term agreed: due 30 days after acceptance, on D.
    example = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'works', contractRef: 'QD-GC-2026-007', principalFen: 1_000_000, acceptedOn: addDays(D, -30) });
    paymentId = await paymentOf(ctx.db, example, { amountFen: 400_000, paidOn: addDays(D, 10), voucherNo: '付-0001' });
    disputedPaymentId = await paymentOf(ctx.db, example, { amountFen: 50_000, paidOn: addDays(D, 20), voucherNo: '付-0002', response: 'disputed', disputeStatus: 'open' });
  });
  after(() => ctx.close());

  it('shows the creditor, the officers of the agency and the auditors the arrears; others get 404, admins 403', async () => {
    for (const name of ['officer1', 'auditor', 'enterprise1'] as const) {
      const res = await agents[name].get(`/arrears/${example}`);
      expect(res.status, name).to.equal(200);
      expect(res.text, name).to.include('QD-GC-2026-007');
      expect(res.text, name).to.include('青岛海滨精密机械有限公司');
    }
    expect((await agents.officer2.get(`/arrears/${example}`)).status).to.equal(404);
    expect((await agents.otherEnterprise.get(`/arrears/${example}`)).status).to.equal(404);
    expect((await agents.admin.get(`/arrears/${example}`)).status).to.equal(403);
    expect((await agents.officer1.get('/arrears/999999')).status).to.equal(404);
    expect((await agents.officer1.get('/arrears/abc')).status).to.equal(404);
  });

  it('shows the interest as of today as the rules count it, part by part, rounded once (the issue’s example: ¥110.00)', async () => {
    const expected = lateInterest({ principalFen: 1_000_000, disputedFen: 0, dueOn: D, agreedAnnualRate: null }, [{ amountFen: 400_000, paidOn: addDays(D, 10), reversed: false, creditorResponse: null, disputeStatus: null }], daysFromToday(0));
    expect(expected.totalFen).to.equal(11_000);
    const text = textOf((await agents.officer1.get(`/arrears/${example}`)).text);
    expect(text).to.include(`逾期利息合计 ${formatYuan(expected.totalFen)} 元`).and.to.include('逾期利息合计 110.00 元');
    expect(text).to.include('4,000.00 元 × 0.05% × 10 天');
    expect(text).to.include('6,000.00 元 × 0.05% × 30 天');
    expect(text).to.include('未约定利率，按每日万分之五（0.05%）');
    expect(text).to.include('只在最后四舍五入一次到分：110.00 元');
    // The disputed payment does not count: 6,000 still owed, partly cleared, 30 days overdue.
    expect(text).to.match(/未付（元） 6,000\.00/);
    expect(text).to.include('逾期 30 天（逾期 30 天以内）');
    expect(text).to.include('部分清偿');
    expect(text).to.include('（未约定，按验收后 30 天）');
  });

  it('shows status, ageing and interest at another date (?asOf=), and refuses a date that does not exist beside its field', async () => {
    const before = textOf((await agents.officer1.get(`/arrears/${example}?asOf=${addDays(D, 5)}`)).text);
    expect(before).to.include(`清偿情况（截至`);
    expect(before).to.include('逾期 5 天（逾期 30 天以内）');
    expect(before).to.include('逾期利息合计 25.00 元');
    expect(before).to.match(/状态 未清偿/);
    const notDue = textOf((await agents.officer1.get(`/arrears/${example}?asOf=${addDays(D, -1)}`)).text);
    expect(notDue).to.include('账龄 未逾期');
    expect(notDue).to.include('不计逾期利息');
    const later = textOf((await agents.officer1.get(`/arrears/${example}?asOf=${addDays(D, 100)}`)).text);
    expect(later).to.include('逾期 100 天（逾期 91–180 天）');
    // 400,000 × 10 days + 600,000 × 100 days at 0.05% a day.
    expect(later).to.include('逾期利息合计 320.00 元');
    const bad = await agents.officer1.get(`/arrears/${example}?asOf=2026-02-30`);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.match(/id="f-asOf" name="asOf" value="2026-02-30"[^>]*aria-invalid="true"/);
    expect(bad.text).to.match(/<p class="error" id="f-asOf-err">/);
    expect(textOf(bad.text)).to.include('逾期利息合计 110.00 元');
  });

  it('flags a 90-day term with a small creditor, not with a large one', async () => {
    const sme = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'goods', principalFen: 500_000, acceptedOn: daysFromToday(-100), dueOn: daysFromToday(-10) });
    const large = await arrearsWith(ctx.db, { agencyId, enterpriseId: largeCreditor, category: 'goods', principalFen: 500_000, acceptedOn: daysFromToday(-100), dueOn: daysFromToday(-10) });
    const smePage = textOf((await agents.officer1.get(`/arrears/${sme}`)).text);
    expect(smePage).to.include('约定付款期限 90 天，超过 60 天（中小企业）');
    expect(smePage).to.include('（约定，验收后 90 天）');
    expect(smePage).to.include('小型企业');
    const largePage = textOf((await agents.officer1.get(`/arrears/${large}`)).text);
    expect(largePage).to.include('大型企业');
    expect(largePage).to.not.include('超过 60 天');
    expect(largePage).to.not.include('付款期限不合规');
  });

  it('flags an agreed rate below the LPR in force on the contract date, and says when no LPR is known', async () => {
    const below = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'services', principalFen: 100_000, contractSignedOn: '2025-06-01', acceptedOn: daysFromToday(-40), agreedAnnualRate: '2.5' });
    const text = textOf((await agents.officer1.get(`/arrears/${below}`)).text);
    expect(text).to.include('约定利率低于 LPR');
    expect(text).to.include('约定年利率 2.5% 低于 2025-06-01 施行的一年期 LPR 3.00%');
    expect(text).to.include('约定年利率 2.5%（按 365 天折算为日利率）');
    const notBelow = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'services', principalFen: 100_000, contractSignedOn: '2025-06-01', acceptedOn: daysFromToday(-40), agreedAnnualRate: '3.65' });
    const fine = textOf((await agents.officer1.get(`/arrears/${notBelow}`)).text);
    expect(fine).to.not.include('约定利率低于 LPR');
    expect(fine).to.include('不低于 2025-06-01 施行的一年期 LPR 3.00%');
    const unknown = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'services', principalFen: 100_000, contractSignedOn: '2019-01-02', acceptedOn: daysFromToday(-40), agreedAnnualRate: '3.65' });
    expect(textOf((await agents.officer1.get(`/arrears/${unknown}`)).text)).to.include('没有 2019-01-02 施行的一年期 LPR 记录');
  });

  it('flags arrears that fell due after a handover and are unpaid', async () => {
    const id = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'works', principalFen: 100_000, acceptedOn: daysFromToday(-50) });
    expect(textOf((await agents.officer1.get(`/arrears/${id}`)).text)).to.not.include('交接后逾期');
    await handoverOf(ctx.db, id, daysFromToday(-25));
    const text = textOf((await agents.officer1.get(`/arrears/${id}`)).text);
    expect(text).to.include('交接后逾期（新官不理旧账）');
    expect(text).to.include('王处长 刘处长');
  });

  it('offers each role only its own actions, linked to the payment forms', async () => {
    const base = `/arrears/${example}`;
    const officer = (await agents.officer1.get(base)).text;
    for (const href of [`${base}/payments/new`, `${base}/plan`, `${base}/handover`, `${base}/disputed`, `${base}/payments/${paymentId}/reverse`, `${base}/payments/${disputedPaymentId}/reverse`]) expect(officer).to.include(`href="${href}"`);
    expect(officer).to.include(`action="${base}/files?_csrf=`);
    expect(officer).to.not.include('/respond"').and.to.not.include('/settle"');

    const auditor = (await agents.auditor.get(base)).text;
    expect(auditor).to.include(`href="${base}/payments/${disputedPaymentId}/settle"`);
    expect(auditor).to.not.include(`${base}/payments/${paymentId}/settle`);
    for (const path of ['/payments/new"', '/plan"', '/handover"', '/disputed"', '/reverse"', '/respond"', '/files?']) expect(auditor).to.not.include(path);

    const creditor = (await agents.enterprise1.get(base)).text;
    expect(creditor).to.include(`href="${base}/payments/${paymentId}/respond"`);
    // Already answered (disputed): nothing more to answer.
    expect(creditor).to.not.include(`${base}/payments/${disputedPaymentId}/respond`);
    for (const path of ['/payments/new"', '/plan"', '/handover"', '/disputed"', '/reverse"', '/settle"', '/files?']) expect(creditor).to.not.include(path);
  });

  it('offers no payment or plan on cleared arrears, and no reversal of a reversed payment', async () => {
    const id = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'goods', principalFen: 200_000, acceptedOn: daysFromToday(-60) });
    const reversed = await paymentOf(ctx.db, id, { amountFen: 50_000, paidOn: daysFromToday(-20), reversal: { on: daysFromToday(-19), reason: '重复登记' } });
    await paymentOf(ctx.db, id, { amountFen: 200_000, paidOn: daysFromToday(-10), response: 'confirmed' });
    const html = (await agents.officer1.get(`/arrears/${id}`)).text;
    const text = textOf(html);
    expect(text).to.include('已清偿');
    expect(text).to.include('企业已确认');
    expect(text).to.include('已冲正').and.to.include('冲正：重复登记');
    expect(html).to.not.include('/payments/new"').and.to.not.include(`/arrears/${id}/plan"`);
    expect(html).to.not.include(`/payments/${reversed}/reverse"`);
  });

  it('shows the repayment plan with the missed instalment flagged, and the earlier plan', async () => {
    const id = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'works', principalFen: 300_000, acceptedOn: daysFromToday(-90) });
    await planOf(ctx.db, id, { paidFenAtStart: 0, instalments: [{ dueOn: daysFromToday(-40), amountFen: 300_000 }], supersededAt: '2026-01-02T00:00:00.000Z' });
    await planOf(ctx.db, id, { paidFenAtStart: 0, instalments: [{ dueOn: daysFromToday(-20), amountFen: 100_000 }, { dueOn: daysFromToday(-5), amountFen: 100_000 }, { dueOn: daysFromToday(20), amountFen: 100_000 }] });
    await paymentOf(ctx.db, id, { amountFen: 100_000, paidOn: daysFromToday(-21) });
    const text = textOf((await agents.officer1.get(`/arrears/${id}`)).text);
    expect(text).to.include('已按期');
    expect(text).to.include('未按期（差 1,000.00 元）');
    expect(text).to.include('未到期');
    expect(text).to.include('此前的还款计划（1 份）');
    expect(text).to.include('还款计划不停止计息。');
    // As of before the second instalment fell due, nothing is missed yet.
    expect(textOf((await agents.officer1.get(`/arrears/${id}?asOf=${daysFromToday(-10)}`)).text)).to.not.include('未按期');
  });

  it('lets the agency’s officers add evidence, shown with the record and in its timeline in words', async () => {
    const path = `/arrears/${example}/files`;
    const token = await csrfFrom(agents.officer1, `/arrears/${example}`);
    const res = await agents.officer1.post(uploadUrl(path, token)).attach('evidence', PDF, { filename: '验收单.pdf', contentType: 'application/pdf' });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(res.headers.location).to.equal(`/arrears/${example}#evidence`);
    const page = await agents.officer1.get(`/arrears/${example}`);
    expect(page.text).to.include('材料已上传。');
    expect(page.text).to.match(/<a href="\/evidence\/\d+" download>验收单\.pdf<\/a>/);
    const timeline = textOf(page.text.slice(page.text.indexOf('id="timeline-heading"')));
    expect(timeline).to.include('上传欠款证明材料');
    expect(timeline).to.include('李经办');
    expect(timeline).to.include('欠款证明材料');
    const entry = await ctx.db('audit_log').where({ action: 'arrears.evidence_attached', entity_type: 'arrears', entity_id: String(example) }).first();
    expect(entry).to.not.equal(undefined);
    // The creditor reads the file too.
    expect((await agents.enterprise1.get(`/arrears/${example}`)).text).to.include('验收单.pdf');
  });

  it('refuses an upload with no file beside the field, and uploads by others', async () => {
    const token = await csrfFrom(agents.officer1, `/arrears/${example}`);
    const empty = await agents.officer1.post(uploadUrl(`/arrears/${example}/files`, token)).field('x', '1');
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('请选择要上传的文件。');
    expect(empty.text).to.match(/<details class="action" open>/);
    const before = await ctx.db('evidence_attachments').where({ owner_type: 'arrears.record', owner_id: example }).count({ n: '*' });
    for (const [name, status] of [['officer2', 404], ['enterprise1', 403], ['auditor', 403]] as const) {
      const t = await csrfFrom(agents[name], '/');
      const res = await agents[name].post(uploadUrl(`/arrears/${example}/files`, t)).attach('evidence', PDF, { filename: 'x.pdf', contentType: 'application/pdf' });
      expect(res.status, name).to.equal(status);
    }
    const after = await ctx.db('evidence_attachments').where({ owner_type: 'arrears.record', owner_id: example }).count({ n: '*' });
    expect(Number(after[0]!.n)).to.equal(Number(before[0]!.n));
  });

  it('names the linked commitment, linked to its page only for those who may read it', async () => {
    const officer = callerFor(await demoUser(ctx.db, 'officer1'));
    const own = (await insertCommitment(ctx, officer.actor, commitmentInput(agencyId, { referenceNo: 'QDSP-2026-088', enterpriseId: smallCreditor }))).commitmentId;
    const others = (await insertCommitment(ctx, officer.actor, commitmentInput(agencyId, { referenceNo: 'QDSP-2026-089', enterpriseId: largeCreditor }))).commitmentId;
    const withOwn = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'works', principalFen: 100_000, acceptedOn: daysFromToday(-10), commitmentId: own });
    const withOthers = await arrearsWith(ctx.db, { agencyId, enterpriseId: smallCreditor, category: 'works', principalFen: 100_000, acceptedOn: daysFromToday(-10), commitmentId: others });
    expect((await agents.enterprise1.get(`/arrears/${withOwn}`)).text).to.include(`<a href="/commitments/${own}">QDSP-2026-088</a>`);
    const creditorPage = (await agents.enterprise1.get(`/arrears/${withOthers}`)).text;
    expect(creditorPage).to.include('QDSP-2026-089');
    expect(creditorPage).to.not.include(`href="/commitments/${others}"`);
    expect((await agents.officer1.get(`/arrears/${withOthers}`)).text).to.include(`<a href="/commitments/${others}">QDSP-2026-089</a>`);
  });

  it('reads in English too', async () => {
    const text = textOf((await agents.officer1.get(`/arrears/${example}?lang=en`)).text);
    expect(text).to.include('Late interest: 110.00 yuan');
    expect(text).to.include('4,000.00 yuan × 0.05% × 10 days');
    expect(text).to.include('rounded once, half up, to the fen at the end: 110.00 yuan');
  });
});
