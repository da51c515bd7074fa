import { addDays, daysBetween, isValidDate } from '../../domain/dates.ts';
import { isWeekend, type CalendarDay } from '../../domain/calendar.ts';

/*
 * A year's arrangement as an admin pastes it from the State Council's notice, one line per holiday
 * or adjusted working day:
 *
 *   2027-10-01..2027-10-07 国庆节
 *   2027-09-26 国庆节 上班
 *
 * A range may also be written with 至; a line with the word 上班 (or workday) lists working days.
 * Blank lines and lines starting with # are ignored.
 */

/** No notice closes more than about ten days in a row: a longer range is a typing mistake. */
export const MAX_RANGE_DAYS = 31;
export const MAX_NAME_LENGTH = 50;
const WORKDAY_WORDS = new Set(['上班', '补班', 'workday']);

export type ArrangementProblemKind = 'format' | 'date' | 'order' | 'tooLong' | 'outsideYear' | 'name' | 'nameTooLong' | 'notWeekend' | 'duplicate';

export interface ArrangementProblem {
  /** 1-based line number in what the admin pasted. */
  line: number;
  problem: ArrangementProblemKind;
  params: Record<string, string | number>;
}

export interface ArrangedDay extends CalendarDay {
  line: number;
}

/**
 * A notice for year Y may place days in the December before it (the 2019 notice gave 30–31
 * December 2018 off for 元旦, with Saturday 29 December worked).
 */
export function arrangementBounds(year: number): { first: string; last: string } {
  return { first: `${year - 1}-12-01`, last: `${year}-12-31` };
}

export function parseArrangement(year: number, text: string): { days: ArrangedDay[]; problems: ArrangementProblem[] } {
  const days: ArrangedDay[] = [];
  const problems: ArrangementProblem[] = [];
  const lineOfDate = new Map<string, number>();
  const { first, last } = arrangementBounds(year);

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim().replace(/\s*(?:\.\.|至)\s*/, '..');
    if (content === '' || content.startsWith('#')) return;
    const problem = (kind: ArrangementProblemKind, params: Record<string, string | number> = {}): void => {
      problems.push({ line, problem: kind, params });
    };

    const [span = '', ...rest] = content.split(/\s+/);
    const ends = span.split('..');
    if (ends.length > 2 || !/^\d/.test(span)) return problem('format', { text: raw.trim() });
    const start = ends[0]!;
    const end = ends[1] ?? start;
    const badDate = [start, end].find((d) => !isValidDate(d));
    if (badDate !== undefined) return problem('date', { value: badDate });
    if (end < start) return problem('order', { from: start, to: end });
    if (daysBetween(start, end) >= MAX_RANGE_DAYS) return problem('tooLong', { from: start, to: end, max: MAX_RANGE_DAYS });

    const kind = rest.some((word) => WORKDAY_WORDS.has(word)) ? 'workday' : 'holiday';
    const name = rest.filter((word) => !WORKDAY_WORDS.has(word)).join(' ');
    if (name === '') return problem('name');
    if (name.length > MAX_NAME_LENGTH) return problem('nameTooLong', { max: MAX_NAME_LENGTH });

    if (start < first || end > last) return problem('outsideYear', { date: start < first ? start : end, year });
    // One problem per line is enough to find it; the whole arrangement is refused anyway.
    const lineDays: ArrangedDay[] = [];
    for (let date = start; date <= end; date = addDays(date, 1)) {
      if (kind === 'workday' && !isWeekend(date)) return problem('notWeekend', { date });
      const earlier = lineOfDate.get(date);
      if (earlier !== undefined) return problem('duplicate', { date, otherLine: earlier });
      lineDays.push({ date, kind, name, line });
    }
    for (const day of lineDays) lineOfDate.set(day.date, line);
    days.push(...lineDays);
  });
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { days, problems };
}

/** Days written back as lines, consecutive days of one holiday as one range: for the form and the audit log. */
export function formatArrangement(days: readonly CalendarDay[]): string[] {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const runs: Array<{ start: string; end: string; kind: CalendarDay['kind']; name: string }> = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    if (run && run.kind === day.kind && run.name === day.name && addDays(run.end, 1) === day.date) run.end = day.date;
    else runs.push({ start: day.date, end: day.date, kind: day.kind, name: day.name });
  }
  return runs.map((r) => `${r.start === r.end ? r.start : `${r.start}..${r.end}`} ${r.name}${r.kind === 'workday' ? ' 上班' : ''}`);
}
