import type { Knex } from 'knex';
import type { Role } from '../config.ts';
import type { SessionUser } from './types.ts';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  agency_id: number | null;
  enterprise_id: number | null;
  must_change_password: boolean | number;
  is_locked: boolean | number;
  failed_logins: number;
  locked_until: string | null;
  session_epoch: number;
  totp_secret: string | null;
  totp_enabled: boolean | number;
  /** The last TOTP time step accepted: no code of it or before signs in again. */
  totp_last_step: number | null;
  recovery_codes: string | null;
  last_login_at: string | null;
}

export function findUserByUsername(db: Knex, username: string): Promise<UserRow | undefined> {
  return db('users').where({ username }).first();
}

export function findUserById(db: Knex, id: number): Promise<UserRow | undefined> {
  return db('users').where({ id }).first();
}

/** Loads what a request needs to know about its user, with the names of its agency or enterprise. */
export async function loadSessionUser(db: Knex, id: number): Promise<(SessionUser & { sessionEpoch: number; isLocked: boolean }) | undefined> {
  const row = await db('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('enterprises as e', 'e.id', 'u.enterprise_id')
    .where('u.id', id)
    .first('u.*', 'a.name as agency_name', 'e.name as enterprise_name');
  if (!row) return undefined;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    agencyId: row.agency_id,
    agencyName: row.agency_name ?? null,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name ?? null,
    mustChangePassword: Boolean(row.must_change_password),
    totpEnabled: Boolean(row.totp_enabled),
    sessionEpoch: row.session_epoch,
    isLocked: Boolean(row.is_locked),
  };
}
