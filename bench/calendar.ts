/**
 * Working-day benchmark: what one count costs, so that a feature listing many deadlines knows
 * whether to count per row. Times the pure count on a calendar built once (10 and 366 working
 * days), building a calendar, the statutory fallback for an unknown year, and the database-backed
 * count the page and the API use, with a few admin-loaded years in the database.
 *
 *   npx tsx bench/calendar.ts                                   # in-memory SQLite
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/calendar.ts
 */
import { performance } from 'node:perf_hooks';
import { SYSTEM_ACTOR } from '../server/audit/chain.ts';
import { addDays } from '../server/domain/dates.ts';
import { addWorkingDays, buildWorkingCalendar, countingSpan, statutoryHolidays } from '../server/domain/calendar.ts';
import { parseArrangement } from '../server/features/calendar/arrangement.ts';
import { countWorkingDays, loadYearArrangement } from '../server/features/calendar/service.ts';
import { createTemplate, dropTemplate, freshDatabase } from '../test/db.ts';

function time(label: string, runs: number, body: (i: number) => void): void {
  const started = performance.now();
  for (let i = 0; i < runs; i++) body(i);
  const perRun = (performance.now() - started) / runs;
  console.log(`${label.padEnd(58)} ${runs.toString().padStart(6)} runs  ${(perRun * 1000).toFixed(1).padStart(9)} µs each`);
}

async function timeAsync(label: string, runs: number, body: (i: number) => Promise<unknown>): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < runs; i++) await body(i);
  const perRun = (performance.now() - started) / runs;
  console.log(`${label.padEnd(58)} ${runs.toString().padStart(6)} runs  ${(perRun * 1000).toFixed(1).padStart(9)} µs each`);
}

// Start dates spread over 2025–2026 (arranged) and 2031–2032 (provisional).
const knownStart = (i: number) => addDays('2025-01-01', i % 700);
const unknownStart = (i: number) => addDays('2031-01-01', i % 700);

// First, before any count has filled the cache of statutory holidays.
time('statutoryHolidays, first call for a year (lunar conversion)', 60, (i) => statutoryHolidays(2035 + i));

const known = buildWorkingCalendar({ fromYear: 2025, toYear: 2028 });
const unknown = buildWorkingCalendar({ fromYear: 2031, toYear: 2034 });
time('addWorkingDays, 10 days, arranged years', 20_000, (i) => addWorkingDays(knownStart(i), 10, known));
time('addWorkingDays, 10 days, provisional years', 20_000, (i) => addWorkingDays(unknownStart(i), 10, unknown));
time('addWorkingDays, 366 days, arranged into provisional', 1_000, (i) => addWorkingDays(knownStart(i), 366, known));
time('buildWorkingCalendar, 3-year span', 2_000, (i) => buildWorkingCalendar(countingSpan(knownStart(i), 10)));

await createTemplate();
const { db, drop } = await freshDatabase();
try {
  for (const year of [2030, 2031, 2032]) {
    const { days } = parseArrangement(year, `${year}-10-01..${year}-10-07 国庆节\n${year}-05-01..${year}-05-05 劳动节\n${year}-02-01..${year}-02-08 春节`);
    await loadYearArrangement(db, SYSTEM_ACTOR, { year, source: `bench ${year}`, days }, new Date());
  }
  await timeAsync(`countWorkingDays (database ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}), 10 days`, 2_000, (i) => countWorkingDays(db, addDays('2029-06-01', i % 900), 10));
  await timeAsync(`countWorkingDays (database ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}), 366 days`, 300, (i) => countWorkingDays(db, addDays('2029-06-01', i % 900), 366));
} finally {
  await drop();
  await dropTemplate();
}
