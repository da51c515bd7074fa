import { instalmentStates, paymentCounts, type InstalmentState, type PaymentFacts } from './rules.ts';

/*
 * The rules of the payments slice beyond rules.ts: how a repayment plan's schedule is checked when it
 * is saved, and which missed instalments are still overdue. Pure; dates are 'YYYY-MM-DD' strings.
 */

export type ScheduleProblem = { index: number; problem: 'past'; today: string } | { index: number; problem: 'notAfterPrevious'; previousDueOn: string };

/**
 * A plan's due dates run strictly forward and none is already past: an instalment due today may
 * still be paid today. Each problem names the instalment (its index in the input) and why.
 */
export function scheduleProblems(dueDates: string[], today: string): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  dueDates.forEach((dueOn, index) => {
    if (dueOn < today) problems.push({ index, problem: 'past', today });
    else if (index > 0 && dueOn <= dueDates[index - 1]!) problems.push({ index, problem: 'notAfterPrevious', previousDueOn: dueDates[index - 1]! });
  });
  return problems;
}

export interface OverdueInstalment extends InstalmentState {
  /** What the instalments up to this one still lack today, after every counted payment since the plan was saved. */
  stillShortFen: number;
}

/**
 * The missed instalments of a plan that later payments have not yet made up: what a to-do list calls
 * overdue. (A missed instalment stays missed on the arrears page even once it is made up.)
 */
export function overdueInstalments(
  plan: { paidFenAtStart: number; instalments: Array<{ seq: number; dueOn: string; amountFen: number }> },
  payments: PaymentFacts[],
  today: string,
): OverdueInstalment[] {
  const paidNow = payments.filter((p) => paymentCounts(p) && p.paidOn <= today).reduce((sum, p) => sum + p.amountFen, 0);
  const paidSinceStart = Math.max(0, paidNow - plan.paidFenAtStart);
  return instalmentStates(plan, payments, today)
    .filter((s) => s.missed)
    .map((s) => ({ ...s, stillShortFen: Math.max(0, s.cumulativeFen - paidSinceStart) }))
    .filter((s) => s.stillShortFen > 0);
}
