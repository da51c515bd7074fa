import { expect } from 'chai';
import { listScope } from '../../server/auth/policy.ts';
import { timelineOf } from '../../server/audit/timeline.ts';
import { overdueInstalments } from '../../server/features/arrears/queries-payments.ts';
import { arrearsFacts, creditorScales, handoverDates, lprRates, paymentFacts, paymentsByArrears, paymentsOf, type ArrearsRow } from '../../server/features/arrears/repository.ts';
import { currentPlans, openPaymentDisputes } from '../../server/features/arrears/repository-payments.ts';
import {
  ARREARS_CATEGORIES,
  arrearsPosition,
  checkAgainstLpr,
  instalmentStates,
  nonCompliantTerm,
  overdueAfterHandover,
  storedPosition,
  type PaymentFacts,
} from '../../server/features/arrears/rules.ts';
import { daysBetween } from '../../server/domain/dates.ts';
import { TEST_CLOCK, demoUser } from '../../test/factories.ts';
import { startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoArrears } from './arrears.ts';
import { seedDemoCommitments } from './commitments.ts';

describe('demo arrears seed', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();
  let rows: ArrearsRow[];
  let payments: Map<number, PaymentFacts[]>;

  before(async () => {
    ctx = await startTestApp({ seed: async (db) => {
      await seedDemoCommitments(db, TEST_CLOCK);
      await seedDemoArrears(db, TEST_CLOCK);
    } });
    rows = await ctx.db('arrears').orderBy('id');
    const byArrears = paymentsByArrears(await paymentsOf(ctx.db, rows.map((r) => r.id)));
    payments = new Map([...byArrears].map(([id, list]) => [id, list.map(paymentFacts)]));
  });
  after(() => ctx.close());

  const positionOf = (r: ArrearsRow) => arrearsPosition(arrearsFacts(r), payments.get(r.id) ?? [], today);

  it('holds about thirty arrears across the demo agencies, every category and status', async () => {
    expect(rows.length).to.be.within(28, 34);
    expect(new Set(rows.map((r) => r.category))).to.have.all.keys(...ARREARS_CATEGORIES);
    expect(new Set(rows.map((r) => r.status))).to.have.all.keys('outstanding', 'partly_cleared', 'cleared');
    expect(new Set(rows.map((r) => Number(r.agency_id))).size).to.equal(await ctx.db('agencies').count({ n: '*' }).first().then((c) => Number(c!.n)));
  });

  it('stores each position as the pure rules compute it', () => {
    for (const r of rows) {
      const stored = { paidFen: Number(r.paid_fen), outstandingFen: Number(r.outstanding_fen), status: r.status, clearedOn: r.cleared_on };
      expect(stored, r.contract_ref ?? String(r.id)).to.deep.equal(storedPosition(arrearsFacts(r), payments.get(r.id) ?? []));
    }
  });

  it('includes arrears long overdue (over a year)', () => {
    expect(rows.some((r) => positionOf(r).ageingBucket === '365+')).to.equal(true);
  });

  it('includes an open disputed payment of enterprise1, and disputes already upheld and rejected and a reversed payment', async () => {
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    const open = await openPaymentDisputes(ctx.db);
    expect(open.length).to.be.greaterThan(0);
    expect(rows.find((r) => r.id === open[0]!.arrearsId)!.enterprise_id).to.equal(enterprise1.enterpriseId);
    const all = [...payments.values()].flat();
    expect(all.some((p) => p.disputeStatus === 'upheld')).to.equal(true);
    expect(all.some((p) => p.disputeStatus === 'rejected')).to.equal(true);
    expect(all.some((p) => p.reversed)).to.equal(true);
    expect(all.some((p) => p.creditorResponse === 'confirmed')).to.equal(true);
  });

  it('flags a 90-day term with a small creditor and not the same term with a large one', async () => {
    const scales = await creditorScales(ctx.db, rows.map((r) => r.enterprise_id));
    const ninetyDays = rows.filter((r) => daysBetween(r.accepted_on, r.due_on) === 90);
    const flagged = ninetyDays.filter((r) => scales.get(r.enterprise_id) === 'small');
    const large = ninetyDays.filter((r) => scales.get(r.enterprise_id) === 'large');
    expect(flagged.length).to.be.greaterThan(0);
    expect(flagged.every((r) => nonCompliantTerm('small', { acceptedOn: r.accepted_on, dueOn: r.due_on }))).to.equal(true);
    expect(large.length).to.be.greaterThan(0);
    expect(large.some((r) => nonCompliantTerm('large', { acceptedOn: r.accepted_on, dueOn: r.due_on }))).to.equal(false);
  });

  it('includes a repayment plan with a missed instalment, on officer1’s list of overdue instalments', async () => {
    const plans = await currentPlans(ctx.db, rows.map((r) => r.id));
    const missed = [...plans.values()].filter((plan) => instalmentStates(plan, payments.get(plan.arrearsId) ?? [], today).some((s) => s.missed));
    expect(missed.length).to.be.greaterThan(0);
    const officer1 = await demoUser(ctx.db, 'officer1');
    expect((await overdueInstalments(ctx.db, listScope(officer1), today)).map((i) => i.arrearsId)).to.include(missed[0]!.arrearsId);
  });

  it('includes a handover with arrears that fell due after it and are overdue', async () => {
    const handovers = await handoverDates(ctx.db, rows.map((r) => r.id));
    expect(rows.some((r) => handovers.has(r.id) && overdueAfterHandover(positionOf(r), r.due_on, handovers.get(r.id)!))).to.equal(true);
  });

  it('includes an arrears with a disputed part, recorded with its reason', async () => {
    const disputed = rows.filter((r) => Number(r.disputed_fen) > 0);
    expect(disputed.length).to.be.greaterThan(0);
    expect(await ctx.db('arrears_dispute_changes').whereIn('arrears_id', disputed.map((r) => r.id))).to.have.length.greaterThan(0);
    expect(disputed.some((r) => positionOf(r).undisputedOutstandingFen < positionOf(r).outstandingFen)).to.equal(true);
  });

  it('includes an agreed rate below the LPR in force, and one that is not', async () => {
    const rates = await lprRates(ctx.db);
    const checks = rows.map((r) => checkAgainstLpr({ agreedAnnualRate: r.agreed_annual_rate, contractSignedOn: r.contract_signed_on, acceptedOn: r.accepted_on }, rates).result);
    expect(checks).to.include('below');
    expect(checks).to.include('not_below');
  });

  it('leaves each arrears a timeline that starts with its registration', async () => {
    for (const r of rows) expect((await timelineOf(ctx.db, 'arrears', r.id))[0]!.action, r.contract_ref ?? '').to.equal('arrears.created');
  });
});
