import type { Request, Response } from 'express';
import { guardedRouter, listScope } from '../../auth/policy.ts';
import { AUDITORS, BUSINESS_READERS, ENTERPRISES } from '../../auth/roles.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { AppContext } from '../../context.ts';
import { checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { forbidden } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { allAgencies } from '../admin/queries.ts';
import { complaintFromForm, FORM_FIELD_OF, type FormBody } from './form.ts';
import { linkableRecords, listCases, type CaseOrder } from './queries.ts';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from './rules.ts';
import type { ComplaintInput } from './schema.ts';
import { caseFiltersSchema } from './schema-cases.ts';
import { fileComplaint, type FiledComplaint } from './service/file.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const LIST_FIELDS = ['status', 'category', 'overdue', 'agencyId'] as const;
const FORM_VIEW = 'complaints/views/form';
const LIST_VIEW = 'complaints/views/list';

/** At most this many characters of a linked record's words in the form's choices. */
const OPTION_LABEL_MAX = 60;
const shorten = (s: string) => (s.length > OPTION_LABEL_MAX ? `${s.slice(0, OPTION_LABEL_MAX)}…` : s);

function headingOf(t: T, user: SessionUser, overdueQueue: boolean): string {
  if (overdueQueue) return t('complaints:cases.list.headingOverdue');
  if (user.role === 'enterprise') return t('complaints:cases.list.headingEnterprise', { enterprise: user.enterpriseName ?? '' });
  if (user.role === 'auditor') return t('complaints:cases.list.headingAll');
  return t('complaints:cases.list.headingAgency', { agency: user.agencyName ?? '' });
}

/**
 * The case lists (each role by its scope: officers nearest deadline first, the others newest first),
 * the auditors' overdue queue (the longest overdue first) and the filing form (enterprises): fixed
 * paths, mounted before any /complaints/:id pattern.
 */
export function caseRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  const listPage = (overdueQueue: boolean) => async (req: Request, res: Response) => {
    const user = req.user!;
    const t = res.locals.t as T;
    const { filters, errors } = readListFilters(caseFiltersSchema, req.query);
    if (overdueQueue) filters.overdue = 'yes';
    const order: CaseOrder = overdueQueue || user.role === 'officer' ? 'deadline' : 'newest';
    const page = requestedPage(req);
    const { items, total } = await listCases(db, user, listScope(user), filters, order, page, PAGE_SIZE, clock.today());
    const auditor = user.role === 'auditor';
    const agencies = auditor ? await allAgencies(db) : null;
    const all = { value: '', label: t('all') };
    renderPage(res, LIST_VIEW, {
      title: headingOf(t, user, overdueQueue),
      heading: headingOf(t, user, overdueQueue),
      action: overdueQueue ? '/complaints/overdue' : '/complaints',
      overdueQueue,
      items,
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      statusOptions: [all, ...COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`complaints:status.${s}`) }))],
      categoryOptions: [all, ...COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`complaints:categories.${c}`) }))],
      overdueOptions: [all, ...(['yes', 'no'] as const).map((v) => ({ value: v, label: t(`complaints:cases.list.overdueOptions.${v}`) }))],
      agencyOptions: agencies ? [all, ...agencies.map((a) => ({ value: a.id, label: a.name }))] : null,
      showComplainant: user.role !== 'enterprise',
      mayFile: user.role === 'enterprise',
      today: clock.today(),
      values: Object.fromEntries(LIST_FIELDS.map((k) => [k, queryText(req, k)])),
      errors,
    }, errors.length ? 422 : 200);
  };

  r.get('/complaints', BUSINESS_READERS, listPage(false));
  r.get('/complaints/overdue', AUDITORS, listPage(true));

  const formLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = req.user!;
    if (user.enterpriseId === null) throw forbidden();
    const [agencies, linkable] = await Promise.all([allAgencies(db), linkableRecords(db, user.enterpriseId)]);
    const none = (key: string) => ({ value: '', label: t(key) });
    return {
      title: t('complaints:cases.form.title'),
      enterpriseName: user.enterpriseName ?? '',
      agencyOptions: [none('complaints:cases.form.chooseAgency'), ...agencies.map((a) => ({ value: a.id, label: a.name }))],
      categoryOptions: [none('complaints:cases.form.chooseCategory'), ...COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`complaints:categories.${c}`) }))],
      commitmentOptions: [none('complaints:cases.form.noLink'), ...linkable.commitments.map((c) => ({ value: c.id, label: shorten(`${c.agencyName} · ${c.label}`) }))],
      arrearsOptions: [none('complaints:cases.form.noLink'), ...linkable.arrears.map((a) => ({ value: a.id, label: shorten(`${a.agencyName} · ${a.label}`) }))],
    };
  };

  r.get('/complaints/new', ENTERPRISES, async (req, res) => {
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res)), values: {} });
  });

  r.post('/complaints/new', ENTERPRISES, ...actionForm({
    view: FORM_VIEW,
    locals: formLocals,
    read: (body: FormBody): ComplaintInput => complaintFromForm(body),
    files: { field: 'evidence', check: checkUploads },
    fields: FORM_FIELD_OF,
    conflictField: '',
    run: (req, input: ComplaintInput, files) => fileComplaint(ctx, callerOf(req), input, files),
    done: (_req, _input, filed: FiledComplaint) => ({ to: `/complaints/${filed.id}`, flash: 'complaints:cases.form.filed', params: { id: filed.id, dueOn: filed.acceptDueOn } }),
  }));

  return r.router;
}
