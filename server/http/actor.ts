import type { Request } from 'express';
import type { AuditActor } from '../audit/chain.ts';

export function actorOf(req: Request): AuditActor {
  return { id: req.user?.id ?? null, username: req.user?.username ?? null, ip: req.ip ?? null };
}
