import { addWorkingDays, type WorkingCalendar } from '../../domain/calendar.ts';

/**
 * The rules of complaint cases, free of any database or HTTP: the state machine, who takes which
 * step, the working-day deadlines of each step, the rating levels, and the statistics that the
 * agency pages and the integrity index read. Calendar dates are 'YYYY-MM-DD' strings (Asia/Shanghai).
 */

export type ComplaintStatus = 'submitted' | 'accepted' | 'rejected' | 'investigating' | 'rectifying' | 'resolved' | 'closed' | 'default_found';
export type ComplaintCategory = 'policy_not_honoured' | 'contract_breached' | 'arrears_unpaid' | 'legacy_ignored' | 'other';
export type ComplaintAction = 'accept' | 'reject' | 'investigate' | 'rectify' | 'resolve' | 'follow_up' | 'forward' | 'find_default';
export type RatingLevel = 'very_satisfied' | 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'very_dissatisfied';
/** Who takes a step: the agency's officers (or the superior's, once forwarded), an auditor, the complainant, or the system. */
export type StepActor = 'agency' | 'auditor' | 'complainant' | 'system';
export type DeadlineStep = 'accept' | 'resolve' | 'rectify' | 'follow_up' | 'rate';

export const COMPLAINT_STATUSES: readonly ComplaintStatus[] = ['submitted', 'accepted', 'rejected', 'investigating', 'rectifying', 'resolved', 'closed', 'default_found'];
export const COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = ['policy_not_honoured', 'contract_breached', 'arrears_unpaid', 'legacy_ignored', 'other'];
export const COMPLAINT_ACTIONS: readonly ComplaintAction[] = ['accept', 'reject', 'investigate', 'rectify', 'resolve', 'follow_up', 'forward', 'find_default'];
export const RATING_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'];
/** 好评: the top three levels. */
export const GOOD_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied', 'basically_satisfied'];
/** States in which a case is still being handled. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'accepted', 'investigating', 'rectifying', 'resolved'];

export function isBadLevel(level: RatingLevel): boolean {
  return !GOOD_LEVELS.includes(level);
}

/** The working days each step is given; a case keeps the set it was opened under. */
export interface DeadlineDays {
  acceptDays: number;
  resolveDays: number;
  rectifyDays: number;
  followUpDays: number;
  autoCloseDays: number;
}

export const DEFAULT_DEADLINE_DAYS: DeadlineDays = { acceptDays: 10, resolveDays: 30, rectifyDays: 15, followUpDays: 5, autoCloseDays: 15 };

/** What the state machine reads and writes of a case: its status and the dates its deadlines count from. */
export interface CaseFacts {
  status: ComplaintStatus;
  submittedOn: string;
  acceptedOn: string | null;
  resolvedOn: string | null;
  badReviewOn: string | null;
  rectifiedOn: string | null;
  followedUpOn: string | null;
  closedOn: string | null;
  closeKind: 'rated' | 'unrated' | 'rejected' | 'default_found' | null;
}

interface Transition {
  from: readonly ComplaintStatus[];
  to: ComplaintStatus | 'same';
  by: readonly StepActor[];
  noteRequired: boolean;
}

const TRANSITIONS: Readonly<Record<ComplaintAction, Transition>> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['agency'], noteRequired: false },
  reject: { from: ['submitted'], to: 'rejected', by: ['agency'], noteRequired: true },
  investigate: { from: ['accepted'], to: 'investigating', by: ['agency'], noteRequired: false },
  rectify: { from: ['investigating'], to: 'rectifying', by: ['agency'], noteRequired: false },
  // The outcome; after a bad review, the rectification done (the follow-up visit comes next).
  resolve: { from: ['investigating', 'rectifying'], to: 'resolved', by: ['agency'], noteRequired: true },
  // 回访: the record of the visit after a rectification; the complainant then rates again.
  follow_up: { from: ['resolved'], to: 'same', by: ['agency'], noteRequired: true },
  forward: { from: ['submitted', 'accepted', 'investigating', 'rectifying', 'resolved'], to: 'same', by: ['auditor'], noteRequired: true },
  find_default: { from: ['investigating', 'rectifying'], to: 'default_found', by: ['auditor'], noteRequired: true },
};

