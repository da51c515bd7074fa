import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { queryText } from '../../http/params.ts';
import { workingDaysJson } from './present.ts';
import { parseWorkingDaysQuery } from './schema.ts';
import { countWorkingDays } from './service.ts';

export function calendarApiRoutes({ db }: AppContext) {
  const r = guardedRouter();
  r.get('/calendar/working-days', 'signed-in', async (req, res) => {
    const query = parseWorkingDaysQuery({ from: queryText(req, 'from'), days: queryText(req, 'days') });
    res.json(workingDaysJson(await countWorkingDays(db, query.from, query.days)));
  });
  return r.router;
}
