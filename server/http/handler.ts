import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Lets route handlers be async: a rejected promise goes to the error handler. */
export function handler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown): RequestHandler {
  return (req, res, next) => {
    Promise.resolve(fn(req, res, next)).catch(next);
  };
}
