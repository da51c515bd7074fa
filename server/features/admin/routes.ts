import type { Request, Response } from 'express';
import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { ADMINS } from '../../auth/roles.ts';
import { actorOf } from '../../http/actor.ts';
import { formView } from '../../http/forms.ts';
import { notFound } from '../../http/errors.ts';
import { idParam, queryText } from '../../http/params.ts';
import { makePager, pageUrlFor, requestedPage } from '../../http/pager.ts';
import { redirectWith, renderPage } from '../../http/render.ts';
import { parseInput } from '../../http/validate.ts';
import { allAgencies, allEnterpriseOptions, findAgency, findEnterprise, listTokens, listUsers, LOCKOUT_NOTICE_DAYS, recentLockouts, searchEnterprises, userOptions, type AgencyRow } from './queries.ts';
import { ENTERPRISE_SCALES } from '../../domain/enterprise-scale.ts';
import { agencySchema, AGENCY_LEVELS, enterpriseSchema, ENTERPRISE_TYPES, resetPasswordSchema, tokenSchema, userSchema } from './schema.ts';
import { createAgency, createEnterprise, createUser, issueToken, resetPassword, revokeToken, setUserLocked, updateAgency, updateEnterprise } from './service.ts';

export interface AgencyNode extends AgencyRow {
  children: AgencyNode[];
}

