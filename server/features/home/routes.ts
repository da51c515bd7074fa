import type { AppContext } from '../../app.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { renderPage } from '../../http/render.ts';

export function homeRoutes(_ctx: AppContext) {
  const r = guardedRouter();
  r.get('/', 'public', (req, res) => {
    if (!req.user) return res.redirect(303, '/login');
    renderPage(res, 'home/views/home', { title: res.locals.t('nav.home'), role: req.user.role });
  });
  return r.router;
}
