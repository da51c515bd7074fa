import type { NextFunction, Request, Response } from 'express';
import { authorize, can, guardedRouter } from '../../auth/policy.ts';
import { OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { enterprisePicker, isEnterpriseSearch } from '../../http/enterprise-picker.ts';
import { forbidden } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { idParam, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { allAgencies } from '../admin/queries.ts';
import { CASE_FIELD_OF, caseFromForm, caseToForm, hearingFromForm, type FormBody } from './form.ts';
import { SHOW_VIEW, showPageLocals } from './pages.ts';
import { LITIGATION } from './policy.ts';
import { listCases, registerScope } from './queries.ts';
import { caseScope } from './repository.ts';
import { CASE_STATUSES } from './rules.ts';
import { litigationFiltersSchema, type CaseInput, type HearingInput } from './schema.ts';
import { caseDetail, litigationRatesReport } from './service/detail.ts';
import { recordHearing } from './service/hearings.ts';
import { recordCase, updateCase } from './service/register.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const FORM_VIEW = 'litigation/views/form';
const LIST_FIELDS = ['agencyId', 'status', 'q', 'from', 'to'] as const;

/** What a search of the plaintiff picker found, in words (the view says the same). */
function pickerSummary(t: T, query: string, shown: number, total: number): string {
  if (!query) return '';
  if (total === 0) return t('litigation:form.picker.none', { query });
  return total > shown ? t('litigation:form.picker.many', { query, total, shown }) : t('litigation:form.picker.found', { query, count: total });
}

/** The register (per role), the rates page, a case's page, and the forms to record a case, edit it and add a hearing. */
export function litigationRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/litigation', OFFICERS_AND_AUDITORS, async (req, res) => {
    const user = req.user!;
    const t = res.locals.t as T;
    const { filters, errors } = readListFilters(litigationFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listCases(db, registerScope(user), filters, page, PAGE_SIZE);
    const auditor = user.role === 'auditor';
    const all = { value: '', label: t('all') };
    const heading = auditor ? t('litigation:list.headingAll') : t('litigation:list.headingAgency', { agency: user.agencyName ?? '' });
    renderPage(res, 'litigation/views/list', {
      title: heading,
      heading,
      items,
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      agencyOptions: auditor ? [all, ...(await allAgencies(db)).map((a) => ({ value: a.id, label: a.name }))] : null,
      statusOptions: [all, ...CASE_STATUSES.map((s) => ({ value: s, label: t(`litigation:status.${s}`) }))],
      showAgency: auditor,
      mayRecord: user.agencyId !== null && can(user, LITIGATION.record, { agencyId: user.agencyId }),
      values: Object.fromEntries(LIST_FIELDS.map((k) => [k, queryText(req, k)])),
      errors,
    }, errors.length ? 422 : 200);
  });

  r.get('/litigation/rates', OFFICERS_AND_AUDITORS, async (req, res) => {
    const user = req.user!;
    const t = res.locals.t as T;
    const { filters, errors } = readListFilters(litigationFiltersSchema, req.query);
    const report = await litigationRatesReport(db, user, filters, clock.today());
    const auditor = user.role === 'auditor';
    renderPage(res, 'litigation/views/rates', {
      title: t('litigation:rates.title'),
      report,
      agencyOptions: auditor ? [{ value: '', label: t('litigation:rates.allAgencies') }, ...(await allAgencies(db)).map((a) => ({ value: a.id, label: a.name }))] : null,
      showTotal: auditor && report.agencyId === null,
      values: { agencyId: queryText(req, 'agencyId'), from: errors.some((e) => e.path === 'from') ? queryText(req, 'from') : report.period.from, to: errors.some((e) => e.path === 'to') ? queryText(req, 'to') : report.period.to },
      errors,
    }, errors.length ? 422 : 200);
  });

  // Recording and editing a case

  /** The form's page; `values` are what it shows (a posted form shows what was posted). */
  const formLocals = async (req: Request, res: Response, values?: FormBody) => {
    const t = res.locals.t as T;
    const user = req.user!;
    if (user.agencyId === null) throw forbidden();
    const editing = req.params.id !== undefined;
    // A refused edit is shown again only to those who may edit the case: others get 404 or 403, not the form.
    if (editing) authorize(user, LITIGATION.edit, await caseScope(db, idParam(req)), LITIGATION.read);
    const posted = req.method === 'POST' ? (req.body as FormBody) : null;
    const picker = await enterprisePicker(db, values ?? posted ?? {});
    return {
      title: t(editing ? 'litigation:form.editTitle' : 'litigation:form.newTitle'),
      action: editing ? `/litigation/${req.params.id}/edit` : '/litigation/new',
      cancelUrl: editing ? `/litigation/${req.params.id}` : '/litigation',
      agencyName: user.agencyName ?? '',
      picker: { ...picker, summary: pickerSummary(t, picker.query, picker.matches.length, picker.total) },
    };
  };

  /** The search step of the plaintiff picker: the form comes back with every value kept and the matches to choose from. */
  const enterpriseSearchStep = async (req: Request, res: Response, next: NextFunction) => {
    if (!isEnterpriseSearch(req.body as FormBody)) return next();
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res)), values: req.body as FormBody });
  };

  /** The form is always for the officer's own agency: the use case refuses any other. */
  const caseForm = {
    view: FORM_VIEW,
    locals: formLocals,
    read: (body: FormBody, req: Request): CaseInput => caseFromForm(body, req.user!.agencyId ?? 0),
    fields: CASE_FIELD_OF,
    conflictField: '',
  };

  r.get('/litigation/new', OFFICERS, async (req, res) => {
    const values = { filedOn: clock.today() };
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res, values)), values });
  });

  r.post('/litigation/new', OFFICERS, enterpriseSearchStep, ...actionForm({
    ...caseForm,
    run: (req, input: CaseInput) => recordCase(ctx, callerOf(req), input),
    done: (_req, _input, { id }) => ({ to: `/litigation/${id}`, flash: 'litigation:form.recorded' }),
  }));

  r.get('/litigation/:id/edit', OFFICERS, async (req, res) => {
    const detail = await caseDetail(db, req.user!, idParam(req));
    if (!can(req.user!, LITIGATION.edit, detail)) throw forbidden();
    const values = caseToForm(detail);
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res, values)), values });
  });

  r.post('/litigation/:id/edit', OFFICERS, enterpriseSearchStep, ...actionForm({
    ...caseForm,
    run: (req, input: CaseInput) => updateCase(ctx, callerOf(req), idParam(req), input),
    done: (req) => ({ to: `/litigation/${idParam(req)}`, flash: 'litigation:form.updated' }),
  }));

  // A case's page and its hearing form

  const showLocals = showPageLocals(ctx);

  r.get('/litigation/:id', OFFICERS_AND_AUDITORS, async (req, res) => {
    renderPage(res, SHOW_VIEW, { ...(await showLocals(req, res)), values: { hearingOn: clock.today() } });
  });

  r.post('/litigation/:id/hearings', OFFICERS, ...actionForm({
    view: SHOW_VIEW,
    locals: showLocals,
    form: () => 'hearing',
    read: (body: FormBody): HearingInput => hearingFromForm(body),
    conflictField: '',
    run: (req, input: HearingInput) => recordHearing(ctx, callerOf(req), idParam(req), input),
    done: (req) => ({ to: `/litigation/${idParam(req)}#hearings`, flash: 'litigation:show.hearingRecorded' }),
  }));

  return r.router;
}
