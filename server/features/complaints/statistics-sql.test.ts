import { expect } from 'chai';
import type { Knex } from 'knex';
import { fixedClock } from '../../domain/clock.ts';
import { addDays } from '../../domain/dates.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { insertTestCase, walkCase, type TestStep } from './cases-test-data.ts';
import { calendarFor, caseFacts, deadlineDaysOf, type ComplaintRow } from './repository.ts';
import { RATING_LEVELS } from './rules.ts';
import { handlingFigures, type Period, type RatingFacts, type StatisticsCase } from './rules-credit.ts';
import { complaintStatistics } from './statistics.ts';

/*
 * The statistics gather cases in SQL (by agency, filed by the period's end, not closed long before its
 * start) and evaluate each by the rules. Here every case, read without any narrowing, is evaluated by
 * the same rules: the figures must be equal for every agency and period, and the page must show them.
 */

const TODAY = '2026-11-20';

/** A small deterministic generator, so that a failure can be reproduced. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** A case walked through random steps a few days apart, up to today. */
function randomSteps(next: () => number, submittedOn: string): TestStep[] {
  const steps: TestStep[] = [];
  let on = submittedOn;
  for (;;) {
    on = addDays(on, Math.floor(next() * 25));
    if (on > TODAY) return steps;
    const { facts } = walkCase(submittedOn, steps);
    const roll = next();
    let step: TestStep | null;
    switch (facts.status) {
      case 'submitted':
        step = roll < 0.75 ? { action: 'accept', on } : roll < 0.85 ? { action: 'reject', on } : null;
        break;
      case 'accepted':
        step = roll < 0.85 ? { action: 'investigate', on } : null;
        break;
      case 'investigating':
        step = roll < 0.55 ? { action: 'resolve', on } : roll < 0.7 ? { action: 'rectify', on } : roll < 0.8 ? { action: 'find_default', on } : roll < 0.85 ? { action: 'forward', on } : null;
        break;
      case 'rectifying':
        step = roll < 0.7 ? { action: 'resolve', on } : roll < 0.8 ? { action: 'find_default', on } : null;
        break;
      case 'resolved':
        if (facts.rectifiedOn !== null && (facts.followedUpOn === null || facts.followedUpOn < facts.rectifiedOn)) step = roll < 0.7 ? { action: 'follow_up', on } : null;
        else step = roll < 0.85 ? { rate: RATING_LEVELS[Math.floor(next() * RATING_LEVELS.length)]!, on, voided: next() < 0.2 } : null;
        break;
      default:
        return steps;
    }
    if (!step) return steps;
    steps.push(step);
  }
}

/** Every case of the database as the rules read it, by agency: no narrowing by period. */
async function everyCase(db: Knex): Promise<Map<number, StatisticsCase[]>> {
  const rows: ComplaintRow[] = await db('complaints').orderBy('id');
  const ratings: Array<{ complaint_id: number; round: number; level: RatingFacts['level']; rated_on: string; voided: boolean | number }> = await db('complaint_ratings').orderBy('id');
  const byAgency = new Map<number, StatisticsCase[]>();
  for (const row of rows) {
    const own = ratings.filter((r) => Number(r.complaint_id) === Number(row.id)).map((r) => ({ round: Number(r.round), level: r.level, ratedOn: r.rated_on, voided: Boolean(r.voided) }));
    byAgency.set(Number(row.agency_id), [...(byAgency.get(Number(row.agency_id)) ?? []), { facts: caseFacts(row), days: deadlineDaysOf(row), ratings: own }]);
  }
  return byAgency;
}

