import type { Knex } from 'knex';
import { recordAudit, type AuditActor } from '../../audit/chain.ts';
import { addWorkingDays, countingSpan, type WorkingDaysResult } from '../../domain/calendar.ts';
import { isUniqueViolation } from '../../../db/dialect.ts';
import { ValidationError, conflict } from '../../http/errors.ts';
import { formatArrangement } from './arrangement.ts';
import { daysOfOtherArrangements, findLoadedYear, loadWorkingCalendar } from './queries.ts';
import type { YearArrangementInput } from './schema.ts';

/** The due date `days` working days after `from`, with how it was counted; for pages, the API and other features. */
export async function countWorkingDays(db: Knex, from: string, days: number): Promise<WorkingDaysResult> {
  const calendar = await loadWorkingCalendar(db, countingSpan(from, days));
  return addWorkingDays(from, days, calendar);
}

/** Rows inserted per statement: far below SQLite's limit on the terms of one multi-row insert. */
const INSERT_CHUNK = 100;

/**
 * Loads (or replaces) a year's arrangement as a whole, in one transaction with its audit entry:
 * the year's earlier days are removed, so a day dropped from the corrected notice stops counting.
 */
export async function loadYearArrangement(db: Knex, actor: AuditActor, input: YearArrangementInput, now: Date): Promise<{ replaced: boolean }> {
  try {
    return await writeYearArrangement(db, actor, input, now.toISOString());
  } catch (err) {
    // Another admin saved the same year (or one of its dates) between our check and our insert.
    if (isUniqueViolation(err)) throw conflict('calendar:errors.savedMeanwhile', { year: input.year });
    throw err;
  }
}

function writeYearArrangement(db: Knex, actor: AuditActor, input: YearArrangementInput, at: string): Promise<{ replaced: boolean }> {
  return db.transaction(async (trx) => {
    const clashes = await daysOfOtherArrangements(trx, input.year, input.days.map((d) => d.date));
    if (clashes.length) {
      const lineOf = new Map(input.days.map((d) => [d.date, d.line]));
      throw new ValidationError(clashes.map((c) => ({ path: 'lines', key: 'calendar:lines.otherYear', params: { line: lineOf.get(c.date), date: c.date, year: c.year } })));
    }
    const before = await findLoadedYear(trx, input.year);
    await trx('calendar_days').where({ year: input.year }).delete();
    const yearRow = { source: input.source, loaded_by: actor.id, loaded_at: at };
    if (before) await trx('calendar_years').where({ year: input.year }).update(yearRow);
    else await trx('calendar_years').insert({ year: input.year, ...yearRow });
    const rows = input.days.map((d) => ({ year: input.year, date: d.date, kind: d.kind, name: d.name, created_by: actor.id, created_at: at }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('calendar_days').insert(rows.slice(i, i + INSERT_CHUNK));
    await recordAudit(trx, actor, {
      action: before ? 'calendar.year.replaced' : 'calendar.year.loaded',
      entityType: 'calendar_year',
      entityId: input.year,
      before: before ? { source: before.source, days: formatArrangement(before.days) } : null,
      after: { source: input.source, days: formatArrangement(input.days) },
    });
    return { replaced: Boolean(before) };
  });
}
