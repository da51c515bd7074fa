import type { AppContext } from '../../context.ts';
import { guardedRouter, listScope } from '../../auth/policy.ts';
import { renderPage } from '../../http/render.ts';
import { agencySummaries, officerDashboard, openDisputes, pendingWaivers } from '../commitments/queries.ts';
import { COMMITMENT_STATUSES } from '../commitments/rules.ts';
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
      const dashboard = await officerDashboard(db, user.agencyId, today);
      return renderPage(res, 'home/views/officer', { ...base, ...dashboard });
    }
    if (user.role === 'auditor') {
      const [summaries, waivers, disputes] = await Promise.all([agencySummaries(db, today), pendingWaivers(db), openDisputes(db)]);
      const countsByStatus = await commitmentCountsByStatus(db, listScope(user), today);
      return renderPage(res, 'home/views/auditor', { ...base, summaries, countsByStatus, pendingWaiverCount: waivers.length, openDisputeCount: disputes.length });
    }
    if (user.role === 'enterprise' && user.enterpriseId !== null) {
      const [countsByStatus, dueSoon, toDo] = await Promise.all([
        commitmentCountsByStatus(db, listScope(user), today),
        enterpriseMilestonesDueSoon(db, user.enterpriseId, today),
        enterpriseToDo(db, user.enterpriseId),
      ]);
      return renderPage(res, 'home/views/enterprise', { ...base, countsByStatus, dueSoon, toDo });
    }
    renderPage(res, 'home/views/home', base);
  });
  return r.router;
}
