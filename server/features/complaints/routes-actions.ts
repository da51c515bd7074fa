import type { Request, Response } from 'express';
import { can, guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, ENTERPRISES, OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { appealDecisionFormSchema, appealFormSchema, disclosureFormSchema, ratingFormSchema, stepFormSchema } from './form-handling.ts';
import { COMPLAINTS } from './policy.ts';
import { pendingAppeals, superiorOf } from './repository-handling.ts';
import { appealable, takesStep } from './rules-handling.ts';
import { applyTransition, COMPLAINT_ACTIONS, mayRate, OPEN_STATUSES, RATING_LEVELS, type ComplaintAction } from './rules.ts';
import { appealRating, decideAppeal } from './service/appeals.ts';
import { discloseName } from './service/disclosure.ts';
import { stepActorOf } from './service/handling-guards.ts';
import { rateCase } from './service/rating.ts';
import { caseDetail } from './service/detail.ts';
import { takeStep } from './service/transitions.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const VIEWS = {
  step: 'complaints/views/step-form',
  rate: 'complaints/views/rate-form',
  appeal: 'complaints/views/appeal-form',
  decide: 'complaints/views/decide-form',
  disclose: 'complaints/views/disclose-form',
  appeals: 'complaints/views/appeals',
} as const;

/** The auditors' queue of appeals, where a decision started there goes back to. */
export const APPEALS_URL = '/complaints/appeals';

/** The step named in the URL; any other word is a page that does not exist. */
function actionParam(req: Request): ComplaintAction {
  const action = req.params.action;
  if (typeof action !== 'string' || !(COMPLAINT_ACTIONS as readonly string[]).includes(action)) throw notFound();
  return action as ComplaintAction;
}

/**
 * The handling slice's pages: one form page per step of a case (the agency's steps, the auditor's
 * forward and finding of default), the complainant's rating, the agency's appeal of a review, the
 * auditor's decision on it and the disclosure of a withheld name, each with a short summary of the
 * case; and the auditors' queue of appeals. Each form is one actionForm whose use case checks access
 * and the case's state inside its transaction; the page's locals check access first, so that a form
 * nobody may use is never shown (404, or 403 for those who only read the case).
 */
