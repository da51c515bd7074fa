import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../config.ts';
import { HttpError, forbidden, notFound, unauthorized } from '../http/errors.ts';
import { isApiRequest } from '../http/error-handler.ts';
import type { SessionUser } from './types.ts';

/**
 * The one place where access is decided, deny by default.
 * Route level: every route names who may use it (`public`, `signed-in` or a list of roles);
 * a signed-in user outside the list gets 403. Record level: a record outside the user's scope
 * answers 404, so that its existence is not disclosed.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export const ANY_ROLE: readonly Role[] = ['admin', 'auditor', 'officer', 'enterprise'];
/** Roles that read every agency's records (监督审计 and the administrators' overview). */
export const OVERSEERS: readonly Role[] = ['auditor'];

function gate(access: Access): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    if (!req.user) {
      if (isApiRequest(req)) return next(unauthorized());
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (access === 'signed-in' || access.includes(req.user.role)) return next();
    return next(forbidden());
  };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type GuardedRouter = { router: express.Router } & {
  [M in Method]: (path: string, access: Access, ...handlers: RequestHandler[]) => GuardedRouter;
};

/** A router whose every route must state who may use it; there is no way to add one without. */
export function guardedRouter(): GuardedRouter {
  const router = express.Router();
  const guarded = { router } as GuardedRouter;
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    guarded[method] = (path, access, ...handlers) => {
      router[method](path, gate(access), ...handlers);
      return guarded;
    };
  }
  return guarded;
}

/** A record tied to an agency and/or an enterprise (a commitment, an arrear, a complaint…). */
export interface ScopedRecord {
  agencyId: number | null;
  enterpriseId?: number | null;
}

export function canReadRecord(user: SessionUser, record: ScopedRecord): boolean {
  switch (user.role) {
    case 'auditor':
      return true;
    case 'officer':
      return user.agencyId !== null && record.agencyId === user.agencyId;
    case 'enterprise':
      return user.enterpriseId !== null && record.enterpriseId === user.enterpriseId;
    default:
      return false;
  }
}

/** Only the responsible agency's officers change its records; auditors verify through their own actions. */
export function canEditRecord(user: SessionUser, record: ScopedRecord): boolean {
  return user.role === 'officer' && user.agencyId !== null && record.agencyId === user.agencyId;
}

/** Auditors verify: they decide waivers and settle disputed fulfilments (监督审计核查). */
export function canVerify(user: SessionUser): boolean {
  return user.role === 'auditor';
}

/** A breach is recorded by the responsible agency's officers or by an auditor. */
export function canRecordBreach(user: SessionUser, record: ScopedRecord): boolean {
  return canVerify(user) || canEditRecord(user, record);
}

/** Only the counterparty enterprise confirms or disputes what the agency says it delivered. */
export function canRespondAsCounterparty(user: SessionUser, record: ScopedRecord): boolean {
  return user.role === 'enterprise' && user.enterpriseId !== null && record.enterpriseId === user.enterpriseId;
}

/** Throws 403 unless the rule allows; for actions whose record the user may already read. */
export function assertAllowed(allowed: boolean): void {
  if (!allowed) throw forbidden();
}

export function assertCanRead(user: SessionUser, record: ScopedRecord | null | undefined): asserts record is ScopedRecord {
  if (!record || !canReadRecord(user, record)) throw notFound();
}

export function assertCanEdit(user: SessionUser, record: ScopedRecord | null | undefined): asserts record is ScopedRecord {
  assertCanRead(user, record);
  if (!canEditRecord(user, record)) throw forbidden();
}

/** An officer may only name its own agency when it creates a record: another answers 403. */
export function assertMayActForAgency(user: SessionUser, agencyId: number): void {
  if (user.role !== 'officer' || user.agencyId !== agencyId) throw new HttpError(403, 'forbidden', 'errors.otherAgency');
}

/** The filter a list query applies for this user: which agency's or enterprise's rows it may see. */
export type ListScope = { kind: 'all' } | { kind: 'agency'; agencyId: number } | { kind: 'enterprise'; enterpriseId: number } | { kind: 'none' };

export function listScope(user: SessionUser): ListScope {
  if (user.role === 'auditor') return { kind: 'all' };
  if (user.role === 'officer' && user.agencyId !== null) return { kind: 'agency', agencyId: user.agencyId };
  if (user.role === 'enterprise' && user.enterpriseId !== null) return { kind: 'enterprise', enterpriseId: user.enterpriseId };
  return { kind: 'none' };
}
