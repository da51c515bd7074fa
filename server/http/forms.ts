import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import { HttpError, ValidationError, type FieldError } from './errors.ts';
import { redirectWith } from './render.ts';
import { acceptUploads, uploadedFiles, type UploadedFile } from './uploads.ts';
import { checkInput } from './validate.ts';

/** A form route names the view (and its extra data) that the error handler re-renders on bad input. */
export interface FormView {
  view: string;
  locals?: (req: Request, res: Response) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The route's parameters, captured when the route matched: Express has cleared them by the time errors are handled. */
  params?: Request['params'];
}

/**
 * Declares what a form route re-renders on bad input: the view, its data and, on a page holding
 * several forms, which one to show open with the input kept.
 */
export function formView(view: string | ((req: Request) => string), locals?: FormView['locals'], openForm?: (req: Request) => string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.formView = { view: typeof view === 'function' ? view(req) : view, locals, params: { ...req.params } } satisfies FormView;
    if (openForm) res.locals.openForm = openForm(req);
    next();
  };
}

export interface CheckedUploads<F> {
  files: F[];
  errors: FieldError[];
}

/** One form of a page: how it is read, checked, carried out and answered. */
export interface ActionForm<T, R, F = never> {
  /** The page the form is on, re-rendered (422) with every error beside its field and the input kept. */
  view: string | ((req: Request) => string);
  locals: NonNullable<FormView['locals']>;
  /** The form's name, for a page that holds several: the one shown open on re-render. */
  form?: (req: Request) => string;
  /** Reads the posted fields into the use case's input; a zod schema, or a function that throws a ValidationError. */
  read: ZodType<T> | ((body: Record<string, unknown>, req: Request) => T);
  /**
   * Files uploaded with the form (a multipart form, whose CSRF token is in its URL), checked together
   * with its fields so that every error shows at once. Only such a form reads a multipart body,
   * after the route's access checks, into temporary files removed when the response ends.
   */
  files?: { field: string; check: (files: UploadedFile[], field: string) => Promise<CheckedUploads<F>> };
  /**
   * A step of the form that answers instead of saving (the enterprise picker's search), run once the
   * body is read: a multipart body is read only inside the form's own handlers, so it cannot go before them.
   */
  step?: RequestHandler;
  /** Files the use case's errors under the form's field names: a map of paths, or a function for forms with rows. */
  fields?: Record<string, string> | ((errors: FieldError[], input: T) => FieldError[]);
  /** The field beside which a refusal because of the record's state (409) is shown ('' for the form as a whole). */
  conflictField: string | ((input: T) => string);
  /** Calls the use case. */
  run: (req: Request, input: T, files: F[]) => Promise<R>;
  /** Where to go on success and the flash message (an i18n key, with its parameters if any) to show there. */
  done: (req: Request, input: T, result: R) => { to: string; flash: string; params?: Record<string, unknown> };
}

function readForm<T>(read: ActionForm<T, unknown, unknown>['read'], req: Request): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof read !== 'function') return checkInput(read, body);
  try {
    return { ok: true, value: read(body, req) };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, errors: err.fieldErrors };
    throw err;
  }
}

/**
 * The one way a form is handled: read the form → validate (fields and files together) → call the
 * use case → redirect with a flash (Post/Redirect/Get), or re-render the page with the errors, each
 * filed under the form's own field names. A 409 from the use case (the record moved on: a
 * milestone closed, a waiver decided) is shown at the form too, not on an error page.
 */
export function actionForm<T, R, F = never>(spec: ActionForm<T, R, F>): RequestHandler[] {
  const toForm = (errors: FieldError[], input: T): FieldError[] => {
    const fields = spec.fields;
    if (typeof fields === 'function') return fields(errors, input);
    return errors.map((e) => ({ ...e, path: fields?.[e.path] ?? e.path }));
  };
  return [
    formView(spec.view, spec.locals, spec.form),
    ...(spec.files ? [acceptUploads(spec.files.field)] : []),
    ...(spec.step ? [spec.step] : []),
    async (req: Request, res: Response) => {
      const uploads: CheckedUploads<F> = spec.files ? await spec.files.check(uploadedFiles(req, spec.files.field), spec.files.field) : { files: [], errors: [] };
      const form = readForm(spec.read, req);
      if (!form.ok || uploads.errors.length) throw new ValidationError([...(form.ok ? [] : form.errors), ...uploads.errors]);
      let result: R;
      try {
        result = await spec.run(req, form.value, uploads.files);
      } catch (err) {
        if (err instanceof ValidationError) throw new ValidationError(toForm(err.fieldErrors, form.value));
        if (err instanceof HttpError && err.status === 409) {
          const path = typeof spec.conflictField === 'function' ? spec.conflictField(form.value) : spec.conflictField;
          throw new ValidationError([{ path, key: err.key, params: err.params }]);
        }
        throw err;
      }
      const { to, flash, params } = spec.done(req, form.value, result);
      redirectWith(req, res, to, { type: 'success', key: flash, ...(params ? { params } : {}) });
    },
  ];
}
