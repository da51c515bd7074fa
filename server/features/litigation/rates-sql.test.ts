import { expect } from 'chai';
import { addDays } from '../../domain/dates.ts';
import { daysFromToday } from '../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { ratesByAgency, totalRates, type RegisterScope } from './queries.ts';
import { litigationRates } from './rules.ts';

/** Every combination a stored hearing may hold, the inconsistent one (spoke, absent) too: the SQL must agree with the rule on all of them. */
const ATTENDANCE = [
  { headAppeared: true, headSpoke: true },
  { headAppeared: true, headSpoke: false },
  { headAppeared: false, headSpoke: false },
  { headAppeared: false, headSpoke: true },
];

const PERIODS = [
  { from: daysFromToday(-400), to: daysFromToday(0) },
  { from: daysFromToday(-90), to: daysFromToday(-30) },
  { from: daysFromToday(-45), to: daysFromToday(-45) },
  { from: daysFromToday(-10), to: daysFromToday(10) },
  { from: daysFromToday(-1000), to: daysFromToday(-900) },
];

describe('litigation rates in SQL', () => {
  let ctx: TestContext;
  let agencies: number[];

  before(async () => {
    ctx = await startTestApp();
    agencies = (await ctx.db('agencies').orderBy('id').pluck('id')).map(Number);
    const at = new Date().toISOString();
    // Varied data: each agency but the last has cases; each case hearings on days spread across the periods' edges.
    let n = 0;
    for (const [a, agencyId] of agencies.slice(0, -1).entries()) {
      for (let c = 0; c <= a; c++) {
        const [{ id: caseId }] = await ctx.db('litigation_cases')
          .insert({ agency_id: agencyId, case_no: `SQL-${a}-${c}`, court: '青岛市中级人民法院', plaintiff: '原告', filed_on: daysFromToday(-500), created_at: at, updated_at: at })
          .returning('id');
        for (let h = 0; h < 3 + a + c; h++) {
          const attendance = ATTENDANCE[(n += 1 + a) % ATTENDANCE.length]!;
          const hearingOn = addDays(daysFromToday(-90), ((n * 37) % 100) - 5 + (h === 0 ? -45 + (a % 2) * 45 : 0));
          await ctx.db('litigation_hearings').insert({ case_id: caseId, hearing_on: hearingOn, head_appeared: attendance.headAppeared, head_spoke: attendance.headSpoke, created_at: at });
        }
      }
    }
  });
  after(() => ctx.close());

  /** What the rule says of the stored hearings of the period, per agency of the scope. */
  async function expected(scope: RegisterScope, period: { from: string; to: string }) {
    const rows: Array<{ agency_id: number; hearing_on: string; head_appeared: boolean | number; head_spoke: boolean | number }> = await ctx.db('litigation_hearings as h')
      .join('litigation_cases as c', 'c.id', 'h.case_id')
      .select('c.agency_id', 'h.hearing_on', 'h.head_appeared', 'h.head_spoke');
    const ids = scope.kind === 'all' ? agencies : scope.kind === 'agency' ? [scope.agencyId] : [];
    return ids.map((agencyId) => {
      const held = rows.filter((r) => Number(r.agency_id) === agencyId && r.hearing_on >= period.from && r.hearing_on <= period.to);
      return { agencyId, ...litigationRates(held.map((r) => ({ headAppeared: Boolean(r.head_appeared), headSpoke: Boolean(r.head_spoke) }))) };
    });
  }

  it('holds data that tells the rates apart (appearances, silences, absences, the inconsistent row)', async () => {
    const stored = await ctx.db('litigation_hearings').select('head_appeared', 'head_spoke');
    const kinds = new Set(stored.map((r) => `${Boolean(r.head_appeared)}/${Boolean(r.head_spoke)}`));
    expect(kinds.size).to.equal(4);
    // Rates strictly between none and all, and hearings on a period's first and last days.
    const rates = await expected({ kind: 'all' }, PERIODS[1]!);
    expect(rates.some((r) => r.appearanceRate !== null && r.appearanceRate > 0 && r.appearanceRate < 1 && r.speakingRate !== r.appearanceRate)).to.equal(true);
    const days = new Set(await ctx.db('litigation_hearings').pluck('hearing_on'));
    expect(days.has(PERIODS[1]!.from) || days.has(PERIODS[1]!.to)).to.equal(true);
  });

  for (const [i, period] of PERIODS.entries()) {
    it(`gives every agency the rule's hearings, appearance and speaking rates (period ${i + 1})`, async () => {
      const sql = await ratesByAgency(ctx.db, { kind: 'all' }, period);
      expect(sql.map(({ agencyId, hearings, appearanceRate, speakingRate }) => ({ agencyId, hearings, appearanceRate, speakingRate }))).to.deep.equal(await expected({ kind: 'all' }, period));
    });
  }

  it('gives one agency its own figures, and the whole city the rule over every hearing', async () => {
    const period = PERIODS[0]!;
    for (const agencyId of agencies) {
      const sql = await ratesByAgency(ctx.db, { kind: 'agency', agencyId }, period);
      expect(sql.map(({ agencyId: id, hearings, appearanceRate, speakingRate }) => ({ agencyId: id, hearings, appearanceRate, speakingRate }))).to.deep.equal(await expected({ kind: 'agency', agencyId }, period));
      // An auditor asking for one agency gets that agency alone.
      expect((await ratesByAgency(ctx.db, { kind: 'all' }, period, agencyId)).map((r) => r.agencyId)).to.deep.equal([agencyId]);
    }
    const all = await expected({ kind: 'all' }, period);
    const city = totalRates(await ratesByAgency(ctx.db, { kind: 'all' }, period));
    const rows: Array<{ head_appeared: boolean | number; head_spoke: boolean | number; hearing_on: string }> = await ctx.db('litigation_hearings').whereBetween('hearing_on', [period.from, period.to]);
    expect({ hearings: city.hearings, appearanceRate: city.appearanceRate, speakingRate: city.speakingRate }).to.deep.equal(litigationRates(rows.map((r) => ({ headAppeared: Boolean(r.head_appeared), headSpoke: Boolean(r.head_spoke) }))));
    expect(city.hearings).to.equal(all.reduce((sum, a) => sum + a.hearings, 0));
  });

  it('lists an agency without hearings with no rate, and a scope of none with nothing', async () => {
    const last = (await ratesByAgency(ctx.db, { kind: 'all' }, PERIODS[0]!)).at(-1)!;
    expect(last).to.include({ agencyId: agencies.at(-1), hearings: 0, appearanceRate: null, speakingRate: null });
    expect(await ratesByAgency(ctx.db, { kind: 'none' }, PERIODS[0]!)).to.deep.equal([]);
  });
});
