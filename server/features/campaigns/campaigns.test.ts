import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { fixedClock } from '../../domain/clock.ts';
import { addDays, shanghaiDayStart } from '../../domain/dates.ts';
import { insertArrearsRows, refreshArrears } from '../arrears/repository.ts';
import { recordFulfilment } from '../commitments/service/fulfilments.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { csrfFrom, postForm, runJobs, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { assignItem } from './service/assign.ts';
import { createCampaign } from './service/create.ts';
import { campaignForUser, campaignProgress } from './service/progress.ts';

describe('campaigns (专项清理)', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let enterprise: number;
  const start = daysFromToday(-60);

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    enterprise = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
  });
  after(() => ctx.close());

  const auditor = async () => callerFor(await demoUser(ctx.db, 'auditor'));
  const officer1 = async () => callerFor(await demoUser(ctx.db, 'officer1'));

  async function addArrears(agencyId: number, dueOn: string, principalFen = 100_000_00): Promise<number> {
    const [id] = await ctx.db.transaction((trx) =>
      insertArrearsRows(trx, [{ agencyId, enterpriseId: enterprise, category: 'goods', principalFen, acceptedOn: addDays(dueOn, -30), dueOn, description: `货款 ${dueOn}` }], null, TEST_CLOCK.now().toISOString()),
    );
    return id!;
  }

  async function pay(arrearsId: number, amountFen: number, paidOn: string): Promise<void> {
    await ctx.db.transaction(async (trx) => {
      await trx('arrears_payments').insert({ arrears_id: arrearsId, amount_fen: amountFen, paid_on: paidOn, voucher_no: `V-${arrearsId}-${paidOn}`, created_at: TEST_CLOCK.now().toISOString() });
      await refreshArrears(trx, [arrearsId], TEST_CLOCK.now().toISOString());
    });
  }

  async function addMilestone(agencyId: number, dueOn: string): Promise<{ commitmentId: number; milestoneId: number }> {
    const { commitmentId, milestoneIds } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, { signedOn: daysFromToday(-300), amountFen: 100_000_00, milestones: [{ description: '支付合同款', dueOn, amountFen: 50_000_00 }] }));
    return { commitmentId, milestoneId: milestoneIds[0]! };
  }

  const campaignInput = (over: Record<string, unknown> = {}) => ({ name: '清欠专项行动', startedOn: start, targetOn: daysFromToday(30), goal: '清偿存量拖欠，不得新增拖欠', agencyIds: [approval], ...over });

  describe('the baseline frozen at creation', () => {
    let campaignId: number;
    const ids: Record<string, number> = {};

    before(async () => {
      ids.dueBefore = await addArrears(approval, addDays(start, -1));
      ids.dueOnStart = await addArrears(approval, start);
      ids.dueAfter = await addArrears(approval, addDays(start, 1));
      ids.paidBefore = await addArrears(approval, addDays(start, -20));
      await pay(ids.paidBefore, 100_000_00, addDays(start, -5));
      ids.partlyPaid = await addArrears(approval, addDays(start, -30));
      await pay(ids.partlyPaid, 30_000_00, addDays(start, -10));
      ids.otherAgency = await addArrears(commerce, addDays(start, -10));
      const overdue = await addMilestone(approval, addDays(start, -15));
      ids.milestoneOverdue = overdue.milestoneId;
      ids.milestoneCommitment = overdue.commitmentId;
      const done = await addMilestone(approval, addDays(start, -15));
      await recordFulfilment(ctx, await officer1(), done.commitmentId, done.milestoneId, { fulfilledOn: addDays(start, -16), note: '已支付', amountFen: 50_000_00, complete: true });
      ids.milestoneDone = done.milestoneId;
      ids.milestoneLater = (await addMilestone(approval, addDays(start, 10))).milestoneId;
      campaignId = (await createCampaign(ctx, await auditor(), campaignInput())).id;
    });

    it('holds what was overdue at the start, of the agencies in scope only, with what it owed then', async () => {
      const rows: Array<{ item_type: string; item_id: number; amount_fen: unknown }> = await ctx.db('campaign_baseline_items').where({ campaign_id: campaignId }).orderBy(['item_type', 'item_id']);
      expect(rows.map((r) => [r.item_type, Number(r.item_id), Number(r.amount_fen)])).to.deep.equal([
        ['arrears', ids.dueBefore, 100_000_00],
        ['arrears', ids.partlyPaid, 70_000_00],
        ['milestone', ids.milestoneOverdue, 50_000_00],
      ]);
      const c = await ctx.db('campaigns').where({ id: campaignId }).first();
      expect(c.baseline_frozen_at).to.not.equal(null);
      const actions = await ctx.db('audit_log').where({ entity_type: 'campaign', entity_id: String(campaignId) }).orderBy('id').pluck('action');
      expect(actions).to.deep.equal(['campaign.created', 'campaign.baseline_frozen']);
    });

    it('counts cleared, still open and new problems after payments and fulfilments', async () => {
      const before = await campaignProgress(ctx, (await auditor()).user, campaignId, TEST_CLOCK.today());
      expect(before.arrears.total).to.include({ baselineCount: 2, clearedCount: 0, openCount: 2, newProblemCount: 2, newProblemFen: 200_000_00 });
      expect(before.milestones.total).to.include({ baselineCount: 1, openCount: 1, newProblemCount: 1 });

      await pay(ids.dueBefore, 100_000_00, daysFromToday(-5));
      await pay(ids.partlyPaid, 20_000_00, daysFromToday(-5));
      await pay(ids.dueAfter, 100_000_00, daysFromToday(-3));
      await recordFulfilment(ctx, await officer1(), ids.milestoneCommitment, ids.milestoneOverdue, { fulfilledOn: daysFromToday(-2), note: '已支付', amountFen: 50_000_00, complete: true });

      const after = await campaignProgress(ctx, (await auditor()).user, campaignId, TEST_CLOCK.today());
      expect(after.arrears.total).to.deep.equal({
        baselineCount: 2,
        baselineFen: 170_000_00,
        clearedCount: 1,
        clearedFen: 120_000_00,
        openCount: 1,
        openFen: 50_000_00,
        newProblemCount: 1,
        newProblemFen: 100_000_00,
        clearanceRate: 0.5,
      });
      expect(after.milestones.total).to.include({ baselineCount: 1, clearedCount: 1, openCount: 0, newProblemCount: 1, clearanceRate: 1 });
      expect(after.items.find((i) => i.itemType === 'arrears' && i.itemId === ids.dueOnStart)).to.include({ state: 'new' });
      // As of a date before the payments, the figures are what they were then.
      const earlier = await campaignProgress(ctx, (await auditor()).user, campaignId, daysFromToday(-10));
      expect(earlier.arrears.total).to.include({ clearedCount: 0, openCount: 2 });
    });

    it('shows the new problems first on the campaign page, with links to the items', async () => {
      const agent = await signIn(ctx.app, 'auditor');
      const page = await agent.get(`/campaigns/${campaignId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('新增问题 2 项');
      expect(page.text).to.include(`href="/arrears/${ids.dueOnStart}"`);
      const items = await agent.get(`/campaigns/${campaignId}/items?kind=new&type=milestone`);
      expect(items.status).to.equal(200);
      expect(items.text).to.include(`#milestone-${ids.milestoneLater}`);
      expect(items.text).to.not.include(`href="/arrears/${ids.dueOnStart}"`);
      const bad = await agent.get(`/campaigns/${campaignId}?asOf=${addDays(start, -1)}`);
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('统计日期不能早于开始日期');
    });

    it('lets auditors assign an open item to its agency, shows it to that agency’s officers, and flags it once overdue', async () => {
      const agent = await signIn(ctx.app, 'auditor');
      const form = await agent.get(`/campaigns/${campaignId}/assignments/new?item=arrears:${ids.partlyPaid}`);
      expect(form.status).to.equal(200);
      const res = await postForm(agent, `/campaigns/${campaignId}/assignments/new?item=arrears:${ids.partlyPaid}`, `/campaigns/${campaignId}/assignments`, {
        item: `arrears:${ids.partlyPaid}`,
        dueOn: daysFromToday(7),
        instruction: '两周内结清余款并上传凭证',
      });
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      const row = await ctx.db('campaign_assignments').where({ campaign_id: campaignId }).first();
      expect(row).to.include({ agency_id: approval, item_type: 'arrears', due_on: daysFromToday(7) });
      expect(await ctx.db('audit_log').where({ action: 'campaign.assigned', entity_id: String(campaignId) }).count({ n: '*' }).first()).to.deep.include({ n: 1 });

      await ctx.db('campaign_assignments').where({ id: row.id }).update({ due_on: daysFromToday(-1) });
      const officer = await signIn(ctx.app, 'officer1');
      const page = await officer.get(`/campaigns/${campaignId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('两周内结清余款并上传凭证');
      expect(page.text).to.include('assignment-overdue');
    });

    it('refuses to assign a cleared item, a past due date, or anything from an officer', async () => {
      const caller = await auditor();
      const refused = await assignItem(ctx, caller, campaignId, { item: { itemType: 'arrears', itemId: ids.dueBefore }, dueOn: daysFromToday(3), instruction: '清偿' }).catch((e: { status: number }) => e);
      expect(refused).to.include({ status: 409 });
      const past = await assignItem(ctx, caller, campaignId, { item: { itemType: 'arrears', itemId: ids.partlyPaid }, dueOn: daysFromToday(-1), instruction: '清偿' }).catch((e: { status: number }) => e);
      expect(past).to.include({ status: 422 });
      const officer = await signIn(ctx.app, 'officer1');
      const token = await csrfFrom(officer, `/campaigns/${campaignId}`);
      const res = await officer.post(`/campaigns/${campaignId}/assignments`).type('form').send({ _csrf: token, item: `arrears:${ids.partlyPaid}`, dueOn: daysFromToday(3), instruction: 'x' });
      expect(res.status).to.equal(403);
    });

    it('shows a campaign only to the auditors and the officers of agencies in it, and an officer only its own part', async () => {
      const outsider = await signIn(ctx.app, 'officer2');
      expect((await outsider.get(`/campaigns/${campaignId}`)).status).to.equal(404);
      expect((await outsider.get(`/campaigns/${campaignId}/items`)).status).to.equal(404);
      expect((await outsider.get('/campaigns')).text).to.not.include(`/campaigns/${campaignId}"`);
      expect((await (await signIn(ctx.app, 'enterprise1')).get(`/campaigns/${campaignId}`)).status).to.equal(403);
      expect((await (await signIn(ctx.app, 'admin')).get('/campaigns')).status).to.equal(403);

      const both = (await createCampaign(ctx, await auditor(), campaignInput({ name: '两单位', agencyIds: [approval, commerce] }))).id;
      const mine = await campaignProgress(ctx, (await officer1()).user, both, TEST_CLOCK.today());
      expect(mine.agencies.map((a) => a.id)).to.deep.equal([approval]);
      expect(mine.items.every((i) => i.agencyId === approval)).to.equal(true);
      const all = await campaignProgress(ctx, (await auditor()).user, both, TEST_CLOCK.today());
      expect(all.arrears.byAgency.get(commerce)).to.include({ baselineCount: 1 });
    });
  });

  describe('a campaign that starts in the future', () => {
    it('freezes its baseline on its start date, through the job queued for it, as of that date', async () => {
      const futureStart = daysFromToday(10);
      const late = await addArrears(approval, daysFromToday(5));
      const { id, baselineFrozen } = await createCampaign(ctx, await auditor(), campaignInput({ name: '未来专项', startedOn: futureStart, targetOn: daysFromToday(100) }));
      expect(baselineFrozen).to.equal(false);
      expect(await runJobs(ctx.db)).to.equal(0);
      expect((await ctx.db('campaigns').where({ id }).first()).baseline_frozen_at).to.equal(null);

      const onStart = fixedClock(shanghaiDayStart(futureStart));
      expect(await runJobs(ctx.db, { clock: onStart })).to.equal(1);
      const items = await ctx.db('campaign_baseline_items').where({ campaign_id: id }).pluck('item_id');
      expect(items.map(Number)).to.include(late);
      const frozen = await ctx.db('audit_log').where({ action: 'campaign.baseline_frozen', entity_id: String(id) }).first();
      expect(frozen.actor_name).to.equal('system');
    });

    it('freezes it on the first read at or after the start date when the job has not run, once', async () => {
      const futureStart = daysFromToday(20);
      const { id } = await createCampaign(ctx, await auditor(), campaignInput({ name: '懒冻结', startedOn: futureStart, targetOn: daysFromToday(100) }));
      const user = (await auditor()).user;
      expect((await campaignForUser(ctx, user, id)).baselineFrozenAt).to.equal(null);
      const later = { db: ctx.db, clock: fixedClock(shanghaiDayStart(daysFromToday(25))) };
      expect((await campaignForUser(later, user, id)).baselineFrozenAt).to.not.equal(null);
      await runJobs(ctx.db, { clock: later.clock });
      expect(await ctx.db('audit_log').where({ action: 'campaign.baseline_frozen', entity_id: String(id) }).count({ n: '*' }).first()).to.deep.include({ n: 1 });
    });
  });

  describe('the form', () => {
    it('creates a campaign over every agency with "all agencies" ticked', async () => {
      const agent = await signIn(ctx.app, 'auditor');
      const res = await postForm(agent, '/campaigns/new', '/campaigns', { name: '全市清欠', startedOn: daysFromToday(-1), targetOn: daysFromToday(60), goal: '全部清零', allAgencies: 'on' });
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      const id = Number(/\/campaigns\/(\d+)/.exec(res.headers.location!)![1]);
      const [{ n }] = await ctx.db('agencies').count({ n: '*' });
      expect(await ctx.db('campaign_agencies').where({ campaign_id: id }).count({ n: '*' }).first()).to.deep.include({ n: Number(n) });
      expect((await agent.get(res.headers.location!)).status).to.equal(200);
    });

    it('shows each error beside its field: no agency, a target not after the start', async () => {
      const agent = await signIn(ctx.app, 'auditor');
      const res = await postForm(agent, '/campaigns/new', '/campaigns', { name: '坏表单', startedOn: daysFromToday(1), targetOn: daysFromToday(1), goal: 'x' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('请至少选择一个参加单位');
      expect(res.text).to.include('目标完成日期须晚于开始日期');
      expect((await (await signIn(ctx.app, 'officer1')).get('/campaigns/new')).status).to.equal(403);
    });
  });
});
