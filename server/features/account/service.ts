import type { Knex } from 'knex';
import type { UseCaseContext } from '../../context.ts';
import { fieldError } from '../../http/errors.ts';
import { accountOpen, recordRefusal } from '../../auth/login.ts';
import { openTotpSecret, recoveryCodeDigest } from '../../auth/mfa-secrets.ts';
import { hashPassword, passwordProblems, verifyPassword } from '../../auth/passwords.ts';
import { findUserById, type UserRow } from '../../auth/users.ts';
import { recordAudit, type AuditActor } from '../../audit/chain.ts';
import { matchingTotpStep, newRecoveryCodes } from './totp.ts';

/** What the second-factor use cases need besides the database and clock: the key kept outside the database. */
export interface MfaContext extends UseCaseContext {
  integrityKey: string;
}

/** Throws a field error on `field` for the first password rule broken. */
export function assertPasswordAcceptable(password: string, username: string, field: string): void {
  const [problem] = passwordProblems(password, username);
  if (problem) throw fieldError(field, `account:password.rules.${problem}`);
}

/**
 * A signed-in user proves again who they are before changing a credential. A wrong answer counts
 * against the account like a failed sign-in, so a borrowed session cannot guess the password at will.
 */
async function reauthenticate(ctx: UseCaseContext, actor: AuditActor, user: UserRow, password: string, field: string, wrongKey: string): Promise<void> {
  const now = ctx.clock.now();
  if (!accountOpen(user, now)) throw fieldError(field, 'account:reauth.lockedOut');
  if (await verifyPassword(user.password_hash, password)) return;
  await recordRefusal(ctx.db, now, actor, user, { action: 'user.reauth_failed', reason: 'wrong-password' });
  throw fieldError(field, wrongKey);
}

/** Changes a password and ends every session of the user (the caller signs the current one in again). */
export async function changePassword(ctx: UseCaseContext, actor: AuditActor, userId: number, current: string, next: string): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw fieldError('current', 'errors.notFound');
  await reauthenticate(ctx, actor, user, current, 'current', 'account:password.wrongCurrent');
  if (current === next) throw fieldError('password', 'account:password.sameAsOld');
  assertPasswordAcceptable(next, user.username, 'password');
  const hash = await hashPassword(next);
  await ctx.db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: false, session_epoch: user.session_epoch + 1, updated_at: ctx.clock.now().toISOString() });
    await recordAudit(trx, actor, { action: 'user.password_changed', entityType: 'user', entityId: userId });
  });
}

type SecondFactorMatch = { kind: 'totp'; step: number } | { kind: 'recovery'; remaining: string[] };

/** Which of the user's second factors a code is: a TOTP code of a time step not used before, or an unused recovery code. */
function matchSecondFactor(integrityKey: string, user: UserRow, code: string): SecondFactorMatch | null {
  if (!user.totp_enabled || !user.totp_secret) return null;
  const trimmed = code.trim();
  const step = matchingTotpStep(openTotpSecret(integrityKey, user.id, user.totp_secret), user.username, trimmed);
  if (step !== null) return user.totp_last_step !== null && step <= user.totp_last_step ? null : { kind: 'totp', step };
  const stored: string[] = user.recovery_codes ? JSON.parse(user.recovery_codes) : [];
  const digest = recoveryCodeDigest(integrityKey, trimmed);
  return stored.includes(digest) ? { kind: 'recovery', remaining: stored.filter((d) => d !== digest) } : null;
}

/**
 * Uses up what matched, if no concurrent request used it first: a TOTP time step is accepted once per
 * user, a recovery code once.
 */
async function useSecondFactor(trx: Knex.Transaction, user: UserRow, match: SecondFactorMatch): Promise<boolean> {
  const row = trx('users').where({ id: user.id });
  if (match.kind === 'totp') {
    return (await row.where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', match.step)).update({ totp_last_step: match.step })) === 1;
  }
  return (await row.where({ recovery_codes: user.recovery_codes }).update({ recovery_codes: JSON.stringify(match.remaining) })) === 1;
}

/** Second sign-in step: a TOTP code not accepted before, or a recovery code that is then used up. */
export async function checkSecondFactor(ctx: MfaContext, actor: AuditActor, user: UserRow, code: string): Promise<boolean> {
  const match = matchSecondFactor(ctx.integrityKey, user, code);
  if (!match) return false;
  return ctx.db.transaction(async (trx) => {
    if (!(await useSecondFactor(trx, user, match))) return false;
    if (match.kind === 'recovery') {
      await recordAudit(trx, actor, { action: 'login.recovery_code_used', entityType: 'user', entityId: user.id, after: { remaining: match.remaining.length } });
    }
    return true;
  });
}

export interface TotpEnrolment {
  password: string;
  /** A current code of the authenticator (or a recovery code) when one is enrolled already. */
  currentCode: string;
  /** The new secret, sealed for this user while it waited in the session. */
  sealedSecret: string;
  /** A code from the new authenticator, proving it works. */
  code: string;
}

/**
 * Turns TOTP on, or replaces the authenticator, once the user has given the password (and a current
 * code when enrolled) and proved the new authenticator works; answers the recovery codes, shown once.
 */
export async function enableTotp(ctx: MfaContext, actor: AuditActor, userId: number, input: TotpEnrolment): Promise<string[]> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw fieldError('code', 'errors.notFound');
  await reauthenticate(ctx, actor, user, input.password, 'password', 'account:reauth.wrongPassword');
  const replacing = Boolean(user.totp_enabled);
  if (replacing && !matchSecondFactor(ctx.integrityKey, user, input.currentCode)) {
    await recordRefusal(ctx.db, ctx.clock.now(), actor, user, { action: 'user.reauth_failed', reason: 'wrong-code' });
    throw fieldError('currentCode', 'account:mfa.wrongCurrentCode');
  }
  let secret: string;
  try {
    secret = openTotpSecret(ctx.integrityKey, userId, input.sealedSecret);
  } catch {
    throw fieldError('code', 'account:mfa.expired');
  }
  const step = matchingTotpStep(secret, user.username, input.code.trim());
  if (step === null) throw fieldError('code', 'account:mfa.wrongCode');
  const codes = newRecoveryCodes();
  await ctx.db.transaction(async (trx) => {
    await trx('users')
      .where({ id: userId })
      .update({
        totp_secret: input.sealedSecret,
        totp_enabled: true,
        totp_last_step: step,
        recovery_codes: JSON.stringify(codes.map((c) => recoveryCodeDigest(ctx.integrityKey, c))),
        updated_at: ctx.clock.now().toISOString(),
      });
    await recordAudit(trx, actor, { action: replacing ? 'user.mfa_replaced' : 'user.mfa_enabled', entityType: 'user', entityId: userId });
  });
  return codes;
}
