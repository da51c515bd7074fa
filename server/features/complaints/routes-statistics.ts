import type { Request, Response } from 'express';
import { authorize, guardedRouter } from '../../auth/policy.ts';
import { OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { exportQuery, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { parseInput } from '../../http/validate.ts';
import { allAgencies } from '../admin/queries.ts';
import { COMPLAINT_STATISTICS } from './policy-credit.ts';
import { percent } from './present-credit.ts';
import { defaultPeriod, type Period } from './rules-credit.ts';
import { statisticsFiltersSchema, type StatisticsFilters } from './schema-credit.ts';
import { complaintStatistics } from './statistics.ts';
import { recordStatisticsExport, statisticsFileName, writeStatisticsExport, type ExportFormat } from './statistics-export.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

/** Which agencies the user's figures cover: an officer its own agency; an auditor the chosen one, or every agency. */
function agenciesFor(user: SessionUser, filters: StatisticsFilters): number[] | null {
  if (user.role === 'officer') {
    const agencyId = user.agencyId ?? 0;
    authorize(user, COMPLAINT_STATISTICS.read, agencyId ? { agencyId } : null, COMPLAINT_STATISTICS.read);
    return [agencyId];
  }
  return filters.agencyId ? [filters.agencyId] : null;
}

function periodOf(filters: StatisticsFilters, today: string): Period {
  const fallback = defaultPeriod(today);
  return { from: filters.from ?? fallback.from, to: filters.to ?? fallback.to };
}

/** The complaint statistics per agency and period (auditors: every agency; officers: their own), and their export. */
export function statisticsRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  r.get('/complaints/statistics', OFFICERS_AND_AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const user = req.user!;
    const today = clock.today();
    const { filters, errors } = readListFilters(statisticsFiltersSchema, req.query);
    const period = periodOf(filters, today);
    const agencyIds = agenciesFor(user, filters);
    const report = await complaintStatistics(db, agencyIds, period, today);
    const auditor = user.role === 'auditor';
    const heading = auditor ? t('complaints:statistics.title') : t('complaints:statistics.headingAgency', { agency: user.agencyName ?? '' });
    const agencies = auditor ? await allAgencies(db) : null;
    renderPage(res, 'complaints/views/statistics', {
      title: heading,
      heading,
      report,
      rows: report.agencies,
      total: agencyIds === null ? report.total : null,
      agencyOptions: agencies ? [{ value: '', label: t('all') }, ...agencies.map((a) => ({ value: a.id, label: a.name }))] : null,
      exportQuery: exportQuery(req),
      percent,
      values: { from: period.from, to: period.to, agencyId: queryText(req, 'agencyId') },
      errors,
    }, errors.length ? 422 : 200);
  });

  // Exports of what the page shows (a bad filter answers 422, as the page would show it); each one is in the audit log.
  const exportRoute = (format: ExportFormat) => async (req: Request, res: Response) => {
    const user = req.user!;
    const today = clock.today();
    const filters = parseInput(statisticsFiltersSchema, req.query);
    const agencyIds = agenciesFor(user, filters);
    const report = await complaintStatistics(db, agencyIds, periodOf(filters, today), today);
    const e = { report, withTotal: agencyIds === null, today, at: clock.now().toISOString(), by: user, format };
    await recordStatisticsExport(db, callerOf(req), e);
    res.set({
      'Content-Type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/zip',
      'Content-Disposition': attachmentDisposition(statisticsFileName(e)),
    });
    await writeStatisticsExport(e, res);
  };
  r.get('/complaints/statistics/export.csv', OFFICERS_AND_AUDITORS, exportRoute('csv'));
  r.get('/complaints/statistics/export.xlsx', OFFICERS_AND_AUDITORS, exportRoute('xlsx'));

  return r.router;
}
