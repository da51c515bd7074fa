import type { Request, Response } from 'express';
import { z } from 'zod';
import { can, guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam, queryText } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { DISCLOSURES, FIRST_DISCLOSURE_YEAR, computeDisclosures, disclosuresOf, publishDisclosures, reviewDisclosure } from './disclosure.ts';
import { disclosureDeadline } from './rules.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const VIEW = 'arrears/views/disclosures';
const yearField = z.preprocess((v) => (typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : v), z.number('validation.invalidOption').int('validation.invalidOption'));

/**
 * The annual disclosure page: auditors pick a year, compute the drafts and publish; an agency's
 * officers see and confirm their own row.
 */
export function disclosureRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();
  const lastYear = () => Number(clock.today().slice(0, 4)) - 1;

  /** The year a page shows: the one asked for (in the query, or the form posted), or last year. */
  const yearOf = (req: Request): number => {
    const asked = req.method === 'POST' ? String((req.body as Record<string, unknown>)?.year ?? '') : queryText(req, 'year');
    const year = /^\d{4}$/.test(asked) ? Number(asked) : lastYear();
    return year >= FIRST_DISCLOSURE_YEAR && year <= lastYear() ? year : lastYear();
  };

  const pageLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = req.user!;
    const year = yearOf(req);
    const rows = await disclosuresOf(db, user, year, clock.today());
    const years: number[] = [];
    for (let y = lastYear(); y >= FIRST_DISCLOSURE_YEAR; y--) years.push(y);
    return {
      title: t('arrears:disclosure.title'),
      year,
      deadline: disclosureDeadline(year),
      rows: rows.map((row) => ({ ...row, mayReview: can(user, DISCLOSURES.review, row) && row.status !== 'published', mayPublish: can(user, DISCLOSURES.publish, row) && row.status === 'reviewed' })),
      yearOptions: years.map((y) => ({ value: y, label: String(y) })),
      mayCompute: can(user, DISCLOSURES.compute),
      mayPublishAll: can(user, DISCLOSURES.publish) && rows.some((row) => row.status === 'reviewed'),
      openForm: res.locals.openForm ?? null,
      values: { year },
    };
  };

  r.get('/arrears/disclosures', OFFICERS_AND_AUDITORS, async (req, res) => {
    renderPage(res, VIEW, await pageLocals(req, res));
  });

  const back = (year: number) => `/arrears/disclosures?year=${year}`;

  r.post('/arrears/disclosures/compute', AUDITORS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: z.object({ year: yearField }),
    conflictField: 'year',
    run: (req, f) => computeDisclosures(ctx, callerOf(req), f.year),
    done: (_req, f, result) => ({ to: back(f.year), flash: 'arrears:disclosure.flash.computed', params: { count: result.computed } }),
  }));

  r.post('/arrears/disclosures/publish', AUDITORS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: z.object({ year: yearField }),
    conflictField: 'year',
    run: (req, f) => publishDisclosures(ctx, callerOf(req), f.year),
    done: (_req, f, result) => ({ to: back(f.year), flash: 'arrears:disclosure.flash.published', params: { count: result.published } }),
  }));

  r.post('/arrears/disclosures/:id/publish', AUDITORS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: z.object({ year: yearField }),
    conflictField: 'year',
    run: (req, f) => publishDisclosures(ctx, callerOf(req), f.year, idParam(req)),
    done: (_req, f, result) => ({ to: back(f.year), flash: 'arrears:disclosure.flash.published', params: { count: result.published } }),
  }));

  r.post('/arrears/disclosures/:id/review', OFFICERS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: z.object({ year: yearField, reviewNote: z.string().optional() }),
    conflictField: 'reviewNote',
    run: (req, f) => reviewDisclosure(ctx, callerOf(req), idParam(req), f.reviewNote ?? null),
    done: (_req, f) => ({ to: back(f.year), flash: 'arrears:disclosure.flash.reviewed' }),
  }));

  return r.router;
}
