import type { NextFunction, Request, Response } from 'express';
import type { ZodType, z } from 'zod';
import type { AppContext } from '../../context.ts';
import { canEditRecord, canRespondAsCounterparty, canVerify, guardedRouter, listScope } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import { actorOf } from '../../http/actor.ts';
import type { FormView } from '../../http/error-handler.ts';
import { HttpError, ValidationError, forbidden, notFound, type FieldError } from '../../http/errors.ts';
import { idParam, queryText } from '../../http/params.ts';
import { PAGE_SIZE, makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { redirectWith, renderPage } from '../../http/render.ts';
import { uploadedFiles } from '../../http/uploads.ts';
import { parseInput } from '../../http/validate.ts';
import { allAgencies, allEnterpriseOptions } from '../admin/queries.ts';
import { attachFiles, checkUploads, type CheckedFile } from '../../evidence/index.ts';
import { BREACH_EVIDENCE, FULFILMENT_EVIDENCE, WAIVER_EVIDENCE } from './evidence-owners.ts';
import {
  breachFormSchema,
  commitmentFromForm,
  commitmentToForm,
  fulfilmentFormSchema,
  handoverFormSchema,
  milestoneRowCount,
  responseFormSchema,
  settlementFormSchema,
  terminationFormSchema,
  toFormErrors,
  waiverDecisionFormSchema,
  waiverFormSchema,
  type FormBody,
} from './form.ts';
import { COMMITMENT_SORTS, agencySummaries, commitmentTimeline, listCommitments, openDisputes, pendingWaivers, type CommitmentFilters } from './queries.ts';
import { COMMITMENT_STATUSES, isMilestoneOpen } from './rules.ts';
import { COMMITMENT_KINDS, commitmentFiltersSchema } from './schema.ts';
import {
  createCommitment,
  decideWaiver,
  getCommitmentForUser,
  recordBreach,
  recordFulfilment,
  recordHandover,
  requestWaiver,
  respondToFulfilment,
  settleDispute,
  terminateCommitment,
  updateCommitment,
  type CommitmentDetail,
} from './service.ts';

const READERS = ['officer', 'auditor', 'enterprise'] as const;
const OFFICERS = ['officer'] as const;
const AUDITORS = ['auditor'] as const;
/** Blank milestone rows the form offers after the filled ones, so that more can be added without JavaScript. */
const BLANK_ROWS_NEW = 3;
const BLANK_ROWS_EDIT = 2;

type T = (key: string, params?: Record<string, unknown>) => string;
type Option = { value: string | number; label: string };

/**
 * The list filters from the query string. A bad value is reported beside its filter and left out,
 * and the list is shown with the filters that are good.
 */
function readFilters(query: Request['query']): { filters: CommitmentFilters; errors: FieldError[] } {
  try {
    return { filters: parseInput(commitmentFiltersSchema, query), errors: [] };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const bad = new Set(err.fieldErrors.map((e) => e.path.split('.')[0]));
    const good = Object.fromEntries(Object.entries(query).filter(([key]) => !bad.has(key)));
    return { filters: parseInput(commitmentFiltersSchema, good), errors: err.fieldErrors };
  }
}

/** The query string of the current list without its page, for the export links. */
function exportQuery(req: Request): string {
  const params = new URL(req.originalUrl, 'http://local').searchParams;
  params.delete('page');
  params.delete('lang');
  const s = params.toString();
  return s ? `?${s}` : '';
}

function signedInUser(req: Request): SessionUser {
  if (!req.user) throw forbidden();
  return req.user;
}

/** Parses one action form; its errors carry the form's own field names. */
function readForm<S extends ZodType>(schema: S, body: unknown): { value?: z.output<S>; errors: FieldError[] } {
  try {
    return { value: parseInput(schema, body), errors: [] };
  } catch (err) {
    if (err instanceof ValidationError) return { errors: err.fieldErrors };
    throw err;
  }
}

/** Files a service's errors under a form's field names: `paths` maps the service's paths to the form's. */
function renamed(paths: Record<string, string>): (errors: FieldError[]) => FieldError[] {
  return (errors) => errors.map((e) => ({ ...e, path: paths[e.path] ?? e.path }));
}

/**
 * Runs the service call behind a form: its validation errors are filed under the form's field
 * names, and a refusal because of the record's state (409, e.g. a milestone already closed) is
 * shown at `conflictPath` of the form rather than on an error page.
 */
async function asFormErrors<R>(toForm: (errors: FieldError[]) => FieldError[], conflictPath: string, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(toForm(err.fieldErrors));
    if (err instanceof HttpError && err.status === 409) throw new ValidationError([{ path: conflictPath, key: err.key, params: err.params }]);
    throw err;
  }
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length) throw new ValidationError(errors);
}

