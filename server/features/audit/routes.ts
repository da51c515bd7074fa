import type { Request, Response } from 'express';
import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS } from '../../auth/roles.ts';
import { recordAuditEvent, verifyAndRecord } from '../../audit/chain.ts';
import { describeEntities, type AuditEntityRegistry } from '../../audit/entities.ts';
import { actionsIn, describeChanges, eventLabel, type AuditVocabulary } from '../../audit/labels.ts';
import { actorOf } from '../../http/actor.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { exportQuery, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { parseInput } from '../../http/validate.ts';
import { writeCsvSheet, writeXlsxSheet, type ExportRow } from '../../spreadsheets/writers.ts';
import { entryView, verdictMessage } from './present.ts';
import { AUDIT_FILTER_FIELDS, auditBatches, auditFiltersSchema, auditPage } from './queries.ts';
import { AUDIT_EXPORT_COLUMNS, AUDIT_SHEET, auditExportRow, beijingTime } from './spreadsheet.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

/** Files are written in Chinese whatever the page language (see spreadsheet.ts). */
const FILE_LANGUAGE = 'zh-CN';

const registryOf = (req: Request) => req.app.locals.auditEntities as AuditEntityRegistry;
const namespacesOf = (req: Request) => (req.app.locals.eventNamespaces as string[] | undefined) ?? [];

/** Every labelled action, by its label in the page's language, for the action filter. */
function actionOptions(req: Request, res: Response): Array<{ value: string; label: string }> {
  const actions = new Set(namespacesOf(req).flatMap((ns) => actionsIn((req.i18n.getResourceBundle(FILE_LANGUAGE, ns) as { events?: unknown } | undefined)?.events)));
  const label = res.locals.eventLabel as (action: string) => string;
  return [...actions].map((action) => ({ value: action, label: label(action) })).sort((a, b) => a.label.localeCompare(b.label, res.locals.lang as string));
}

export function auditRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  r.get('/audit', AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const registry = registryOf(req);
    const { filters, errors } = readListFilters(auditFiltersSchema, req.query);
    const page = requestedPage(req);
    const { entries, total } = await auditPage(db, registry, filters, page, PAGE_SIZE);
    const nameOf = await describeEntities(db, registry, entries);
    const all = { value: '', label: t('all') };
    renderPage(res, 'audit/views/list', {
      title: t('audit:title'),
      entries: entries.map((e) => entryView(e, registry, nameOf, t)),
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      actionOptions: [all, ...actionOptions(req, res)],
      entityTypeOptions: [all, ...[...registry.values()].map((e) => ({ value: e.type, label: t(e.labelKey) })).sort((a, b) => a.label.localeCompare(b.label, res.locals.lang as string))],
      exportQuery: exportQuery(req),
      values: Object.fromEntries(AUDIT_FILTER_FIELDS.map((k) => [k, queryText(req, k)])),
      errors,
    }, errors.length ? 422 : 200);
  });

  /** The filtered log as a file; taking the log away is itself recorded. */
  const exportLog = (format: 'csv' | 'xlsx') => async (req: Request, res: Response) => {
    const filters = parseInput(auditFiltersSchema, req.query);
    const registry = registryOf(req);
    await recordAuditEvent(db, actorOf(req), { action: 'audit_log.exported', entityType: 'audit_log', after: { format, filters } });
    const t = req.i18n.getFixedT(FILE_LANGUAGE) as T;
    const vocabulary: AuditVocabulary = { t: t as AuditVocabulary['t'], exists: (key) => req.i18n.exists(key, { lng: FILE_LANGUAGE }), namespaces: namespacesOf(req), time: beijingTime };
    async function* rows(): AsyncGenerator<ExportRow<typeof AUDIT_EXPORT_COLUMNS>> {
      for await (const batch of auditBatches(db, registry, filters)) {
        const nameOf = await describeEntities(db, registry, batch);
        for (const row of batch) {
          const entry = entryView(row, registry, nameOf, t);
          yield auditExportRow(entry, eventLabel(vocabulary, entry.action), describeChanges(vocabulary, entry.action, entry.before, entry.after));
        }
      }
    }
    const name = `${AUDIT_SHEET}-${clock.today()}.${format}`;
    if (format === 'csv') {
      res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachmentDisposition(name) });
      await writeCsvSheet(res, AUDIT_EXPORT_COLUMNS, rows());
    } else {
      res.set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition(name) });
      await writeXlsxSheet(res, AUDIT_SHEET, AUDIT_EXPORT_COLUMNS, rows());
    }
  };
  r.get('/audit/export.csv', AUDITORS, exportLog('csv'));
  r.get('/audit/export.xlsx', AUDITORS, exportLog('xlsx'));

  r.post('/audit/verify', AUDITORS, async (req, res) => {
    const verdict = await verifyAndRecord(db, actorOf(req));
    renderPage(res, 'audit/views/verify', { title: res.locals.t('audit:verifyTitle'), verdict, message: verdictMessage(verdict, res.locals.t, res.locals.time) });
  });

  return r.router;
}
