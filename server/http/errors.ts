/** An error that maps to an HTTP status; `key` is an i18n key for the message shown to users. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: string,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(code);
  }
}

export const notFound = () => new HttpError(404, 'not_found', 'errors.notFound');
export const forbidden = () => new HttpError(403, 'forbidden', 'errors.forbidden');
export const unauthorized = () => new HttpError(401, 'unauthorized', 'errors.unauthorized');
export const conflict = (key: string, params: Record<string, unknown> = {}) => new HttpError(409, 'conflict', key, params);
export const badRequest = (key: string, params: Record<string, unknown> = {}) => new HttpError(400, 'bad_request', key, params);

export interface FieldError {
  path: string;
  key: string;
  params?: Record<string, unknown>;
}

/** Input that failed validation: answers 422 with each error beside its field. */
export class ValidationError extends HttpError {
  constructor(readonly fieldErrors: FieldError[]) {
    super(422, 'validation_failed', 'errors.validation');
  }
}

export function fieldError(path: string, key: string, params: Record<string, unknown> = {}): ValidationError {
  return new ValidationError([{ path, key, params }]);
}
