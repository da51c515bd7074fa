import type { RequestHandler } from 'express';

const ALWAYS_OPEN = ['/logout', '/healthz'];

/**
 * A session that still owes a step reaches nothing else: a new password when an admin set it,
 * TOTP enrolment when the role requires it.
 */
export const accountGates: RequestHandler = (req, res, next) => {
  if (!req.user || ALWAYS_OPEN.includes(req.path)) return next();
  if (req.user.mustChangePassword && req.path !== '/account/password') return res.redirect(303, '/account/password');
  if (!req.user.mustChangePassword && req.session.mfaSetupRequired && req.path !== '/account/mfa') return res.redirect(303, '/account/mfa');
  next();
};
