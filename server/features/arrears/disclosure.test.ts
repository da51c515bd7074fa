import { expect } from 'chai';
import { fixedClock } from '../../domain/clock.ts';
import { callerFor, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { computeDisclosures, publishDisclosures, publishedDisclosures, reviewDisclosure } from './disclosure.ts';
import { insertArrearsRows, refreshArrears } from './repository.ts';

describe('annual disclosure (年度逾期未支付中小企业款项公示)', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let small: number;
  let large: number;
  const year = Number(TEST_CLOCK.today().slice(0, 4)) - 1;
  const d = (monthDay: string, y = year) => `${y}-${monthDay}`;

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    small = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    large = (await ctx.db('enterprises').where({ scale: 'large' }).first('id')).id;
    const at = TEST_CLOCK.now().toISOString();
    const row = (agencyId: number, enterpriseId: number, dueOn: string, principalFen: number, disputedFen = 0) => ({
      agencyId,
      enterpriseId,
      category: 'services' as const,
      principalFen,
      disputedFen,
      acceptedOn: d('01-01'),
      dueOn,
      description: '服务费',
    });
    const ids = await ctx.db.transaction((trx) =>
      insertArrearsRows(
        trx,
        [
          row(approval, small, d('06-30'), 500_000, 100_000), // overdue at the year's end: 400,000 undisputed
          row(approval, small, d('12-31'), 300_000), // due on the last day: not overdue on it
          row(approval, large, d('06-30'), 900_000), // a large creditor: not disclosed
          row(approval, small, d('03-31'), 200_000), // paid in the next year: still overdue on 31 December
          row(approval, small, d('03-31'), 100_000), // paid within the year
          row(commerce, small, d('09-30'), 700_000),
        ],
        null,
        at,
      ),
    );
    await ctx.db.transaction(async (trx) => {
      await trx('arrears_payments').insert([
        { arrears_id: ids[3], amount_fen: 200_000, paid_on: d('01-15', year + 1), voucher_no: 'P1', created_at: at },
        { arrears_id: ids[4], amount_fen: 100_000, paid_on: d('11-30'), voucher_no: 'P2', created_at: at },
      ]);
      await refreshArrears(trx, [ids[3]!, ids[4]!], at);
    });
  });
  after(() => ctx.close());

  const auditor = async () => callerFor(await demoUser(ctx.db, 'auditor'));
  const officer1 = async () => callerFor(await demoUser(ctx.db, 'officer1'));
  const rowOf = (agencyId: number) => ctx.db('arrears_disclosures').where({ year, agency_id: agencyId }).first();

  it('computes each agency’s SME contracts overdue and unpaid on 31 December, with their undisputed amount', async () => {
    const { computed } = await computeDisclosures(ctx, await auditor(), year);
    const [{ n }] = await ctx.db('agencies').count({ n: '*' });
    expect(computed).to.equal(Number(n));
    expect(await rowOf(approval)).to.include({ overdue_count: 2, status: 'draft' });
    expect(Number((await rowOf(approval)).overdue_fen)).to.equal(600_000);
    expect(Number((await rowOf(commerce)).overdue_fen)).to.equal(700_000);
    expect(await ctx.db('audit_log').where({ action: 'arrears.disclosure_computed' }).count({ n: '*' }).first()).to.deep.include({ n: Number(n) });
  });

  it('refuses a year that has not ended, and anyone but an auditor', async () => {
    const thisYear = year + 1;
    expect(await computeDisclosures(ctx, await auditor(), thisYear).catch((e: { status: number }) => e)).to.include({ status: 422 });
    expect(await computeDisclosures(ctx, await officer1(), year).catch((e: { status: number }) => e)).to.include({ status: 403 });
  });

  it('lets the agency’s officers review only their own row, and publishes only reviewed rows', async () => {
    const mine = await rowOf(approval);
    const theirs = await rowOf(commerce);
    expect(await reviewDisclosure(ctx, await officer1(), theirs.id, null).catch((e: { status: number }) => e)).to.include({ status: 404 });
    expect(await publishDisclosures(ctx, await auditor(), year, mine.id).catch((e: { status: number }) => e)).to.include({ status: 409 });
    await reviewDisclosure(ctx, await officer1(), mine.id, '数据无误');
    expect(await rowOf(approval)).to.include({ status: 'reviewed', review_note: '数据无误' });
    const { published } = await publishDisclosures(ctx, await auditor(), year);
    expect(published).to.equal(1);
    expect(await rowOf(approval)).to.include({ status: 'published', published_on: TEST_CLOCK.today() });
    expect(await rowOf(commerce)).to.include({ status: 'draft' });
  });

  it('freezes published figures: a recomputation and a review leave them as they were', async () => {
    const at = TEST_CLOCK.now().toISOString();
    const [extra] = await ctx.db.transaction((trx) =>
      insertArrearsRows(trx, [{ agencyId: approval, enterpriseId: small, category: 'goods', principalFen: 50_000, acceptedOn: d('01-01'), dueOn: d('02-01'), description: '补登' }], null, at),
    );
    expect(extra).to.be.a('number');
    const { unchangedPublished } = await computeDisclosures(ctx, await auditor(), year);
    expect(unchangedPublished).to.equal(1);
    expect(await rowOf(approval)).to.include({ overdue_count: 2, status: 'published' });
    const mine = await rowOf(approval);
    expect(await reviewDisclosure(ctx, await officer1(), mine.id, null).catch((e: { status: number }) => e)).to.include({ status: 409 });
    const portal = await publishedDisclosures(ctx.db, year);
    expect(portal.map((r) => [r.agencyId, r.overdueCount, r.overdueFen])).to.deep.equal([[approval, 2, 600_000]]);
  });

  it('sends a reviewed row whose figures changed back to the agency', async () => {
    const theirs = await rowOf(commerce);
    await reviewDisclosure(ctx, callerFor(await demoUser(ctx.db, 'officer2')), theirs.id, null);
    await ctx.db('arrears').where({ agency_id: commerce }).update({ disputed_fen: 200_000 });
    await computeDisclosures(ctx, await auditor(), year);
    expect(await rowOf(commerce)).to.include({ status: 'draft', reviewed_by: null });
    expect(Number((await rowOf(commerce)).overdue_fen)).to.equal(500_000);
  });

  it('flags a disclosure published after 31 March of the next year, or still unpublished then', async () => {
    const lateYear = year - 1;
    const clock = fixedClock(`${year}-04-02T10:00:00+08:00`);
    const later = { db: ctx.db, clock };
    await computeDisclosures(later, await auditor(), lateYear);
    const row = await ctx.db('arrears_disclosures').where({ year: lateYear, agency_id: approval }).first();
    await reviewDisclosure(later, await officer1(), row.id, null);
    await publishDisclosures(later, await auditor(), lateYear, row.id);
    const [published] = await publishedDisclosures(ctx.db, lateYear);
    expect(published).to.include({ publishedOn: `${year}-04-02`, late: true });

    const agent = await signIn(ctx.app, 'auditor');
    const page = await agent.get(`/arrears/disclosures?year=${lateYear}`);
    expect(page.status).to.equal(200);
    // Every row of a year long past is late: the published one, and those never published.
    expect(page.text.match(/disclosure-late/g)?.length).to.equal(Number((await ctx.db('agencies').count({ n: '*' }))[0]!.n));
  });

  it('serves the page: auditors compute and publish, officers see and confirm their own row', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const computed = await postForm(agent, `/arrears/disclosures?year=${year}`, '/arrears/disclosures/compute', { year: String(year) });
    expect(computed.status).to.equal(303);
    const officer = await signIn(ctx.app, 'officer2');
    const page = await officer.get(`/arrears/disclosures?year=${year}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('/review"');
    expect(page.text).to.not.include((await ctx.db('agencies').where({ id: approval }).first()).name);
    const row = await rowOf(commerce);
    const reviewed = await postForm(officer, `/arrears/disclosures?year=${year}`, `/arrears/disclosures/${row.id}/review`, { year: String(year), reviewNote: '已核对' });
    expect(reviewed.status).to.equal(303);
    const published = await postForm(agent, `/arrears/disclosures?year=${year}`, `/arrears/disclosures/${row.id}/publish`, { year: String(year) });
    expect(published.status).to.equal(303);
    expect(await rowOf(commerce)).to.include({ status: 'published' });
    const nothing = await postForm(agent, `/arrears/disclosures?year=${year}`, '/arrears/disclosures/publish', { year: String(year) });
    expect(nothing.status).to.equal(422);
    expect(nothing.text).to.include('没有已确认待公示的数据');
    expect((await (await signIn(ctx.app, 'enterprise1')).get('/arrears/disclosures')).status).to.equal(403);
  });
});
