import type { Request, Response } from 'express';
import { can } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { idParam } from '../../http/params.ts';
import { holidayLabel, workingDaysUrl } from '../calendar/present.ts';
import { COMPLAINTS } from './policy.ts';
import { mayRate, type ComplaintAction, type StepActor } from './rules.ts';
import { actionsOpenTo } from './rules-cases.ts';
import { caseDetail } from './service/detail.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

export const SHOW_VIEW = 'complaints/views/show';

/**
 * The case page: the case as its detail gives it, and the actions the viewer may take now, each a link
 * to its form: the handling steps the state machine allows the viewer's side (the officers of the
 * handling agency, or the auditors), rating for the complainant when mayRate, an appeal on each rating
 * for the agency, a decision on each pending appeal and the disclosure of a withheld name for auditors.
 */
export function showPageLocals({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  return async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const caller = callerOf(req);
    const c = await caseDetail({ db, clock }, caller, idParam(req));
    const user = caller.user;
    const side: StepActor | null = can(user, COMPLAINTS.handle, c.scope) ? 'agency' : can(user, COMPLAINTS.supervise, c.scope) ? 'auditor' : null;
    // Forwarding goes to the agency's superior: an agency without one offers no forwarding.
    const actions: ComplaintAction[] = side ? actionsOpenTo(c.facts, side).filter((a) => a !== 'forward' || c.agency.parentId !== null) : [];
    const supervise = can(user, COMPLAINTS.supervise, c.scope);
    return {
      title: t('complaints:cases.show.title', { id: c.id }),
      c,
      actions,
      may: {
        rate: can(user, COMPLAINTS.rate, c.scope) && mayRate(c.facts),
        appeal: can(user, COMPLAINTS.appeal, c.scope),
        decide: supervise,
        disclose: supervise && c.withholdName && c.nameDisclosedReason === null,
      },
      today: clock.today(),
      countedUrl: workingDaysUrl,
      holidayName: (name: string) => holidayLabel(t, name),
    };
  };
}
