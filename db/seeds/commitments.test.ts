import { expect } from 'chai';
import { timelineOf } from '../../server/audit/timeline.ts';
import { agencySummaries, listCommitments, officerDashboard, openDisputes, pendingWaivers } from '../../server/features/commitments/queries.ts';
import { COMMITMENT_STATUSES } from '../../server/features/commitments/rules.ts';
import { COMMITMENT_KINDS } from '../../server/features/commitments/schema.ts';
import { getCommitmentForUser } from '../../server/features/commitments/service/detail.ts';
import { TEST_CLOCK, demoUser } from '../../test/factories.ts';
import { startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoCommitments } from './commitments.ts';

describe('demo commitments seed', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp({ seed: (db) => seedDemoCommitments(db, TEST_CLOCK) });
  });
  after(() => ctx.close());

  const all = () => listCommitments(ctx.db, { kind: 'all' }, {}, 1, 500, today);

  it('holds about forty commitments of every kind and status', async () => {
    const { items, total } = await all();
    expect(total).to.be.within(35, 45);
    expect(new Set(items.map((c) => c.kind))).to.have.all.keys(...COMMITMENT_KINDS);
    expect(new Set(items.map((c) => c.status))).to.have.all.keys(...COMMITMENT_STATUSES);
  });

  it('gives officer1 and officer2 plenty to work with, overdue and due soon', async () => {
    for (const username of ['officer1', 'officer2']) {
      const officer = await demoUser(ctx.db, username);
      const dashboard = await officerDashboard(ctx.db, officer.agencyId!, today);
      expect(Object.values(dashboard.countsByStatus).reduce((a, b) => a + b, 0), username).to.be.at.least(12);
      expect(dashboard.overdue.total, username).to.be.greaterThan(0);
      expect(dashboard.dueSoon.total, username).to.be.greaterThan(0);
      expect(dashboard.onTime.rate, username).to.be.a('number');
    }
    const summaries = await agencySummaries(ctx.db, today);
    expect(summaries.every((s) => s.total > 0)).to.equal(true);
  });

  it('includes a handover with a milestone that fell overdue after it', async () => {
    const auditor = await demoUser(ctx.db, 'auditor');
    const ids: number[] = await ctx.db('handovers').distinct().pluck('commitment_id');
    const details = await Promise.all(ids.map((id) => getCommitmentForUser(ctx.db, auditor, id, today)));
    expect(details.some((c) => c.milestones.some((m) => m.overdueAfterHandover))).to.equal(true);
  });

  it('includes a pending waiver, an open dispute by enterprise1 and commitments owed to enterprise1', async () => {
    expect((await pendingWaivers(ctx.db)).length).to.be.greaterThan(0);
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    const disputes = await openDisputes(ctx.db);
    expect(disputes.length).to.be.greaterThan(0);
    const owed = await listCommitments(ctx.db, { kind: 'enterprise', enterpriseId: enterprise1.enterpriseId! }, {}, 1, 100, today);
    expect(owed.total).to.be.at.least(5);
    expect(owed.items.map((c) => c.id)).to.include(disputes[0]!.commitmentId);
  });

  it('leaves each commitment a timeline that starts with its registration', async () => {
    for (const c of (await all()).items) {
      const timeline = await timelineOf(ctx.db, 'commitment', c.id);
      expect(timeline[0]!.action, c.title).to.equal('commitment.created');
    }
  });
});
