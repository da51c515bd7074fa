import type { Request, Response } from 'express';
import { can } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { idParam } from '../../http/params.ts';
import { LITIGATION } from './policy.ts';
import { caseDetail } from './service/detail.ts';

/** What a case's page shows; its hearing form re-renders with the same data. */

export const SHOW_VIEW = 'litigation/views/show';

/** A case with its hearings and history, and the forms the user may use (asked of the policy). */
export function showPageLocals({ db }: Pick<AppContext, 'db'>) {
  return async (req: Request, res: Response) => {
    const user = req.user!;
    const c = await caseDetail(db, user, idParam(req));
    return {
      title: res.locals.t('litigation:show.title', { caseNo: c.caseNo }),
      c,
      may: { edit: can(user, LITIGATION.edit, c), recordHearing: can(user, LITIGATION.recordHearing, c) },
      openForm: res.locals.openForm ?? null,
    };
  };
}
