import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, ENTERPRISES } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { notFound, type FieldError } from '../../http/errors.ts';
import { queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { creditorPaymentsToDo, owedToEnterprise } from './creditor.ts';
import { AGEING_BUCKETS } from './rules.ts';
import { arrearsSummary, yearStart } from './summary.ts';
import { summaryQuerySchema } from './summary-request.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

/**
 * The auditors' clearance dashboard across agencies, as of a chosen date, and an enterprise's page of
 * what each agency owes it.
 */
export function arrearsDashboardRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  r.get('/arrears/dashboard', AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const today = clock.today();
    const { filters, errors } = readListFilters(summaryQuerySchema, req.query);
    const asOf = filters.asOf ?? today;
    let since = filters.since ?? yearStart(asOf);
    const pageErrors: FieldError[] = [...errors];
    if (since > asOf) {
      pageErrors.push({ path: 'since', key: 'arrears:dashboard.errors.sinceAfterAsOf' });
      since = yearStart(asOf);
    }
    const summary = await arrearsSummary(db, { kind: 'all' }, { asOf, since });
    renderPage(
      res,
      'arrears/views/dashboard',
      {
        title: t('arrears:dashboard.title'),
        summary,
        buckets: AGEING_BUCKETS.map((b) => b.bucket),
        asOfIsToday: asOf === today,
        values: { asOf: queryText(req, 'asOf') || asOf, since: queryText(req, 'since') || since },
        errors: pageErrors,
      },
      pageErrors.length ? 422 : 200,
    );
  });

  r.get('/arrears/owed', ENTERPRISES, async (req, res) => {
    const t = res.locals.t as T;
    const enterpriseId = req.user!.enterpriseId;
    if (enterpriseId === null) throw notFound();
    const today = clock.today();
    const [owed, toDo] = await Promise.all([owedToEnterprise(db, enterpriseId, today), creditorPaymentsToDo(db, enterpriseId)]);
    renderPage(res, 'arrears/views/owed', { title: t('arrears:owed.title'), owed, awaiting: toDo.awaitingAnswer, today });
  });

  return r.router;
}
