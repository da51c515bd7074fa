import type { Knex } from 'knex';
import { buildWorkingCalendar, type CalendarDay, type CalendarDayKind, type CalendarSpan, type WorkingCalendar } from '../../domain/calendar.ts';

interface DayRow {
  year: number;
  date: string;
  kind: CalendarDayKind;
  name: string;
}

function toDay(row: DayRow): CalendarDay {
  return { date: row.date, kind: row.kind, name: row.name };
}

/** The calendar for the years of a span: the package's arrangements with the admins' years and days over them. */
export async function loadWorkingCalendar(db: Knex, span: CalendarSpan): Promise<WorkingCalendar> {
  const loadedYears: number[] = await db('calendar_years').whereBetween('year', [span.fromYear, span.toYear]).pluck('year');
  const rows: DayRow[] = await db('calendar_days').whereBetween('date', [`${span.fromYear}-01-01`, `${span.toYear}-12-31`]).select('year', 'date', 'kind', 'name');
  return buildWorkingCalendar(span, { loadedYears: loadedYears.map(Number), days: rows.map(toDay) });
}

export interface LoadedYear {
  year: number;
  source: string;
  loadedBy: string | null;
  loadedAt: string;
  days: CalendarDay[];
}

async function loadedYears(db: Knex, only?: number): Promise<LoadedYear[]> {
  const years: Array<{ year: number; source: string; username: string | null; loaded_at: string }> = await db('calendar_years as y')
    .leftJoin('users as u', 'u.id', 'y.loaded_by')
    .modify((q) => (only === undefined ? q : q.where('y.year', only)))
    .orderBy('y.year', 'desc')
    .select('y.year', 'y.source', 'u.username', 'y.loaded_at');
  const rows: DayRow[] = await db('calendar_days')
    .modify((q) => (only === undefined ? q : q.where('year', only)))
    .orderBy('date')
    .select('year', 'date', 'kind', 'name');
  return years.map((y) => ({
    year: Number(y.year),
    source: y.source,
    loadedBy: y.username ?? null,
    loadedAt: y.loaded_at,
    days: rows.filter((r) => Number(r.year) === Number(y.year)).map(toDay),
  }));
}

/** Every year an admin loaded, newest first, with its days in date order. */
export function listLoadedYears(db: Knex): Promise<LoadedYear[]> {
  return loadedYears(db);
}

export async function findLoadedYear(db: Knex, year: number): Promise<LoadedYear | undefined> {
  return (await loadedYears(db, year))[0];
}

/** Admin-entered days on any of these dates that belong to another year's arrangement. */
export async function daysOfOtherArrangements(db: Knex, year: number, dates: string[]): Promise<DayRow[]> {
  if (dates.length === 0) return [];
  return db('calendar_days').whereIn('date', dates).whereNot('year', year).select('year', 'date', 'kind', 'name');
}
