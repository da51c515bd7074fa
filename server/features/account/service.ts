import type { Knex } from 'knex';
import { fieldError } from '../../http/errors.ts';
import { hashPassword, passwordProblems, verifyPassword } from '../../auth/passwords.ts';
import { findUserById } from '../../auth/users.ts';
import { recordAudit, recordAuditEvent, type AuditActor } from '../../audit/chain.ts';
import { hashRecoveryCode, newRecoveryCodes, verifyTotp } from './totp.ts';

/** Throws a field error on `field` for the first password rule broken. */
export function assertPasswordAcceptable(password: string, username: string, field: string): void {
  const [problem] = passwordProblems(password, username);
  if (problem) throw fieldError(field, `account:password.rules.${problem}`);
}

/** Changes a password and ends every session of the user (the caller signs the current one in again). */
export async function changePassword(db: Knex, actor: AuditActor, userId: number, current: string, next: string): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw fieldError('current', 'errors.notFound');
  if (!(await verifyPassword(user.password_hash, current))) throw fieldError('current', 'account:password.wrongCurrent');
  if (current === next) throw fieldError('password', 'account:password.sameAsOld');
  assertPasswordAcceptable(next, user.username, 'password');
  const hash = await hashPassword(next);
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: false, session_epoch: user.session_epoch + 1, updated_at: new Date().toISOString() });
    await recordAudit(trx, actor, { action: 'user.password_changed', entityType: 'user', entityId: userId });
  });
}

/** Turns TOTP on once the user proves the authenticator works; answers the recovery codes, shown once. */
export async function enableTotp(db: Knex, actor: AuditActor, userId: number, secret: string, code: string): Promise<string[]> {
  const user = await findUserById(db, userId);
  if (!user) throw fieldError('code', 'errors.notFound');
  if (!verifyTotp(secret, user.username, code.trim())) throw fieldError('code', 'account:mfa.wrongCode');
  const codes = newRecoveryCodes();
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ totp_secret: secret, totp_enabled: true, recovery_codes: JSON.stringify(codes.map(hashRecoveryCode)), updated_at: new Date().toISOString() });
    await recordAudit(trx, actor, { action: 'user.mfa_enabled', entityType: 'user', entityId: userId });
  });
  return codes;
}

/** Second sign-in step: a current TOTP code, or a recovery code that is then used up. */
export async function checkSecondFactor(db: Knex, actor: AuditActor, userId: number, code: string): Promise<boolean> {
  const user = await findUserById(db, userId);
  if (!user || !user.totp_secret) return false;
  const trimmed = code.trim();
  if (verifyTotp(user.totp_secret, user.username, trimmed)) return true;
  const stored: string[] = user.recovery_codes ? JSON.parse(user.recovery_codes) : [];
  const hashed = hashRecoveryCode(trimmed);
  if (!stored.includes(hashed)) {
    await recordAuditEvent(db, actor, { action: 'login.mfa_failed', entityType: 'user', entityId: userId });
    return false;
  }
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ recovery_codes: JSON.stringify(stored.filter((h) => h !== hashed)) });
    await recordAudit(trx, actor, { action: 'login.recovery_code_used', entityType: 'user', entityId: userId, after: { remaining: stored.length - 1 } });
  });
  return true;
}
