import chineseDays from 'chinese-days';
import libraryData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, isValidDate } from './dates.ts';

/*
 * The working-day calendar (工作日计算). Deadlines in working days count from the day after the
 * triggering step; weekends and public holidays are skipped and adjusted working days (调休上班) count,
 * as the State Council's yearly arrangement (国务院办公厅关于某年部分节假日安排的通知) sets them.
 *
 * The arrangements come from the chinese-days package, which ships every year from 2004 to the
 * latest one published, and from the days an admin loads from a new notice (a year the package does
 * not have yet, or a correction: a year loaded by an admin sets the package's copy of it aside).
 * For a year known to neither, the count skips weekends and the fixed statutory holidays and is
 * provisional.
 */

export type CalendarDayKind = 'holiday' | 'workday';

/** A day that departs from the plain week: a public holiday, or a weekend day made a working day. */
export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  /** The holiday's name (国庆节); for an adjusted working day, the holiday it makes up for. */
  name: string;
}

export interface CalendarSpan {
  fromYear: number;
  toYear: number;
}

/** Everything a count needs, for the years of one span; build it with buildWorkingCalendar. */
export interface WorkingCalendar {
  readonly span: CalendarSpan;
  /** Years whose yearly arrangement is known: shipped by chinese-days or loaded by an admin. */
  readonly arrangedYears: ReadonlySet<number>;
  /** Holidays and adjusted working days of the span, by date. */
  readonly days: ReadonlyMap<string, CalendarDay>;
}

/** What admins have entered (from the database). */
export interface EnteredCalendar {
  /** Years whose arrangement an admin loaded: the package's copy of these years is not used. */
  loadedYears: readonly number[];
  days: readonly CalendarDay[];
}

const NOTHING_ENTERED: EnteredCalendar = { loadedYears: [], days: [] };

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(date + 'T00:00:00Z').getUTCDay();
}

export function isWeekend(date: string): boolean {
  const day = weekdayOf(date);
  return day === 0 || day === 6;
}

/** The statutory holidays' names as used in the arrangements, by a code that pages translate. */
export const STATUTORY_HOLIDAYS = ['newYear', 'springFestival', 'qingming', 'labourDay', 'dragonBoat', 'midAutumn', 'nationalDay'] as const;
export type StatutoryHoliday = (typeof STATUTORY_HOLIDAYS)[number];

const HOLIDAY_CODES: Readonly<Record<string, StatutoryHoliday>> = {
  元旦: 'newYear',
  春节: 'springFestival',
  清明: 'qingming',
  清明节: 'qingming',
  劳动节: 'labourDay',
  五一: 'labourDay',
  端午: 'dragonBoat',
  端午节: 'dragonBoat',
  中秋: 'midAutumn',
  中秋节: 'midAutumn',
  国庆: 'nationalDay',
  国庆节: 'nationalDay',
};

/** The names the notices use. */
export const STATUTORY_HOLIDAY_NAMES: Readonly<Record<StatutoryHoliday, string>> = {
  newYear: '元旦',
  springFestival: '春节',
  qingming: '清明节',
  labourDay: '劳动节',
  dragonBoat: '端午节',
  midAutumn: '中秋节',
  nationalDay: '国庆节',
};

/** Which statutory holiday a name (as a notice or an admin writes it) refers to, if any. */
export function statutoryHolidayOf(name: string): StatutoryHoliday | null {
  return HOLIDAY_CODES[name.trim()] ?? null;
}

// chinese-days keeps each day as "English name,中文名,length", with short names (中秋, 清明, 端午);
// they are given the full names the notices use, so that one holiday has one name everywhere.
function libraryDays(): Map<number, CalendarDay[]> {
  const byYear = new Map<number, CalendarDay[]>();
  const add = (entries: Record<string, string>, kind: CalendarDayKind) => {
    for (const [date, value] of Object.entries(entries)) {
      const year = yearOf(date);
      const list = byYear.get(year) ?? [];
      const name = value.split(',')[1] ?? value;
      const statutory = statutoryHolidayOf(name);
      list.push({ date, kind, name: statutory ? STATUTORY_HOLIDAY_NAMES[statutory] : name });
      byYear.set(year, list);
    }
  };
  add(libraryData.holidays, 'holiday');
  add(libraryData.workdays, 'workday');
  for (const list of byYear.values()) list.sort((a, b) => a.date.localeCompare(b.date));
  return byYear;
}

