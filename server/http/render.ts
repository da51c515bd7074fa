import type { Request, Response } from 'express';
import type { FieldError } from './errors.ts';

export interface FlashMessage {
  type: 'success' | 'error' | 'info';
  key: string;
  params?: Record<string, unknown>;
}

export function flash(req: Request, message: FlashMessage): void {
  req.session.flash = [...(req.session.flash ?? []), message];
}

export interface FormState {
  values?: Record<string, unknown>;
  errors?: FieldError[];
}

/** Renders a view inside the one layout; form errors are keyed by field path for the field partial. */
export function renderPage(res: Response, view: string, locals: Record<string, unknown> & FormState = {}, status = 200, onRenderError?: (err: Error) => void): void {
  const req = res.req as Request;
  const errors: Record<string, FieldError> = {};
  for (const e of locals.errors ?? []) if (!errors[e.path]) errors[e.path] = e;
  const flashes = req.session?.flash ?? [];
  // Only a session that had messages is touched: writing to an empty one would store a session for every visitor.
  if (flashes.length) req.session.flash = [];
  const all = { values: {}, ...locals, errors, errorList: locals.errors ?? [], flashes };
  res.status(status);
  const fail = onRenderError ?? ((err: Error) => (req.next ?? (() => undefined))(err));
  res.render(view, all, (err, body) => {
    if (err) return fail(err);
    res.render('layouts/main', { ...all, body }, (layoutErr, html) => {
      if (layoutErr) return fail(layoutErr);
      res.send(html);
    });
  });
}

/** Post/Redirect/Get with a flash message. */
export function redirectWith(req: Request, res: Response, url: string, message?: FlashMessage): void {
  if (message) flash(req, message);
  res.redirect(303, url);
}
