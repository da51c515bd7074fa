import { expect } from 'chai';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { idOf, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from '../commitments/service/fulfilments.ts';
import { createCommitment } from '../commitments/service/register.ts';

describe('the enterprise’s home', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('lists the fulfilments waiting for its answer and its open disputes, each linked to the fulfilment', async () => {
    const officer = await demoUser(ctx.db, 'officer1');
    const enterprise = await demoUser(ctx.db, 'enterprise1');
    const milestones = [{ description: '拨付研发补贴', dueOn: daysFromToday(10), amountFen: 300_000 }, { description: '拨付设备补贴', dueOn: daysFromToday(40), amountFen: 200_000 }];
    const own = await createCommitment(ctx, callerFor(officer), commitmentInput(officer.agencyId!, { title: '研发投入补贴', enterpriseId: enterprise.enterpriseId, signedOn: daysFromToday(-30), milestones }));
    const [first, second] = await ctx.db('milestones').where({ commitment_id: own }).orderBy('seq').pluck('id');
    const fulfil = async (commitmentId: number, milestoneId: number, note: string) =>
      (await recordFulfilment(ctx, callerFor(officer), commitmentId, milestoneId, { fulfilledOn: daysFromToday(-1), note, amountFen: 120_000, complete: false })).fulfilmentId;
    const awaiting = await fulfil(own, first, '研发补贴首笔已拨付');
    const disputed = await fulfil(own, second, '设备补贴已拨付');
    await respondToFulfilment(ctx, callerFor(enterprise), own, disputed, { response: 'partly', comment: '只到账一部分' });
    const otherEnterpriseId = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[1].name });
    const others = await createCommitment(ctx, callerFor(officer), commitmentInput(officer.agencyId!, { title: '别家企业的承诺', enterpriseId: otherEnterpriseId, signedOn: daysFromToday(-30) }));
    await fulfil(others, (await ctx.db('milestones').where({ commitment_id: others }).first('id')).id, '别家的履约');

    const home = (await (await signIn(ctx.app, 'enterprise1')).get('/')).text;
    expect(home).to.include('待您确认的履约记录（1）');
    expect(home).to.include(`href="/commitments/${own}#fulfilment-${awaiting}">节点 1：拨付研发补贴</a>`);
    expect(home).to.include('待审计裁定的异议（1）');
    expect(home).to.include(`href="/commitments/${own}#fulfilment-${disputed}">节点 2：拨付设备补贴</a>`);
    expect(home).to.include('1,200.00 元');
    expect(home).to.not.include('别家企业的承诺');
    const page = (await (await signIn(ctx.app, 'enterprise1')).get(`/commitments/${own}`)).text;
    expect(page).to.include(`<tr id="fulfilment-${awaiting}">`);

    await settleDispute(ctx, callerFor(await demoUser(ctx.db, 'auditor')), own, disputed, { decision: 'rejected', note: '未足额到账' });
    await respondToFulfilment(ctx, callerFor(enterprise), own, awaiting, { response: 'confirmed' });
    const after = (await (await signIn(ctx.app, 'enterprise1')).get('/?lang=en')).text;
    expect(after).to.include('Fulfilments for you to confirm (0)');
    expect(after).to.include('No fulfilments wait for your answer.');
    expect(after).to.include('None of your disputes is waiting.');
  });
});
