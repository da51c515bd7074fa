import type { NextFunction, Request, Response } from 'express';
import { can, guardedRouter, listScope } from '../../auth/policy.ts';
import { BUSINESS_READERS, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { enterprisePicker, isEnterpriseSearch } from '../../http/enterprise-picker.ts';
import { forbidden } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { exportQuery, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { parseInput } from '../../http/validate.ts';
import { allAgencies, allEnterpriseOptions } from '../admin/queries.ts';
import { exportFileName, recordArrearsExport, writeCsvExport, writeXlsxExport, type ArrearsExport, type ExportFormat } from './export.ts';
import { arrearsFromForm, FORM_FIELD_OF, type FormBody } from './form.ts';
import { ARREARS } from './policy.ts';
import { agencyCommitmentOptions, listArrears } from './queries.ts';
import { AGEING_BUCKETS, ARREARS_CATEGORIES, ARREARS_STATUSES } from './rules.ts';
import { ARREARS_SORT_KEYS, arrearsFiltersSchema, type ArrearsInput } from './schema.ts';
import { registerArrears, type RegisteredArrears } from './service/register.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const LIST_FIELDS = ['category', 'status', 'ageing', 'overdue', 'disputed', 'nonCompliant', 'enterpriseId', 'agencyId', 'q', 'sort'] as const;
const FORM_VIEW = 'arrears/views/form';

/** What a search of the creditor picker found, in words (the view says the same). */
function pickerSummary(t: T, query: string, shown: number, total: number): string {
  if (!query) return '';
  if (total === 0) return t('arrears:form.picker.none', { query });
  return total > shown ? t('arrears:form.picker.many', { query, total, shown }) : t('arrears:form.picker.found', { query, count: total });
}

/** The arrears ledger (every role by its scope), its exports, and the form to register an arrears. */
export function arrearsLedgerRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/arrears', BUSINESS_READERS, async (req, res) => {
    const user = req.user!;
    const t = res.locals.t as T;
    const today = clock.today();
    const { filters, errors } = readListFilters(arrearsFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listArrears(db, listScope(user), filters, page, PAGE_SIZE, today);
    const auditor = user.role === 'auditor';
    const [agencies, enterprises] = await Promise.all([auditor ? allAgencies(db) : null, user.role === 'enterprise' ? null : allEnterpriseOptions(db)]);
    const all = { value: '', label: t('all') };
    const yesNo = (name: 'overdue' | 'disputed' | 'nonCompliant') => [all, ...(['yes', 'no'] as const).map((v) => ({ value: v, label: t(`arrears:ledger.yesNo.${name}.${v}`) }))];
    const heading =
      user.role === 'enterprise' ? t('arrears:ledger.headingEnterprise', { enterprise: user.enterpriseName ?? '' })
      : auditor ? t('arrears:ledger.headingAll')
      : t('arrears:ledger.headingAgency', { agency: user.agencyName ?? '' });
    renderPage(res, 'arrears/views/list', {
      title: heading,
      heading,
      items,
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      categoryOptions: [all, ...ARREARS_CATEGORIES.map((c) => ({ value: c, label: t(`arrears:categories.${c}`) }))],
      statusOptions: [all, ...ARREARS_STATUSES.map((s) => ({ value: s, label: t(`arrears:status.${s}`) }))],
      ageingOptions: [all, ...AGEING_BUCKETS.map((b) => ({ value: b.bucket, label: t(`arrears:ageing.${b.bucket}`) }))],
      overdueOptions: yesNo('overdue'),
      disputedOptions: yesNo('disputed'),
      nonCompliantOptions: yesNo('nonCompliant'),
      sortOptions: ARREARS_SORT_KEYS.map((s) => ({ value: s, label: t(`arrears:ledger.sorts.${s}`) })),
      agencyOptions: agencies ? [all, ...agencies.map((a) => ({ value: a.id, label: a.name }))] : null,
      enterpriseOptions: enterprises ? [all, ...enterprises.map((e) => ({ value: e.id, label: e.name }))] : null,
      exportQuery: exportQuery(req),
      showAgency: user.role !== 'officer',
      showEnterprise: user.role !== 'enterprise',
      mayCreate: user.agencyId !== null && can(user, ARREARS.create, { agencyId: user.agencyId }),
      values: Object.fromEntries(LIST_FIELDS.map((k) => [k, queryText(req, k)])),
      errors,
    }, errors.length ? 422 : 200);
  });

  // Exports: the ledger page's filters and the caller's scope, streamed; each one is also in the audit log.
  const exportOf = (req: Request, format: ExportFormat): ArrearsExport => {
    const user = req.user!;
    return { scope: listScope(user), filters: parseInput(arrearsFiltersSchema, req.query), today: clock.today(), at: clock.now().toISOString(), by: user, format };
  };
  r.get('/arrears/export.csv', BUSINESS_READERS, async (req, res) => {
    const e = exportOf(req, 'csv');
    await recordArrearsExport(db, callerOf(req), e);
    res.set({ 'Content-Type': 'application/zip', 'Content-Disposition': attachmentDisposition(exportFileName(e.today, 'csv')) });
    await writeCsvExport(db, e, res);
  });
  r.get('/arrears/export.xlsx', BUSINESS_READERS, async (req, res) => {
    const e = exportOf(req, 'xlsx');
    await recordArrearsExport(db, callerOf(req), e);
    res.set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition(exportFileName(e.today, 'xlsx')) });
    await writeXlsxExport(db, e, res);
  });

  /** The form's page; `values` are what it shows (a posted form shows what was posted). */
  const formLocals = async (req: Request, res: Response, values?: FormBody) => {
    const t = res.locals.t as T;
    const user = req.user!;
    if (user.agencyId === null) throw forbidden();
    const posted = req.method === 'POST' ? (req.body as FormBody) : null;
    const commitments = await agencyCommitmentOptions(db, user.agencyId);
    const picker = await enterprisePicker(db, values ?? posted ?? {});
    return {
      title: t('arrears:form.title'),
      agencyName: user.agencyName ?? '',
      categoryOptions: ARREARS_CATEGORIES.map((c) => ({ value: c, label: t(`arrears:categories.${c}`) })),
      commitmentOptions: [{ value: '', label: t('arrears:form.noCommitment') }, ...commitments.map((c) => ({ value: c.id, label: `${c.referenceNo} ${c.title}` }))],
      picker: { ...picker, summary: pickerSummary(t, picker.query, picker.matches.length, picker.total) },
    };
  };

  /** The search step of the creditor picker: the form comes back with every value kept and the matches to choose from (files must be chosen again). */
  const enterpriseSearchStep = async (req: Request, res: Response, next: NextFunction) => {
    if (!isEnterpriseSearch(req.body as FormBody)) return next();
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res)), values: req.body as FormBody });
  };

  r.get('/arrears/new', OFFICERS, async (req, res) => {
    const values = { category: 'works' };
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res, values)), values });
  });

  // The form is always for the officer's own agency: the use case refuses any other.
  r.post('/arrears/new', OFFICERS, ...actionForm({
    view: FORM_VIEW,
    locals: formLocals,
    read: (body: FormBody, req: Request): ArrearsInput => arrearsFromForm(body, req.user!.agencyId!),
    files: { field: 'evidence', check: checkUploads },
    step: enterpriseSearchStep,
    fields: FORM_FIELD_OF,
    conflictField: '',
    run: (req, input: ArrearsInput, files) => registerArrears(ctx, callerOf(req), input, files),
    done: (_req, _input, registered: RegisteredArrears) => ({ to: `/arrears/${registered.id}`, flash: 'arrears:form.created' }),
  }));

  return r.router;
}
