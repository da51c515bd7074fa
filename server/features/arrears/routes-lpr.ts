import type { Request, Response } from 'express';
import { can, guardedRouter } from '../../auth/policy.ts';
import { ADMINS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { renderPage } from '../../http/render.ts';
import { LPR, addLprRate, listLprRates, lprInputSchema } from './lpr.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

const VIEW = 'arrears/views/lpr';

/** The LPR table: everyone signed in reads it; admins add the quotations as they are published. */
export function lprRoutes(ctx: AppContext) {
  const { db } = ctx;
  const r = guardedRouter();

  const pageLocals = async (req: Request, res: Response) => ({
    title: (res.locals.t as T)('arrears:lpr.title'),
    rates: await listLprRates(db),
    mayAdd: can(req.user!, LPR.add),
  });

  r.get('/arrears/lpr', 'signed-in', async (req, res) => {
    renderPage(res, VIEW, { ...(await pageLocals(req, res)), values: { effectiveOn: ctx.clock.today() } });
  });

  r.post('/arrears/lpr', ADMINS, ...actionForm({
    view: VIEW,
    locals: pageLocals,
    read: lprInputSchema,
    conflictField: 'effectiveOn',
    run: (req, input) => addLprRate(ctx, callerOf(req), input),
    done: (_req, input) => ({ to: '/arrears/lpr', flash: 'arrears:lpr.flash.added', params: { date: input.effectiveOn } }),
  }));

  return r.router;
}