const LIBRARY_DAYS = libraryDays();

/** The years whose arrangement the installed chinese-days package ships, ascending. */
export const LIBRARY_YEARS: readonly number[] = [...LIBRARY_DAYS.keys()].sort((a, b) => a - b);

/** The package's holidays and adjusted working days of one year (empty for a year it lacks). */
export function libraryArrangement(year: number): CalendarDay[] {
  return [...(LIBRARY_DAYS.get(year) ?? [])];
}

function solarDateOfLunar(year: number, month: number, day: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return chineseDays.getSolarDateFromLunar(`${year}-${pad(month)}-${pad(day)}`).date;
}

const statutoryCache = new Map<number, ReadonlyMap<string, string>>();

/**
 * The days off for all citizens fixed by 《全国年节及纪念日放假办法》 (2024 revision, art. 2): 元旦
 * 1 January; 春节 除夕 and 正月初一至初三; 清明节 on the solar term 清明; 劳动节 1–2 May; 端午节 on
 * 五月初五; 中秋节 on 八月十五; 国庆节 1–3 October. Lunar dates and the solar term come from
 * chinese-days. The notice of each year moves days around them (调休) and makes up for holidays that
 * fall on a weekend (补假); neither can be known before it is published, so neither is guessed here.
 */
export function statutoryHolidays(year: number): ReadonlyMap<string, string> {
  const cached = statutoryCache.get(year);
  if (cached) return cached;
  const days = new Map<string, string>();
  const add = (date: string, holiday: StatutoryHoliday) => {
    const name = STATUTORY_HOLIDAY_NAMES[holiday];
    days.set(date, days.has(date) ? `${days.get(date)}、${name}` : name);
  };
  add(`${year}-01-01`, 'newYear');
  const lunarNewYear = solarDateOfLunar(year, 1, 1);
  for (let offset = -1; offset <= 2; offset++) add(addDays(lunarNewYear, offset), 'springFestival');
  add(chineseDays.getSolarTermDate(year, 4, 'pure_brightness'), 'qingming');
  add(`${year}-05-01`, 'labourDay');
  add(`${year}-05-02`, 'labourDay');
  add(solarDateOfLunar(year, 5, 5), 'dragonBoat');
  add(solarDateOfLunar(year, 8, 15), 'midAutumn');
  for (const day of ['01', '02', '03']) add(`${year}-10-${day}`, 'nationalDay');
  statutoryCache.set(year, days);
  return days;
}

/** The calendar for a span of years: the package's arrangements, then the admins' days over them. */
export function buildWorkingCalendar(span: CalendarSpan, entered: EnteredCalendar = NOTHING_ENTERED): WorkingCalendar {
  const loaded = new Set(entered.loadedYears);
  const days = new Map<string, CalendarDay>();
  for (let year = span.fromYear; year <= span.toYear; year++) {
    if (loaded.has(year)) continue;
    for (const day of LIBRARY_DAYS.get(year) ?? []) days.set(day.date, day);
  }
  for (const day of entered.days) days.set(day.date, day);
  return { span, arrangedYears: new Set([...LIBRARY_YEARS, ...loaded]), days };
}

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'adjusted-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  /** The holiday's name for a holiday or an adjusted working day, else null. */
  name: string | null;
  /** The day's year has no known arrangement: the answer is the statutory fallback. */
  provisional: boolean;
}

function assertInSpan(cal: WorkingCalendar, date: string): void {
  const year = yearOf(date);
  if (year < cal.span.fromYear || year > cal.span.toYear) {
    throw new RangeError(`the working calendar was built for ${cal.span.fromYear}–${cal.span.toYear} and cannot answer for ${date}`);
  }
}

