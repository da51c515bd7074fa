import type { Knex } from 'knex';
import { currentDeadlineSet, insertStep, saveFacts } from './repository.ts';
import { applyRating, applyTransition, type CaseFacts, type ComplaintAction, type ComplaintCategory, type ComplaintStatus, type RatingLevel } from './rules.ts';
import type { RatingFacts } from './rules-credit.ts';

/*
 * Cases, ratings and findings written straight into the tables, for the statistics tests and the
 * credit record's demo data, which must not wait for the handling slice's use cases. Each case is
 * walked through the rules (applyTransition, applyRating), so its stored facts are ones the state
 * machine can reach, and written with saveFacts like any step.
 */

/** The names of the filing and rating rows of complaint_steps (the handling actions are named as the rules name them). */
const FILED_STEP = 'submitted';
const RATED_STEP = 'rated';

/** A step of a case on a day: a handling action (an auditor's forward or finding, the agency's others) or a rating. */
export type CaseStep = { action: ComplaintAction; on: string } | { rate: RatingLevel; on: string; voided?: boolean };

/** The facts and ratings a case has after its steps; a step the rules refuse is a mistake in the test data. */
export function walkCase(submittedOn: string, steps: CaseStep[]): { facts: CaseFacts; ratings: RatingFacts[]; trail: ComplaintStatus[] } {
  let facts: CaseFacts = { status: 'submitted', submittedOn, acceptedOn: null, resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null };
  const ratings: RatingFacts[] = [];
  // The status after each step, for the case's steps table.
  const trail: ComplaintStatus[] = [];
  for (const step of steps) {
    const result = 'rate' in step
      ? applyRating(facts, step.rate, step.on)
      : applyTransition(facts, step.action, step.action === 'forward' || step.action === 'find_default' ? 'auditor' : 'agency', 'note', step.on);
    if (!result.ok) throw new Error(`step ${JSON.stringify(step)} refused from ${facts.status}: ${result.refusal}`);
    if ('rate' in step) ratings.push({ round: ratings.length + 1, level: step.rate, ratedOn: step.on, voided: step.voided ?? false });
    facts = result.facts;
    trail.push(facts.status);
  }
  return { facts, ratings, trail };
}

export interface DirectCase {
  agencyId: number;
  enterpriseId: number;
  submittedOn: string;
  steps: CaseStep[];
  category?: ComplaintCategory;
  statement?: string;
  commitmentId?: number | null;
  arrearsId?: number | null;
  amountClaimedFen?: number | null;
  /** When the rows are written (an ISO instant). */
  at: string;
}

/** Writes a case under the deadline set in force, its steps and its ratings; answers its id. */
export async function insertDirectCase(db: Knex, c: DirectCase): Promise<number> {
  const set = await currentDeadlineSet(db);
  const { facts, ratings, trail } = walkCase(c.submittedOn, c.steps);
  const [{ id: rawId }] = await db('complaints')
    .insert({
      enterprise_id: c.enterpriseId,
      agency_id: c.agencyId,
      category: c.category ?? 'other',
      statement: c.statement ?? '测试投诉',
      commitment_id: c.commitmentId ?? null,
      arrears_id: c.arrearsId ?? null,
      amount_claimed_fen: c.amountClaimedFen ?? null,
      withhold_name: false,
      status: 'submitted',
      deadline_set_id: set.id,
      accept_days: set.days.acceptDays,
      resolve_days: set.days.resolveDays,
      rectify_days: set.days.rectifyDays,
      follow_up_days: set.days.followUpDays,
      auto_close_days: set.days.autoCloseDays,
      submitted_on: c.submittedOn,
      created_at: c.at,
      updated_at: c.at,
    })
    .returning('id');
  const id = Number(rawId);
  await saveFacts(db, id, facts, set.days, c.at);
  await insertStep(db, { complaintId: id, action: FILED_STEP, fromStatus: null, toStatus: 'submitted', note: null, stepOn: c.submittedOn, actorId: null, at: c.at });
  for (const [i, step] of c.steps.entries()) {
    await insertStep(db, { complaintId: id, action: 'rate' in step ? RATED_STEP : step.action, fromStatus: i === 0 ? 'submitted' : trail[i - 1]!, toStatus: trail[i]!, note: 'rate' in step ? null : 'note', stepOn: step.on, actorId: null, at: c.at });
  }
  if (ratings.length) {
    await db('complaint_ratings').insert(ratings.map((r) => ({ complaint_id: id, round: r.round, level: r.level, comment: null, rated_on: r.ratedOn, voided: r.voided, created_at: c.at })));
  }
  return id;
}

export interface DirectFinding {
  agencyId: number;
  complaintId?: number | null;
  commitmentId?: number | null;
  arrearsId?: number | null;
  amountFen?: number | null;
  foundOn: string;
  finding: string;
  foundBy?: number | null;
  at: string;
}

/** Writes a finding of default into the agency's credit record, not yet repaired; answers its id. */
export async function insertDirectFinding(db: Knex, f: DirectFinding): Promise<number> {
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
      created_at: f.at,
      updated_at: f.at,
    })
    .returning('id');
  return Number(id);
}
