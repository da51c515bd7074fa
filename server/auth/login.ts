import type { Knex } from 'knex';
import { createRateLimiter } from '../../db/dialect.ts';
import { recordAuditEntries, recordAuditEvent, type AuditActor, type AuditEntryInput } from '../audit/chain.ts';
import type { Role } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import { findUserByUsername, type UserRow } from './users.ts';
import { verifyAgainstNoAccount, verifyPassword } from './passwords.ts';

/*
 * Sign-in throttling counts failures only, never successes:
 *  - 5 failures in a row for one username from one address block that pair for 15 minutes;
 *  - 100 failures (LOGIN_FAILURES_PER_ADDRESS) from one address within 24 hours block the address for 24 hours;
 *  - 20 failures in a row of one account, from any addresses, lock the account for 15 minutes, with an
 *    audit entry that the admins' pages show.
 * A wrong second-factor code is a failure like a wrong password. The pair and address counters live in
 * the database's rate_limits table, the account's in its users row, so every app instance sees them.
 * An unknown, locked-out, disabled or wrong-password sign-in gets the same answer after the same work.
 */

export const PAIR_FAILURE_LIMIT = 5;
export const PAIR_BLOCK_MINUTES = 15;
export const ACCOUNT_FAILURE_LIMIT = 20;
export const ACCOUNT_LOCK_MINUTES = 15;
const DAY_SECONDS = 86_400;

/** What blocks an attempt: too many failures of this username from this address, or from this address at all. */
export type Throttle = 'pair' | 'address';

export interface SignInAttempt {
  username: string;
  ip: string | null;
}

/** Why a step was refused; only a wrong password or code counts against the account. */
export type RefusalReason = 'unknown-user' | 'locked' | 'disabled' | 'wrong-password' | 'wrong-code';

export type PasswordCheck = { ok: true; user: UserRow } | { ok: false; throttle: Throttle | null };

/**
 * What a user still owes before acting at all: a password of their own when an admin set it, TOTP
 * when their role requires it. A session is held at the gate until it is done (account/gates.ts); an
 * API token, which skips the sign-in page, is neither issued nor accepted until it is done.
 */
export function unmetSignInDuty(user: { role: Role; mustChangePassword: boolean; totpEnabled: boolean }, mfaRequiredRoles: readonly Role[]): 'mustChangePassword' | 'mfa' | null {
  if (user.mustChangePassword) return 'mustChangePassword';
  if (mfaRequiredRoles.includes(user.role) && !user.totpEnabled) return 'mfa';
  return null;
}

function actorOf(attempt: SignInAttempt, user: UserRow | undefined): AuditActor {
  return { id: user?.id ?? null, username: attempt.username.slice(0, 64), ip: attempt.ip };
}

/** Whether the account may sign in at all now: not disabled by an admin, not locked out by failures. */
export function accountOpen(user: UserRow, now: Date): boolean {
  return !user.is_locked && !(user.locked_until && new Date(user.locked_until) > now);
}

function closedReason(user: UserRow | undefined, now: Date): RefusalReason | null {
  if (!user) return 'unknown-user';
  if (user.is_locked) return 'disabled';
  return accountOpen(user, now) ? null : 'locked';
}

/**
 * Writes a refused step to the audit log and counts a wrong password or code against the account; the
 * twentieth in a row locks it. The users row is written before the audit chain, in the order every
 * other account change takes, so that concurrent transactions never wait on each other in a circle.
 */
