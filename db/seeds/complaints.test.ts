import { expect } from 'chai';
import { verifyChain } from '../../server/audit/chain.ts';
import { addWorkingDays } from '../../server/domain/calendar.ts';
import { calendarFor, caseFacts, deadlineDaysOf, type ComplaintRow } from '../../server/features/complaints/repository.ts';
import { awaitedStep, COMPLAINT_STATUSES, daysFor } from '../../server/features/complaints/rules.ts';
import { TEST_CLOCK } from '../../test/factories.ts';
import { startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoArrears } from './arrears.ts';
import { seedDemoCommitments } from './commitments.ts';
import { seedDemoComplaints } from './complaints.ts';

describe('demo complaints seed', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();
  let cases: ComplaintRow[];

  before(async () => {
    ctx = await startTestApp({ seed: async (db) => {
      await seedDemoCommitments(db, TEST_CLOCK);
      await seedDemoArrears(db, TEST_CLOCK);
      await seedDemoComplaints(db, TEST_CLOCK);
    } });
    cases = await ctx.db('complaints').orderBy('id');
  });
  after(() => ctx.close());

  it('holds cases in every state', () => {
    expect(new Set(cases.map((c) => c.status))).to.have.all.keys(...COMPLAINT_STATUSES);
  });

  it('stores each awaited step and due date as the rules count them', async () => {
    for (const c of cases) {
      const facts = caseFacts(c);
      const awaited = awaitedStep(facts);
      if (!awaited) {
        expect([c.current_step, c.current_due_on], `case ${c.id}`).to.deep.equal([null, null]);
        continue;
      }
      const days = deadlineDaysOf(c);
      const cal = await calendarFor(ctx.db, [awaited.from], 60);
      expect([c.current_step, c.current_due_on], `case ${c.id}`).to.deep.equal([awaited.step, addWorkingDays(awaited.from, daysFor(awaited.step, days), cal).dueOn]);
    }
  });

  it('includes a case past its acceptance deadline and one under rectification after a bad review', () => {
    expect(cases.some((c) => c.status === 'submitted' && c.current_step === 'accept' && c.current_due_on! < today)).to.equal(true);
    expect(cases.some((c) => c.status === 'rectifying' && c.bad_review_on !== null && c.current_step === 'rectify' && c.current_due_on! >= today)).to.equal(true);
  });

  it('includes an appeal waiting for an auditor and a voided review on a case rated again', async () => {
    const pending = await ctx.db('complaint_appeals').whereNull('decision');
    expect(pending).to.have.length(1);
    const voided = await ctx.db('complaint_ratings').where({ voided: true });
    expect(voided).to.have.length(1);
    const rounds = await ctx.db('complaint_ratings').where({ complaint_id: voided[0].complaint_id }).orderBy('round').pluck('level');
    expect(rounds).to.deep.equal(['very_dissatisfied', 'basically_satisfied']);
  });

  it('includes a case forwarded to the agency’s superior, and a finding of default in the credit record with its arrears', async () => {
    const forwarded = cases.filter((c) => c.forwarded_to_agency_id !== null);
    expect(forwarded).to.have.length(1);
    const agency = await ctx.db('agencies').where({ id: forwarded[0]!.agency_id }).first('parent_id');
    expect(Number(forwarded[0]!.forwarded_to_agency_id)).to.equal(Number(agency.parent_id));
    const found = cases.find((c) => c.status === 'default_found')!;
    const entry = await ctx.db('credit_record_entries').where({ complaint_id: found.id }).first();
    expect(entry).to.include({ finding: (await ctx.db('complaint_steps').where({ complaint_id: found.id, action: 'find_default' }).first('note')).note });
    expect(entry.arrears_id).to.not.equal(null);
    expect(Number(entry.amount_fen)).to.equal(Number(found.amount_claimed_fen));
  });

  it('closes cases rated and unrated, and discloses a withheld name with its reason', () => {
    expect(cases.filter((c) => c.status === 'closed').map((c) => c.close_kind).sort()).to.deep.equal(['rated', 'rated', 'unrated']);
    const withheld = cases.filter((c) => c.withhold_name);
    expect(withheld).to.have.length(1);
    expect(withheld[0]!.name_disclosed_reason).to.be.a('string').and.not.equal('');
  });

  it('leaves an audit chain that verifies', async () => {
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
    expect(await ctx.db('audit_log').where({ action: 'complaint.auto_closed' }).count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(1);
  });
});
