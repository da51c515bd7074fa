import type { Request, Response } from 'express';
import { authorize, can, guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { idParam, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { allAgencies } from '../admin/queries.ts';
import { agencyCreditRecord, creditRecordEntryFor, findingYears, listCreditRecord, performanceHints, repairEntry, type CreditRecordEntry, type PerformanceHint } from './credit-record.ts';
import { CREDIT_RECORD } from './policy-credit.ts';
import { percent } from './present-credit.ts';
import { defaultPeriod } from './rules-credit.ts';
import { creditRecordFiltersSchema, repairFormSchema, statisticsFiltersSchema } from './schema-credit.ts';
import { complaintStatistics } from './statistics.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const REPAIR_VIEW = 'complaints/views/credit-repair';

/** What may suggest, for each unrepaired entry of a page, that its agency performed. */
async function hintsOf(db: AppContext['db'], entries: CreditRecordEntry[]): Promise<Record<number, PerformanceHint[]>> {
  const hints: Record<number, PerformanceHint[]> = {};
  for (const e of entries.filter((x) => x.repairedOn === null)) hints[e.id] = await performanceHints(db, e);
  return hints;
}

/**
 * The government credit record (政务信用记录): the auditors' list of every finding, the repair form,
 * and each agency's integrity page (its record and its complaint statistics) for its officers and the auditors.
 */
export function creditRecordRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/complaints/credit-record', AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const { filters, errors } = readListFilters(creditRecordFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listCreditRecord(db, filters, page, PAGE_SIZE);
    const [agencies, years] = await Promise.all([allAgencies(db), findingYears(db)]);
    const all = { value: '', label: t('all') };
    renderPage(res, 'complaints/views/credit-record', {
      title: t('complaints:credit.list.title'),
      items,
      hints: await hintsOf(db, items),
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      agencyOptions: [all, ...agencies.map((a) => ({ value: a.id, label: a.name }))],
      repairedOptions: [all, { value: 'no', label: t('complaints:credit.unrepaired') }, { value: 'yes', label: t('complaints:credit.repaired') }],
      yearOptions: [all, ...years.map((y) => ({ value: y, label: String(y) }))],
      values: { agencyId: queryText(req, 'agencyId'), repaired: queryText(req, 'repaired'), year: queryText(req, 'year') },
      errors,
    }, errors.length ? 422 : 200);
  });

  const repairLocals = async (req: Request, res: Response) => {
    const entry = await creditRecordEntryFor(db, req.user!, idParam(req));
    return { title: (res.locals.t as T)('complaints:credit.repair.title'), entry, hints: await performanceHints(db, entry) };
  };

  r.get('/complaints/credit-record/:id/repair', AUDITORS, async (req, res) => {
    const locals = await repairLocals(req, res);
    renderPage(res, REPAIR_VIEW, { ...locals, values: { repairedOn: clock.today() } });
  });

  r.post('/complaints/credit-record/:id/repair', AUDITORS, ...actionForm({
    view: REPAIR_VIEW,
    locals: repairLocals,
    read: repairFormSchema,
    files: { field: 'evidence', check: checkUploads },
    conflictField: 'repairedOn',
    run: (req, f, files) => repairEntry(ctx, callerOf(req), idParam(req), f, files),
    done: (req) => ({ to: `/complaints/credit-record#entry-${idParam(req)}`, flash: 'complaints:credit.repair.done' }),
  }));

  r.get('/agencies/:id/integrity', OFFICERS_AND_AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const user = req.user!;
    const agencyId = idParam(req);
    const agency = await db('agencies').where({ id: agencyId }).first('id', 'name');
    authorize(user, CREDIT_RECORD.read, agency ? { agencyId } : null, CREDIT_RECORD.read);
    const { filters, errors } = readListFilters(statisticsFiltersSchema, req.query);
    const today = clock.today();
    const fallback = defaultPeriod(today);
    const period = { from: filters.from ?? fallback.from, to: filters.to ?? fallback.to };
    const [entries, report] = await Promise.all([agencyCreditRecord(db, agencyId), complaintStatistics(db, [agencyId], period, today)]);
    renderPage(res, 'complaints/views/integrity', {
      title: t('complaints:credit.integrity.title', { agency: agency.name }),
      agency: { id: Number(agency.id), name: agency.name },
      entries,
      hints: await hintsOf(db, entries),
      mayRepair: can(user, CREDIT_RECORD.repair, { agencyId }),
      report,
      percent,
      values: { from: period.from, to: period.to },
      errors,
    }, errors.length ? 422 : 200);
  });

  return r.router;
}