export function describeDay(cal: WorkingCalendar, date: string): DayInfo {
  assertInSpan(cal, date);
  const provisional = !cal.arrangedYears.has(yearOf(date));
  const entry = cal.days.get(date);
  if (entry) return { date, working: entry.kind === 'workday', kind: entry.kind === 'workday' ? 'adjusted-workday' : 'holiday', name: entry.name, provisional };
  const statutory = provisional ? statutoryHolidays(yearOf(date)).get(date) : undefined;
  if (statutory) return { date, working: false, kind: 'holiday', name: statutory, provisional };
  const weekend = isWeekend(date);
  return { date, working: !weekend, kind: weekend ? 'weekend' : 'weekday', name: null, provisional };
}

export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  return describeDay(cal, date).working;
}

export const MAX_WORKING_DAYS = 366;
/** Before the package's first year the 2024 statutory rules would give wrong answers. */
export const EARLIEST_START = `${LIBRARY_YEARS[0]}-01-01`;
/** chinese-days' lunar tables end with 2100, and a count of MAX_WORKING_DAYS runs up to two years on. */
export const LATEST_START = '2097-12-31';

export type WorkingDaysProblem = { field: 'from'; problem: 'date' | 'range' } | { field: 'days'; problem: 'range' };

/** What is wrong with a start date and a number of working days, if anything. */
export function workingDaysInputProblems(from: string, days: number): WorkingDaysProblem[] {
  const problems: WorkingDaysProblem[] = [];
  if (!isValidDate(from)) problems.push({ field: 'from', problem: 'date' });
  else if (from < EARLIEST_START || from > LATEST_START) problems.push({ field: 'from', problem: 'range' });
  if (!Number.isInteger(days) || days < 1 || days > MAX_WORKING_DAYS) problems.push({ field: 'days', problem: 'range' });
  return problems;
}

export class WorkingDaysInputError extends Error {
  constructor(readonly problems: WorkingDaysProblem[]) {
    super(`working days: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`);
  }
}

/**
 * The years a count of `days` working days from `from` may touch: twice the days covers the weekends
 * and the ordinary holidays, and a further year any closure an arrangement could add. A wider span
 * only means a few more rows read.
 */
export function countingSpan(from: string, days: number): CalendarSpan {
  return { fromYear: yearOf(from), toYear: yearOf(addDays(from, days * 2 + 366)) };
}

export type SkippedDay = { date: string; reason: 'weekend' } | { date: string; reason: 'holiday'; holiday: string };

export interface CountedDay extends DayInfo {
  /** The day's number among the working days counted (1 = the first), null for a skipped day. */
  ordinal: number | null;
}

export interface WorkingDaysResult {
  from: string;
  days: number;
  dueOn: string;
  provisional: boolean;
  /** Years counted with the statutory fallback because their arrangement is not known yet. */
  provisionalYears: number[];
  skipped: SkippedDay[];
  /** Weekend days that counted because the arrangement made them working days (调休上班). */
  adjustedWorkdays: Array<{ date: string; holiday: string }>;
  /** Every day from the day after `from` to `dueOn`, as it was counted. */
  trail: CountedDay[];
}

/** The date `days` working days after `from`, counting from the day after it, with how it was counted. */
export function addWorkingDays(from: string, days: number, cal: WorkingCalendar): WorkingDaysResult {
  const problems = workingDaysInputProblems(from, days);
  if (problems.length) throw new WorkingDaysInputError(problems);
  const trail: CountedDay[] = [];
  let date = from;
  let counted = 0;
  while (counted < days) {
    date = addDays(date, 1);
    const day = describeDay(cal, date);
    if (day.working) counted++;
    trail.push({ ...day, ordinal: day.working ? counted : null });
  }
  const skipped = trail.filter((d) => !d.working).map((d): SkippedDay => (d.kind === 'holiday' ? { date: d.date, reason: 'holiday', holiday: d.name! } : { date: d.date, reason: 'weekend' }));
  const adjustedWorkdays = trail.filter((d) => d.kind === 'adjusted-workday').map((d) => ({ date: d.date, holiday: d.name! }));
  const provisionalYears = [...new Set(trail.filter((d) => d.provisional).map((d) => yearOf(d.date)))];
  return { from, days, dueOn: date, provisional: provisionalYears.length > 0, provisionalYears, skipped, adjustedWorkdays, trail };
}
