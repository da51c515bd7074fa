import { addDays, shanghaiDate } from '../../domain/dates.ts';
import { applyTransition, COMPLAINT_STATUSES, DEFAULT_DEADLINE_DAYS, isBadLevel, type CaseFacts, type ComplaintAction, type DeadlineDays, type RatingLevel, type StepActor } from './rules.ts';

/*
 * Pure rules of handling a case beyond the state machine in rules.ts: who ever takes a kind of step,
 * which reviews may be appealed, what a deadline set may hold, and when the daily auto-close sweep runs.
 */

const PROBE: CaseFacts = { status: 'submitted', submittedOn: '2026-01-05', acceptedOn: '2026-01-06', resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null };

/**
 * Whether this kind of actor takes this kind of step from some state (an agency never forwards, an
 * auditor never accepts). Asked of the state machine itself, so that it cannot drift from it: a user
 * who may never take the step is refused with 403, one who may but not from this state with 409.
 */
export function takesStep(action: ComplaintAction, actor: StepActor): boolean {
  return COMPLAINT_STATUSES.some((status) => {
    const r = applyTransition({ ...PROBE, status }, action, actor, 'note', '2026-01-07');
    return r.ok || (r.refusal !== 'not_your_step' && r.refusal !== 'not_allowed_from_state');
  });
}

/** The agency appeals a bad review only: a good one it could only want to lose by mistake. */
export function appealable(rating: { level: RatingLevel; voided: boolean }): boolean {
  return isBadLevel(rating.level) && !rating.voided;
}

/** Working days an admin may give a step: local rules range from 5 to 30; 60 leaves room without allowing nonsense. */
export const DEADLINE_DAYS_MIN = 1;
export const DEADLINE_DAYS_MAX = 60;
export const DEADLINE_FIELDS: ReadonlyArray<keyof DeadlineDays> = Object.keys(DEFAULT_DEADLINE_DAYS) as Array<keyof DeadlineDays>;

/** The fields of a proposed deadline set that are out of range. */
export function deadlineDaysProblems(days: DeadlineDays): Array<keyof DeadlineDays> {
  return DEADLINE_FIELDS.filter((f) => !Number.isInteger(days[f]) || days[f] < DEADLINE_DAYS_MIN || days[f] > DEADLINE_DAYS_MAX);
}

/** Beijing time of day at which the daily auto-close sweep runs: after midnight, so "today" has moved on. */
export const SWEEP_TIME = '00:30';

/** When the next daily sweep runs: 00:30 Beijing time of the day after `now`'s Beijing date. */
export function nextSweepAt(now: Date): Date {
  return new Date(`${addDays(shanghaiDate(now), 1)}T${SWEEP_TIME}:00+08:00`);
}
