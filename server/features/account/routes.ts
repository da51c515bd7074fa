import type { Request, Response } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { accountOpen, createSignInGuard, PAIR_BLOCK_MINUTES, type PasswordCheck, type Throttle } from '../../auth/login.ts';
import { openTotpSecret, sealTotpSecret } from '../../auth/mfa-secrets.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { findUserById, loadSessionUser } from '../../auth/users.ts';
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
const enrolSchema = z.object({ password: z.string().min(1, 'validation.required').max(200), currentCode: z.string().max(20).default(''), code: requiredText(20) });

/** Only a local path may follow a sign-in: no open redirect to another site. */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}

export function accountRoutes({ db, config, passport, clock }: AppContext) {
  const r = guardedRouter();
  const guard = createSignInGuard(db, clock, { failuresPerAddress: config.loginFailuresPerAddress });
  const mfa = { db, clock, integrityKey: config.integrityKey };

  passport.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      guard
        .checkPassword({ username, ip: req.ip ?? null }, password)
        .then(async (result) => done(null, result.ok ? ((await loadSessionUser(db, result.user.id)) ?? false) : false, { message: result.ok ? 'password-ok' : 'refused', ...result }))
        .catch(done);
    }),
  );

  const loginPage = (res: Response, locals: Record<string, unknown> = {}, status = 200) =>
    renderPage(res, 'account/views/login', { title: res.locals.t('account:login.title'), ...locals }, status);
  const mfaStepPage = (res: Response, locals: Record<string, unknown> = {}, status = 200) =>
    renderPage(res, 'account/views/login-mfa', { title: res.locals.t('account:mfa.stepTitle'), ...locals }, status);
  const throttledError = (throttle: Throttle) => ({ loginError: `account:login.throttled.${throttle}`, loginParams: { minutes: PAIR_BLOCK_MINUTES } });

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
      let input: z.infer<typeof loginSchema>;
      try {
        input = parseInput(loginSchema, req.body);
      } catch {
        return loginPage(res, { values: { username: req.body.username, next: req.body.next }, loginError: 'account:login.failed' }, 200);
      }
      const attempt = { username: input.username, ip: req.ip ?? null };
      const values = { username: input.username, next: req.body.next };
      const throttle = await guard.throttled(attempt);
      if (throttle) return loginPage(res, { values, ...throttledError(throttle) }, 429);
      req.body.username = input.username;
      passport.authenticate('local', (err: unknown, _user: unknown, result: PasswordCheck | undefined) => {
        if (err) return next(err);
        if (!result?.ok) {
          if (result?.throttle) return loginPage(res, { values, ...throttledError(result.throttle) }, 429);
          return loginPage(res, { values, loginError: 'account:login.failed' }, 200);
        }
        const row = result.user;
        if (row.totp_enabled) {
          // The password alone is not a sign-in: a new session holds only the pending second step.
          const nextUrl = safeNext(req.body.next);
          return guard.passwordAccepted(attempt, row).then(
            () =>
              req.session.regenerate((e) => {
                if (e) return next(e);
                req.session.pendingMfaUserId = row.id;
                req.session.pendingMfaNext = nextUrl;
                res.redirect(303, '/login/mfa');
              }),
            next,
          );
        }
        guard
          .signedIn(attempt, row)
          .then(() => signIn(req, res, row.id))
          .catch(next);
      })(req, res, next);
    },
  );

  r.get('/login/mfa', 'public', (req, res) => {
    if (!req.session.pendingMfaUserId) return res.redirect(303, '/login');
    mfaStepPage(res);
  });

  r.post(
    '/login/mfa',
    'public',
    async (req, res) => {
      const userId = req.session.pendingMfaUserId;
      const user = userId ? await findUserById(db, userId) : undefined;
      if (!user) return res.redirect(303, '/login');
      const attempt = { username: user.username, ip: req.ip ?? null };
      const throttle = await guard.throttled(attempt);
      if (throttle) return mfaStepPage(res, throttledError(throttle), 429);
      const actor = { id: user.id, username: user.username, ip: attempt.ip };
      const accepted = accountOpen(user, clock.now()) && (await checkSecondFactor(mfa, actor, user, String(req.body.code ?? '')));
      if (!accepted) {
        const nowThrottled = await guard.secondFactorRefused(attempt, user);
        if (nowThrottled) return mfaStepPage(res, throttledError(nowThrottled), 429);
        return mfaStepPage(res, { errors: [{ path: 'code', key: 'account:mfa.wrongCode' }] }, 200);
      }
      await guard.signedIn(attempt, user);
      await signIn(req, res, user.id);
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
      await changePassword({ db, clock }, actorOf(req), req.user!.id, input.current, input.password);
      const mfaSetupRequired = req.session.mfaSetupRequired;
      const createdAt = req.session.createdAt;
      const user = await loadSessionUser(db, req.user!.id);
      await new Promise<void>((resolve, reject) => req.login(user!, (err) => (err ? reject(err) : resolve())));
      req.session.createdAt = createdAt ?? Date.now();
      req.session.mfaSetupRequired = mfaSetupRequired ?? false;
      redirectWith(req, res, '/', { type: 'success', key: 'account:password.changed' });
    },
  );

  /** The secret being enrolled waits in the session sealed, like a stored one: the sessions table is in the database too. */
  const enrolSecret = (req: Request): string => {
    const userId = req.user!.id;
    const sealed = req.session.totpEnrolSecret;
    if (sealed) {
      try {
        return openTotpSecret(config.integrityKey, userId, sealed);
      } catch {
        // Sealed under another key or for another user: start a new enrolment.
      }
    }
    const secret = newTotpSecret();
    req.session.totpEnrolSecret = sealTotpSecret(config.integrityKey, userId, secret);
    return secret;
  };
  const mfaLocals = async (req: Request, res: Response) => {
    const secret = enrolSecret(req);
    const uri = totpUri(secret, req.user!.username);
    return { title: res.locals.t('account:mfa.title'), secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 200 }), required: Boolean(req.session.mfaSetupRequired), enabled: req.user!.totpEnabled };
  };
  r.get('/account/mfa', 'signed-in', async (req, res) => renderPage(res, 'account/views/mfa', await mfaLocals(req, res)));
  r.post(
    '/account/mfa',
    'signed-in',
    formView('account/views/mfa', mfaLocals),
    async (req, res) => {
      const input = parseInput(enrolSchema, req.body);
      const sealedSecret = req.session.totpEnrolSecret;
      if (!sealedSecret) throw fieldError('code', 'account:mfa.expired');
      const codes = await enableTotp(mfa, actorOf(req), req.user!.id, { ...input, sealedSecret });
      delete req.session.totpEnrolSecret;
      req.session.mfaSetupRequired = false;
      renderPage(res, 'account/views/recovery-codes', { title: res.locals.t('account:mfa.codesTitle'), codes });
    },
  );

  return r.router;
}