/** Builds the city → district → street tree from flat rows. */
export function agencyTree(rows: AgencyRow[]): AgencyNode[] {
  const nodes = new Map<number, AgencyNode>(rows.map((r) => [r.id, { ...r, children: [] }]));
  const roots: AgencyNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function adminRoutes({ db, config, clock }: AppContext) {
  const r = guardedRouter();

  // Agencies
  const agencyFormLocals = async (req: Request, res: Response) => {
    const agencies = await allAgencies(db);
    const selfId = req.params.id ? Number(req.params.id) : null;
    return {
      title: res.locals.t(selfId ? 'admin:agencies.edit' : 'admin:agencies.new'),
      action: selfId ? `/admin/agencies/${selfId}` : '/admin/agencies',
      levelOptions: AGENCY_LEVELS.map((l) => ({ value: l, label: res.locals.t(`admin:levels.${l}`) })),
      parentOptions: [{ value: '', label: res.locals.t('none') }, ...agencies.filter((a) => a.id !== selfId && a.level !== 'street').map((a) => ({ value: a.id, label: a.name }))],
    };
  };
  r.get('/admin/agencies', ADMINS, async (_req, res) => {
    const rows = await allAgencies(db);
    renderPage(res, 'admin/views/agencies', { title: res.locals.t('nav.agencies'), tree: agencyTree(rows), count: rows.length });
  });
  r.get('/admin/agencies/new', ADMINS, async (req, res) => renderPage(res, 'admin/views/agency-form', { ...(await agencyFormLocals(req, res)), values: { level: 'city' } }));
  r.post('/admin/agencies', ADMINS, formView('admin/views/agency-form', agencyFormLocals), async (req, res) => {
    await createAgency(db, actorOf(req), parseInput(agencySchema, req.body));
    redirectWith(req, res, '/admin/agencies', { type: 'success', key: 'admin:saved' });
  });
  r.get('/admin/agencies/:id/edit', ADMINS, async (req, res) => {
    const agency = await findAgency(db, idParam(req));
    if (!agency) throw notFound();
    renderPage(res, 'admin/views/agency-form', { ...(await agencyFormLocals(req, res)), values: { name: agency.name, code: agency.code, level: agency.level, parentId: agency.parent_id ?? '' } });
  });
  r.post('/admin/agencies/:id', ADMINS, formView('admin/views/agency-form', agencyFormLocals), async (req, res) => {
    await updateAgency(db, actorOf(req), idParam(req), parseInput(agencySchema, req.body));
    redirectWith(req, res, '/admin/agencies', { type: 'success', key: 'admin:saved' });
  });

  // Enterprises
  const enterpriseFormLocals = (req: Request, res: Response) => ({
    title: res.locals.t(req.params.id ? 'admin:enterprises.edit' : 'admin:enterprises.new'),
    action: req.params.id ? `/admin/enterprises/${req.params.id}` : '/admin/enterprises',
    typeOptions: ENTERPRISE_TYPES.map((v) => ({ value: v, label: res.locals.t(`admin:enterpriseTypes.${v}`) })),
    scaleOptions: ENTERPRISE_SCALES.map((v) => ({ value: v, label: res.locals.t(`admin:scales.${v}`) })),
  });
  r.get('/admin/enterprises', ADMINS, async (req, res) => {
    const q = queryText(req, 'q').trim();
    const page = requestedPage(req);
    const { rows, total } = await searchEnterprises(db, q, page, 50);
    renderPage(res, 'admin/views/enterprises', { title: res.locals.t('nav.enterprises'), rows, pager: makePager(total, page), pageUrl: pageUrlFor(req), values: { q } });
  });
  r.get('/admin/enterprises/new', ADMINS, (req, res) => renderPage(res, 'admin/views/enterprise-form', { ...enterpriseFormLocals(req, res), values: { type: 'private', scale: 'small' } }));
  r.post('/admin/enterprises', ADMINS, formView('admin/views/enterprise-form', enterpriseFormLocals), async (req, res) => {
    await createEnterprise(db, actorOf(req), parseInput(enterpriseSchema, req.body));
    redirectWith(req, res, '/admin/enterprises', { type: 'success', key: 'admin:saved' });
  });
  r.get('/admin/enterprises/:id/edit', ADMINS, async (req, res) => {
    const e = await findEnterprise(db, idParam(req));
    if (!e) throw notFound();
    renderPage(res, 'admin/views/enterprise-form', { ...enterpriseFormLocals(req, res), values: { name: e.name, creditCode: e.credit_code, type: e.type, scale: e.scale, district: e.district, codeExceptionReason: e.code_exception_reason ?? '' } });
  });
  r.post('/admin/enterprises/:id', ADMINS, formView('admin/views/enterprise-form', enterpriseFormLocals), async (req, res) => {
    await updateEnterprise(db, actorOf(req), idParam(req), parseInput(enterpriseSchema, req.body));
    redirectWith(req, res, '/admin/enterprises', { type: 'success', key: 'admin:saved' });
  });

  // Users
  const userFormLocals = async (_req: Request, res: Response) => {
    const [agencies, enterprises] = await Promise.all([allAgencies(db), allEnterpriseOptions(db)]);
    return {
      title: res.locals.t('admin:users.new'),
      roleOptions: (['officer', 'enterprise', 'auditor', 'admin'] as const).map((v) => ({ value: v, label: res.locals.t(`roles.${v}`) })),
      agencyOptions: [{ value: '', label: '—' }, ...agencies.map((a) => ({ value: a.id, label: a.name }))],
      enterpriseOptions: [{ value: '', label: '—' }, ...enterprises.map((e) => ({ value: e.id, label: res.locals.t('format.nameWithDetail', { name: e.name, detail: e.credit_code }) }))],
    };
  };
  r.get('/admin/users', ADMINS, async (req, res) => {
    const page = requestedPage(req);
    const [{ rows, total }, lockouts] = await Promise.all([listUsers(db, page, 50), recentLockouts(db, clock.now())]);
    renderPage(res, 'admin/views/users', { title: res.locals.t('nav.users'), rows, pager: makePager(total, page), pageUrl: pageUrlFor(req), nowIso: clock.now().toISOString(), lockouts, lockoutDays: LOCKOUT_NOTICE_DAYS });
  });
  r.get('/admin/users/new', ADMINS, async (req, res) => renderPage(res, 'admin/views/user-form', { ...(await userFormLocals(req, res)), values: { role: 'officer' } }));
  r.post('/admin/users', ADMINS, formView('admin/views/user-form', userFormLocals), async (req, res) => {
    await createUser(db, actorOf(req), parseInput(userSchema, req.body));
    redirectWith(req, res, '/admin/users', { type: 'success', key: 'admin:users.created' });
  });
  r.post('/admin/users/:id/lock', ADMINS, async (req, res) => {
    await setUserLocked(db, actorOf(req), idParam(req), true);
    redirectWith(req, res, '/admin/users', { type: 'success', key: 'admin:users.lockedDone' });
  });
  r.post('/admin/users/:id/unlock', ADMINS, async (req, res) => {
    await setUserLocked(db, actorOf(req), idParam(req), false);
    redirectWith(req, res, '/admin/users', { type: 'success', key: 'admin:users.unlockedDone' });
  });
  const resetLocals = (req: Request, res: Response) => ({ title: res.locals.t('admin:users.reset'), action: `/admin/users/${req.params.id}/password` });
  r.get('/admin/users/:id/password', ADMINS, (req, res) => renderPage(res, 'admin/views/reset-password', resetLocals(req, res)));
  r.post('/admin/users/:id/password', ADMINS, formView('admin/views/reset-password', resetLocals), async (req, res) => {
    await resetPassword(db, actorOf(req), idParam(req), parseInput(resetPasswordSchema, req.body).password);
    redirectWith(req, res, '/admin/users', { type: 'success', key: 'admin:users.resetDone' });
  });

  // API tokens
  const tokenLocals = async (_req: Request, res: Response) => {
    const [tokens, users] = await Promise.all([listTokens(db), userOptions(db)]);
    return {
      title: res.locals.t('nav.tokens'),
      tokens,
      nowIso: clock.now().toISOString(),
      userOptions: [{ value: '', label: '—' }, ...users.map((u) => ({ value: u.id, label: res.locals.t('format.nameWithDetail', { name: u.username, detail: res.locals.t('roles.' + u.role) }) }))],
    };
  };
  r.get('/admin/tokens', ADMINS, async (req, res) => renderPage(res, 'admin/views/tokens', { ...(await tokenLocals(req, res)), values: { days: 90 } }));
  r.post('/admin/tokens', ADMINS, formView('admin/views/tokens', tokenLocals), async (req, res) => {
    const issued = await issueToken(db, actorOf(req), parseInput(tokenSchema, req.body), config);
    renderPage(res, 'admin/views/tokens', { ...(await tokenLocals(req, res)), values: { days: 90 }, issued });
  });
  r.post('/admin/tokens/:id/revoke', ADMINS, async (req, res) => {
    await revokeToken(db, actorOf(req), idParam(req));
    redirectWith(req, res, '/admin/tokens', { type: 'success', key: 'admin:tokens.revokedDone' });
  });

  return r.router;
}
