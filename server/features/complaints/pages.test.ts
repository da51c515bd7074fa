import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { fixedClock } from '../../domain/clock.ts';
import { checkUploads } from '../../evidence/index.ts';
import { pdfBytes, uploadedFile } from '../../../test/files.ts';
import { idOf, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, demoUser } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { insertTestCase } from './cases-test-data.ts';
import { fileComplaint } from './service/file.ts';

/**
 * The case page on 13 February 2026, the day after a complaint was filed on the eve of the Spring
 * Festival: scope, the deadlines and how they were counted, the timeline, the reviews and the actions.
 */
describe('the case page', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let zhanshan: number;
  let enterpriseId: number;
  let agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1' | 'admin', request.Agent>;
  const ids: Record<string, number> = {};

  before(async () => {
    ctx = await startTestApp({ clock: fixedClock('2026-02-13T02:00:00Z') });
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    zhanshan = await idOf(ctx.db, 'agencies', { code: 'QD-SN-ZS' });
    enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const commitmentId = (await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(approval, { enterpriseId, referenceNo: 'QDSP-CASE-1', title: '设备采购合同' }))).commitmentId;
    const { files } = await checkUploads([uploadedFile('合同.pdf', await pdfBytes('合同'))], 'evidence');
    // Filed on 12 February (the clock's yesterday), as the service files it.
    const filed = await fileComplaint({ db: ctx.db, clock: fixedClock('2026-02-12T02:00:00Z') }, await callerNamed(ctx.db, 'enterprise1'), { agencyId: approval, category: 'contract_breached', statement: '设备款逾期未付', commitmentId, amountClaimedFen: 50_000_000 }, files);
    ids.filed = filed.id;
    ids.commerceCase = (await insertTestCase(ctx.db, { enterpriseId, agencyId: commerce, submittedOn: '2026-02-10', statement: '商务局的案件' })).id;
    ids.forwarded = (await insertTestCase(ctx.db, { enterpriseId, agencyId: commerce, forwardedToAgencyId: approval, submittedOn: '2026-02-10', statement: '转交的案件', steps: [{ action: 'forward', by: 'auditor', on: '2026-02-11', note: '转上级办理' }] })).id;
    ids.street = (await insertTestCase(ctx.db, { enterpriseId, agencyId: zhanshan, submittedOn: '2026-02-10', statement: '街道的案件' })).id;
    ids.reviewed = (await insertTestCase(ctx.db, {
      enterpriseId, agencyId: approval, submittedOn: '2025-12-01', statement: '评价过的案件',
      steps: [
        { action: 'accept', by: 'agency', on: '2025-12-02' }, { action: 'investigate', by: 'agency', on: '2025-12-03' }, { action: 'resolve', by: 'agency', on: '2025-12-20', note: '已支付' },
        { rate: 'very_dissatisfied', on: '2025-12-22' }, { action: 'resolve', by: 'agency', on: '2026-01-05', note: '已整改' }, { action: 'follow_up', by: 'agency', on: '2026-01-06', note: '电话回访' },
      ],
    })).id;
    const [first] = await ctx.db('complaint_ratings').where({ complaint_id: ids.reviewed }).select('id');
    await ctx.db('complaint_ratings').where({ id: first.id }).update({ voided: true, comment: '恶意差评文字' });
    await ctx.db('complaint_appeals').insert({ rating_id: first.id, reason: '评价与事实不符', appealed_at: '2025-12-23T01:00:00Z', decision: 'voided', decision_note: '经核实企业已收款', decided_at: '2025-12-28T01:00:00Z' });
    ids.voidedRating = first.id;
    ids.pendingAppealCase = (await insertTestCase(ctx.db, {
      enterpriseId, agencyId: approval, submittedOn: '2025-12-01', statement: '申诉中的案件',
      steps: [{ action: 'accept', by: 'agency', on: '2025-12-02' }, { action: 'investigate', by: 'agency', on: '2025-12-03' }, { action: 'resolve', by: 'agency', on: '2025-12-20', note: '已处理' }, { rate: 'dissatisfied', on: '2025-12-22' }],
    })).id;
    const [pending] = await ctx.db('complaint_ratings').where({ complaint_id: ids.pendingAppealCase }).select('id');
    const [{ id: appealId }] = await ctx.db('complaint_appeals').insert({ rating_id: pending.id, reason: '企业误评', appealed_at: '2025-12-23T01:00:00Z' }).returning('id');
    ids.pendingAppeal = Number(appealId);
    ids.resolved = (await insertTestCase(ctx.db, { enterpriseId, agencyId: approval, submittedOn: '2026-01-05', statement: '待评价的案件', steps: [{ action: 'accept', by: 'agency', on: '2026-01-06' }, { action: 'investigate', by: 'agency', on: '2026-01-07' }, { action: 'resolve', by: 'agency', on: '2026-02-10', note: '已付款' }] })).id;
    ids.newYear = (await insertTestCase(ctx.db, { enterpriseId, agencyId: approval, submittedOn: '2026-12-24', statement: '跨年的案件' })).id;
    agents = Object.fromEntries(await Promise.all((['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'] as const).map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
  });
  after(() => ctx.close());

  it('shows the facts, the statement, the files, the linked commitment and the steps timeline', async () => {
    const page = await agents.officer1.get(`/complaints/${ids.filed}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('设备款逾期未付').and.include('500,000.00').and.include('合同.pdf').and.include('违反合同约定');
    expect(page.text).to.include(`href="/commitments/`).and.include('QDSP-CASE-1 设备采购合同');
    expect(page.text).to.include(DEMO_ENTERPRISES[0].name);
    expect(page.text).to.include('提交投诉');
    const file = /href="\/evidence\/(\d+)"/.exec(page.text)![1];
    expect((await agents.officer1.get(`/evidence/${file}`)).status).to.equal(200);
    expect((await agents.officer2.get(`/evidence/${file}`)).status).to.equal(404);
  });

  it('counts the acceptance deadline across the 2026 Spring Festival and says how: the holiday skipped, the adjusted working days counted', async () => {
    const page = await agents.enterprise1.get(`/complaints/${ids.filed}`);
    const row = page.text.slice(page.text.indexOf('deadline-accept'), page.text.indexOf('</tr>', page.text.indexOf('deadline-accept')));
    expect(row).to.include('2026-03-04');
    expect(row).to.include('自 2026-02-12 的次日起算 10 个工作日');
    expect(row).to.include('春节 2026-02-15至2026-02-23（9 天）');
    expect(row).to.include('跳过周末 1 天');
    expect(row).to.include('2026-02-14（春节调休）').and.include('2026-02-28（春节调休）');
    expect(row).to.include('href="/calendar/working-days?from=2026-02-12&amp;days=10"');
    expect(row).to.not.include('暂定').and.not.include('flag-late');
    const english = (await (await signIn(ctx.app, 'enterprise1')).get(`/complaints/${ids.filed}?lang=en`)).text;
    expect(english).to.include('10 working days from the day after 12 Feb 2026').and.include('Spring Festival 15 Feb 2026 to 23 Feb 2026').and.include('1 weekend day skipped').and.include('(9 days)');
  });

  it('marks a deadline reaching into an unknown year as provisional, and a late step', async () => {
    const page = await agents.officer1.get(`/complaints/${ids.newYear}`);
    expect(page.text).to.include('暂定').and.include('2027 年节假日安排尚未公布');
    const commerceCase = await agents.officer2.get(`/complaints/${ids.commerceCase}`);
    // Filed 10 February: acceptance due 2 March; not late on 13 February.
    expect(commerceCase.text).to.include('2026-03-02').and.not.include('flag-late');
  });

  it('answers 404 outside the scope: another agency’s officer, another enterprise; admins are refused', async () => {
    expect((await agents.officer2.get(`/complaints/${ids.filed}`)).status).to.equal(404);
    expect((await agents.officer1.get(`/complaints/${ids.commerceCase}`)).status).to.equal(404);
    expect((await agents.officer1.get('/complaints/99999')).status).to.equal(404);
    expect((await agents.officer1.get('/complaints/abc')).status).to.equal(404);
    expect((await agents.admin.get(`/complaints/${ids.filed}`)).status).to.equal(403);
    expect((await agents.auditor.get(`/complaints/${ids.commerceCase}`)).status).to.equal(200);
  });

  it('shows a forwarded case to the superior’s officers as well as to the agency’s, in their lists too', async () => {
    const page = await agents.officer1.get(`/complaints/${ids.forwarded}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('转交的案件').and.include('转交上级机关').and.include('转上级办理');
    expect((await agents.officer2.get(`/complaints/${ids.forwarded}`)).status).to.equal(200);
    const list = (await agents.officer1.get('/complaints')).text;
    expect(list).to.include(`href="/complaints/${ids.forwarded}"`).and.include('已转交 青岛市行政审批服务局').and.not.include(`href="/complaints/${ids.commerceCase}"`);
    expect((await agents.officer2.get('/complaints')).text).to.include(`href="/complaints/${ids.forwarded}"`);
  });

  it('offers each viewer the steps the state machine allows it, as links to the handling forms', async () => {
    const links = (html: string) => [...html.matchAll(/href="(\/complaints\/\d+\/[^"]+)"/g)].map((m) => m[1]!.replace(/^\/complaints\/\d+/, ''));
    expect(links((await agents.officer1.get(`/complaints/${ids.filed}`)).text)).to.deep.equal(['/steps/accept', '/steps/reject']);
    // No superior: no forwarding.
    expect(links((await agents.auditor.get(`/complaints/${ids.filed}`)).text)).to.deep.equal([]);
    expect(links((await agents.auditor.get(`/complaints/${ids.street}`)).text)).to.deep.equal(['/steps/forward']);
    expect(links((await agents.enterprise1.get(`/complaints/${ids.filed}`)).text)).to.deep.equal([]);
    expect(links((await agents.enterprise1.get(`/complaints/${ids.resolved}`)).text)).to.deep.equal(['/rate']);
    expect(links((await agents.officer1.get(`/complaints/${ids.resolved}`)).text)).to.deep.equal([]);
  });

  it('strikes through a voided review with the auditor’s reason; offers the agency an appeal and the auditors a decision', async () => {
    const officer = (await agents.officer1.get(`/complaints/${ids.reviewed}`)).text;
    expect(officer).to.match(/<del><strong>非常不满意<\/strong>/);
    expect(officer).to.include('<del>恶意差评文字</del>').and.include('已作废').and.include('经核实企业已收款').and.include('评价与事实不符');
    expect(officer).to.not.include(`/ratings/${ids.voidedRating}/appeal`);
    expect(officer).to.include('电话回访').and.include('已整改');
    const pending = (await agents.officer1.get(`/complaints/${ids.pendingAppealCase}`)).text;
    expect(pending).to.include('申诉待处理').and.not.include('/appeal"');
    expect((await agents.auditor.get(`/complaints/${ids.pendingAppealCase}`)).text).to.include(`/complaints/${ids.pendingAppealCase}/appeals/${ids.pendingAppeal}/decide`);
    const unappealed = await insertTestCase(ctx.db, { enterpriseId, agencyId: approval, submittedOn: '2026-01-05', steps: [{ action: 'accept', by: 'agency', on: '2026-01-06' }, { action: 'investigate', by: 'agency', on: '2026-01-07' }, { action: 'resolve', by: 'agency', on: '2026-01-20', note: '办结' }, { rate: 'dissatisfied', on: '2026-01-21' }] });
    const [rating] = await ctx.db('complaint_ratings').where({ complaint_id: unappealed.id }).select('id');
    expect((await agents.officer1.get(`/complaints/${unappealed.id}`)).text).to.include(`/complaints/${unappealed.id}/ratings/${rating.id}/appeal`);
    expect((await agents.enterprise1.get(`/complaints/${unappealed.id}`)).text).to.not.include('/appeal"');
  });
});
