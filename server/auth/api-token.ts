import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { unauthorized } from '../http/errors.ts';
import { unmetSignInDuty } from './login.ts';
import { loadSessionUser } from './users.ts';

export function newTokenValue(): string {
  return 'il_' + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * `Authorization: Bearer <token>` acts as the token's user, with that user's role and scope, while the
 * user could sign in and act on the pages too (not disabled, no password change or MFA enrolment owed).
 */
export function bearerAuth(db: Knex, config: Pick<Config, 'mfaRequiredRoles'>): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (!header) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(unauthorized());
    const now = new Date().toISOString();
    db('api_tokens')
      .where({ token_hash: hashToken(m[1]!) })
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .first('id', 'user_id')
      .then(async (token: { id: number; user_id: number } | undefined) => {
        if (!token) return next(unauthorized());
        const user = await loadSessionUser(db, token.user_id);
        if (!user || user.isLocked || unmetSignInDuty(user, config.mfaRequiredRoles)) return next(unauthorized());
        // Recorded to the minute: a busy integration should not turn every read into a write.
        const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
        await db('api_tokens').where({ id: token.id }).where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', aMinuteAgo)).update({ last_used_at: now });
        req.user = { ...user, viaApiToken: true };
        next();
      })
      .catch(next);
  };
}
