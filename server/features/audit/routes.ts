import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS } from '../../auth/roles.ts';
import { makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { queryText } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { verifyAndRecord } from '../../audit/chain.ts';
import { actorOf } from '../../http/actor.ts';
import { verdictMessage } from './present.ts';

export function auditRoutes({ db }: AppContext) {
  const r = guardedRouter();

  r.get(
    '/audit',
    AUDITORS,
    async (req, res) => {
      const page = requestedPage(req);
      const filters = {
        action: queryText(req, 'action').trim(),
        actor: queryText(req, 'actor').trim(),
        entityType: queryText(req, 'entityType').trim(),
      };
      const base = db('audit_log').modify((q) => {
        if (filters.action) q.where('action', filters.action);
        if (filters.actor) q.where('actor_name', filters.actor);
        if (filters.entityType) q.where('entity_type', filters.entityType);
      });
      const [{ n }] = await base.clone().count({ n: '*' });
      const pager = makePager(Number(n), page);
      const entries = await base.clone().orderBy('id', 'desc').limit(pager.pageSize).offset((page - 1) * pager.pageSize);
      renderPage(res, 'audit/views/list', { title: res.locals.t('audit:title'), entries, pager, pageUrl: pageUrlFor(req), values: filters });
    },
  );

  r.post(
    '/audit/verify',
    AUDITORS,
    async (req, res) => {
      const verdict = await verifyAndRecord(db, actorOf(req));
      renderPage(res, 'audit/views/verify', { title: res.locals.t('audit:verifyTitle'), verdict, message: verdictMessage(verdict, res.locals.t, res.locals.time) });
    },
  );

  return r.router;
}
