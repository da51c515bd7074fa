import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../config.ts';
import { HttpError, forbidden, notFound, unauthorized } from '../http/errors.ts';
import { isApiRequest } from '../http/error-handler.ts';
import type { ScopedRecord, SessionUser } from './types.ts';

/**
 * The one place where access is decided, deny by default.
 * Route level: every route names who may use it (`public`, `signed-in` or a list of roles from
 * roles.ts); a signed-in user outside the list gets 403. Record level: each area registers its rules
 * with definePolicy, and routes, the API, file routes, use cases and views all ask can(user, action,
 * record). A record outside the user's scope answers 404, so that its existence is not disclosed.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

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

export type { ScopedRecord };

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

type Rule<R> = (user: SessionUser, record: R) => boolean;

/** The rulebook: "area.action" → rule. Filled as each area's policy module is loaded; read-only after. */
const rulebook = new Map<string, Rule<never>>();

/**
 * Registers an area's rules (e.g. area 'commitments', action 'fulfil' → 'commitments.fulfil') and
 * returns the action names, so that callers refer to them without typing strings by hand.
 */
export function definePolicy<R, A extends string>(area: string, rules: Record<A, Rule<R>>): Record<A, string> {
  const names = {} as Record<A, string>;
  for (const [action, rule] of Object.entries(rules) as Array<[A, Rule<R>]>) {
    const name = `${area}.${action}`;
    if (rulebook.has(name)) throw new Error(`policy ${name} is defined twice`);
    rulebook.set(name, rule as Rule<never>);
    names[action] = name;
  }
  return names;
}

/** Whether the user may take the action on the record; an action nobody defined is denied. */
export function can(user: SessionUser | null | undefined, action: string, record?: unknown): boolean {
  const rule = rulebook.get(action) as Rule<unknown> | undefined;
  return Boolean(user && rule && rule(user, record));
}

/**
 * For a use case: 404 when the record is missing or the user may not read it (`read` names the
 * area's read action), 403 when the user reads it but may not take `action`.
 */
export function authorize<R>(user: SessionUser, action: string, record: R | null | undefined, read: string): asserts record is R {
  if (record === null || record === undefined || !can(user, read, record)) throw notFound();
  if (!can(user, action, record)) throw forbidden();
}

export function assertCanRead(user: SessionUser, record: ScopedRecord | null | undefined): asserts record is ScopedRecord {
  if (!record || !canReadRecord(user, record)) throw notFound();
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
