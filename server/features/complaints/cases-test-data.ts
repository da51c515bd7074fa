import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { fixedClock, type Clock } from '../../domain/clock.ts';
import { shanghaiDayStart } from '../../domain/dates.ts';
import { insertStep, saveFacts } from './repository.ts';
import { applyRating, applyTransition, type CaseFacts, type ComplaintAction, type ComplaintCategory, type DeadlineDays, type RatingLevel, type StepActor } from './rules.ts';
import type { RatingFacts } from './rules-credit.ts';
import { enterComplaint } from './service/file.ts';
import { RATING_STEP } from './service/rating.ts';

/*
 * Cases for tests and the credit record's demo data, filed as filing files them (enterComplaint, by the
 * system, on the day) and then walked through the state machine straight into the tables, so that a
 * test can put a case in any reachable state on any dates without the officers and auditors the
 * handling use cases would need: each step's facts and awaited deadline stored by saveFacts and a
 * step row named as the use cases name it.
 */

/** A step of a test case on a date: a transition (by the agency, or the auditor for forward and find_default, unless `by` says), or a rating. */
export type TestStep = { action: ComplaintAction; on: string; by?: StepActor; note?: string } | { rate: RatingLevel; on: string; voided?: boolean };

export interface TestCase {
  enterpriseId: number;
  agencyId: number;
  submittedOn: string;
  steps?: TestStep[];
  /** Deadline days other than the set in force's, as a case opened under an older set has. */
  days?: DeadlineDays;
  category?: ComplaintCategory;
  statement?: string;
  withholdName?: boolean;
  forwardedToAgencyId?: number | null;
  commitmentId?: number | null;
  arrearsId?: number | null;
  amountClaimedFen?: number | null;
}

const TEST_AT = '2026-01-01T00:00:00.000Z';

/** A clock standing at noon (Beijing) of the day: what a test or the demo did on that day. */
export const clockOn = (date: string): Clock => fixedClock(new Date(Date.parse(shanghaiDayStart(date)) + 12 * 3_600_000));

const actorOf = (step: { action: ComplaintAction; by?: StepActor }): StepActor => step.by ?? (step.action === 'forward' || step.action === 'find_default' ? 'auditor' : 'agency');

export function submittedFacts(submittedOn: string): CaseFacts {
  return { status: 'submitted', submittedOn, acceptedOn: null, resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null };
}

/** The facts after each step and the ratings a case has after its steps; a step the rules refuse is a mistake in the test data. */
export function walkCase(submittedOn: string, steps: TestStep[]): { facts: CaseFacts; ratings: RatingFacts[]; trail: CaseFacts[] } {
  let facts = submittedFacts(submittedOn);
  const ratings: RatingFacts[] = [];
  const trail: CaseFacts[] = [];
  for (const step of steps) {
    const result = 'rate' in step ? applyRating(facts, step.rate, step.on) : applyTransition(facts, step.action, actorOf(step), step.note ?? '记录', step.on);
    if (!result.ok) throw new Error(`step ${JSON.stringify(step)} refused from ${facts.status}: ${result.refusal}`);
    if ('rate' in step) ratings.push({ round: ratings.length + 1, level: step.rate, ratedOn: step.on, voided: step.voided ?? false });
    facts = result.facts;
    trail.push(facts);
  }
  return { facts, ratings, trail };
}

/** Files a case and walks it through its steps. Answers the case's id, its final facts and its deadline days. */
export async function insertTestCase(db: Knex, spec: TestCase): Promise<{ id: number; facts: CaseFacts; days: DeadlineDays }> {
  const { id } = await enterComplaint({ db, clock: clockOn(spec.submittedOn) }, SYSTEM_ACTOR, spec.enterpriseId, {
    agencyId: spec.agencyId,
    category: spec.category ?? 'contract_breached',
    statement: spec.statement ?? '测试投诉',
    commitmentId: spec.commitmentId ?? null,
    arrearsId: spec.arrearsId ?? null,
    amountClaimedFen: spec.amountClaimedFen ?? null,
    withholdName: spec.withholdName ?? false,
  });
  const opened = await db('complaints').where({ id }).first('accept_days', 'resolve_days', 'rectify_days', 'follow_up_days', 'auto_close_days', 'created_at');
  const days: DeadlineDays = spec.days ?? { acceptDays: opened.accept_days, resolveDays: opened.resolve_days, rectifyDays: opened.rectify_days, followUpDays: opened.follow_up_days, autoCloseDays: opened.auto_close_days };
  const at = new Date(opened.created_at).toISOString();
  if (spec.days || spec.forwardedToAgencyId) {
    await db('complaints').where({ id }).update({
      forwarded_to_agency_id: spec.forwardedToAgencyId ?? null,
      accept_days: days.acceptDays,
      resolve_days: days.resolveDays,
      rectify_days: days.rectifyDays,
      follow_up_days: days.followUpDays,
      auto_close_days: days.autoCloseDays,
    });
  }
  const steps = spec.steps ?? [];
  const { facts, ratings, trail } = walkCase(spec.submittedOn, steps);
  for (const [i, step] of steps.entries()) {
    const from = i === 0 ? 'submitted' : trail[i - 1]!.status;
    const note = 'rate' in step ? null : (step.note ?? '记录');
    await insertStep(db, { complaintId: id, action: 'rate' in step ? RATING_STEP : step.action, fromStatus: from, toStatus: trail[i]!.status, note, stepOn: step.on, actorId: null, at });
  }
  await saveFacts(db, id, facts, days, at);
  if (ratings.length) {
    await db('complaint_ratings').insert(ratings.map((r) => ({ complaint_id: id, round: r.round, level: r.level, comment: null, rated_on: r.ratedOn, voided: r.voided, created_at: at })));
  }
  return { id, facts, days };
}

export interface TestFinding {
  agencyId: number;
  complaintId?: number | null;
  commitmentId?: number | null;
  arrearsId?: number | null;
  amountFen?: number | null;
  foundOn: string;
  finding: string;
  foundBy?: number | null;
  at?: string;
}

/** Writes a finding of default into the agency's credit record, not yet repaired; answers its id. */
export async function insertTestFinding(db: Knex, f: TestFinding): Promise<number> {
  const [{ id }] = await db('credit_record_entries')
    .insert({
      agency_id: f.agencyId,
      complaint_id: f.complaintId ?? null,
      commitment_id: f.commitmentId ?? null,
      arrears_id: f.arrearsId ?? null,
      amount_fen: f.amountFen ?? null,
      found_on: f.foundOn,
      finding: f.finding,
      found_by: f.foundBy ?? null,
      created_at: f.at ?? TEST_AT,
      updated_at: f.at ?? TEST_AT,
    })
    .returning('id');
  return Number(id);
}
