import { z } from 'zod';
import { EARLIEST_START, LATEST_START, MAX_WORKING_DAYS, workingDaysInputProblems, yearOf, type WorkingDaysProblem } from '../../domain/calendar.ts';
import { ValidationError, fieldError, type FieldError } from '../../http/errors.ts';
import { parseInput, requiredText } from '../../http/validate.ts';
import { parseArrangement, type ArrangedDay } from './arrangement.ts';

export interface WorkingDaysQuery {
  from: string;
  days: number;
}

function problemError(p: WorkingDaysProblem): FieldError {
  if (p.field === 'days') return { path: 'days', key: 'calendar:errors.daysRange', params: { max: MAX_WORKING_DAYS } };
  if (p.problem === 'date') return { path: 'from', key: 'validation.date' };
  return { path: 'from', key: 'calendar:errors.fromRange', params: { earliest: EARLIEST_START, latest: LATEST_START } };
}

/** Reads ?from=&days= (as text) into a start date and a number of working days, or throws each field's fault. */
export function parseWorkingDaysQuery(raw: { from: string; days: string }): WorkingDaysQuery {
  const from = raw.from.trim();
  const daysText = raw.days.trim();
  const days = /^-?\d+$/.test(daysText) ? Number(daysText) : Number.NaN;
  const errors: FieldError[] = [];
  if (from === '') errors.push({ path: 'from', key: 'validation.required' });
  if (daysText === '') errors.push({ path: 'days', key: 'validation.required' });
  for (const problem of workingDaysInputProblems(from, days)) {
    if (!errors.some((e) => e.path === problem.field)) errors.push(problemError(problem));
  }
  if (errors.length) throw new ValidationError(errors);
  return { from, days };
}

/** A year an admin may load: from the first year the package ships to the last its lunar tables cover. */
export const FIRST_LOADABLE_YEAR = yearOf(EARLIEST_START);
export const LAST_LOADABLE_YEAR = 2100;

const yearField = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
  z
    .number({ error: (issue) => (issue.input === undefined ? 'validation.required' : 'validation.invalid') })
    .int('validation.invalid')
    .min(FIRST_LOADABLE_YEAR, 'validation.tooSmall')
    .max(LAST_LOADABLE_YEAR, 'validation.tooBig'),
);

const yearArrangementFields = z.object({
  year: yearField,
  source: requiredText(200),
  lines: requiredText(20_000),
});

export interface YearArrangementInput {
  year: number;
  source: string;
  days: ArrangedDay[];
}

/** The year's form: its fields, then every pasted line, each fault named with its line number. */
export function parseYearArrangement(body: unknown): YearArrangementInput {
  const { year, source, lines } = parseInput(yearArrangementFields, body);
  const { days, problems } = parseArrangement(year, lines);
  if (problems.length) throw new ValidationError(problems.map((p) => ({ path: 'lines', key: `calendar:lines.${p.problem}`, params: { line: p.line, ...p.params } })));
  if (days.length === 0) throw fieldError('lines', 'calendar:lines.empty');
  return { year, source, days };
}
