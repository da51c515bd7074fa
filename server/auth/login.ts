import type { Knex } from 'knex';
import { recordAudit, recordAuditEvent, type AuditActor } from '../audit/chain.ts';
import { findUserByUsername, type UserRow } from './users.ts';
import { verifyPassword } from './passwords.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type LoginResult =
  | { outcome: 'ok'; user: UserRow }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; until: string }
  | { outcome: 'disabled' };

/**
 * Checks a username and password. Five failures in a row lock the account for 15 minutes;
 * every attempt, and the lockout itself, is written to the audit log.
 */
export async function attemptLogin(db: Knex, username: string, password: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const user = await findUserByUsername(db, username);
  const actor: AuditActor = { id: user?.id ?? null, username: username.slice(0, 64), ip };
  if (!user) {
    await verifyPassword(DUMMY_HASH, password); // same work as for a real account: no timing hint
    await recordAuditEvent(db, actor, { action: 'login.failed', entityType: 'user', after: { reason: 'unknown-user' } });
    return { outcome: 'invalid' };
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    await recordAuditEvent(db, actor, { action: 'login.failed', entityType: 'user', entityId: user.id, after: { reason: 'locked' } });
    return { outcome: 'locked', until: new Date(user.locked_until).toISOString() };
  }
  const passwordOk = await verifyPassword(user.password_hash, password);
  if (passwordOk && user.is_locked) {
    await recordAuditEvent(db, actor, { action: 'login.failed', entityType: 'user', entityId: user.id, after: { reason: 'disabled' } });
    return { outcome: 'disabled' };
  }
  if (passwordOk) {
    await db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() });
      await recordAudit(trx, actor, { action: 'login.succeeded', entityType: 'user', entityId: user.id });
    });
    return { outcome: 'ok', user };
  }
  return db.transaction(async (trx) => {
    const failures = user.failed_logins + 1;
    await recordAudit(trx, actor, { action: 'login.failed', entityType: 'user', entityId: user.id, after: { reason: 'wrong-password', failures } });
    if (failures >= MAX_FAILED_LOGINS) {
      const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
      await trx('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: until });
      await recordAudit(trx, actor, { action: 'user.lockout', entityType: 'user', entityId: user.id, after: { lockedUntil: until } });
      return { outcome: 'locked', until } as const;
    }
    await trx('users').where({ id: user.id }).update({ failed_logins: failures });
    return { outcome: 'invalid' } as const;
  });
}

// An Argon2id hash of a random string, so that unknown usernames cost the same as known ones.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5QAh1mYbZ6AmeOTk6IGr7CqG4RjKJ0wmvdbgqRQHdkc';
