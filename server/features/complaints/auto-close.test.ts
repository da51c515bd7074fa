import { expect } from 'chai';
import { addWorkingDays, buildWorkingCalendar } from '../../domain/calendar.ts';
import { addDays, daysBetween } from '../../domain/dates.ts';
import { queueStandingJobs } from '../../jobs/runner.ts';
import { runJobs, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { clockOn, fileOn, handlingCast, on, rateOn, walk, type HandlingCast } from '../../../test/complaints-handling.ts';
import { FEATURES } from '../index.ts';
import { AUTO_CLOSE_JOB_KIND, autoCloseDueCases } from './auto-close-job.ts';
import { complaintRow } from './repository.ts';
import { nextSweepAt } from './rules-handling.ts';
import { changeDeadlineSet } from './service/deadline-sets.ts';

const cal = buildWorkingCalendar({ fromYear: 2026, toYear: 2027 });

describe('auto-close of unrated cases', () => {
  let ctx: TestContext;
  let cast: HandlingCast;

  beforeEach(async () => {
    ctx = await startTestApp();
    cast = await handlingCast(ctx.db);
  });
  afterEach(() => ctx.close());

  /** A case resolved on the day (filed and accepted a few days before). */
  async function resolvedOn(date: string): Promise<number> {
    const id = await fileOn(ctx.db, addDays(date, -10), cast);
    await walk(ctx.db, cast, id, [['accept', addDays(date, -9)], ['investigate', addDays(date, -8)], ['resolve', date]]);
    return id;
  }

  it('closes a resolved case as unrated once its 15 working days have passed, not on the last day; holidays do not count', async () => {
    // Resolved just before the National Day holidays: the window runs well past 15 working days of calendar.
    const id = await resolvedOn('2026-09-28');
    const lastDay = addWorkingDays('2026-09-28', 15, cal).dueOn;
    expect(daysBetween('2026-09-28', lastDay)).to.be.greaterThan(21);
    expect(await autoCloseDueCases(on(ctx.db, lastDay))).to.deep.equal([]);
    expect(await complaintRow(ctx.db, id)).to.include({ status: 'resolved', current_step: 'rate', current_due_on: lastDay });
    const dayAfter = addDays(lastDay, 1);
    expect(await autoCloseDueCases(on(ctx.db, dayAfter))).to.deep.equal([id]);
    expect(await complaintRow(ctx.db, id)).to.include({ status: 'closed', close_kind: 'unrated', closed_on: dayAfter, current_step: null, current_due_on: null });
    const step = await ctx.db('complaint_steps').where({ complaint_id: id }).orderBy('id', 'desc').first();
    expect(step).to.include({ action: 'auto_close', from_status: 'resolved', to_status: 'closed', actor_id: null, step_on: dayAfter });
    const audit = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id), action: 'complaint.auto_closed' });
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actor_id: null, actor_name: 'system' });
    expect(JSON.parse(audit[0].after_json)).to.deep.equal({ caseStatus: 'closed', closeKind: 'unrated' });
    expect(await ctx.db('complaint_ratings').where({ complaint_id: id })).to.deep.equal([]);
  });

  it('counts each case’s own rating window, and leaves alone a case still owed its follow-up visit or already rated', async () => {
    const old = await resolvedOn('2026-03-10');
    await changeDeadlineSet({ db: ctx.db, clock: clockOn('2026-03-01') }, cast.admin, { days: { acceptDays: 10, resolveDays: 30, rectifyDays: 15, followUpDays: 5, autoCloseDays: 5 } });
    const short = await resolvedOn('2026-03-16'); // filed after the change: 5 working days
    const owed = await resolvedOn('2026-03-02');
    await rateOn(ctx.db, cast, owed, '2026-03-03', 'dissatisfied', '没解决');
    await walk(ctx.db, cast, owed, [['resolve', '2026-03-04']]); // rectified, the visit not yet made
    const rated = await resolvedOn('2026-03-02');
    await rateOn(ctx.db, cast, rated, '2026-03-03', 'satisfied');
    const sweepOn = addDays(addWorkingDays('2026-03-16', 5, cal).dueOn, 1);
    expect(sweepOn < addWorkingDays('2026-03-10', 15, cal).dueOn).to.equal(true);
    expect(await autoCloseDueCases(on(ctx.db, sweepOn))).to.deep.equal([short]);
    expect((await complaintRow(ctx.db, old))!.status).to.equal('resolved');
    expect(await autoCloseDueCases(on(ctx.db, '2026-06-01'))).to.deep.equal([old]);
    expect(await complaintRow(ctx.db, owed)).to.include({ status: 'resolved', current_step: 'follow_up' });
    expect(await complaintRow(ctx.db, rated)).to.include({ status: 'closed', close_kind: 'rated' });
  });

  it('closes each case once when two instances sweep at the same time', async () => {
    const ids = [await resolvedOn('2026-03-02'), await resolvedOn('2026-03-03'), await resolvedOn('2026-03-04')];
    const [a, b] = await Promise.all([autoCloseDueCases(on(ctx.db, '2026-05-06')), autoCloseDueCases(on(ctx.db, '2026-05-06'))]);
    expect([...a, ...b].sort()).to.deep.equal(ids);
    for (const id of ids) {
      expect(await ctx.db('complaint_steps').where({ complaint_id: id, action: 'auto_close' })).to.have.length(1);
      expect(await ctx.db('audit_log').where({ entity_id: String(id), action: 'complaint.auto_closed' })).to.have.length(1);
    }
  });

  describe('the daily job', () => {
    const kinds = FEATURES.flatMap((f) => f.jobs ?? []);
    const queued = () => ctx.db('jobs').where({ kind: AUTO_CLOSE_JOB_KIND, status: 'queued' }).orderBy('id');

    it('is queued at start-up when none is waiting, runs, and queues tomorrow’s sweep at 00:30 Beijing time', async () => {
      const id = await resolvedOn('2026-03-02');
      const clock = clockOn('2026-05-06');
      expect(await queueStandingJobs(ctx.db, kinds, clock)).to.deep.equal([AUTO_CLOSE_JOB_KIND]);
      expect(await queueStandingJobs(ctx.db, kinds, clock)).to.deep.equal([]);
      expect(await runJobs(ctx.db, { clock })).to.equal(1);
      expect((await complaintRow(ctx.db, id))!.status).to.equal('closed');
      const next = await queued();
      expect(next).to.have.length(1);
      expect(new Date(next[0].run_after).toISOString()).to.equal(nextSweepAt(clock.now()).toISOString());
      expect(new Date(next[0].run_after).toISOString()).to.equal('2026-05-06T16:30:00.000Z');
      // Not before its time; then it runs and queues the one after.
      expect(await runJobs(ctx.db, { clock })).to.equal(0);
      expect(await runJobs(ctx.db, { clock: clockOn('2026-05-07') })).to.equal(1);
      expect((await queued()).map((j) => new Date(j.run_after).toISOString())).to.deep.equal(['2026-05-07T16:30:00.000Z']);
    });

    it('merges the twin sweeps two instances queued at once into one chain', async () => {
      await resolvedOn('2026-03-02');
      const clock = clockOn('2026-05-06');
      await queueStandingJobs(ctx.db, kinds, clock);
      // The other instance checked before this one queued.
      await ctx.db('jobs').insert({ ...(await ctx.db('jobs').where({ kind: AUTO_CLOSE_JOB_KIND }).first('kind', 'payload', 'status', 'max_attempts', 'run_after', 'created_at')) });
      expect(await queued()).to.have.length(2);
      await Promise.all([runJobs(ctx.db, { clock }), runJobs(ctx.db, { clock })]);
      expect(await queued()).to.have.length(1);
      expect(await ctx.db('complaint_steps').where({ action: 'auto_close' })).to.have.length(1);
    });
  });
});
