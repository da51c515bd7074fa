import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { Config } from '../config.ts';
import { signedInSessionId } from '../auth/session.ts';
import { isMultipart } from './uploads.ts';

export function csrfCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-il.csrf' : 'il.csrf';
}

/** A URL as logs may keep it: an upload form's token is not written to them. */
export function withoutCsrfToken(url: string): string {
  return url.replace(/([?&]_csrf=)[^&#]*/g, '$1…');
}

/**
 * The token a state-changing request carries: the form's `_csrf` field, the `X-CSRF-Token` header,
 * or, for an upload form only, `_csrf` in its URL, because an upload's body is read only after the check.
 */
function tokenOf(req: Request): string | undefined {
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof field === 'string') return field;
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const query = isMultipart(req) ? req.query._csrf : undefined;
  return typeof query === 'string' ? query : undefined;
}

/**
 * Signed double-submit CSRF protection, which needs no stored session: a cookie holds a token
 * (an HMAC of a random value and, once signed in, the session id) and a state-changing request must
 * carry the same token. Visitors who are not signed in (the sign-in form) therefore cost no
 * session row; a signed-in user's token is bound to the session, so that a cookie planted by
 * another site cannot be paired with a token of the attacker's choosing.
 */
export function csrfProtection(config: Config): RequestHandler {
  const secret = createHmac('sha256', config.sessionSecret).update('csrf-token').digest('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: signedInSessionId,
    cookieName: csrfCookieName(config),
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', path: '/' },
    getCsrfTokenFromRequest: tokenOf,
  });
  return (req, res, next) => {
    // Made before the check, so that an error page still carries a working sign-out form.
    res.locals.csrfToken = generateCsrfToken(req, res);
    doubleCsrfProtection(req, res, next);
  };
}
