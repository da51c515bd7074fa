import type { NextFunction, Request, Response } from 'express';
import { authorize, can, guardedRouter, listScope } from '../../auth/policy.ts';
import { AUDITORS, BUSINESS_READERS, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { forbidden, type FieldError } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { exportQuery, idParam, queryText, readListFilters } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { allAgencies, allEnterpriseOptions } from '../admin/queries.ts';
import { enterprisePicker, findEnterprises, isEnterpriseSearch } from '../../http/enterprise-picker.ts';
import { commitmentFromForm, commitmentToForm, milestoneRowCount, toFormErrors, type CommitmentForm, type FormBody } from './form.ts';
import { QUEUE_VIEW, SHOW_VIEW, queuePageLocals, showPageLocals } from './pages.ts';
import { COMMITMENTS } from './policy.ts';
import { COMMITMENT_SORTS, agencySummaries, listCommitments } from './queries.ts';
import { commitmentScope } from './repository.ts';
import { COMMITMENT_STATUSES } from './rules.ts';
import { COMMITMENT_KINDS, commitmentFiltersSchema } from './schema.ts';
import { getCommitmentForUser } from './service/detail.ts';
import { createCommitment, updateCommitment } from './service/register.ts';

/** What a search of the counterparty picker found, in words (the view says the same). */
function pickerSummary(t: T, query: string, shown: number, total: number): string {
  if (!query) return '';
  if (total === 0) return t('commitments:pages.picker.none', { query });
  return total > shown ? t('commitments:pages.picker.many', { query, total, shown }) : t('commitments:pages.picker.found', { query, count: total });
}

/** Blank milestone rows the form offers after the filled ones, so that more can be added without JavaScript. */
const BLANK_ROWS_NEW = 3;
const BLANK_ROWS_EDIT = 2;
const FORM_VIEW = 'commitments/views/form';
const LIST_FIELDS = ['kind', 'status', 'dueFrom', 'dueTo', 'enterpriseId', 'agencyId', 'subordinates', 'q', 'sort'] as const;

type T = (key: string, params?: Record<string, unknown>) => string;

/** The ledger, the auditors' queue, the commitment page, and the form to register or edit a commitment. */
export function commitmentRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/commitments', BUSINESS_READERS, async (req, res) => {
    const user = req.user!;
    const t = res.locals.t as T;
    const today = clock.today();
    const { filters, errors } = readListFilters(commitmentFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listCommitments(db, listScope(user), filters, page, PAGE_SIZE, today);
    const auditor = user.role === 'auditor';
    const [summaries, agencies, enterprises] = await Promise.all([
      auditor ? agencySummaries(db, today) : null,
      auditor ? allAgencies(db) : null,
      user.role === 'enterprise' ? null : allEnterpriseOptions(db),
    ]);
    const all = { value: '', label: t('all') };
    renderPage(res, 'commitments/views/list', {
      title: t(user.role === 'enterprise' ? 'nav.myCommitments' : 'nav.commitments'),
      heading: t(user.role === 'enterprise' ? 'nav.myCommitments' : auditor ? 'commitments:pages.list.headingAll' : 'commitments:pages.list.headingAgency', { agency: user.agencyName ?? '' }),
      items,
      pager: makePager(total, page),
      pageUrl: pageUrlFor(req),
      summaries,
      kindOptions: [all, ...COMMITMENT_KINDS.map((k) => ({ value: k, label: t(`commitments:kinds.${k}`) }))],
      statusOptions: [all, ...COMMITMENT_STATUSES.map((s) => ({ value: s, label: t(`commitments:status.${s}`) }))],
      sortOptions: COMMITMENT_SORTS.map((s) => ({ value: s, label: t(`commitments:pages.sort.${s}`) })),
      agencyOptions: agencies ? [all, ...agencies.map((a) => ({ value: a.id, label: a.name }))] : null,
      enterpriseOptions: enterprises ? [all, ...enterprises.map((e) => ({ value: e.id, label: e.name }))] : null,
      exportQuery: exportQuery(req),
      showAgency: user.role !== 'officer',
      showEnterprise: user.role !== 'enterprise',
      mayCreate: user.agencyId !== null && can(user, COMMITMENTS.create, { agencyId: user.agencyId }),
      values: Object.fromEntries(LIST_FIELDS.map((k) => [k, queryText(req, k)])),
      errors,
    }, errors.length ? 422 : 200);
  });

  r.get('/commitments/waivers', AUDITORS, async (req, res) => {
    renderPage(res, QUEUE_VIEW, await queuePageLocals(ctx)(req, res));
  });

  // New and edited commitments

  /** The form's page; `values` are what it shows (a posted form shows what was posted). */
  const formLocals = async (req: Request, res: Response, values?: FormBody) => {
    const t = res.locals.t as T;
    const editing = req.params.id !== undefined;
    // A refused edit is shown again only to those who may edit the commitment: others get 404 or 403, not the form.
    if (editing) authorize(req.user!, COMMITMENTS.edit, await commitmentScope(db, idParam(req)), COMMITMENTS.read);
    const posted = req.method === 'POST' ? (req.body as FormBody) : null;
    return {
      title: t(editing ? 'commitments:pages.form.editTitle' : 'commitments:pages.form.newTitle'),
      action: editing ? `/commitments/${req.params.id}` : '/commitments',
      cancelUrl: editing ? `/commitments/${req.params.id}` : '/commitments',
      agencyName: req.user!.agencyName ?? '',
      kindOptions: COMMITMENT_KINDS.map((k) => ({ value: k, label: t(`commitments:kinds.${k}`) })),
      picker: await enterprisePicker(db, values ?? posted ?? {}).then((picker) => ({ ...picker, summary: pickerSummary(t, picker.query, picker.matches.length, picker.total) })),
      // A refused form comes back with the rows the user sent, and one more blank one.
      rowCount: posted ? Math.max(milestoneRowCount(posted, 1), 1) : BLANK_ROWS_NEW,
    };
  };

  /** The search step of the counterparty picker: the form comes back with every value kept and the matches to choose from. */
  const enterpriseSearchStep = async (req: Request, res: Response, next: NextFunction) => {
    if (!isEnterpriseSearch(req.body as FormBody)) return next();
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res)), values: req.body as FormBody });
  };

  /** The form is always for the officer's own agency: the use case refuses any other. */
  const readCommitmentForm = (body: FormBody, req: Request): CommitmentForm => {
    if (req.user!.agencyId === null) throw forbidden();
    return commitmentFromForm(body, req.user!.agencyId);
  };
  const commitmentForm = { view: FORM_VIEW, locals: formLocals, read: readCommitmentForm, fields: (errors: FieldError[], form: CommitmentForm) => toFormErrors(errors, form.rows), conflictField: '' };

  r.get('/commitments/new', OFFICERS, async (req, res) => {
    const values = { kind: 'contract' };
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res, values)), values });
  });

  // What the picker's script fetches instead of posting the form: the same matches and words as the search step.
  r.get('/commitments/enterprises.json', OFFICERS, async (req, res) => {
    const query = queryText(req, 'q').trim().slice(0, 100);
    const { matches, total } = await findEnterprises(db, query);
    res.set('Cache-Control', 'no-store').json({ query, matches, total, summary: pickerSummary(res.locals.t as T, query, matches.length, total) });
  });

  r.post('/commitments', OFFICERS, enterpriseSearchStep, ...actionForm({
    ...commitmentForm,
    run: (req, form: CommitmentForm) => createCommitment(ctx, callerOf(req), form.input),
    done: (_req, _form, id) => ({ to: `/commitments/${id}`, flash: 'commitments:pages.flash.created' }),
  }));

  r.get('/commitments/:id/edit', OFFICERS, async (req, res) => {
    const user = req.user!;
    const detail = await getCommitmentForUser(db, user, idParam(req), clock.today());
    if (!can(user, COMMITMENTS.edit, detail)) throw forbidden();
    const values = commitmentToForm(detail);
    renderPage(res, FORM_VIEW, { ...(await formLocals(req, res, values)), values, rowCount: milestoneRowCount(values, BLANK_ROWS_EDIT) });
  });

  r.post('/commitments/:id', OFFICERS, enterpriseSearchStep, ...actionForm({
    ...commitmentForm,
    run: (req, form: CommitmentForm) => updateCommitment(ctx, callerOf(req), idParam(req), form.input),
    done: (req) => ({ to: `/commitments/${idParam(req)}`, flash: 'commitments:pages.flash.updated' }),
  }));

  r.get('/commitments/:id', BUSINESS_READERS, async (req, res) => {
    const today = clock.today();
    renderPage(res, SHOW_VIEW, { ...(await showPageLocals(ctx)(req, res)), values: { fulfilledOn: today, handedOverOn: today } });
  });

  return r.router;
}
