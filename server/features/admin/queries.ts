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