/** A follow-up visit is owed: the case was rectified after a bad review and no visit has been recorded since. */
export function followUpPending(c: Pick<CaseFacts, 'rectifiedOn' | 'followedUpOn'>): boolean {
  return c.rectifiedOn !== null && (c.followedUpOn === null || c.followedUpOn < c.rectifiedOn);
}

export type TransitionRefusal = 'not_allowed_from_state' | 'not_your_step' | 'note_required' | 'follow_up_not_due';

/**
 * Applies a step to a case: the new facts, or why the step is refused (the service answers 409 for
 * a state that does not allow it and changes nothing).
 */
export function applyTransition(c: CaseFacts, action: ComplaintAction, actor: StepActor, note: string | null, today: string): { ok: true; facts: CaseFacts } | { ok: false; refusal: TransitionRefusal } {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(c.status)) return { ok: false, refusal: 'not_allowed_from_state' };
  if (!rule.by.includes(actor)) return { ok: false, refusal: 'not_your_step' };
  if (rule.noteRequired && !note?.trim()) return { ok: false, refusal: 'note_required' };
  if (action === 'follow_up' && !followUpPending(c)) return { ok: false, refusal: 'follow_up_not_due' };
  const next: CaseFacts = { ...c, status: rule.to === 'same' ? c.status : rule.to };
  switch (action) {
    case 'accept':
      next.acceptedOn = today;
      break;
    case 'reject':
      next.closedOn = today;
      next.closeKind = 'rejected';
      break;
    case 'resolve':
      // After a bad review, resolving again is the rectification; the first resolution starts the rating window.
      if (c.badReviewOn !== null && c.status === 'rectifying') next.rectifiedOn = today;
      else next.resolvedOn = today;
      break;
    case 'follow_up':
      next.followedUpOn = today;
      break;
    case 'find_default':
      next.closedOn = today;
      next.closeKind = 'default_found';
      break;
    default:
      break;
  }
  return { ok: true, facts: next };
}

/** The complainant may rate a resolved case once any follow-up visit it is owed has been made. */
export function mayRate(c: CaseFacts): boolean {
  return c.status === 'resolved' && !followUpPending(c);
}

/** A rating closes the case, or a bad one reopens it as rectifying with a new deadline. */
export function applyRating(c: CaseFacts, level: RatingLevel, today: string): { ok: true; facts: CaseFacts } | { ok: false; refusal: TransitionRefusal } {
  if (!mayRate(c)) return { ok: false, refusal: c.status === 'resolved' ? 'follow_up_not_due' : 'not_allowed_from_state' };
  if (isBadLevel(level)) return { ok: true, facts: { ...c, status: 'rectifying', badReviewOn: today, rectifiedOn: null, followedUpOn: null } };
  return { ok: true, facts: { ...c, status: 'closed', closedOn: today, closeKind: 'rated' } };
}

/** When the rating window of a resolved case opened: the resolution, or the latest follow-up visit after a rectification. */
function ratingWindowStart(c: CaseFacts): string | null {
  if (c.status !== 'resolved' || followUpPending(c)) return null;
  return c.followedUpOn ?? c.resolvedOn;
}

/** The step a case now waits for and the date its working days count from; null when nothing is awaited. */
export function awaitedStep(c: CaseFacts): { step: DeadlineStep; from: string } | null {
  switch (c.status) {
    case 'submitted':
      return { step: 'accept', from: c.submittedOn };
    case 'accepted':
    case 'investigating':
      return { step: 'resolve', from: c.acceptedOn! };
    case 'rectifying':
      return c.badReviewOn ? { step: 'rectify', from: c.badReviewOn } : { step: 'resolve', from: c.acceptedOn! };
    case 'resolved': {
      if (followUpPending(c)) return { step: 'follow_up', from: c.rectifiedOn! };
      const start = ratingWindowStart(c);
      return start ? { step: 'rate', from: start } : null;
    }
    default:
      return null;
  }
}

