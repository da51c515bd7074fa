import { expect } from 'chai';
import { campaignProgress } from '../../server/features/campaigns/service/progress.ts';
import { TEST_CLOCK, demoUser } from '../../test/factories.ts';
import { startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoCampaigns } from './campaigns.ts';
import { seedDemoCommitments } from './commitments.ts';

describe('demo campaign seed', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await startTestApp({
      seed: async (db) => {
        await seedDemoCommitments(db, TEST_CLOCK);
        await seedDemoCampaigns(db, TEST_CLOCK);
      },
    });
  });
  after(() => ctx.close());

  it('holds a running campaign over the demo agencies with a baseline, new problems and an assignment', async () => {
    const campaign = await ctx.db('campaigns').first();
    const progress = await campaignProgress(ctx, await demoUser(ctx.db, 'auditor'), campaign.id, TEST_CLOCK.today());
    expect(progress.agencies.length).to.equal(Number((await ctx.db('agencies').count({ n: '*' }))[0]!.n));
    expect(progress.all.total.baselineCount).to.be.greaterThan(2);
    expect(progress.arrears.total.newProblemCount).to.be.at.least(1);
    expect(progress.milestones.total.baselineCount).to.be.greaterThan(0);
    expect(progress.assignments).to.have.length(1);
  });
});
