import type { Knex } from 'knex';
import { isUniqueViolation } from '../../../db/dialect.ts';
import { hashToken, newTokenValue } from '../../auth/api-token.ts';
import { unmetSignInDuty } from '../../auth/login.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { findUserById } from '../../auth/users.ts';
import { checkCreditCode, normaliseCreditCode } from '../../domain/credit-code.ts';
import { ValidationError, fieldError, notFound, type FieldError } from '../../http/errors.ts';
import { recordAudit, recordAuditEntries, type AuditActor, type AuditEntryInput } from '../../audit/chain.ts';
import type { Config } from '../../config.ts';
import { assertPasswordAcceptable } from '../account/service.ts';
import { findAgency, findEnterprise, type AgencyRow } from './queries.ts';
import type { AgencyInput, EnterpriseInput, TokenInput, UserInput } from './schema.ts';

const LEVEL_RANK = { city: 0, district: 1, street: 2 } as const;

function now(): string {
  return new Date().toISOString();
}

async function assertValidParent(db: Knex, input: AgencyInput, selfId: number | null): Promise<void> {
  if (!input.parentId) return;
  const parent = await findAgency(db, input.parentId);
  if (!parent) throw fieldError('parentId', 'validation.invalidOption');
  if (LEVEL_RANK[parent.level] >= LEVEL_RANK[input.level]) throw fieldError('parentId', 'admin:agencies.parentLevel');
  // Walking up from the parent must never reach the agency itself (no cycles).
  let cursor: AgencyRow | undefined = parent;
  while (cursor) {
    if (cursor.id === selfId) throw fieldError('parentId', 'admin:agencies.parentCycle');
    cursor = cursor.parent_id ? await findAgency(db, cursor.parent_id) : undefined;
  }
}

function uniqueOr(err: unknown, path: string, key: string): never {
  if (isUniqueViolation(err)) throw fieldError(path, key);
  throw err;
}

function agencyRow(input: AgencyInput) {
  return { name: input.name, code: input.code, level: input.level, parent_id: input.parentId ?? null };
}

export async function createAgency(db: Knex, actor: AuditActor, input: AgencyInput): Promise<number> {
  await assertValidParent(db, input, null);
  try {
    return await db.transaction(async (trx) => {
      const [{ id }] = await trx('agencies').insert({ ...agencyRow(input), created_at: now(), updated_at: now() }).returning('id');
      await recordAudit(trx, actor, { action: 'agency.created', entityType: 'agency', entityId: id, after: agencyRow(input) });
      return id as number;
    });
  } catch (err) {
    uniqueOr(err, 'code', 'admin:agencies.duplicate');
  }
}

export async function updateAgency(db: Knex, actor: AuditActor, id: number, input: AgencyInput): Promise<void> {
  const before = await findAgency(db, id);
  if (!before) throw notFound();
  await assertValidParent(db, input, id);
  try {
    await db.transaction(async (trx) => {
      await trx('agencies').where({ id }).update({ ...agencyRow(input), updated_at: now() });
      await recordAudit(trx, actor, { action: 'agency.updated', entityType: 'agency', entityId: id, before, after: agencyRow(input) });
    });
  } catch (err) {
    uniqueOr(err, 'code', 'admin:agencies.duplicate');
  }
}

/** The code must pass every rule; a legacy code that fails only a check character may pass with a reason. */
export function creditCodeErrors(input: EnterpriseInput): FieldError[] {
  const problem = checkCreditCode(input.creditCode);
  if (!problem) return [];
  const acceptedAsLegacy = (problem.rule === 'check' || problem.rule === 'org-check') && Boolean(input.codeExceptionReason);
  if (acceptedAsLegacy) return [];
  return [{ path: 'creditCode', key: `admin:enterprises.codeRules.${problem.rule}`, params: problem }];
}

function enterpriseRow(input: EnterpriseInput) {
  const code = normaliseCreditCode(input.creditCode);
  return {
    name: input.name,
    credit_code: code,
    type: input.type,
    scale: input.scale,
    district: input.district ?? '',
    code_exception_reason: checkCreditCode(code) ? (input.codeExceptionReason ?? null) : null,
  };
}

export async function createEnterprise(db: Knex, actor: AuditActor, input: EnterpriseInput): Promise<number> {
  const errors = creditCodeErrors(input);
  if (errors.length) throw new ValidationError(errors);
  try {
    return await db.transaction(async (trx) => {
      const [{ id }] = await trx('enterprises').insert({ ...enterpriseRow(input), created_at: now(), updated_at: now() }).returning('id');
      await recordAudit(trx, actor, { action: 'enterprise.created', entityType: 'enterprise', entityId: id, after: enterpriseRow(input) });
      return id;
    });
  } catch (err) {
    uniqueOr(err, 'creditCode', 'admin:enterprises.duplicate');
  }
}

export async function updateEnterprise(db: Knex, actor: AuditActor, id: number, input: EnterpriseInput): Promise<void> {
  const before = await findEnterprise(db, id);
  if (!before) throw notFound();
  const errors = creditCodeErrors(input);
  if (errors.length) throw new ValidationError(errors);
  try {
    await db.transaction(async (trx) => {
      await trx('enterprises').where({ id }).update({ ...enterpriseRow(input), updated_at: now() });
      await recordAudit(trx, actor, { action: 'enterprise.updated', entityType: 'enterprise', entityId: id, before, after: enterpriseRow(input) });
    });
  } catch (err) {
    uniqueOr(err, 'creditCode', 'admin:enterprises.duplicate');
  }
}