export function complaintHandlingRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();
  const back = (req: Request) => `/complaints/${idParam(req)}`;
  // The case as its page shows it (404 for those who may not read it): the summary, steps and ratings each form shows.
  const summary = (req: Request) => caseDetail(ctx, callerOf(req), idParam(req));
  const show = (view: string, locals: (req: Request, res: Response) => Promise<Record<string, unknown>>) => async (req: Request, res: Response) => {
    renderPage(res, view, { ...(await locals(req, res)), values: {} });
  };

  // The auditors' queue comes before the /complaints/:id patterns.
  r.get(APPEALS_URL, AUDITORS, async (_req, res) => {
    renderPage(res, VIEWS.appeals, { title: (res.locals.t as T)('complaints:appeals.queue.title'), appeals: await pendingAppeals(db) });
  });

  // A handling step

  const stepLocals = async (req: Request, res: Response) => {
    const action = actionParam(req);
    const c = await summary(req);
    const actor = stepActorOf(req.user!, c.scope);
    if (actor === null || !takesStep(action, actor)) throw forbidden();
    const probe = applyTransition(c.facts, action, actor, null, clock.today());
    const superior = action === 'forward' ? await superiorOf(db, c.agency.id) : null;
    return {
      title: (res.locals.t as T)(`complaints:handling.steps.${action}.title`),
      c,
      action,
      // Refused only for the missing note: the form is what asks for it.
      possible: probe.ok || probe.refusal === 'note_required',
      refusal: probe.ok ? null : probe.refusal,
      noteRequired: !probe.ok && probe.refusal === 'note_required',
      superior,
      backUrl: back(req),
    };
  };
  r.get('/complaints/:id/steps/:action', OFFICERS_AND_AUDITORS, show(VIEWS.step, stepLocals));
  r.post('/complaints/:id/steps/:action', OFFICERS_AND_AUDITORS, ...actionForm({
    view: VIEWS.step,
    locals: stepLocals,
    read: stepFormSchema,
    files: { field: 'stepEvidence', check: checkUploads },
    // No superior to forward to: said above the form, as the case's state is.
    fields: { action: '' },
    conflictField: '',
    run: (req, f, files) => takeStep(ctx, callerOf(req), idParam(req), { action: actionParam(req), note: f.note ?? null }, files),
    done: (req) => ({ to: back(req), flash: `complaints:handling.steps.${actionParam(req)}.flash` }),
  }));

  // The complainant's rating

  const rateLocals = async (req: Request, res: Response) => {
    const c = await summary(req);
    if (!can(req.user!, COMPLAINTS.rate, c.scope)) throw forbidden();
    const facts = c.facts;
    return {
      title: (res.locals.t as T)('complaints:handling.rate.title'),
      c,
      levels: RATING_LEVELS,
      possible: mayRate(facts),
      visitPending: facts.status === 'resolved' && !mayRate(facts),
      backUrl: back(req),
    };
  };
  r.get('/complaints/:id/rate', ENTERPRISES, show(VIEWS.rate, rateLocals));
  r.post('/complaints/:id/rate', ENTERPRISES, ...actionForm({
    view: VIEWS.rate,
    locals: rateLocals,
    read: ratingFormSchema,
    conflictField: '',
    run: (req, f) => rateCase(ctx, callerOf(req), idParam(req), { level: f.level, comment: f.comment ?? null }),
    done: (req, _f, row) => ({ to: back(req), flash: row.status === 'rectifying' ? 'complaints:handling.rate.flashReopened' : 'complaints:handling.rate.flash' }),
  }));

  // The agency's appeal of a review

  const appealLocals = async (req: Request, res: Response) => {
    const c = await summary(req);
    if (!can(req.user!, COMPLAINTS.appeal, c.scope)) throw forbidden();
    const ratingId = idParam(req, 'ratingId');
    const rating = c.ratings.find((x) => x.id === ratingId);
    if (!rating) throw notFound();
    return {
      title: (res.locals.t as T)('complaints:appeals.appeal.title'),
      c,
      rating,
      possible: rating.appeal === null && appealable(rating),
      backUrl: back(req),
    };
  };
  r.get('/complaints/:id/ratings/:ratingId/appeal', OFFICERS, show(VIEWS.appeal, appealLocals));
  r.post('/complaints/:id/ratings/:ratingId/appeal', OFFICERS, ...actionForm({
    view: VIEWS.appeal,
    locals: appealLocals,
    read: appealFormSchema,
    conflictField: '',
    run: (req, f) => appealRating(ctx, callerOf(req), idParam(req), idParam(req, 'ratingId'), { reason: f.reason }),
    done: (req) => ({ to: back(req), flash: 'complaints:appeals.appeal.flash' }),
  }));

  // The auditor's decision on an appeal, from the case or from the queue

  const fromQueue = (req: Request) => req.query.from === 'queue' || (req.body as Record<string, unknown> | undefined)?.returnTo === 'queue';
  const decideLocals = async (req: Request, res: Response) => {
    const c = await summary(req);
    if (!can(req.user!, COMPLAINTS.supervise, c.scope)) throw forbidden();
    const appealId = idParam(req, 'appealId');
    const rating = c.ratings.find((x) => x.appeal?.id === appealId);
    if (!rating) throw notFound();
    return {
      title: (res.locals.t as T)('complaints:appeals.decide.title'),
      c,
      rating,
      appeal: rating.appeal!,
      possible: rating.appeal!.decision === null,
      fromQueue: fromQueue(req),
      backUrl: fromQueue(req) ? APPEALS_URL : back(req),
    };
  };
  r.get('/complaints/:id/appeals/:appealId/decide', AUDITORS, show(VIEWS.decide, decideLocals));
  r.post('/complaints/:id/appeals/:appealId/decide', AUDITORS, ...actionForm({
    view: VIEWS.decide,
    locals: decideLocals,
    read: appealDecisionFormSchema,
    conflictField: 'decision',
    run: (req, f) => decideAppeal(ctx, callerOf(req), idParam(req), idParam(req, 'appealId'), { decision: f.decision, note: f.note }),
    done: (req, f) => ({ to: fromQueue(req) ? APPEALS_URL : back(req), flash: f.decision === 'voided' ? 'complaints:appeals.decide.flashVoided' : 'complaints:appeals.decide.flashUpheld' }),
  }));

  // The auditor discloses a withheld name

  const discloseLocals = async (req: Request, res: Response) => {
    const c = await summary(req);
    if (!can(req.user!, COMPLAINTS.supervise, c.scope)) throw forbidden();
    return {
      title: (res.locals.t as T)('complaints:handling.disclose.title'),
      c,
      possible: c.withholdName && c.nameDisclosedReason === null && OPEN_STATUSES.includes(c.status),
      backUrl: back(req),
    };
  };
  r.get('/complaints/:id/disclose-name', AUDITORS, show(VIEWS.disclose, discloseLocals));
  r.post('/complaints/:id/disclose-name', AUDITORS, ...actionForm({
    view: VIEWS.disclose,
    locals: discloseLocals,
    read: disclosureFormSchema,
    conflictField: '',
    run: (req, f) => discloseName(ctx, callerOf(req), idParam(req), { reason: f.reason }),
    done: (req) => ({ to: back(req), flash: 'complaints:handling.disclose.flash' }),
  }));

  return r.router;
}
