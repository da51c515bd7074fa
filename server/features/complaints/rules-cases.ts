import type { WorkingDaysResult } from '../../domain/calendar.ts';
import { applyTransition, awaitedStep, caseDeadlines, COMPLAINT_ACTIONS, type CaseFacts, type ComplaintAction, type DeadlineDays, type DeadlineStep, type StepActor, type StepDeadline } from './rules.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';

/*
 * The rules the case lists and the case page add to rules.ts: when a case counts as overdue, which
 * steps a viewer may take now, and how a deadline's count reads (holidays by name, adjusted working days).
 */

/** The step row that opens every case's timeline (the others are named by their ComplaintAction). */
export const SUBMIT_STEP = 'submit';

/**
 * The steps the handling side owes. The end of the complainant's rating window ('rate') is not a
 * missed deadline: the case then closes by itself as unrated, so it is never flagged or queued as overdue.
 */
export const HANDLING_STEPS: readonly DeadlineStep[] = ['accept', 'resolve', 'rectify', 'follow_up'];

/** A case is overdue when the handling step it waits for is past its due date (the stored `current_due_on` < today). */
export function overdueOn(current: { step: string | null; dueOn: string | null }, today: string): boolean {
  return current.step !== null && current.dueOn !== null && (HANDLING_STEPS as readonly string[]).includes(current.step) && current.dueOn < today;
}

/** The same rule read from the facts: the awaited step's deadline, as caseDeadlines counts it, is late. */
export function caseOverdue(facts: CaseFacts, days: DeadlineDays, cal: WorkingCalendar, today: string): boolean {
  const awaited = awaitedStep(facts);
  if (!awaited || !HANDLING_STEPS.includes(awaited.step)) return false;
  const deadline = caseDeadlines(facts, days, cal, today).find((d) => d.step === awaited.step && d.from === awaited.from);
  return deadline?.late ?? false;
}

/** The deadline the case now waits for, if any: the one the lists store and sort by. */
export function awaitedDeadline(facts: CaseFacts, deadlines: StepDeadline[]): StepDeadline | null {
  const awaited = awaitedStep(facts);
  return awaited ? (deadlines.find((d) => d.step === awaited.step && d.from === awaited.from) ?? null) : null;
}

/** The actions the state machine allows this actor from the case's present state (a note is asked for on the action's own form). */
export function actionsOpenTo(facts: CaseFacts, actor: StepActor): ComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((action) => {
    const r = applyTransition(facts, action, actor, 'note', facts.submittedOn);
    return r.ok || r.refusal === 'note_required';
  });
}

/** How a deadline was counted, grouped for reading: the weekend days skipped, each holiday skipped with its days, the adjusted working days counted. */
export interface CountingSummary {
  weekendDays: number;
  holidays: Array<{ name: string; first: string; last: string; days: number }>;
  adjustedWorkdays: Array<{ date: string; holiday: string }>;
  provisionalYears: number[];
}

export function countingSummary(r: WorkingDaysResult): CountingSummary {
  const holidays: CountingSummary['holidays'] = [];
  for (const s of r.skipped) {
    if (s.reason !== 'holiday') continue;
    const last = holidays.at(-1);
    if (last && last.name === s.holiday) {
      last.last = s.date;
      last.days++;
    } else {
      holidays.push({ name: s.holiday, first: s.date, last: s.date, days: 1 });
    }
  }
  return { weekendDays: r.skipped.filter((s) => s.reason === 'weekend').length, holidays, adjustedWorkdays: r.adjustedWorkdays, provisionalYears: r.provisionalYears };
}