/** Officers belong to one agency, enterprise users to one enterprise; admins and auditors to neither. */
async function scopeOf(db: Knex, input: Pick<UserInput, 'role' | 'agencyId' | 'enterpriseId'>) {
  if (input.role === 'officer') {
    if (!input.agencyId || !(await findAgency(db, input.agencyId))) throw fieldError('agencyId', 'admin:users.agencyRequired');
    return { agency_id: input.agencyId, enterprise_id: null };
  }
  if (input.role === 'enterprise') {
    if (!input.enterpriseId || !(await findEnterprise(db, input.enterpriseId))) throw fieldError('enterpriseId', 'admin:users.enterpriseRequired');
    return { agency_id: null, enterprise_id: input.enterpriseId };
  }
  return { agency_id: null, enterprise_id: null };
}

/** Creates an account whose holder must choose a new password at first sign-in. */
export async function createUser(db: Knex, actor: AuditActor, input: UserInput, options: { mustChangePassword?: boolean } = {}): Promise<number> {
  const scope = await scopeOf(db, input);
  assertPasswordAcceptable(input.password, input.username, 'password');
  const hash = await hashPassword(input.password);
  const after = { username: input.username, displayName: input.displayName, role: input.role, ...scope };
  try {
    return await db.transaction(async (trx) => {
      const [{ id }] = await trx('users')
        .insert({ username: input.username, display_name: input.displayName, password_hash: hash, role: input.role, ...scope, must_change_password: options.mustChangePassword ?? true, created_at: now(), updated_at: now() })
        .returning('id');
      await recordAudit(trx, actor, { action: 'user.created', entityType: 'user', entityId: id, after });
      return id;
    });
  } catch (err) {
    uniqueOr(err, 'username', 'admin:users.duplicate');
  }
}

/** Revokes every live token of a user, inside the caller's transaction; answers their audit entries. */
async function revokeTokensOf(trx: Knex.Transaction, userId: number, reason: 'password-reset' | 'account-disabled'): Promise<AuditEntryInput[]> {
  const revokedAt = now();
  const ids: number[] = await trx('api_tokens').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', revokedAt).pluck('id');
  if (ids.length === 0) return [];
  await trx('api_tokens').whereIn('id', ids).update({ revoked_at: revokedAt });
  return ids.map((id) => ({ action: 'token.revoked', entityType: 'api_token', entityId: id, after: { revokedAt, reason } }));
}

/** Locking ends every session and revokes every API token of the user at once (the session epoch moves on). */
export async function setUserLocked(db: Knex, actor: AuditActor, userId: number, locked: boolean): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw notFound();
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ is_locked: locked, failed_logins: 0, locked_until: null, session_epoch: user.session_epoch + (locked ? 1 : 0), updated_at: now() });
    const revocations = locked ? await revokeTokensOf(trx, userId, 'account-disabled') : [];
    await recordAuditEntries(trx, actor, [
      { action: locked ? 'user.locked' : 'user.unlocked', entityType: 'user', entityId: userId, before: { locked: Boolean(user.is_locked) }, after: { locked } },
      ...revocations,
    ]);
  });
}

/** A reset password must be changed at next sign-in; every session and API token of the user ends. */
export async function resetPassword(db: Knex, actor: AuditActor, userId: number, password: string): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw notFound();
  assertPasswordAcceptable(password, user.username, 'password');
  const hash = await hashPassword(password);
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null, session_epoch: user.session_epoch + 1, updated_at: now() });
    const revocations = await revokeTokensOf(trx, userId, 'password-reset');
    await recordAuditEntries(trx, actor, [{ action: 'user.password_reset', entityType: 'user', entityId: userId }, ...revocations]);
  });
}

/**
 * Issues a token for a user who could act on the pages too: not disabled, with their own password and
 * the TOTP their role requires (a token skips the sign-in page, so it must not skip its duties).
 * The plain value is returned once and only its SHA-256 is stored.
 */
export async function issueToken(db: Knex, actor: AuditActor, input: TokenInput, rules: Pick<Config, 'mfaRequiredRoles'>): Promise<{ id: number; token: string; expiresAt: string }> {
  const user = await findUserById(db, input.userId);
  if (!user) throw fieldError('userId', 'validation.invalidOption');
  if (user.is_locked) throw fieldError('userId', 'admin:tokens.notReady.disabled', { username: user.username });
  const duty = unmetSignInDuty({ role: user.role, mustChangePassword: Boolean(user.must_change_password), totpEnabled: Boolean(user.totp_enabled) }, rules.mfaRequiredRoles);
  if (duty) throw fieldError('userId', `admin:tokens.notReady.${duty}`, { username: user.username });
  const token = newTokenValue();
  const expiresAt = new Date(Date.now() + input.days * 86_400_000).toISOString();
  return db.transaction(async (trx) => {
    const [{ id }] = await trx('api_tokens')
      .insert({ user_id: user.id, label: input.label, token_hash: hashToken(token), expires_at: expiresAt, created_by: actor.id, created_at: now() })
      .returning('id');
    await recordAudit(trx, actor, { action: 'token.created', entityType: 'api_token', entityId: id, after: { userId: user.id, username: user.username, label: input.label, expiresAt } });
    return { id, token, expiresAt };
  });
}

export async function revokeToken(db: Knex, actor: AuditActor, tokenId: number): Promise<void> {
  const token = await db('api_tokens').where({ id: tokenId }).first();
  if (!token) throw notFound();
  if (token.revoked_at) return;
  await db.transaction(async (trx) => {
    const revokedAt = now();
    await trx('api_tokens').where({ id: tokenId }).update({ revoked_at: revokedAt });
    await recordAudit(trx, actor, { action: 'token.revoked', entityType: 'api_token', entityId: tokenId, after: { revokedAt } });
  });
}