describe('complaint statistics in SQL equal the rules', () => {
  let ctx: TestContext;
  let agencies: Array<{ id: number; name: string }>;
  let enterpriseId: number;

  before(async function () {
    this.timeout(60_000);
    ctx = await startTestApp({ clock: fixedClock(new Date(`${TODAY}T04:00:00Z`)) });
    agencies = (await ctx.db('agencies').orderBy('id').select('id', 'name')).map((a) => ({ id: Number(a.id), name: a.name }));
    enterpriseId = Number((await ctx.db('enterprises').orderBy('id').first('id')).id);
    const next = random(20_261_120);
    // 150 cases filed from September 2025 to today against four agencies (the fifth has none).
    for (let i = 0; i < 150; i++) {
      const submittedOn = addDays('2025-09-01', Math.floor(next() * 446));
      await insertTestCase(ctx.db, { agencyId: agencies[i % 4]!.id, enterpriseId, submittedOn, steps: randomSteps(next, submittedOn) });
    }
  });
  after(() => ctx.close());

  const periods: Period[] = [
    { from: '2025-01-01', to: '2025-12-31' },
    { from: '2026-01-01', to: TODAY },
    { from: '2026-01-01', to: '2026-12-31' },
    { from: '2026-03-01', to: '2026-03-31' },
    { from: '2026-10-01', to: '2026-10-31' },
    { from: '2025-11-15', to: '2026-02-15' },
    { from: '2026-12-01', to: '2026-12-31' },
  ];

  it('has varied data: every state, on time and late, voided ratings, rectifications and visits', async () => {
    const statuses = new Set((await ctx.db('complaints').distinct('status').pluck('status')) as string[]);
    expect([...statuses]).to.include.members(['submitted', 'accepted', 'rejected', 'investigating', 'rectifying', 'resolved', 'closed', 'default_found']);
    const year = await complaintStatistics(ctx.db, null, { from: '2025-01-01', to: TODAY }, TODAY);
    const t = year.total.figures;
    expect(t.acceptedOnTime).to.be.above(0).and.below(t.acceptanceDue);
    expect(t.resolvedOnTime).to.be.above(0).and.below(t.resolutionDue);
    expect(t.badRectified).to.be.above(0).and.below(t.badRatings);
    expect(t.followedUp).to.be.above(0).and.below(t.rectifications);
    expect(Number((await ctx.db('complaint_ratings').where({ voided: true }).count({ n: '*' }))[0]!.n)).to.be.above(0);
  });

  it('gives every agency the figures of the rules over every case, for every period', async () => {
    const all = await everyCase(ctx.db);
    const dates = [...all.values()].flat().map((c) => c.facts.submittedOn);
    const cal = await calendarFor(ctx.db, [...dates, TODAY], 30);
    for (const period of periods) {
      const report = await complaintStatistics(ctx.db, null, period, TODAY);
      for (const a of agencies) {
        const expected = handlingFigures(all.get(a.id) ?? [], period, TODAY, cal);
        expect(report.agencies.find((r) => r.agencyId === a.id)!.figures, `${a.name} ${period.from}–${period.to}`).to.deep.equal(expected);
      }
      expect(report.total.figures).to.deep.equal(handlingFigures([...all.values()].flat(), period, TODAY, cal));
      // One agency asked alone gets the same figures.
      const one = await complaintStatistics(ctx.db, [agencies[1]!.id], period, TODAY);
      expect(one.agencies.map((r) => r.agencyId)).to.deep.equal([agencies[1]!.id]);
      expect(one.agencies[0]!.figures).to.deep.equal(report.agencies.find((r) => r.agencyId === agencies[1]!.id)!.figures);
    }
  });

  it('counts on time in working days across the National Day holiday, and leaves voided ratings out', async () => {
    const quiet = agencies[4]!.id;
    const add = (submittedOn: string, steps: TestStep[]) => insertTestCase(ctx.db, { agencyId: quiet, enterpriseId, submittedOn, steps });
    // Filed Monday 28 September 2026: ten working days end on 16 October (1–7 October off, Saturday 10 October worked).
    await add('2026-09-28', [{ action: 'accept', on: '2026-10-16' }]);
    await add('2026-09-28', [{ action: 'accept', on: '2026-10-19' }]);
    const resolved: TestStep[] = [{ action: 'accept', on: '2026-10-08' }, { action: 'investigate', on: '2026-10-09' }, { action: 'resolve', on: '2026-10-20' }];
    await add('2026-09-29', [...resolved, { rate: 'very_dissatisfied', on: '2026-10-21', voided: true }]);
    await add('2026-09-29', [...resolved, { rate: 'satisfied', on: '2026-10-22' }]);
    await add('2026-09-29', [...resolved, { rate: 'dissatisfied', on: '2026-10-22' }, { action: 'resolve', on: '2026-10-26' }, { action: 'follow_up', on: '2026-10-27' }]);
    const { agencies: [october] } = await complaintStatistics(ctx.db, [quiet], { from: '2026-10-01', to: '2026-10-31' }, TODAY);
    expect(october!.figures).to.deep.equal({
      cases: 0, acceptanceDue: 5, acceptedOnTime: 4, resolutionDue: 0, resolvedOnTime: 0,
      ratings: 2, goodRatings: 1, badRatings: 1, badRectified: 1, rectifications: 1, followedUp: 1,
    });
    expect(october!.rates).to.include({ acceptedOnTimeRate: 0.8, goodReviewRate: 0.5, badReviewRectificationRate: 1, followUpRate: 1 });
    // Resolution was due 30 working days after 8 October, in November: on time there, and the cases count in September.
    const { agencies: [autumn] } = await complaintStatistics(ctx.db, [quiet], { from: '2026-09-01', to: '2026-11-30' }, TODAY);
    expect(autumn!.figures).to.include({ cases: 5, resolutionDue: 3, resolvedOnTime: 3 });
  });

  it('shows the same figures on the statistics page', async () => {
    const period = { from: '2026-01-01', to: TODAY };
    const report = await complaintStatistics(ctx.db, null, period, TODAY);
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get(`/complaints/statistics?from=${period.from}&to=${period.to}`);
    expect(res.status).to.equal(200);
    for (const a of report.agencies) {
      const row = new RegExp(`<tr class="" id="agency-${a.agencyId}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? '';
      const f = a.figures;
      expect(row, a.agencyName).to.include(`<span class="figure-cases">${f.cases}</span>`);
      expect(row).to.include(`${f.acceptedOnTime} / ${f.acceptanceDue}`);
      expect(row).to.include(`${f.resolvedOnTime} / ${f.resolutionDue}`);
      expect(row).to.include(`${f.goodRatings} / ${f.ratings}`);
      expect(row).to.include(`${f.badRectified} / ${f.badRatings}`);
      expect(row).to.include(`${f.followedUp} / ${f.rectifications}`);
    }
  });
});
