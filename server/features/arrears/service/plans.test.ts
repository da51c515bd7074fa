import { expect } from 'chai';
import { listScope } from '../../../auth/policy.ts';
import type { Caller } from '../../../context.ts';
import { HttpError, ValidationError } from '../../../http/errors.ts';
import { callerFor, daysFromToday, demoUser, TEST_CLOCK } from '../../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../../test/helpers.ts';
import { overdueInstalments } from '../queries-payments.ts';
import { arrearsPosition, overdueAfterHandover } from '../rules.ts';
import { arrearsFacts, handoverDates, insertArrearsRows, paymentFacts, paymentsOf } from '../repository.ts';
import { currentPlans } from '../repository-payments.ts';
import type { ArrearsInput } from '../schema.ts';
import { reviseDisputedPart } from './disputed-part.ts';
import { recordHandover } from './handovers.ts';
import { recordPayment } from './payments.ts';
import { saveRepaymentPlan } from './plans.ts';

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const fieldErrors = (err: HttpError) => {
  expect(err).to.be.instanceOf(ValidationError);
  return (err as ValidationError).fieldErrors;
};

describe('arrears plans, handovers and the disputed part (service)', () => {
  let ctx: TestContext;
  let officer1: Caller;
  let officer2: Caller;
  let auditor: Caller;
  const today = TEST_CLOCK.today();

  async function arrears(over: Partial<ArrearsInput> = {}): Promise<number> {
    const input: ArrearsInput = {
      agencyId: officer1.user.agencyId!,
      enterpriseId: (await demoUser(ctx.db, 'enterprise1')).enterpriseId!,
      category: 'works',
      principalFen: 900_000,
      acceptedOn: daysFromToday(-120),
      responsibleOfficial: '王建国',
      description: '道路修缮工程款',
      ...over,
    };
    const [id] = await insertArrearsRows(ctx.db, [input], officer1.actor.id, ctx.clock.now().toISOString());
    return id!;
  }
  const instalments = (...rows: Array<[number, number]>) => rows.map(([days, amountFen]) => ({ dueOn: daysFromToday(days), amountFen }));

  before(async () => {
    ctx = await startTestApp();
    [officer1, officer2, auditor] = await Promise.all(['officer1', 'officer2', 'auditor'].map(async (u) => callerFor(await demoUser(ctx.db, u))));
  });
  after(() => ctx.close());

  describe('saveRepaymentPlan', () => {
    it('saves instalments that add up to the outstanding amount, measured from the payments so far', async () => {
      const id = await arrears();
      await recordPayment(ctx, officer1, id, { amountFen: 300_000, paidOn: daysFromToday(-10), voucherNo: 'GK-1' });
      const { planId } = await saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([0, 200_000], [30, 400_000]), note: '分两期' });
      const plan = (await currentPlans(ctx.db, [id])).get(id)!;
      expect(plan).to.deep.include({ id: planId, paidFenAtStart: 300_000, totalFen: 600_000, note: '分两期' });
      expect(plan.instalments).to.deep.equal([{ seq: 1, dueOn: today, amountFen: 200_000 }, { seq: 2, dueOn: daysFromToday(30), amountFen: 400_000 }]);
    });

    it('says by how much the instalments miss the outstanding amount', async () => {
      const id = await arrears();
      const over = fieldErrors(await refusal(saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([10, 500_000], [40, 500_000]) })));
      expect(over).to.deep.equal([{ path: 'instalments', key: 'arrears:plans.errors.overOutstanding', params: { difference: '1,000.00', outstanding: '9,000.00' } }]);
      const under = fieldErrors(await refusal(saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([10, 100_000]) })));
      expect(under[0]).to.deep.include({ key: 'arrears:plans.errors.underOutstanding', params: { difference: '8,000.00', outstanding: '9,000.00' } });
    });

    it('refuses dates already past or not after the instalment before, each at its instalment', async () => {
      const id = await arrears();
      const errors = fieldErrors(await refusal(saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([-1, 300_000], [20, 300_000], [20, 300_000]) })));
      expect(errors).to.deep.equal([
        { path: 'instalments.0.dueOn', key: 'arrears:plans.errors.pastDue', params: { today } },
        { path: 'instalments.2.dueOn', key: 'arrears:plans.errors.notAfterPrevious', params: { date: daysFromToday(20) } },
      ]);
      expect(fieldErrors(await refusal(saveRepaymentPlan(ctx, officer1, id, { instalments: [] })))[0]).to.deep.include({ path: 'instalments', key: 'arrears:plans.errors.noInstalments' });
    });

    it('supersedes the plan in force and keeps it', async () => {
      const id = await arrears();
      const first = await saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([10, 900_000]) });
      const second = await saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([10, 450_000], [40, 450_000]) });
      const rows = await ctx.db('arrears_plans').where({ arrears_id: id }).orderBy('id').select('id', 'superseded_at');
      expect(rows.map((r) => r.id)).to.deep.equal([first.planId, second.planId]);
      expect(rows[0].superseded_at).to.be.a('string');
      expect(rows[1].superseded_at).to.equal(null);
      expect((await currentPlans(ctx.db, [id])).get(id)!.id).to.equal(second.planId);
      const entry = await ctx.db('audit_log').where({ entity_type: 'arrears', entity_id: String(id), action: 'arrears.plan_saved' }).orderBy('id', 'desc').first();
      expect(JSON.parse(entry.before_json)).to.deep.equal({ planTotalFen: 900_000, instalments: [{ dueOn: daysFromToday(10), amountFen: 900_000 }] });
    });

    it('takes no plan for a cleared arrears, and none from another agency or an auditor', async () => {
      const id = await arrears({ principalFen: 1_000 });
      expect((await refusal(saveRepaymentPlan(ctx, officer2, id, { instalments: instalments([10, 1_000]) }))).status).to.equal(404);
      expect((await refusal(saveRepaymentPlan(ctx, auditor, id, { instalments: instalments([10, 1_000]) }))).status).to.equal(403);
      await recordPayment(ctx, officer1, id, { amountFen: 1_000, paidOn: today, voucherNo: 'GK-2' });
      const cleared = await refusal(saveRepaymentPlan(ctx, officer1, id, { instalments: instalments([10, 1_000]) }));
      expect(cleared.status).to.equal(409);
      expect(cleared.key).to.equal('arrears:plans.errors.cleared');
    });
  });

  describe('overdueInstalments', () => {
    it('lists the missed instalments of plans in force by scope, with what they still lack', async () => {
      const id = await arrears({ contractRef: 'PLAN-MISSED' });
      // A plan saved 60 days ago, as the seed does: its first instalment fell due 30 days ago and was paid only in part.
      const past = { db: ctx.db, clock: { now: () => new Date(Date.parse(ctx.clock.now().toISOString()) - 60 * 86_400_000), today: () => daysFromToday(-60) } };
      await saveRepaymentPlan(past, officer1, id, { instalments: instalments([-30, 300_000], [30, 600_000]) });
      await recordPayment(ctx, officer1, id, { amountFen: 100_000, paidOn: daysFromToday(-35), voucherNo: 'GK-3' });
      const mine = await overdueInstalments(ctx.db, listScope(officer1.user), today);
      expect(mine.filter((i) => i.arrearsId === id).map((i) => [i.seq, i.dueOn, i.stillShortFen, i.contractRef])).to.deep.equal([[1, daysFromToday(-30), 200_000, 'PLAN-MISSED']]);
      expect((await overdueInstalments(ctx.db, listScope(officer2.user), today)).some((i) => i.arrearsId === id)).to.equal(false);
      expect((await overdueInstalments(ctx.db, listScope(auditor.user), today)).some((i) => i.arrearsId === id)).to.equal(true);
      await recordPayment(ctx, officer1, id, { amountFen: 200_000, paidOn: today, voucherNo: 'GK-4' });
      expect((await overdueInstalments(ctx.db, listScope(officer1.user), today)).some((i) => i.arrearsId === id)).to.equal(false);
    });
  });

  describe('recordHandover', () => {
    it('hands over from the current official and flags arrears that fall due after it', async () => {
      const id = await arrears({ acceptedOn: daysFromToday(-50), dueOn: daysFromToday(-20) });
      await recordHandover(ctx, officer1, id, { toOfficial: '刘洋', handedOverOn: daysFromToday(-25), note: '王建国调任' });
      const row = await ctx.db('arrears_handovers').where({ arrears_id: id }).first('from_official', 'to_official', 'handed_over_on');
      expect(row).to.deep.equal({ from_official: '王建国', to_official: '刘洋', handed_over_on: daysFromToday(-25) });
      const arrearsRow = await ctx.db('arrears').where({ id }).first();
      expect(arrearsRow.responsible_official).to.equal('刘洋');
      const position = arrearsPosition(arrearsFacts(arrearsRow), (await paymentsOf(ctx.db, [id])).map(paymentFacts), today);
      expect(overdueAfterHandover(position, arrearsRow.due_on, (await handoverDates(ctx.db, [id])).get(id)!)).to.equal(true);
    });

    it('refuses a date in the future, one before the last handover, and the same official', async () => {
      const id = await arrears();
      const future = fieldErrors(await refusal(recordHandover(ctx, officer1, id, { toOfficial: '刘洋', handedOverOn: daysFromToday(1) })));
      expect(future[0]).to.deep.include({ path: 'handedOverOn', key: 'arrears:payments.errors.futureDate' });
      await recordHandover(ctx, officer1, id, { toOfficial: '刘洋', handedOverOn: daysFromToday(-10) });
      const early = fieldErrors(await refusal(recordHandover(ctx, officer1, id, { toOfficial: '陈立新', handedOverOn: daysFromToday(-11) })));
      expect(early[0]).to.deep.include({ path: 'handedOverOn', key: 'arrears:handovers.errors.beforeLastHandover', params: { date: daysFromToday(-10) } });
      const same = fieldErrors(await refusal(recordHandover(ctx, officer1, id, { toOfficial: '刘洋', handedOverOn: today })));
      expect(same[0]).to.deep.include({ path: 'toOfficial', key: 'arrears:handovers.errors.sameOfficial' });
      expect((await refusal(recordHandover(ctx, officer2, id, { toOfficial: '陈立新', handedOverOn: today }))).status).to.equal(404);
    });
  });

  describe('reviseDisputedPart', () => {
    it('records the change with its reason, refreshes what may be paid and audits old → new', async () => {
      const id = await arrears();
      await recordPayment(ctx, officer1, id, { amountFen: 100_000, paidOn: today, voucherNo: 'GK-5' });
      await reviseDisputedPart(ctx, officer1, id, { disputedFen: 300_000, reason: '企业对第三方检测费用有异议' });
      expect((await ctx.db('arrears').where({ id }).first('disputed_fen')).disputed_fen).to.equal(300_000);
      expect(await ctx.db('arrears_dispute_changes').where({ arrears_id: id }).first('from_fen', 'to_fen', 'reason')).to.deep.equal({ from_fen: 0, to_fen: 300_000, reason: '企业对第三方检测费用有异议' });
      const over = fieldErrors(await refusal(recordPayment(ctx, officer1, id, { amountFen: 500_001, paidOn: today, voucherNo: 'GK-6' })));
      expect(over[0]!.params).to.include({ maxFen: 500_000 });
      const entry = await ctx.db('audit_log').where({ entity_type: 'arrears', entity_id: String(id), action: 'arrears.dispute_revised' }).first();
      expect([JSON.parse(entry.before_json).disputedFen, JSON.parse(entry.after_json).disputedFen]).to.deep.equal([0, 300_000]);
    });

    it('refuses more than the outstanding amount, no change, and callers who may not revise it', async () => {
      const id = await arrears();
      await recordPayment(ctx, officer1, id, { amountFen: 400_000, paidOn: today, voucherNo: 'GK-7' });
      expect(fieldErrors(await refusal(reviseDisputedPart(ctx, officer1, id, { disputedFen: 500_001, reason: '扩大分歧' })))[0]).to.deep.include({ path: 'disputedFen', key: 'arrears:payments.disputedPart.errors.overOutstanding', params: { outstanding: '5,000.00' } });
      expect(fieldErrors(await refusal(reviseDisputedPart(ctx, officer1, id, { disputedFen: 0, reason: '无变化' })))[0]).to.deep.include({ key: 'arrears:payments.disputedPart.errors.unchanged' });
      expect((await refusal(reviseDisputedPart(ctx, officer2, id, { disputedFen: 1_000, reason: '分歧' }))).status).to.equal(404);
      expect((await refusal(reviseDisputedPart(ctx, auditor, id, { disputedFen: 1_000, reason: '分歧' }))).status).to.equal(403);
    });
  });
});