export function daysFor(step: DeadlineStep, days: DeadlineDays): number {
  switch (step) {
    case 'accept':
      return days.acceptDays;
    case 'resolve':
      return days.resolveDays;
    case 'rectify':
      return days.rectifyDays;
    case 'follow_up':
      return days.followUpDays;
    case 'rate':
      return days.autoCloseDays;
  }
}

export interface StepDeadline {
  step: DeadlineStep;
  from: string;
  days: number;
  dueOn: string;
  /** Counted with the statutory fallback for a year whose arrangement is not yet known. */
  provisional: boolean;
  /** The date the step was taken, when it was. */
  doneOn: string | null;
  /** Taken after its due date, or still awaited past it. */
  late: boolean;
}

/**
 * Every deadline of a case so far, each counted in working days from the day after its triggering
 * step on the shared calendar (which must span the years involved), with whether it was met.
 */
export function caseDeadlines(c: CaseFacts, days: DeadlineDays, cal: WorkingCalendar, today: string): StepDeadline[] {
  const list: StepDeadline[] = [];
  const add = (step: DeadlineStep, from: string | null, doneOn: string | null) => {
    if (from === null) return;
    const counted = addWorkingDays(from, daysFor(step, days), cal);
    const late = doneOn === null ? today > counted.dueOn : doneOn > counted.dueOn;
    list.push({ step, from, days: daysFor(step, days), dueOn: counted.dueOn, provisional: counted.provisional, doneOn, late });
  };
  const rejectedOn = c.closeKind === 'rejected' ? c.closedOn : null;
  add('accept', c.submittedOn, c.acceptedOn ?? rejectedOn);
  add('resolve', c.acceptedOn, c.resolvedOn ?? (c.closeKind === 'default_found' && c.badReviewOn === null ? c.closedOn : null));
  add('rectify', c.badReviewOn, c.rectifiedOn);
  add('follow_up', c.rectifiedOn, c.followedUpOn !== null && c.rectifiedOn !== null && c.followedUpOn >= c.rectifiedOn ? c.followedUpOn : null);
  const awaited = awaitedStep(c);
  if (awaited?.step === 'rate') add('rate', awaited.from, null);
  // Only the awaited step can still be late "today"; one a closed or stopped case never reached is not.
  return list.filter((d) => d.doneOn !== null || (awaited !== null && awaited.step === d.step && awaited.from === d.from));
}

/** A resolved case nobody rated within the window closes by itself, counted as unrated (never as satisfied). */
export function autoCloseDue(c: CaseFacts, days: DeadlineDays, cal: WorkingCalendar, today: string): boolean {
  const start = ratingWindowStart(c);
  if (start === null) return false;
  return today > addWorkingDays(start, days.autoCloseDays, cal).dueOn;
}

export function autoClose(c: CaseFacts, today: string): CaseFacts {
  return { ...c, status: 'closed', closedOn: today, closeKind: 'unrated' };
}

export interface HandlingFigures {
  cases: number;
  acceptedOnTime: number;
  acceptanceDue: number;
  resolvedOnTime: number;
  resolutionDue: number;
  ratings: number;
  goodRatings: number;
  badRatings: number;
  badRectified: number;
  rectifications: number;
  followedUp: number;
}

const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/** The rates the agency pages and the integrity index show; null where there is nothing to rate. */
export function handlingRates(f: HandlingFigures) {
  return {
    acceptedOnTimeRate: rate(f.acceptedOnTime, f.acceptanceDue),
    resolvedOnTimeRate: rate(f.resolvedOnTime, f.resolutionDue),
    goodReviewRate: rate(f.goodRatings, f.ratings),
    badReviewRectificationRate: rate(f.badRectified, f.badRatings),
    followUpRate: rate(f.followedUp, f.rectifications),
  };
}
