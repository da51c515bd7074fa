import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { parseMultipart } from './uploads.ts';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
});

/**
 * Checks the synchroniser token on every state-changing request. Multipart bodies are parsed first,
 * so an upload form carries its token like any other form; only signed-in users' multipart bodies are
 * read at all: anyone else's is refused unread by the check.
 */
export const csrfProtection: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = generateToken(req);
  const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
  if (multipart && req.user) {
    return parseMultipart(req, res, (err?: unknown) => (err ? next(err) : csrfSynchronisedProtection(req, res, next)));
  }
  csrfSynchronisedProtection(req, res, next);
};
