import type { Knex } from 'knex';
import { insertStep, saveFacts } from './repository.ts';
import { applyRating, applyTransition, DEFAULT_DEADLINE_DAYS, type CaseFacts, type ComplaintAction, type ComplaintCategory, type DeadlineDays, type RatingLevel, type StepActor } from './rules.ts';
import { SUBMIT_STEP } from './rules-cases.ts';

/*
 * Cases for tests, written as the use cases write them: a row opened as submitted, then each step
 * through the state machine, its facts and awaited deadline stored by saveFacts and a step row.
 */

/** A step of a test case: a transition by its actor, or a rating, on a date. */
export type TestStep = { action: ComplaintAction; by: StepActor; on: string; note?: string } | { rate: RatingLevel; on: string };

export interface TestCase {
  enterpriseId: number;
  agencyId: number;
  submittedOn: string;
  steps?: TestStep[];
  days?: DeadlineDays;
  category?: ComplaintCategory;
  statement?: string;
  withholdName?: boolean;
  forwardedToAgencyId?: number | null;
  commitmentId?: number | null;
  arrearsId?: number | null;
  amountClaimedFen?: number | null;
}

const AT = '2026-01-01T00:00:00.000Z';

export function submittedFacts(submittedOn: string): CaseFacts {
  return { status: 'submitted', submittedOn, acceptedOn: null, resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null };
}

/** Writes a case and walks it through its steps; a refused step fails the test. Answers the case's id and its final facts. */
export async function insertTestCase(db: Knex, spec: TestCase): Promise<{ id: number; facts: CaseFacts; days: DeadlineDays }> {
  const days = spec.days ?? DEFAULT_DEADLINE_DAYS;
  const set = await db('complaint_deadline_sets').orderBy('id').first('id');
  let facts = submittedFacts(spec.submittedOn);
  const [{ id: rawId }] = await db('complaints')
    .insert({
      enterprise_id: spec.enterpriseId,
      agency_id: spec.agencyId,
      forwarded_to_agency_id: spec.forwardedToAgencyId ?? null,
      category: spec.category ?? 'contract_breached',
      commitment_id: spec.commitmentId ?? null,
      arrears_id: spec.arrearsId ?? null,
      statement: spec.statement ?? '测试投诉',
      amount_claimed_fen: spec.amountClaimedFen ?? null,
      withhold_name: spec.withholdName ?? false,
      status: 'submitted',
      deadline_set_id: set.id,
      accept_days: days.acceptDays,
      resolve_days: days.resolveDays,
      rectify_days: days.rectifyDays,
      follow_up_days: days.followUpDays,
      auto_close_days: days.autoCloseDays,
      submitted_on: spec.submittedOn,
      created_at: AT,
      updated_at: AT,
    })
    .returning('id');
  const id = Number(rawId);
  await saveFacts(db, id, facts, days, AT);
  await insertStep(db, { complaintId: id, action: SUBMIT_STEP, fromStatus: null, toStatus: 'submitted', note: null, stepOn: spec.submittedOn, actorId: null, at: AT });
  for (const step of spec.steps ?? []) {
    const r = 'rate' in step ? applyRating(facts, step.rate, step.on) : applyTransition(facts, step.action, step.by, step.note ?? '记录', step.on);
    if (!r.ok) throw new Error(`case ${id}: ${JSON.stringify(step)} refused from ${facts.status}: ${r.refusal}`);
    if ('rate' in step) {
      const round = Number((await db('complaint_ratings').where({ complaint_id: id }).count({ n: '*' }))[0]!.n) + 1;
      await db('complaint_ratings').insert({ complaint_id: id, round, level: step.rate, comment: null, rated_on: step.on, created_at: AT });
    } else {
      await insertStep(db, { complaintId: id, action: step.action, fromStatus: facts.status, toStatus: r.facts.status, note: step.note ?? '记录', stepOn: step.on, actorId: null, at: AT });
    }
    facts = r.facts;
    await saveFacts(db, id, facts, days, AT);
  }
  return { id, facts, days };
}
