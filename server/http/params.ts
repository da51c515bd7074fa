import type { Request } from 'express';
import { notFound } from './errors.ts';

/** A positive integer route parameter (a record id); anything else is a page that does not exist. */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  const id = Number(typeof raw === 'string' ? raw : undefined);
  if (!/^\d+$/.test(String(raw)) || !Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
}

/** The first value of a query parameter as text ('' when absent), as a filter box shows it. */
export function queryText(req: Request, name: string): string {
  const value = (req.query as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}