function milestoneLabel(t: T, m: CommitmentDetail['milestones'][number]): string {
  return `#${m.seq} ${m.description}（${t('commitments:fields.dueOn')} ${m.dueOn}）`;
}

export function commitmentRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  /** Declares what a form route re-renders on bad input: the view, its data and which form to show open. */
  const formView = (view: string, locals: NonNullable<FormView['locals']>, openForm?: (req: Request) => string) => (req: Request, res: Response, next: NextFunction) => {
    res.locals.formView = { view, locals, params: { ...req.params } } satisfies FormView;
    if (openForm) res.locals.openForm = openForm(req);
    next();
  };

  // The ledger

  r.get('/commitments', READERS, async (req, res) => {
    const user = signedInUser(req);
    const t = res.locals.t as T;
    const today = clock.today();
    const { filters, errors } = readFilters(req.query);
    const page = requestedPage(req);
    const { items, total } = await listCommitments(db, listScope(user), filters, page, PAGE_SIZE, today);
    const auditor = user.role === 'auditor';
    const [summaries, agencies, enterprises] = await Promise.all([
      auditor ? agencySummaries(db, today) : null,
      auditor ? allAgencies(db) : null,
      user.role === 'enterprise' ? null : allEnterpriseOptions(db),
    ]);
    const all = { value: '', label: t('all') };
    const values = Object.fromEntries(['kind', 'status', 'dueFrom', 'dueTo', 'enterpriseId', 'agencyId', 'q', 'sort'].map((k) => [k, queryText(req, k)]));
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
      mayCreate: user.role === 'officer',
      values,
      errors,
    }, errors.length ? 422 : 200);
  });

  const queueLocals = async (res: Response) => {
    const [waivers, disputes] = await Promise.all([pendingWaivers(db), openDisputes(db)]);
    return { title: (res.locals.t as T)('commitments:pages.queue.title'), waivers, disputes, openForm: res.locals.openForm ?? null };
  };

  r.get('/commitments/waivers', AUDITORS, async (_req, res) => {
    renderPage(res, 'commitments/views/queue', await queueLocals(res));
  });

  // New and edited commitments

  const formLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = signedInUser(req);
    const editing = req.params.id !== undefined;
    const enterprises = await allEnterpriseOptions(db);
    const posted = req.method === 'POST' ? (req.body as FormBody) : null;
    return {
      title: t(editing ? 'commitments:pages.form.editTitle' : 'commitments:pages.form.newTitle'),
      action: editing ? `/commitments/${req.params.id}` : '/commitments',
      cancelUrl: editing ? `/commitments/${req.params.id}` : '/commitments',
      agencyName: user.agencyName ?? '',
      kindOptions: COMMITMENT_KINDS.map((k) => ({ value: k, label: t(`commitments:kinds.${k}`) })),
      enterpriseOptions: [{ value: '', label: t('commitments:pages.form.noEnterprise') }, ...enterprises.map((e) => ({ value: e.id, label: `${e.name}（${e.credit_code}）` }))],
      // A refused form comes back with the rows the user sent, and one more blank one.
      rowCount: posted ? Math.max(milestoneRowCount(posted, 1), 1) : BLANK_ROWS_NEW,
    };
  };

  const officerAgency = (user: SessionUser): number => {
    if (user.agencyId === null) throw forbidden();
    return user.agencyId;
  };

  r.get('/commitments/new', OFFICERS, async (req, res) => {
    renderPage(res, 'commitments/views/form', { ...(await formLocals(req, res)), values: { kind: 'contract' } });
  });

  r.post('/commitments', OFFICERS, formView('commitments/views/form', formLocals), async (req, res) => {
    const user = signedInUser(req);
    const { input, rows } = commitmentFromForm(req.body, officerAgency(user));
    const id = await asFormErrors((errors) => toFormErrors(errors, rows), '', () => createCommitment(db, actorOf(req), user, input));
    redirectWith(req, res, `/commitments/${id}`, { type: 'success', key: 'commitments:pages.flash.created' });
  });

  r.get('/commitments/:id/edit', OFFICERS, async (req, res) => {
    const user = signedInUser(req);
    const detail = await getCommitmentForUser(db, user, idParam(req), clock.today());
    if (!canEditRecord(user, detail)) throw forbidden();
    const values = commitmentToForm(detail);
    renderPage(res, 'commitments/views/form', { ...(await formLocals(req, res)), values, rowCount: milestoneRowCount(values, BLANK_ROWS_EDIT) });
  });

  r.post('/commitments/:id', OFFICERS, formView('commitments/views/form', formLocals), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const { input, rows } = commitmentFromForm(req.body, officerAgency(user));
    await asFormErrors((errors) => toFormErrors(errors, rows), '', () => updateCommitment(db, actorOf(req), user, id, input));
    redirectWith(req, res, `/commitments/${id}`, { type: 'success', key: 'commitments:pages.flash.updated' });
  });

  // The commitment page

  const showLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = signedInUser(req);
    const detail = await getCommitmentForUser(db, user, idParam(req), clock.today());
    const timeline = await commitmentTimeline(db, detail.id);
    const open = detail.milestones.filter((m) => isMilestoneOpen(m.status));
    const waivable = open.filter((m) => !m.waivers.some((w) => w.decision === 'pending'));
    const officer = canEditRecord(user, detail);
    const choose = { value: '', label: t('commitments:pages.actions.chooseMilestone') };
    const toOption = (m: CommitmentDetail['milestones'][number]): Option => ({ value: m.id, label: milestoneLabel(t, m) });
    return {
      title: detail.title,
      c: detail,
      timeline,
      may: {
        edit: officer && !detail.terminatedOn,
        officer,
        auditor: canVerify(user),
        respond: canRespondAsCounterparty(user, detail),
      },
      openForm: res.locals.openForm ?? null,
      fulfilOptions: open.length ? [choose, ...open.map(toOption)] : [],
      waiveOptions: waivable.length ? [choose, ...waivable.map(toOption)] : [],
      breachOptions: open.length ? [{ value: '', label: t('commitments:pages.actions.allOpenMilestones') }, ...open.map(toOption)] : [],
      totals: {
        owedFen: detail.milestones.reduce((sum, m) => sum + (m.amountFen ?? 0), 0),
        fulfilledFen: detail.milestones.reduce((sum, m) => sum + m.fulfilledFen, 0),
      },
      actionLabel: (action: string) => t(`commitments:events.${action.replace(/^commitment\./, '')}`, { defaultValue: action }),
    };
  };
  const SHOW = 'commitments/views/show';
  const backTo = (id: number, anchor = '') => `/commitments/${id}${anchor}`;

  r.get('/commitments/:id', READERS, async (req, res) => {
    const today = clock.today();
    renderPage(res, SHOW, { ...(await showLocals(req, res)), values: { fulfilledOn: today, handedOverOn: today } });
  });

  /** Checks the evidence files of a form first, so that a refused file is reported with the form's other errors. */
  const evidenceOf = async (req: Request, field: string): Promise<{ files: CheckedFile[]; errors: FieldError[] }> => checkUploads(uploadedFiles(req, field), field);

  r.post('/commitments/:id/fulfilments', OFFICERS, formView(SHOW, showLocals, () => 'fulfilment'), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const evidence = await evidenceOf(req, 'fulfilmentEvidence');
    const form = readForm(fulfilmentFormSchema, req.body);
    throwIfAny([...form.errors, ...evidence.errors]);
    const f = form.value!;
    const actor = actorOf(req);
    await asFormErrors(renamed({ note: 'fulfilmentNote', amountFen: 'fulfilmentAmount' }), 'fulfilmentMilestoneId', () =>
      db.transaction(async (trx) => {
        const { fulfilmentId } = await recordFulfilment(trx, actor, user, id, f.fulfilmentMilestoneId, { fulfilledOn: f.fulfilledOn, note: f.fulfilmentNote, amountFen: f.fulfilmentAmount, complete: f.fulfilmentComplete });
        await attachFiles(trx, actor, { type: FULFILMENT_EVIDENCE, id: fulfilmentId }, evidence.files, { entityType: 'commitment', entityId: id });
      }),
    );
    redirectWith(req, res, backTo(id, `#milestone-${f.fulfilmentMilestoneId}`), { type: 'success', key: 'commitments:pages.flash.fulfilmentRecorded' });
  });

  r.post('/commitments/:id/waivers', OFFICERS, formView(SHOW, showLocals, () => 'waiver'), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const evidence = await evidenceOf(req, 'waiverEvidence');
    const form = readForm(waiverFormSchema, req.body);
    throwIfAny([...form.errors, ...evidence.errors]);
    const f = form.value!;
    const actor = actorOf(req);
    await asFormErrors(renamed({ reason: 'waiverReason' }), 'waiverMilestoneId', () =>
      db.transaction(async (trx) => {
        const { waiverId } = await requestWaiver(trx, actor, user, id, f.waiverMilestoneId, f.waiverReason);
        await attachFiles(trx, actor, { type: WAIVER_EVIDENCE, id: waiverId }, evidence.files, { entityType: 'commitment', entityId: id });
      }),
    );
    redirectWith(req, res, backTo(id, `#milestone-${f.waiverMilestoneId}`), { type: 'success', key: 'commitments:pages.flash.waiverRequested' });
  });

  r.post('/commitments/:id/breach', ['officer', 'auditor'], formView(SHOW, showLocals, () => 'breach'), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const evidence = await evidenceOf(req, 'breachEvidence');
    const form = readForm(breachFormSchema, req.body);
    throwIfAny([...form.errors, ...evidence.errors]);
    const f = form.value!;
    const actor = actorOf(req);
    await asFormErrors(renamed({ findings: 'breachFindings' }), 'breachMilestoneId', () =>
      db.transaction(async (trx) => {
        const { milestoneIds } = await recordBreach(trx, actor, user, id, { findings: f.breachFindings, milestoneId: f.breachMilestoneId ?? null, breachedOn: f.breachedOn });
        // Breach evidence belongs to each milestone found in breach; the bytes are stored once.
        for (const milestoneId of milestoneIds) await attachFiles(trx, actor, { type: BREACH_EVIDENCE, id: milestoneId }, evidence.files, { entityType: 'commitment', entityId: id });
      }),
    );
    redirectWith(req, res, backTo(id), { type: 'success', key: 'commitments:pages.flash.breachRecorded' });
  });

  r.post('/commitments/:id/handovers', OFFICERS, formView(SHOW, showLocals, () => 'handover'), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const form = readForm(handoverFormSchema, req.body);
    throwIfAny(form.errors);
    const f = form.value!;
    await asFormErrors(renamed({ note: 'handoverNote' }), 'toOfficial', () =>
      recordHandover(db, actorOf(req), user, id, { toOfficial: f.toOfficial, handedOverOn: f.handedOverOn, note: f.handoverNote }),
    );
    redirectWith(req, res, backTo(id), { type: 'success', key: 'commitments:pages.flash.handedOver' });
  });

  r.post('/commitments/:id/terminate', OFFICERS, formView(SHOW, showLocals, () => 'terminate'), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    await getCommitmentForUser(db, user, id, clock.today());
    const form = readForm(terminationFormSchema, req.body);
    throwIfAny(form.errors);
    const f = form.value!;
    await asFormErrors(renamed({ reason: 'terminationReason' }), 'terminationReason', () =>
      terminateCommitment(db, actorOf(req), user, id, { reason: f.terminationReason, terminatedOn: f.terminatedOn }),
    );
    redirectWith(req, res, backTo(id), { type: 'success', key: 'commitments:pages.flash.terminated' });
  });

  r.post('/commitments/:id/fulfilments/:fulfilmentId/response', ['enterprise'], formView(SHOW, showLocals, (req) => `respond-${req.params.fulfilmentId}`), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    const fulfilmentId = idParam(req, 'fulfilmentId');
    await getCommitmentForUser(db, user, id, clock.today());
    const form = readForm(responseFormSchema, req.body);
    throwIfAny(form.errors);
    const f = form.value!;
    await asFormErrors(renamed({ comment: 'responseComment' }), 'response', () =>
      respondToFulfilment(db, actorOf(req), user, id, fulfilmentId, { response: f.response, comment: f.responseComment }),
    );
    redirectWith(req, res, backTo(id), { type: 'success', key: f.response === 'confirmed' ? 'commitments:pages.flash.confirmed' : 'commitments:pages.flash.disputed' });
  });

  // The auditors decide from the commitment page or from their queue, and go back where they came from.
  const decisionView = (openForm: (req: Request) => string) => (req: Request, res: Response, next: NextFunction) =>
    (req.body?.returnTo === 'queue' ? formView('commitments/views/queue', (_q, s) => queueLocals(s), openForm) : formView(SHOW, showLocals, openForm))(req, res, next);
  const decisionBack = (req: Request, id: number) => (req.body?.returnTo === 'queue' ? '/commitments/waivers' : backTo(id));

  r.post('/commitments/:id/waivers/:waiverId/decision', AUDITORS, decisionView((req) => `decide-${req.params.waiverId}`), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    const waiverId = idParam(req, 'waiverId');
    const detail = await getCommitmentForUser(db, user, id, clock.today());
    if (!detail.milestones.some((m) => m.waivers.some((w) => w.id === waiverId))) throw notFound();
    const form = readForm(waiverDecisionFormSchema, req.body);
    throwIfAny(form.errors);
    const f = form.value!;
    await asFormErrors(renamed({ note: 'decisionNote' }), 'decision', () => decideWaiver(db, actorOf(req), user, waiverId, f.decision, f.decisionNote));
    redirectWith(req, res, decisionBack(req, id), { type: 'success', key: f.decision === 'confirmed' ? 'commitments:pages.flash.waiverConfirmed' : 'commitments:pages.flash.waiverRefused' });
  });

  r.post('/commitments/:id/fulfilments/:fulfilmentId/settlement', AUDITORS, decisionView((req) => `settle-${req.params.fulfilmentId}`), async (req, res) => {
    const user = signedInUser(req);
    const id = idParam(req);
    const fulfilmentId = idParam(req, 'fulfilmentId');
    const detail = await getCommitmentForUser(db, user, id, clock.today());
    if (!detail.milestones.some((m) => m.fulfilments.some((x) => x.id === fulfilmentId))) throw notFound();
    const form = readForm(settlementFormSchema, req.body);
    throwIfAny(form.errors);
    const f = form.value!;
    await asFormErrors(renamed({ note: 'settlementNote', decision: 'settlement' }), 'settlement', () =>
      settleDispute(db, actorOf(req), user, fulfilmentId, { decision: f.settlement, note: f.settlementNote }),
    );
    redirectWith(req, res, decisionBack(req, id), { type: 'success', key: f.settlement === 'upheld' ? 'commitments:pages.flash.upheld' : 'commitments:pages.flash.rejected' });
  });

  return r.router;
}
