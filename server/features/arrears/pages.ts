import type { Request, Response } from 'express';
import { can } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { idParam, queryText } from '../../http/params.ts';
import { ARREARS } from './policy.ts';
import { arrearsJson } from './present.ts';
import { interestWorking } from './rules-detail.ts';
import { arrearsDetail, asOfDate } from './service/detail.ts';

/** What the arrears page shows; its upload form re-renders with the same data. */

export const SHOW_VIEW = 'arrears/views/show';

/**
 * The arrears page as of the date asked for (?asOf=, today when not given): the record as the API
 * presents it, how its interest was counted, its timeline, and the actions the user may take now (asked
 * of the policy, and offered only where the record's present state allows them). A bad date is shown
 * beside the date field and the page is shown as of today.
 */
export function showPageLocals({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  return async (req: Request, res: Response) => {
    const caller = callerOf(req);
    const id = idParam(req);
    const today = clock.today();
    const asked = queryText(req, 'asOf').trim();
    let errors: FieldError[] = [];
    try {
      asOfDate(asked, today);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.fieldErrors;
    }
    const detail = await arrearsDetail({ db, clock }, caller, id, errors.length ? today : asked);
    const a = arrearsJson(detail);
    const user = caller.user;
    const scope = { agencyId: detail.agencyId, enterpriseId: detail.creditor.id };
    const open = detail.current.status !== 'cleared';
    return {
      title: a.contractRef ?? res.locals.t('arrears:detail.untitled', { id: a.id }),
      a,
      commitmentReadable: detail.commitment?.readable ?? false,
      working: interestWorking(detail.lateInterest.rate, detail.lateInterest.segments),
      timeline: detail.timeline,
      today,
      asOfValue: errors.length ? asked : a.asOf,
      isToday: a.asOf === today,
      may: {
        pay: can(user, ARREARS.pay, scope) && detail.current.undisputedOutstandingFen > 0,
        plan: can(user, ARREARS.plan, scope) && detail.current.outstandingFen > 0,
        handOver: can(user, ARREARS.handOver, scope) && open,
        reviseDispute: can(user, ARREARS.reviseDispute, scope) && open,
        reverse: can(user, ARREARS.reverse, scope),
        respond: can(user, ARREARS.respond, scope),
        settle: can(user, ARREARS.settle, scope),
        attach: can(user, ARREARS.create, scope),
      },
      openForm: res.locals.openForm ?? null,
      errors,
    };
  };
}
