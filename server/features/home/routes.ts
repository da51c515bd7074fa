import type { AppContext } from '../../context.ts';
import { guardedRouter, listScope } from '../../auth/policy.ts';
import { renderPage } from '../../http/render.ts';
import { LOCKOUT_NOTICE_DAYS, recentLockouts } from '../admin/queries.ts';
import { addDays } from '../../domain/dates.ts';
import { DUE_SOON_DAYS, agencySummaries, officerDashboard, openDisputeCount, pendingWaiverCount } from '../commitments/queries.ts';
import { COMMITMENT_STATUSES } from '../commitments/rules.ts';
import { casesAwaitingRating } from '../complaints/queries.ts';
import { cityArrears, creditorPaymentsToDo, officerArrears } from './arrears.ts';
import { commitmentCountsByStatus, enterpriseMilestonesDueSoon, enterpriseToDo } from './queries.ts';

/** Each role's home page: what needs attention first, each number a link to the records behind it. */
export function homeRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();
  r.get('/', 'public', async (req, res) => {
    const user = req.user;
    if (!user) return res.redirect(303, '/login');
    const today = clock.today();
    const base = { title: res.locals.t('nav.home'), role: user.role, statuses: COMMITMENT_STATUSES, today };
    if (user.role === 'officer' && user.agencyId !== null) {
      const [dashboard, arrears] = await Promise.all([officerDashboard(db, user.agencyId, today), officerArrears(db, user.agencyId, today)]);
      const ledger = {
        overdue: '/commitments?status=overdue&sort=next_due_asc',
        dueSoon: `/commitments?dueFrom=${today}&dueTo=${addDays(today, DUE_SOON_DAYS)}&sort=next_due_asc`,
      };
      return renderPage(res, 'home/views/officer', { ...base, ...dashboard, ledger, arrears });
    }
    if (user.role === 'auditor') {
      const [summaries, pendingWaivers, openDisputes, arrears] = await Promise.all([agencySummaries(db, today), pendingWaiverCount(db), openDisputeCount(db), cityArrears(db, today)]);
      // Every commitment belongs to one agency: the agencies' own counts add up to the whole ledger.
      const countsByStatus = Object.fromEntries(COMMITMENT_STATUSES.map((s) => [s, summaries.reduce((sum, a) => sum + a.own[s], 0)]));
      return renderPage(res, 'home/views/auditor', { ...base, summaries, countsByStatus, pendingWaiverCount: pendingWaivers, openDisputeCount: openDisputes, arrears });
    }
    if (user.role === 'enterprise' && user.enterpriseId !== null) {
      const [countsByStatus, dueSoon, toDo, paymentsToDo, casesToRate] = await Promise.all([
        commitmentCountsByStatus(db, listScope(user), today),
        enterpriseMilestonesDueSoon(db, user.enterpriseId, today),
        enterpriseToDo(db, user.enterpriseId),
        creditorPaymentsToDo(db, user.enterpriseId),
        casesAwaitingRating(db, user.enterpriseId),
      ]);
      return renderPage(res, 'home/views/enterprise', { ...base, countsByStatus, dueSoon, toDo, paymentsToDo, casesToRate });
    }
    const lockouts = user.role === 'admin' ? await recentLockouts(db, clock.now()) : [];
    renderPage(res, 'home/views/home', { ...base, lockouts, lockoutDays: LOCKOUT_NOTICE_DAYS });
  });
  return r.router;
}