export async function recordRefusal(db: Knex, now: Date, actor: AuditActor, user: UserRow | undefined, refusal: { action: string; reason: RefusalReason }): Promise<void> {
  await db.transaction(async (trx) => {
    const entries: AuditEntryInput[] = [];
    const counted = user && (refusal.reason === 'wrong-password' || refusal.reason === 'wrong-code');
    let failures: number | undefined;
    if (counted) {
      await trx('users').where({ id: user.id }).increment('failed_logins', 1);
      failures = Number((await trx('users').where({ id: user.id }).first('failed_logins')).failed_logins);
    }
    entries.push({ action: refusal.action, entityType: 'user', entityId: user?.id ?? null, after: { reason: refusal.reason, failures } });
    if (counted && failures! >= ACCOUNT_FAILURE_LIMIT) {
      const lockedUntil = new Date(now.getTime() + ACCOUNT_LOCK_MINUTES * 60_000).toISOString();
      await trx('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: lockedUntil });
      entries.push({ action: 'user.lockout', entityType: 'user', entityId: user.id, after: { failures, lockedUntil } });
    }
    await recordAuditEntries(trx, actor, entries);
  });
}

/** The sign-in steps of one app: password, second factor, and the counters that throttle both. */
export function createSignInGuard(db: Knex, clock: Clock, limits: { failuresPerAddress: number }) {
  const pairs = createRateLimiter(db, { keyPrefix: 'login-fail-pair', points: PAIR_FAILURE_LIMIT, durationSeconds: DAY_SECONDS });
  const addresses = createRateLimiter(db, { keyPrefix: 'login-fail-ip', points: limits.failuresPerAddress, durationSeconds: DAY_SECONDS });
  const pairKey = (a: SignInAttempt) => `${a.username.toLowerCase()}|${a.ip ?? 'unknown'}`;
  const addressKey = (a: SignInAttempt) => a.ip ?? 'unknown';

  async function throttled(attempt: SignInAttempt): Promise<Throttle | null> {
    const [address, pair] = await Promise.all([addresses.get(addressKey(attempt)), pairs.get(pairKey(attempt))]);
    if (address && address.consumedPoints >= limits.failuresPerAddress) return 'address';
    if (pair && pair.consumedPoints >= PAIR_FAILURE_LIMIT) return 'pair';
    return null;
  }

  /** Counts a failure from this address for this username, and blocks what reached its limit. */
  async function countFailure(attempt: SignInAttempt): Promise<Throttle | null> {
    const address = await addresses.penalty(addressKey(attempt));
    if (address.consumedPoints === limits.failuresPerAddress) await addresses.block(addressKey(attempt), DAY_SECONDS);
    const pair = await pairs.penalty(pairKey(attempt));
    if (pair.consumedPoints === PAIR_FAILURE_LIMIT) await pairs.block(pairKey(attempt), PAIR_BLOCK_MINUTES * 60);
    return throttled(attempt);
  }

  return {
    throttled,

    /** The password step; a refusal is counted, audited and answered the same whatever its reason. */
    async checkPassword(attempt: SignInAttempt, password: string): Promise<PasswordCheck> {
      const user = await findUserByUsername(db, attempt.username);
      const now = clock.now();
      const closed = closedReason(user, now);
      let ok = false;
      if (closed) await verifyAgainstNoAccount(password);
      else ok = await verifyPassword(user!.password_hash, password);
      if (ok) return { ok: true, user: user! };
      await recordRefusal(db, now, actorOf(attempt, user), user, { action: 'login.failed', reason: closed ?? 'wrong-password' });
      return { ok: false, throttle: await countFailure(attempt) };
    },

    /** The password was right and a second factor is owed: not a sign-in yet, and the counters stand. */
    async passwordAccepted(attempt: SignInAttempt, user: UserRow): Promise<void> {
      await recordAuditEvent(db, actorOf(attempt, user), { action: 'login.password_ok', entityType: 'user', entityId: user.id });
    },

    /** A wrong second-factor code, or any code while the account is closed; counted like a wrong password. */
    async secondFactorRefused(attempt: SignInAttempt, user: UserRow): Promise<Throttle | null> {
      const now = clock.now();
      await recordRefusal(db, now, actorOf(attempt, user), user, { action: 'login.mfa_failed', reason: closedReason(user, now) ?? 'wrong-code' });
      return countFailure(attempt);
    },

    /** Every step passed: the failures of this account and of this username from this address are forgiven. */
    async signedIn(attempt: SignInAttempt, user: UserRow): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('users').where({ id: user.id }).update({ failed_logins: 0, last_login_at: clock.now().toISOString() });
        await recordAuditEntries(trx, actorOf(attempt, user), [{ action: 'login.succeeded', entityType: 'user', entityId: user.id }]);
      });
      await pairs.delete(pairKey(attempt));
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;
