import type { WorkingCalendar } from '../../domain/calendar.ts';
import { addDays, isValidDate } from '../../domain/dates.ts';
import { caseDeadlines, followUpPending, isBadLevel, type CaseFacts, type DeadlineDays, type HandlingFigures, type RatingLevel } from './rules.ts';

/*
 * The rules of the government credit record and of the complaint statistics, free of any database:
 * when an entry may be marked repaired, and what each case counts for in a period's figures.
 */

export type RepairDateProblem = 'date' | 'beforeFinding' | 'future';

/** A repair (信用修复) is dated on a real day between the finding and today. */
export function repairDateProblem(repairedOn: string, foundOn: string, today: string): RepairDateProblem | null {
  if (!isValidDate(repairedOn)) return 'date';
  if (repairedOn < foundOn) return 'beforeFinding';
  if (repairedOn > today) return 'future';
  return null;
}

/** A period of the statistics: Beijing calendar dates, both ends included. */
export interface Period {
  from: string;
  to: string;
}

/** The period shown when none is asked for: this year so far. */
export function defaultPeriod(today: string): Period {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

export interface RatingFacts {
  round: number;
  level: RatingLevel;
  ratedOn: string;
  voided: boolean;
}

/** What the statistics read of one case: its facts, the deadline days it was opened under and its ratings. */
export interface StatisticsCase {
  facts: CaseFacts;
  days: DeadlineDays;
  ratings: RatingFacts[];
}

const inPeriod = (date: string, p: Period) => date >= p.from && date <= p.to;

export const NO_FIGURES: HandlingFigures = { cases: 0, acceptedOnTime: 0, acceptanceDue: 0, resolvedOnTime: 0, resolutionDue: 0, ratings: 0, goodRatings: 0, badRatings: 0, badRectified: 0, rectifications: 0, followedUp: 0 };

/**
 * What one case counts for in a period's figures, as of today:
 * - a case counts where it was filed;
 * - acceptance (受理, or the refusal to accept) and resolution count in the period their due date falls
 *   in, once decided: taken (on time when by the due date) or still not taken past it. So a past
 *   period's figures stand once it is over, and a step not yet due counts nowhere yet. A resolution
 *   "taken" by a finding of default is due but never on time;
 * - a rating counts in the period it was given, unless an auditor voided it; a bad one is rectified
 *   once the agency put it right, and its rectification followed up once the visit (回访) was made.
 *   A later rating round means both happened (the complainant rates again only after them); for the
 *   case's latest bad rating the case's own facts say.
 */
export function caseFigures(c: StatisticsCase, period: Period, today: string, cal: WorkingCalendar): HandlingFigures {
  const f = { ...NO_FIGURES };
  if (inPeriod(c.facts.submittedOn, period)) f.cases = 1;
  for (const d of caseDeadlines(c.facts, c.days, cal, today)) {
    const decided = d.doneOn !== null || today > d.dueOn;
    if (!decided || !inPeriod(d.dueOn, period)) continue;
    if (d.step === 'accept') {
      f.acceptanceDue++;
      if (d.doneOn !== null && d.doneOn <= d.dueOn) f.acceptedOnTime++;
    } else if (d.step === 'resolve') {
      f.resolutionDue++;
      if (c.facts.resolvedOn !== null && c.facts.resolvedOn <= d.dueOn) f.resolvedOnTime++;
    }
  }
  const latestRound = Math.max(0, ...c.ratings.map((r) => r.round));
  for (const r of c.ratings) {
    if (r.voided || !inPeriod(r.ratedOn, period)) continue;
    f.ratings++;
    if (!isBadLevel(r.level)) {
      f.goodRatings++;
      continue;
    }
    f.badRatings++;
    const later = r.round < latestRound;
    const rectified = later || c.facts.rectifiedOn !== null;
    if (!rectified) continue;
    f.badRectified++;
    f.rectifications++;
    if (later || !followUpPending(c.facts)) f.followedUp++;
  }
  return f;
}

export function addFigures(a: HandlingFigures, b: HandlingFigures): HandlingFigures {
  const sum = { ...a };
  for (const key of Object.keys(sum) as Array<keyof HandlingFigures>) sum[key] += b[key];
  return sum;
}

/** The figures of several cases over a period. */
export function handlingFigures(cases: StatisticsCase[], period: Period, today: string, cal: WorkingCalendar): HandlingFigures {
  return cases.reduce((sum, c) => addFigures(sum, caseFigures(c, period, today, cal)), { ...NO_FIGURES });
}

/**
 * The earliest closing date of a case that can still count in a period: a step counts by its due
 * date, at most `maxDays` working days after the step that started it (and no later than the case
 * closed), so a case closed longer ago than that many working days before the period counts nothing.
 * Calendar days, with room for the longest holidays.
 */
export function earliestRelevantClosing(period: Period, maxDays: number): string {
  return addDays(period.from, -(maxDays * 2 + 30));
}
