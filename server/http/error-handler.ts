import type { ErrorRequestHandler, Request, Response } from 'express';
import type { FormView } from './forms.ts';
import type { Logger } from 'pino';
import { HttpError, ValidationError } from './errors.ts';
import { renderPage } from './render.ts';
import { hasViewLocals, setViewLocals } from './locals.ts';
import type { Config } from '../config.ts';

export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const status = (err as { status?: number; statusCode?: number } | null)?.status ?? (err as { statusCode?: number } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function keyFor(status: number): string {
  switch (status) {
    case 400: return 'errors.badRequest';
    case 401: return 'errors.unauthorized';
    case 403: return 'errors.forbidden';
    case 404: return 'errors.notFound';
    case 413: return 'errors.tooLarge';
    case 429: return 'errors.tooMany';
    default: return status >= 500 ? 'errors.server' : 'errors.badRequest';
  }
}

/** The i18n key and parameters of the message an error shows. */
function messageOf(err: unknown, status: number): { key: string; params: Record<string, unknown> } {
  if (err instanceof HttpError) return { key: err.key, params: err.params };
  // csrf-csrf's refusal: most often a form left open past its session, so it says what to do.
  if ((err as { code?: string } | null)?.code === 'EBADCSRFTOKEN') return { key: 'errors.csrf', params: {} };
  return { key: keyFor(status), params: {} };
}

const CODES: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 422: 'validation_failed', 429: 'too_many_requests' };

export function errorHandler(logger: Logger, config: Config): ErrorRequestHandler {
  const showStack = config.env === 'development';
  const logFailure = (req: Request, err: unknown) =>
    logger.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack, code: (err as { code?: string })?.code }, url: req.originalUrl }, 'request failed');
  const errorPage = (req: Request, res: Response, err: unknown) => {
    const status = statusOf(err);
    if (status >= 500) logFailure(req, err);
    const t = req.t;
    const { key, params } = messageOf(err, status);
    const message = t(key, params);
    renderPage(res, 'error', { title: t('errors.title', { status }), status, message, stack: showStack && status >= 500 ? (err as Error)?.stack : undefined }, status, (renderErr) => {
      // The error page itself failed: answer plainly rather than let Express print a stack trace.
      logger.error({ err: { message: renderErr.message, stack: renderErr.stack } }, 'error page failed to render');
      if (!res.headersSent) res.status(status).type('text/plain').send(message);
    });
  };
  return (err, req, res, _next) => {
    const status = statusOf(err);
    if (res.headersSent) {
      if (status >= 500) logFailure(req, err);
      return res.end();
    }
    const t = req.t;

    if (isApiRequest(req)) {
      if (status >= 500) logFailure(req, err);
      const code = err instanceof HttpError ? err.code : (CODES[status] ?? 'server_error');
      const { key, params } = messageOf(err, status);
      const message = t(key, params);
      const details = err instanceof ValidationError
        ? err.fieldErrors.map((e) => ({ path: e.path, message: t(e.key, e.params ?? {}) }))
        : err instanceof HttpError ? err.details : undefined;
      res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
      return;
    }

    // Errors raised before the view locals were set (a body too large, a session store failure) still get a page.
    if (!hasViewLocals(res)) setViewLocals(req, res, config);
    const formView = res.locals.formView as FormView | undefined;
    if (err instanceof ValidationError && formView) {
      Object.assign(req.params, formView.params ?? {});
      Promise.resolve()
        .then(() => (formView.locals ? formView.locals(req, res) : {}))
        .then((locals) => renderPage(res, formView.view, { ...locals, values: req.body ?? {}, errors: err.fieldErrors }, 422, (renderErr) => {
          logger.error({ err: { message: renderErr.message, stack: renderErr.stack } }, 'form failed to render');
          if (!res.headersSent) res.status(500).type('text/plain').send(t('errors.server'));
        }))
        // The page behind the form could not be built (the record is gone or out of the user's scope): answer that instead.
        .catch((localsErr: unknown) => errorPage(req, res, localsErr));
      return;
    }
    errorPage(req, res, err);
  };
}
