import { guardedRouter } from '../../auth/policy.ts';
import { BUSINESS_READERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { renderPage } from '../../http/render.ts';
import { SHOW_VIEW, showPageLocals } from './pages.ts';

/**
 * The case page (the officers of the agency and of a superior it was forwarded to, the auditors, the
 * complainant; others 404). Its /:id pattern answers 404 to any other word, so this router is mounted
 * after every router with fixed /complaints/<word> paths.
 */
export function caseDetailRoutes(ctx: AppContext) {
  const r = guardedRouter();
  const locals = showPageLocals(ctx);
  r.get('/complaints/:id', BUSINESS_READERS, async (req, res) => {
    renderPage(res, SHOW_VIEW, await locals(req, res));
  });
  return r.router;
}
