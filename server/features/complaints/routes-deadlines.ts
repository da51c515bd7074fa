import type { Request, Response } from 'express';
import { guardedRouter } from '../../auth/policy.ts';
import { ADMINS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { renderPage } from '../../http/render.ts';
import { readDeadlineSetForm } from './form-handling.ts';
import { deadlineSetVersions } from './repository-handling.ts';
import { DEADLINE_DAYS_MAX, DEADLINE_DAYS_MIN, DEADLINE_FIELDS } from './rules-handling.ts';
import { changeDeadlineSet } from './service/deadline-sets.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const VIEW = 'complaints/views/deadlines';
export const DEADLINES_URL = '/admin/complaint-deadlines';

/** 投诉办理时限: the admins' page of the deadline set in force, its history, and a form for a new version. */
export function complaintDeadlineRoutes(ctx: AppContext) {
  const { db } = ctx;
  const r = guardedRouter();

  const pageLocals = async (_req: Request, res: Response) => ({
    title: (res.locals.t as T)('complaints:handling.deadlines.title'),
    versions: await deadlineSetVersions(db),
    fields: DEADLINE_FIELDS,
    min: DEADLINE_DAYS_MIN,
    max: DEADLINE_DAYS_MAX,
  });

  r.get(DEADLINES_URL, ADMINS, async (req, res) => {
    const locals = await pageLocals(req, res);
    const current = locals.versions[0]!.days;
    renderPage(res, VIEW, { ...locals, values: Object.fromEntries(DEADLINE_FIELDS.map((f) => [f, String(current[f])])) });
  });

  r.post(DEADLINES_URL, ADMINS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: readDeadlineSetForm,
    conflictField: '',
    run: (req, f) => changeDeadlineSet(ctx, callerOf(req), f),
    done: () => ({ to: DEADLINES_URL, flash: 'complaints:handling.deadlines.flash' }),
  }));

  return r.router;
}
