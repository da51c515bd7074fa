import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from './service/fulfilments.ts';
import { recordBreach } from './service/lifecycle.ts';
import { createCommitment } from './service/register.ts';
import { decideWaiver, requestWaiver } from './service/waivers.ts';
import { LEDGER_IMPORT_COLUMNS } from './spreadsheet.ts';

/** The timeline's entries, as text: "<when> · <who> · <what>" followed by "field：value" lines. */
function timelineOf(html: string): string[] {
  const section = html.slice(html.indexOf('id="timeline-heading"'));
  return [...section.matchAll(/<li>([\s\S]*?)<\/ul>\s*<\/li>|<li>([\s\S]*?)<\/li>/g)]
    .map((m) => (m[1] ?? m[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((text) => text.includes(' · '));
}

/** What each timeline entry says: which milestone, how much, the outcome, the names, where an import came from. */
describe('commitment timeline', () => {
  let ctx: TestContext;
  let auditor: request.Agent;

  before(async () => {
    ctx = await startTestApp();
    auditor = await signIn(ctx.app, 'auditor');
  });
  after(() => ctx.close());

  it('names the milestone, the amount, the outcome and the counterparty in each entry', async () => {
    const officer = callerFor(await demoUser(ctx.db, 'officer1'));
    const enterprise = callerFor(await demoUser(ctx.db, 'enterprise1'));
    const milestones = [{ description: '支付首期款', dueOn: daysFromToday(20), amountFen: 500_000 }, { description: '支付尾款', dueOn: daysFromToday(60), amountFen: 500_000 }, { description: '竣工验收', dueOn: daysFromToday(90), amountFen: null }];
    const id = await createCommitment(ctx, officer, commitmentInput(officer.user.agencyId!, { enterpriseId: enterprise.user.enterpriseId, signedOn: daysFromToday(-30), milestones }));
    const [first, second] = await ctx.db('milestones').where({ commitment_id: id }).orderBy('seq').pluck('id');
    const { fulfilmentId } = await recordFulfilment(ctx, officer, id, first, { fulfilledOn: daysFromToday(-1), note: '首期款已支付', amountFen: 200_000, complete: false });
    await respondToFulfilment(ctx, enterprise, id, fulfilmentId, { response: 'partly', comment: '只到账一部分' });
    const auditorCaller = callerFor(await demoUser(ctx.db, 'auditor'));
    await settleDispute(ctx, auditorCaller, id, fulfilmentId, { decision: 'upheld', note: '回单为证' });
    const { waiverId } = await requestWaiver(ctx, officer, id, second, '企业放弃尾款');
    await decideWaiver(ctx, auditorCaller, id, waiverId, 'confirmed', '放弃声明属实');
    await recordBreach(ctx, auditorCaller, id, { findings: '逾期未验收' });

    const entries = timelineOf((await auditor.get(`/commitments/${id}`)).text);
    const entry = (what: string) => entries.filter((e) => e.includes(`· ${what}`));
    expect(entry('登记承诺')[0]).to.include('相对企业 ： 青岛海滨精密机械有限公司');
    expect(entry('登记履约')[0]).to.include('履约节点 ： #1 支付首期款').and.include('金额 ： 2,000.00 元').and.include('状态 ： 待履行 → 部分履行');
    expect(entry('企业对履约提出异议')[0]).to.include('履约节点 ： #1 支付首期款').and.include('金额 ： 2,000.00 元').and.include('企业答复 ： 仅部分履行').and.include('状态 ： 部分履行 → 待履行');
    expect(entry('审计裁定异议')[0]).to.include('#1 支付首期款').and.include('决定 ： 认定有效').and.include('状态 ： 待履行 → 部分履行');
    expect(entry('确认豁免')[0]).to.include('履约节点 ： #2 支付尾款').and.include('理由 ： 企业放弃尾款').and.include('状态 ： 待履行 → 已豁免');
    // A breach of every open milestone says, milestone by milestone, which one it was.
    expect(entry('记录违约').map((e) => /#\d [^ ]+/.exec(e)?.[0])).to.deep.equal(['#1 支付首期款', '#3 竣工验收']);
    expect(entry('记录违约')[1]).to.include('状态 ： 待履行 → 已违约');
  });

  it('says which import job and file an imported commitment came from', async () => {
    const officer1 = await signIn(ctx.app, 'officer1');
    const header = LEDGER_IMPORT_COLUMNS.map((c) => c.header).join(',');
    const row = ['IMP-TL-1', '政府合同', '导入的合同', DEMO_ENTERPRISES[0].code, '', daysFromToday(-10), '1000', '张处长', '是', '首期', daysFromToday(30), '500'].join(',');
    const token = await csrfFrom(officer1, '/commitments/import');
    const res = await officer1.post(uploadUrl('/commitments/import', token)).attach('file', Buffer.from(`\ufeff${header}\r\n${row}\r\n`), { filename: '十一月台账.csv', contentType: 'text/csv' });
    expect(res.status).to.equal(303);
    const jobId = Number(/\/(\d+)$/.exec(res.headers.location!)![1]);
    await runJobs(ctx.db);
    const id = (await ctx.db('commitments').where({ reference_no: 'IMP-TL-1' }).first('id')).id;
    const [created] = timelineOf((await auditor.get(`/commitments/${id}`)).text);
    expect(created).to.include('登记承诺').and.include(`导入任务编号 ： ${jobId}`).and.include('导入文件 ： 十一月台账.csv').and.include('相对企业 ： 青岛海滨精密机械有限公司');
  });
});
