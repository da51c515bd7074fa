import type { Request, Response } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { createRateLimiter } from '../../../db/dialect.ts';
import { attemptLogin, LOCKOUT_MINUTES, type LoginResult } from '../../auth/login.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { loadSessionUser } from '../../auth/users.ts';
import { actorOf } from '../../http/actor.ts';
import { formView } from '../../http/forms.ts';
import { redirectWith, renderPage } from '../../http/render.ts';
import { parseInput, requiredText } from '../../http/validate.ts';
import { fieldError } from '../../http/errors.ts';
import { changePassword, checkSecondFactor, enableTotp } from './service.ts';
import { newTotpSecret, totpUri } from './totp.ts';
import { recordAuditEvent } from '../../audit/chain.ts';

const loginSchema = z.object({ username: requiredText(64), password: z.string().min(1, 'validation.required').max(200) });
const passwordSchema = z
  .object({ current: z.string().min(1, 'validation.required').max(200), password: z.string().min(1, 'validation.required').max(200), confirm: z.string().max(200) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'account:password.mismatch' });
const codeSchema = z.object({ code: requiredText(20) });

/** Only a local path may follow a sign-in: no open redirect to another site. */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}

export function accountRoutes({ db, config, passport }: AppContext) {
  const r = guardedRouter();
  const loginLimiter = createRateLimiter(db, { keyPrefix: 'login-ip', points: config.loginRateLimit, durationSeconds: 15 * 60 });

  passport.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      attemptLogin(db, username, password, req.ip ?? null)
        .then(async (result) => done(null, result.outcome === 'ok' ? ((await loadSessionUser(db, result.user.id)) ?? false) : false, { message: result.outcome, ...result }))
        .catch(done);
    }),
  );

  const loginPage = (res: Response, locals: Record<string, unknown> = {}, status = 200) =>
    renderPage(res, 'account/views/login', { title: res.locals.t('account:login.title'), ...locals }, status);

  /** Completes a sign-in: a fresh session id, the start time for the 12-hour limit, and the MFA duty. */
  async function signIn(req: Request, res: Response, userId: number): Promise<void> {
    const user = await loadSessionUser(db, userId);
    if (!user) throw fieldError('username', 'account:login.failed');
    const next = safeNext(req.body?.next ?? req.session.pendingMfaNext);
    await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
    req.session.createdAt = Date.now();
    req.session.mfaSetupRequired = config.mfaRequiredRoles.includes(user.role) && !user.totpEnabled;
    res.redirect(303, next);
  }

  r.get('/login', 'public', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    loginPage(res, { values: { next: safeNext(req.query.next) }, demo: config.env !== 'production', loginNotice: req.query.signedOut === '1' ? 'account:login.loggedOut' : null });
  });

  r.post(
    '/login',
    'public',
    async (req, res, next) => {
      try {
        await loginLimiter.consume(req.ip ?? 'unknown');
      } catch {
        return loginPage(res, { values: { username: req.body.username }, loginError: 'account:login.rateLimited' }, 429);
      }
      let input: z.infer<typeof loginSchema>;
      try {
        input = parseInput(loginSchema, req.body);
      } catch {
        return loginPage(res, { values: { username: req.body.username, next: req.body.next }, loginError: 'account:login.failed' }, 200);
      }
      req.body.username = input.username;
      passport.authenticate('local', (err: unknown, _user: unknown, result: LoginResult | undefined) => {
        if (err) return next(err);
        if (!result || result.outcome !== 'ok') {
          const keyed = result?.outcome === 'locked'
            ? { loginError: 'account:login.locked', loginParams: { minutes: LOCKOUT_MINUTES, until: res.locals.time(result.until) } }
            : { loginError: result?.outcome === 'disabled' ? 'account:login.disabled' : 'account:login.failed' };
          return loginPage(res, { values: { username: input.username, next: req.body.next }, ...keyed }, 200);
        }
        const row = result.user;
        if (row.totp_enabled) {
          // The password alone is not a sign-in: a new session holds only the pending second step.
          const nextUrl = safeNext(req.body.next);
          return req.session.regenerate((e) => {
            if (e) return next(e);
            req.session.pendingMfaUserId = row.id;
            req.session.pendingMfaNext = nextUrl;
            res.redirect(303, '/login/mfa');
          });
        }
        signIn(req, res, row.id).catch(next);
      })(req, res, next);
    },
  );

  r.get('/login/mfa', 'public', (req, res) => {
    if (!req.session.pendingMfaUserId) return res.redirect(303, '/login');
    renderPage(res, 'account/views/login-mfa', { title: res.locals.t('account:mfa.stepTitle') });
  });

  r.post(
    '/login/mfa',
    'public',
    async (req, res) => {
      const userId = req.session.pendingMfaUserId;
      if (!userId) return res.redirect(303, '/login');
      try {
        await loginLimiter.consume(req.ip ?? 'unknown');
      } catch {
        return renderPage(res, 'account/views/login-mfa', { title: res.locals.t('account:mfa.stepTitle'), loginError: 'account:login.rateLimited' }, 429);
      }
      const code = String(req.body.code ?? '');
      const user = await loadSessionUser(db, userId);
      const ok = user ? await checkSecondFactor(db, { id: userId, username: user.username, ip: req.ip ?? null }, userId, code) : false;
      if (!ok) return renderPage(res, 'account/views/login-mfa', { title: res.locals.t('account:mfa.stepTitle'), errors: [{ path: 'code', key: 'account:mfa.wrongCode' }] }, 200);
      await signIn(req, res, userId);
    },
  );

  r.post(
    '/logout',
    'public',
    async (req, res, next) => {
      if (!req.user) return res.redirect(303, '/login');
      const actor = actorOf(req);
      await recordAuditEvent(db, actor, { action: 'logout', entityType: 'user', entityId: actor.id });
      // The signed-out browser keeps no session at all (passport would store a fresh, empty one), so the
      // message is said in the address rather than in a flash.
      req.logout((err) => {
        if (err) return next(err);
        req.session.destroy((destroyErr) => (destroyErr ? next(destroyErr) : res.redirect(303, '/login?signedOut=1')));
      });
    },
  );

  r.get('/account/security', 'signed-in', (req, res) => {
    renderPage(res, 'account/views/security', { title: res.locals.t('account:security.title'), totpEnabled: req.user!.totpEnabled });
  });

  const passwordView = { view: 'account/views/password', locals: (_req: Request, res: Response) => ({ title: res.locals.t('account:password.title') }) };
  r.get('/account/password', 'signed-in', (_req, res) => renderPage(res, passwordView.view, passwordView.locals(_req, res)));
  r.post(
    '/account/password',
    'signed-in',
    formView(passwordView.view, passwordView.locals),
    async (req, res) => {
      const input = parseInput(passwordSchema, req.body);
      await changePassword(db, actorOf(req), req.user!.id, input.current, input.password);
      const mfaSetupRequired = req.session.mfaSetupRequired;
      const createdAt = req.session.createdAt;
      const user = await loadSessionUser(db, req.user!.id);
      await new Promise<void>((resolve, reject) => req.login(user!, (err) => (err ? reject(err) : resolve())));
      req.session.createdAt = createdAt ?? Date.now();
      req.session.mfaSetupRequired = mfaSetupRequired ?? false;
      redirectWith(req, res, '/', { type: 'success', key: 'account:password.changed' });
    },
  );

  const mfaLocals = async (req: Request, res: Response) => {
    const secret = req.session.totpEnrolSecret ?? newTotpSecret();
    req.session.totpEnrolSecret = secret;
    const uri = totpUri(secret, req.user!.username);
    return { title: res.locals.t('account:mfa.title'), secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 200 }), required: Boolean(req.session.mfaSetupRequired), enabled: req.user!.totpEnabled };
  };
  r.get('/account/mfa', 'signed-in', async (req, res) => renderPage(res, 'account/views/mfa', await mfaLocals(req, res)));
  r.post(
    '/account/mfa',
    'signed-in',
    formView('account/views/mfa', mfaLocals),
    async (req, res) => {
      const { code } = parseInput(codeSchema, req.body);
      const secret = req.session.totpEnrolSecret;
      if (!secret) throw fieldError('code', 'account:mfa.expired');
      const codes = await enableTotp(db, actorOf(req), req.user!.id, secret, code);
      delete req.session.totpEnrolSecret;
      req.session.mfaSetupRequired = false;
      renderPage(res, 'account/views/recovery-codes', { title: res.locals.t('account:mfa.codesTitle'), codes });
    },
  );

  return r.router;
}
