import type { Request } from 'express';
import type { ZodType, z } from 'zod';
import { ValidationError, notFound, type FieldError } from './errors.ts';
import { parseInput } from './validate.ts';

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

/**
 * A list's filters from the query string. A bad value is reported beside its filter and left out, and
 * the list is shown with the filters that are good.
 */
export function readListFilters<S extends ZodType>(schema: S, query: Request['query']): { filters: z.output<S>; errors: FieldError[] } {
  try {
    return { filters: parseInput(schema, query), errors: [] };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const bad = new Set(err.fieldErrors.map((e) => e.path.split('.')[0]));
    const good = Object.fromEntries(Object.entries(query).filter(([key]) => !bad.has(key)));
    return { filters: parseInput(schema, good), errors: err.fieldErrors };
  }
}

/** The query string of the current list without its page and language, for its export links. */
export function exportQuery(req: Request): string {
  const params = new URL(req.originalUrl, 'http://local').searchParams;
  params.delete('page');
  params.delete('lang');
  const s = params.toString();
  return s ? `?${s}` : '';
}
