import type { Request } from 'express';
import type { AuditActor } from '../audit/chain.ts';
import type { Caller } from '../context.ts';
import { unauthorized } from './errors.ts';

export function actorOf(req: Request): AuditActor {
  return { id: req.user?.id ?? null, username: req.user?.username ?? null, ip: req.ip ?? null };
}

/** The signed-in user of a request as a use case sees them; routes that allow no anonymous access only. */
export function callerOf(req: Request): Caller {
  if (!req.user) throw unauthorized();
  return { user: req.user, actor: actorOf(req) };
}
