import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';

export interface AgencyRow {
  id: number;
  name: string;
  code: string;
  level: 'city' | 'district' | 'street';
  parent_id: number | null;
}

export interface EnterpriseRow {
  id: number;
  name: string;
  credit_code: string;
  type: string;
  scale: string;
  district: string;
  code_exception_reason: string | null;
}

export function allAgencies(db: Knex): Promise<AgencyRow[]> {
  return db('agencies').select('id', 'name', 'code', 'level', 'parent_id').orderBy('name');
}

export function findAgency(db: Knex, id: number): Promise<AgencyRow | undefined> {
  return db('agencies').where({ id }).first();
}

export function findEnterprise(db: Knex, id: number): Promise<EnterpriseRow | undefined> {
  return db('enterprises').where({ id }).first();
}

export function allEnterpriseOptions(db: Knex): Promise<Array<{ id: number; name: string; credit_code: string }>> {
  return db('enterprises').select('id', 'name', 'credit_code').orderBy('name');
}

export async function searchEnterprises(db: Knex, q: string, page: number, pageSize: number): Promise<{ rows: EnterpriseRow[]; total: number }> {
  const base = db('enterprises').modify((qb) => {
    if (q) whereContains(qb, ['name', 'credit_code'], q);
  });
  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base.clone().orderBy('name').limit(pageSize).offset((page - 1) * pageSize);
  return { rows, total: Number(n) };
}

export async function listUsers(db: Knex, page: number, pageSize: number) {
  const [{ n }] = await db('users').count({ n: '*' });
  const rows = await db('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('enterprises as e', 'e.id', 'u.enterprise_id')
    .select('u.id', 'u.username', 'u.display_name', 'u.role', 'u.is_locked', 'u.locked_until', 'u.last_login_at', 'u.totp_enabled', 'u.must_change_password', 'a.name as agency_name', 'e.name as enterprise_name')
    .orderBy('u.username')
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total: Number(n) };
}

export function userOptions(db: Knex): Promise<Array<{ id: number; username: string; display_name: string; role: string }>> {
  return db('users').select('id', 'username', 'display_name', 'role').orderBy('username');
}

export function listTokens(db: Knex) {
  return db('api_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .select('t.id', 't.label', 't.expires_at', 't.revoked_at', 't.last_used_at', 't.created_at', 'u.username', 'u.role')
    .orderBy('t.id', 'desc');
}

/** The refusals that count towards an account lockout (see auth/login.ts). */
const COUNTED_REFUSALS = ['login.failed', 'login.mfa_failed', 'user.reauth_failed'];
export const LOCKOUT_NOTICE_DAYS = 7;

export interface LockoutNotice {
  userId: number;
  username: string;
  displayName: string;
  /** When the latest lockout of the period began, and until when it held. */
  at: string;
  lockedUntil: string;
  /** Lockouts of this account in the period. */
  count: number;
  stillLocked: boolean;
  /** The addresses the refusals before the latest lockout came from (at most five), and how many there were. */
  addresses: string[];
  addressCount: number;
}

/**
 * The accounts locked by repeated failures in the last seven days, for the admins' notice: read from
 * the audit log's user.lockout entries, so the notice shows what the log proves.
 */
export async function recentLockouts(db: Knex, now: Date): Promise<LockoutNotice[]> {
  const since = new Date(now.getTime() - LOCKOUT_NOTICE_DAYS * 86_400_000).toISOString();
  const entries: Array<{ entity_id: string; at: string | Date; after_json: string | null }> = await db('audit_log')
    .where({ action: 'user.lockout', entity_type: 'user' })
    .where('at', '>=', since)
    .orderBy('id', 'desc')
    .select('entity_id', 'at', 'after_json');
  const latest = new Map<string, { at: string; lockedUntil: string; count: number }>();
  for (const e of entries) {
    const seen = latest.get(e.entity_id);
    if (seen) seen.count++;
    else latest.set(e.entity_id, { at: new Date(e.at).toISOString(), lockedUntil: JSON.parse(e.after_json ?? '{}').lockedUntil, count: 1 });
  }
  if (latest.size === 0) return [];
  const users: Array<{ id: number; username: string; display_name: string; locked_until: string | Date | null }> = await db('users')
    .whereIn('id', [...latest.keys()].map(Number))
    .select('id', 'username', 'display_name', 'locked_until');
  const notices: LockoutNotice[] = [];
  for (const user of users) {
    const lockout = latest.get(String(user.id))!;
    const dayBefore = new Date(new Date(lockout.at).getTime() - 86_400_000).toISOString();
    const addresses: string[] = await db('audit_log')
      .where({ entity_type: 'user', entity_id: String(user.id) })
      .whereIn('action', COUNTED_REFUSALS)
      .whereBetween('at', [dayBefore, lockout.at])
      .whereNotNull('ip')
      .distinct('ip')
      .orderBy('ip')
      .pluck('ip');
    notices.push({
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      ...lockout,
      stillLocked: user.locked_until !== null && new Date(user.locked_until) > now,
      addresses: addresses.slice(0, 5),
      addressCount: addresses.length,
    });
  }
  return notices.sort((a, b) => b.at.localeCompare(a.at));
}
