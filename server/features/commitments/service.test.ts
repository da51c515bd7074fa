import { expect } from 'chai';
import type { SessionUser } from '../../auth/types.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { timelineOf } from '../../audit/timeline.ts';
import { openDisputes, pendingWaivers } from './queries.ts';
import { getCommitmentForUser } from './service/detail.ts';
import { createCommitment, updateCommitment } from './service/register.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from './service/fulfilments.ts';
import { recordBreach, recordHandover, terminateCommitment } from './service/lifecycle.ts';
import { decideWaiver, requestWaiver } from './service/waivers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

describe('commitments service', () => {
  let ctx: TestContext;
  let officer1: SessionUser;
  let officer2: SessionUser;
  let auditor: SessionUser;
  let enterprise1: SessionUser;
  const today = () => TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp();
    officer1 = await demoUser(ctx.db, 'officer1');
    officer2 = await demoUser(ctx.db, 'officer2');
    auditor = await demoUser(ctx.db, 'auditor');
    enterprise1 = await demoUser(ctx.db, 'enterprise1');
  });
  after(() => ctx.close());

  const detail = (id: number) => getCommitmentForUser(ctx.db, auditor, id, today());
  const create = (over: Parameters<typeof commitmentInput>[1] = {}) => createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, over));

  describe('waivers', () => {
    it('keeps a milestone open and overdue while its waiver waits; a confirmed waiver settles it', async () => {
      const id = await create({
        milestones: [
          { description: '兑现场地租金减免', dueOn: daysFromToday(-5), amountFen: null },
          { description: '支付补贴', dueOn: daysFromToday(-20), amountFen: 300_000 },
        ],
      });
      const [late, paid] = (await detail(id)).milestones;
      await recordFulfilment(ctx, callerFor(officer1), id, paid!.id, { fulfilledOn: daysFromToday(-21), note: '已拨付', amountFen: 300_000, complete: true });
      const { waiverId } = await requestWaiver(ctx, callerFor(officer1), id, late!.id, '企业主动放弃该项优惠');

      let c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'pending', overdue: true });
      expect(c.milestones[0]!.waivers[0]).to.include({ decision: 'pending', reason: '企业主动放弃该项优惠' });
      expect(c.status).to.equal('overdue');
      expect((await pendingWaivers(ctx.db)).map((w) => w.waiverId)).to.include(waiverId);

      expect((await rejection(decideWaiver(ctx, callerFor(officer1), id, waiverId, 'confirmed'))).status, 'officers do not decide waivers').to.equal(403);
      await decideWaiver(ctx, callerFor(auditor), id, waiverId, 'confirmed', '理由属实');

      c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'waived', overdue: false });
      expect(c.status).to.equal('fulfilled');
      expect((await pendingWaivers(ctx.db)).map((w) => w.waiverId)).to.not.include(waiverId);
      expect((await rejection(decideWaiver(ctx, callerFor(auditor), id, waiverId, 'refused'))).status, 'decided once').to.equal(409);
    });

    it('leaves the milestone owed when the auditor refuses the waiver', async () => {
      const id = await create({ milestones: [{ description: '配套道路建设', dueOn: daysFromToday(-3), amountFen: null }] });
      const milestoneId = (await detail(id)).milestones[0]!.id;
      const { waiverId } = await requestWaiver(ctx, callerFor(officer1), id, milestoneId, '预算调整');
      expect((await rejection(requestWaiver(ctx, callerFor(officer1), id, milestoneId, '再次申请'))).key).to.equal('commitments:errors.waiverPending');
      await decideWaiver(ctx, callerFor(auditor), id, waiverId, 'refused', '预算调整不是豁免理由');
      const c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'pending', overdue: true });
      expect(c.milestones[0]!.waivers[0]).to.include({ decision: 'refused', decisionNote: '预算调整不是豁免理由' });
      expect(c.status).to.equal('overdue');
    });
  });

  describe('disputed fulfilments', () => {
    it('stops counting a fulfilment the enterprise disputes until an auditor upholds it', async () => {
      const id = await create({ enterpriseId: enterprise1.enterpriseId, milestones: [{ description: '支付设备采购款', dueOn: daysFromToday(10), amountFen: 800_000 }] });
      const milestoneId = (await detail(id)).milestones[0]!.id;
      const { fulfilmentId } = await recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: daysFromToday(-1), note: '已全额支付', amountFen: 800_000, complete: true });
      expect((await detail(id)).status).to.equal('fulfilled');

      expect((await rejection(respondToFulfilment(ctx, callerFor(officer1), id, fulfilmentId, { response: 'confirmed' }))).status, 'only the counterparty answers').to.equal(403);
      const missingComment = await rejection(respondToFulfilment(ctx, callerFor(enterprise1), id, fulfilmentId, { response: 'not_at_all' }));
      expect(missingComment).to.be.instanceOf(ValidationError);
      expect((missingComment as ValidationError).fieldErrors[0]!.path).to.equal('comment');

      await respondToFulfilment(ctx, callerFor(enterprise1), id, fulfilmentId, { response: 'not_at_all', comment: '款项未到账' });
      let c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'pending', fulfilledFen: 0 });
      expect(c.milestones[0]!.fulfilments[0]).to.include({ enterpriseResponse: 'not_at_all', disputeStatus: 'open', counts: false });
      expect(c.status).to.equal('in_progress');
      expect((await openDisputes(ctx.db)).map((d) => d.fulfilmentId)).to.include(fulfilmentId);

      await settleDispute(ctx, callerFor(auditor), id, fulfilmentId, { decision: 'upheld', note: '银行回单显示已到账' });
      c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'fulfilled', fulfilledFen: 800_000, completedOn: daysFromToday(-1) });
      expect(c.status).to.equal('fulfilled');
      expect((await openDisputes(ctx.db)).map((d) => d.fulfilmentId)).to.not.include(fulfilmentId);
    });

    it('never counts a fulfilment the auditors reject, and frees its amount', async () => {
      const id = await create({ enterpriseId: enterprise1.enterpriseId, milestones: [{ description: '支付工程款', dueOn: daysFromToday(10), amountFen: 100_000 }] });
      const milestoneId = (await detail(id)).milestones[0]!.id;
      const { fulfilmentId } = await recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: today(), note: '支付一半', amountFen: 50_000, complete: false });
      await respondToFulfilment(ctx, callerFor(enterprise1), id, fulfilmentId, { response: 'partly', comment: '只收到两万元' });
      await settleDispute(ctx, callerFor(auditor), id, fulfilmentId, { decision: 'rejected', note: '凭证不足' });
      let c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'pending', fulfilledFen: 0 });
      await recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: today(), note: '全额支付', amountFen: 100_000, complete: true });
      c = await detail(id);
      expect(c.milestones[0]).to.include({ status: 'fulfilled', fulfilledFen: 100_000 });
    });
  });

  describe('amounts and dates', () => {
    it('refuses a fulfilment past the milestone amount and says by how much', async () => {
      const id = await create({ milestones: [{ description: '支付奖励资金', dueOn: daysFromToday(10), amountFen: 1_000_000 }] });
      const milestoneId = (await detail(id)).milestones[0]!.id;
      await recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: today(), note: '第一笔', amountFen: 600_000, complete: false });
      const err = (await rejection(recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: today(), note: '第二笔', amountFen: 450_050, complete: true }))) as ValidationError;
      expect(err.fieldErrors).to.deep.equal([{ path: 'amountFen', key: 'commitments:errors.overFulfilled', params: { excess: '500.50', remaining: '4,000.00' } }]);
      expect((await detail(id)).milestones[0]).to.include({ status: 'partial', fulfilledFen: 600_000 });
    });

    it('refuses milestones that add up to more than the total', async () => {
      const err = (await rejection(
        create({ amountFen: 100_000, milestones: [{ description: 'A', dueOn: daysFromToday(1), amountFen: 60_000 }, { description: 'B', dueOn: daysFromToday(2), amountFen: 60_000 }] }),
      )) as ValidationError;
      expect(err.fieldErrors[0]).to.deep.include({ path: 'milestones', key: 'commitments:errors.milestonesExceedTotal' });
      expect(err.fieldErrors[0]!.params).to.deep.equal({ excess: '200.00', total: '1,000.00' });
    });

    it('refuses fulfilment dates before signing or in the future', async () => {
      const id = await create({ signedOn: daysFromToday(-10) });
      const milestoneId = (await detail(id)).milestones[0]!.id;
      for (const [fulfilledOn, key] of [
        [daysFromToday(-11), 'commitments:errors.beforeSigned'],
        [daysFromToday(1), 'commitments:errors.futureDate'],
      ] as const) {
        const err = (await rejection(recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn, note: 'x', amountFen: null, complete: false }))) as ValidationError;
        expect(err.fieldErrors[0]).to.include({ path: 'fulfilledOn', key });
      }
    });
  });

  describe('handover', () => {
    it('moves responsibility without changing what is owed, and marks milestones that fell overdue after it', async () => {
      const id = await create({
        responsibleOfficial: '刘局长',
        milestones: [
          { description: '交接前已逾期', dueOn: daysFromToday(-40), amountFen: 100_000 },
          { description: '交接后逾期', dueOn: daysFromToday(-10), amountFen: 200_000 },
          { description: '尚未到期', dueOn: daysFromToday(20), amountFen: 300_000 },
        ],
      });
      const before = await detail(id);
      const futureErr = (await rejection(recordHandover(ctx, callerFor(officer1), id, { toOfficial: '周处长', handedOverOn: daysFromToday(1) }))) as ValidationError;
      expect(futureErr.fieldErrors[0]).to.include({ path: 'handedOverOn', key: 'commitments:errors.futureDate' });

      await recordHandover(ctx, callerFor(officer1), id, { toOfficial: '周处长', handedOverOn: daysFromToday(-30), note: '岗位调整' });
      const after = await detail(id);
      expect(after.responsibleOfficial).to.equal('周处长');
      expect(after.handovers).to.deep.equal([{ id: after.handovers[0]!.id, fromOfficial: '刘局长', toOfficial: '周处长', handedOverOn: daysFromToday(-30), note: '岗位调整' }]);
      expect(after.agencyId).to.equal(before.agencyId);
      expect(after.amountFen).to.equal(before.amountFen);
      expect(after.milestones.map((m) => [m.amountFen, m.dueOn, m.status])).to.deep.equal(before.milestones.map((m) => [m.amountFen, m.dueOn, m.status]));
      expect(after.milestones.map((m) => m.overdueAfterHandover)).to.deep.equal([false, true, false]);
      expect(after.milestones.map((m) => m.overdue)).to.deep.equal([true, true, false]);
    });
  });

  describe('breach and termination', () => {
    it('lets an auditor breach every open milestone, refuses another agency and the enterprise', async () => {
      const id = await create({
        enterpriseId: enterprise1.enterpriseId,
        milestones: [
          { description: '已履行', dueOn: daysFromToday(-30), amountFen: null },
          { description: '未履行一', dueOn: daysFromToday(-5), amountFen: null },
          { description: '未履行二', dueOn: daysFromToday(5), amountFen: null },
        ],
      });
      const done = (await detail(id)).milestones[0]!.id;
      await recordFulfilment(ctx, callerFor(officer1), id, done, { fulfilledOn: daysFromToday(-31), note: '完成', amountFen: null, complete: true });
      expect((await rejection(recordBreach(ctx, callerFor(officer2), id, { findings: 'x' }))).status).to.equal(404);
      expect((await rejection(recordBreach(ctx, callerFor(enterprise1), id, { findings: 'x' }))).status).to.equal(403);

      const { milestoneIds } = await recordBreach(ctx, callerFor(auditor), id, { findings: '专项清理中认定未按约定履行' });
      const c = await detail(id);
      expect(milestoneIds).to.deep.equal(c.milestones.slice(1).map((m) => m.id));
      expect(c.milestones.map((m) => m.status)).to.deep.equal(['fulfilled', 'breached', 'breached']);
      expect(c.milestones[1]).to.include({ breachFindings: '专项清理中认定未按约定履行', breachedOn: today(), overdue: false });
      expect(c.status).to.equal('breached');
    });

    it('terminates with a reason, keeps the commitment visible and refuses further recording', async () => {
      const id = await create();
      const milestoneId = (await detail(id)).milestones[0]!.id;
      await terminateCommitment(ctx, callerFor(officer1), id, { reason: '项目取消，双方协商解除' });
      const c = await detail(id);
      expect(c).to.include({ status: 'terminated', terminatedOn: today(), terminationReason: '项目取消，双方协商解除' });
      const err = await rejection(recordFulfilment(ctx, callerFor(officer1), id, milestoneId, { fulfilledOn: today(), note: 'x', amountFen: null, complete: true }));
      expect(err).to.include({ status: 409, key: 'commitments:errors.terminated' });
      expect((await rejection(recordHandover(ctx, callerFor(officer1), id, { toOfficial: '新人', handedOverOn: today() }))).status).to.equal(409);
    });
  });

  describe('editing', () => {
    it('matches milestones by id, adds new ones, removes unused ones and refuses to remove one with history', async () => {
      const input = commitmentInput(officer1.agencyId!, {
        milestones: [
          { description: '第一期', dueOn: daysFromToday(10), amountFen: 100_000 },
          { description: '第二期', dueOn: daysFromToday(20), amountFen: 100_000 },
          { description: '第三期', dueOn: daysFromToday(30), amountFen: 100_000 },
        ],
      });
      const id = await createCommitment(ctx, callerFor(officer1), input);
      const [first, second, third] = (await detail(id)).milestones;
      await recordFulfilment(ctx, callerFor(officer1), id, second!.id, { fulfilledOn: today(), note: '预付', amountFen: 80_000, complete: false });
      const keep = (m: typeof first, changes: Partial<{ description: string; dueOn: string; amountFen: number }> = {}) => ({ id: m!.id, description: m!.description, dueOn: m!.dueOn, amountFen: m!.amountFen, ...changes });

      const removing = { ...input, milestones: [keep(first), keep(third)] };
      const err = (await rejection(updateCommitment(ctx, callerFor(officer1), id, removing))) as ValidationError;
      expect(err.fieldErrors).to.deep.equal([{ path: 'milestones', key: 'commitments:errors.milestoneHasHistory', params: { description: '第二期' } }]);

      const cutting = { ...input, milestones: [keep(first), keep(second, { amountFen: 50_000 }), keep(third)] };
      expect(((await rejection(updateCommitment(ctx, callerFor(officer1), id, cutting))) as ValidationError).fieldErrors[0]).to.include({ path: 'milestones.1.amountFen' });

      const foreign = { ...input, milestones: [{ ...keep(first), id: 999_999 }, keep(second), keep(third)] };
      expect(((await rejection(updateCommitment(ctx, callerFor(officer1), id, foreign))) as ValidationError).fieldErrors[0]).to.include({ path: 'milestones.0', key: 'commitments:errors.unknownMilestone' });

      // The first milestone goes (no history); the partly fulfilled one keeps its record and its own words.
      const edited = {
        ...input,
        title: '改名后的承诺',
        milestones: [
          keep(second, { dueOn: daysFromToday(25) }),
          keep(third, { description: '第三期（调整）', amountFen: 120_000 }),
          { description: '第四期', dueOn: daysFromToday(40), amountFen: 50_000 },
        ],
      };
      await updateCommitment(ctx, callerFor(officer1), id, edited);
      const c = await detail(id);
      expect(c.title).to.equal('改名后的承诺');
      expect(c.milestones.map((m) => [m.seq, m.description, m.status, m.fulfilledFen])).to.deep.equal([
        [1, '第二期', 'partial', 80_000],
        [2, '第三期（调整）', 'pending', 0],
        [3, '第四期', 'pending', 0],
      ]);
      expect(c.milestones.map((m) => m.id).slice(0, 2)).to.deep.equal([second!.id, third!.id]);
      expect(c.milestones.some((m) => m.id === first!.id)).to.equal(false);

      const updated = (await timelineOf(ctx.db, 'commitment', id)).filter((e) => e.action === 'commitment.updated');
      expect(updated).to.have.length(1);
      expect(updated[0]!.before).to.deep.include({ title: input.title });
      expect(updated[0]!.after).to.deep.include({ title: '改名后的承诺' });

      expect((await rejection(updateCommitment(ctx, callerFor(officer2), id, edited))).status, 'another agency').to.equal(404);
      expect((await rejection(updateCommitment(ctx, callerFor(officer1), id, { ...edited, agencyId: officer2.agencyId! }))).status, 'moving it away').to.equal(403);
    });
  });

  it('writes every change to the commitment timeline, with who did it', async () => {
    const id = await create({ enterpriseId: enterprise1.enterpriseId, milestones: [{ description: '甲', dueOn: daysFromToday(-2), amountFen: 100 }, { description: '乙', dueOn: daysFromToday(9), amountFen: null }] });
    const [a, b] = (await detail(id)).milestones;
    const { fulfilmentId } = await recordFulfilment(ctx, callerFor(officer1), id, a!.id, { fulfilledOn: today(), note: '完成', amountFen: 100, complete: true });
    await respondToFulfilment(ctx, callerFor(enterprise1), id, fulfilmentId, { response: 'partly', comment: '不完整' });
    await settleDispute(ctx, callerFor(auditor), id, fulfilmentId, { decision: 'upheld', note: '有效' });
    const { waiverId } = await requestWaiver(ctx, callerFor(officer1), id, b!.id, '政策调整');
    await decideWaiver(ctx, callerFor(auditor), id, waiverId, 'refused');
    await recordHandover(ctx, callerFor(officer1), id, { toOfficial: '新责任人', handedOverOn: today() });
    await recordBreach(ctx, callerFor(officer1), id, { findings: '逾期未兑现', milestoneId: b!.id });
    await terminateCommitment(ctx, callerFor(officer1), id, { reason: '解除' });

    const timeline = await timelineOf(ctx.db, 'commitment', id);
    expect(timeline.map((e) => e.action)).to.deep.equal([
      'commitment.created',
      'commitment.fulfilment_recorded',
      'commitment.fulfilment_disputed',
      'commitment.dispute_settled',
      'commitment.waiver_requested',
      'commitment.waiver_refused',
      'commitment.handed_over',
      'commitment.breach_recorded',
      'commitment.terminated',
    ]);
    expect(timeline.map((e) => e.actorName)).to.deep.equal(['李经办', '李经办', '陈总', '王审计', '李经办', '王审计', '李经办', '李经办', '李经办']);
    const entries = await ctx.db('audit_log').where({ entity_id: String(id) }).select('entity_type');
    expect(entries.every((e) => e.entity_type === 'commitment')).to.equal(true);
  });
});
