import { expect } from 'chai';
import { timelineOf } from '../../server/audit/timeline.ts';
import { hearingsOfCases, listCases, ratesByAgency } from '../../server/features/litigation/queries.ts';
import { hearingProblems } from '../../server/features/litigation/rules.ts';
import { TEST_CLOCK, demoUser } from '../../test/factories.ts';
import { startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoLitigation } from './litigation.ts';

describe('demo litigation seed', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp({ seed: (db) => seedDemoLitigation(db, TEST_CLOCK) });
  });
  after(() => ctx.close());

  it('holds pending and concluded cases of several demo agencies, officer1 and officer2 among them', async () => {
    const { items } = await listCases(ctx.db, { kind: 'all' }, {}, 1, 100);
    expect(items.length).to.be.within(5, 10);
    expect(new Set(items.map((c) => c.status))).to.have.all.keys('pending', 'concluded');
    for (const username of ['officer1', 'officer2']) {
      const { agencyId } = await demoUser(ctx.db, username);
      expect(items.some((c) => c.agencyId === agencyId), username).to.equal(true);
    }
    expect(items.some((c) => c.plaintiffEnterpriseId !== null) && items.some((c) => c.plaintiffEnterpriseId === null)).to.equal(true);
  });

  it('records valid hearings, exactly one of which the head missed with someone appearing instead', async () => {
    const { items } = await listCases(ctx.db, { kind: 'all' }, {}, 1, 100);
    const hearings = await hearingsOfCases(ctx.db, items.map((c) => c.id));
    const all = items.flatMap((c) => hearings.get(c.id)!.map((h) => ({ c, h })));
    for (const { c, h } of all) expect(hearingProblems(h, c.filedOn, today), `${c.caseNo} ${h.hearingOn}`).to.deep.equal([]);
    const missed = all.filter(({ h }) => !h.headAppeared);
    expect(missed).to.have.length(1);
    expect(missed[0]!.h.appearedInstead).to.be.a('string').and.not.equal('');
    const officer1 = await demoUser(ctx.db, 'officer1');
    expect(missed[0]!.c.agencyId).to.equal(officer1.agencyId);
  });

  it('gives officer1 an appearance rate below 100% over the last year, and each case its history', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const [rates] = await ratesByAgency(ctx.db, { kind: 'agency', agencyId: officer1.agencyId! }, { from: '2000-01-01', to: today });
    expect(rates!.hearings).to.equal(4);
    expect(rates!.appearanceRate).to.equal(0.75);
    expect(rates!.speakingRate).to.equal(0.5);
    const { items } = await listCases(ctx.db, { kind: 'agency', agencyId: officer1.agencyId! }, {}, 1, 100);
    for (const c of items) {
      const actions = (await timelineOf(ctx.db, 'litigation_case', c.id)).map((e) => e.action);
      expect(actions[0]).to.equal('litigation.case_recorded');
      expect(actions.filter((a) => a === 'litigation.hearing_recorded')).to.have.length(c.hearingCount);
    }
  });
});
