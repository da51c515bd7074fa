import type { Request, Response } from 'express';
import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { ADMINS } from '../../auth/roles.ts';
import { LIBRARY_YEARS, MAX_WORKING_DAYS, libraryArrangement, yearOf } from '../../domain/calendar.ts';
import { actorOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { ValidationError } from '../../http/errors.ts';
import { queryText } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { formatArrangement } from './arrangement.ts';
import { trailRows, weekdayLabel } from './present.ts';
import { findLoadedYear, listLoadedYears } from './queries.ts';
import { parseWorkingDaysQuery, parseYearArrangement, type WorkingDaysQuery } from './schema.ts';
import { countWorkingDays, loadYearArrangement } from './service.ts';

const CALCULATOR_VIEW = 'calendar/views/working-days';
const YEAR_FORM_VIEW = 'calendar/views/year-form';

export function calendarRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  // The calculator, and the page every deadline links to: how its date was counted.
  r.get('/calendar/working-days', 'signed-in', async (req, res) => {
    const t = res.locals.t;
    const raw = { from: queryText(req, 'from'), days: queryText(req, 'days') };
    const page = { title: t('calendar:title'), maxDays: MAX_WORKING_DAYS };
    if (raw.from === '' && raw.days === '') return renderPage(res, CALCULATOR_VIEW, { ...page, values: { from: clock.today() } });
    let query: WorkingDaysQuery;
    try {
      query = parseWorkingDaysQuery(raw);
    } catch (err) {
      if (err instanceof ValidationError) return renderPage(res, CALCULATOR_VIEW, { ...page, values: raw, errors: err.fieldErrors }, 422);
      throw err;
    }
    const result = await countWorkingDays(db, query.from, query.days);
    renderPage(res, CALCULATOR_VIEW, {
      ...page,
      values: raw,
      result,
      dueWeekday: weekdayLabel(t, result.dueOn),
      rows: trailRows(t, result),
      counts: {
        skipped: result.skipped.length,
        weekends: result.skipped.filter((s) => s.reason === 'weekend').length,
        holidays: result.skipped.filter((s) => s.reason === 'holiday').length,
        adjusted: result.adjustedWorkdays.length,
      },
    });
  });

  r.get('/admin/calendar', ADMINS, async (_req, res) => {
    const years = await listLoadedYears(db);
    const nextYear = yearOf(clock.today()) + 1;
    const known = new Set([...LIBRARY_YEARS, ...years.map((y) => y.year)]);
    renderPage(res, 'calendar/views/admin', {
      title: res.locals.t('nav.calendar'),
      years,
      missingYears: [nextYear - 1, nextYear].filter((y) => !known.has(y)),
      libraryFirst: LIBRARY_YEARS[0],
      libraryLast: LIBRARY_YEARS.at(-1),
      weekday: (date: string) => weekdayLabel(res.locals.t, date),
      values: { year: nextYear },
    });
  });

  const yearFormLocals = (req: Request, res: Response) => {
    const year = String(req.body?.year ?? req.query.year ?? '').trim();
    return { title: /^\d{4}$/.test(year) ? res.locals.t('calendar:form.title', { year }) : res.locals.t('calendar:form.titleNew'), origin: null };
  };

  // The form opens with what is known of the year: the admins' arrangement, else the package's, else nothing.
  r.get('/admin/calendar/years/new', ADMINS, async (req, res) => {
    const requested = queryText(req, 'year').trim();
    const year = /^\d{4}$/.test(requested) ? Number(requested) : yearOf(clock.today()) + 1;
    const loaded = await findLoadedYear(db, year);
    const library = libraryArrangement(year);
    const origin = loaded ? 'loaded' : library.length ? 'library' : null;
    const lines = loaded ? formatArrangement(loaded.days) : formatArrangement(library);
    renderPage(res, YEAR_FORM_VIEW, {
      title: res.locals.t('calendar:form.title', { year }),
      origin,
      loadedSource: loaded?.source ?? '',
      values: { year, source: loaded?.source ?? '', lines: lines.join('\n') },
    });
  });

  r.post('/admin/calendar/years', ADMINS, ...actionForm({
    view: YEAR_FORM_VIEW,
    locals: yearFormLocals,
    read: parseYearArrangement,
    conflictField: '',
    run: (req, input) => loadYearArrangement(db, actorOf(req), input, clock.now()),
    done: (_req, input) => {
      const holidays = input.days.filter((d) => d.kind === 'holiday').length;
      return { to: '/admin/calendar', flash: 'calendar:form.saved', params: { year: input.year, holidays, workdays: input.days.length - holidays } };
    },
  }));

  return r.router;
}
