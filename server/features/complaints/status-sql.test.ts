import { expect } from 'chai';
import { addWorkingDays, buildWorkingCalendar } from '../../domain/calendar.ts';
import { addDays } from '../../domain/dates.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { demoUser } from '../../../test/factories.ts';
import { insertTestCase, type TestStep } from './cases-test-data.ts';
import { filteredCaseIds } from './queries.ts';
import { caseFacts, type ComplaintRow } from './repository.ts';
import { awaitedStep, caseDeadlines, daysFor, DEFAULT_DEADLINE_DAYS, type CaseFacts, type ComplaintAction, type DeadlineDays, type RatingLevel, type StepActor } from './rules.ts';
import { caseOverdue } from './rules-cases.ts';

/*
 * The lists flag, sort and filter by the awaited step and its due date stored on each case. On cases in
 * every state, filed before, across and after the 2026 Spring Festival, around National Day and into a
 * year whose arrangement is not known, under two deadline sets: the stored columns must be what
 * awaitedStep and caseDeadlines say, and the SQL overdue filter must keep exactly the cases the rule
 * calls overdue, on every day around every due date.
 */

const cal = buildWorkingCalendar({ fromYear: 2026, toYear: 2029 });
const LOCAL_DAYS: DeadlineDays = { acceptDays: 5, resolveDays: 20, rectifyDays: 7, followUpDays: 3, autoCloseDays: 10 };
const SUBMITTED_ON = ['2026-02-05', '2026-02-12', '2026-02-13', '2026-02-26', '2026-09-25', '2026-09-30', '2026-12-10', '2026-12-24'];

/** Paths through the state machine, as day offsets from the filing date. */
type UndatedStep = { action: ComplaintAction; by: StepActor } | { rate: RatingLevel };
const PATHS: Array<Array<[number, UndatedStep]>> = [
  [],
  [[3, { action: 'accept', by: 'agency' }]],
  [[40, { action: 'accept', by: 'agency' }], [41, { action: 'investigate', by: 'agency' }]],
  [[2, { action: 'reject', by: 'agency' }]],
  [[1, { action: 'forward', by: 'auditor' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [9, { action: 'rectify', by: 'agency' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [30, { action: 'resolve', by: 'agency' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [30, { action: 'resolve', by: 'agency' }], [33, { rate: 'dissatisfied' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [30, { action: 'resolve', by: 'agency' }], [33, { rate: 'very_dissatisfied' }], [50, { action: 'resolve', by: 'agency' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [30, { action: 'resolve', by: 'agency' }], [33, { rate: 'dissatisfied' }], [40, { action: 'resolve', by: 'agency' }], [44, { action: 'follow_up', by: 'agency' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [30, { action: 'resolve', by: 'agency' }], [33, { rate: 'dissatisfied' }], [40, { action: 'resolve', by: 'agency' }], [44, { action: 'follow_up', by: 'agency' }], [46, { rate: 'satisfied' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [9, { action: 'find_default', by: 'auditor' }]],
  [[1, { action: 'accept', by: 'agency' }], [5, { action: 'investigate', by: 'agency' }], [9, { action: 'rectify', by: 'agency' }], [60, { action: 'resolve', by: 'agency' }], [61, { rate: 'satisfied' }]],
];

describe('stored deadlines and the overdue filter agree with the rules', () => {
  let ctx: TestContext;
  const cases: Array<{ id: number; facts: CaseFacts; days: DeadlineDays }> = [];

  before(async () => {
    ctx = await startTestApp();
    const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const agencyId = (await demoUser(ctx.db, 'officer1')).agencyId!;
    for (const days of [DEFAULT_DEADLINE_DAYS, LOCAL_DAYS]) {
      for (const submittedOn of SUBMITTED_ON) {
        for (const path of PATHS) {
          const steps = path.map(([offset, step]): TestStep => ({ ...step, on: addDays(submittedOn, offset) }));
          cases.push(await insertTestCase(ctx.db, { enterpriseId, agencyId, submittedOn, steps, days }));
        }
      }
    }
  });
  after(() => ctx.close());

  it('stores each case’s awaited step and the due date counted on the calendar, as the case page counts it', async () => {
    const rows: ComplaintRow[] = await ctx.db('complaints').orderBy('id');
    expect(rows).to.have.length(cases.length);
    const states = new Set<string>();
    for (const [i, row] of rows.entries()) {
      const { facts, days } = cases[i]!;
      expect(caseFacts(row), `case ${row.id}`).to.deep.equal(facts);
      states.add(facts.status);
      const awaited = awaitedStep(facts);
      const expected = awaited ? { current_step: awaited.step, current_due_on: addWorkingDays(awaited.from, daysFor(awaited.step, days), cal).dueOn } : { current_step: null, current_due_on: null };
      expect({ current_step: row.current_step, current_due_on: row.current_due_on }, `case ${row.id} (${facts.status})`).to.deep.equal(expected);
      if (awaited) {
        const shown = caseDeadlines(facts, days, cal, facts.submittedOn).find((d) => d.step === awaited.step && d.from === awaited.from);
        expect(shown?.dueOn, `case ${row.id}: the page's deadline`).to.equal(row.current_due_on);
      }
    }
    expect([...states].sort()).to.deep.equal(['accepted', 'closed', 'default_found', 'investigating', 'rectifying', 'rejected', 'resolved', 'submitted']);
  });

  it('filters overdue in SQL exactly as the rule decides, on the days around every due date', async () => {
    const rows: ComplaintRow[] = await ctx.db('complaints').whereNotNull('current_due_on').select('current_due_on');
    const todays = [...new Set(rows.flatMap((r) => [addDays(r.current_due_on!, -1), r.current_due_on!, addDays(r.current_due_on!, 1)]))].sort();
    expect(todays.length).to.be.greaterThan(30);
    let overdueSeen = 0;
    for (const today of todays) {
      const expected = cases.filter((c) => caseOverdue(c.facts, c.days, cal, today)).map((c) => c.id).sort((a, b) => a - b);
      overdueSeen += expected.length;
      expect(await filteredCaseIds(ctx.db, { kind: 'all' }, { overdue: 'yes' }, today), `overdue on ${today}`).to.deep.equal(expected);
      const rest = cases.map((c) => c.id).filter((id) => !expected.includes(id)).sort((a, b) => a - b);
      expect(await filteredCaseIds(ctx.db, { kind: 'all' }, { overdue: 'no' }, today), `not overdue on ${today}`).to.deep.equal(rest);
    }
    expect(overdueSeen, 'some cases are overdue on some days').to.be.greaterThan(0);
  });
});
