import type { RequestHandler, Router } from 'express';
import { match } from 'path-to-regexp';
import { HttpError } from './errors.ts';

interface StackLayer {
  route?: { path: string | string[]; methods: Record<string, boolean | undefined> };
  handle?: { stack?: StackLayer[] };
}

interface RouteMethods {
  matches: (path: string) => boolean;
  methods: string[];
}

/** Each route of the router and of the routers used in it (all at its root), with the methods it answers. */
function routesOf(stack: StackLayer[]): RouteMethods[] {
  return stack.flatMap((layer): RouteMethods[] => {
    if (layer.route) {
      const { path, methods } = layer.route;
      // Matched as Express matches: case-insensitive, with or without a trailing slash.
      const matchers = (Array.isArray(path) ? path : [path]).map((p) => match(p, { sensitive: false, trailing: true }));
      const answered = Object.keys(methods).filter((m) => methods[m]).map((m) => m.toUpperCase());
      return [{ matches: (p) => matchers.some((m) => m(p) !== false), methods: answered }];
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

/**
 * Answers 405 with an `Allow` header when a path exists but not for the request's method
 * (OPTIONS included: nothing is served to other origins). Put it first in the router it guards:
 * the routes are read at the first request, once every route is in place.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  let routes: RouteMethods[] | null = null;
  return (req, res, next) => {
    routes ??= routesOf(router.stack as unknown as StackLayer[]);
    const allowed = new Set(routes.filter((r) => r.matches(req.path)).flatMap((r) => r.methods));
    if (allowed.size === 0 || allowed.has('_ALL') || allowed.has(req.method)) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(req.method)) return next();
    res.set('Allow', [...allowed].sort().join(', '));
    next(new HttpError(405, 'method_not_allowed', 'errors.methodNotAllowed', { method: req.method }));
  };
}
