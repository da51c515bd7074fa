import { z, type ZodType } from 'zod';
import { isValidDate } from '../domain/dates.ts';
import { ValidationError, type FieldError } from './errors.ts';

/** A message a schema gives as an i18n key: a common one (validation.required) or a feature's (commitments:errors.noMilestones). */
const I18N_KEY = /^(validation\.|[a-z][a-zA-Z]*:)[\w.]+$/;

/** Messages in schemas are i18n keys; zod's own codes fall back to generic keys. */
function issueToFieldError(issue: z.core.$ZodIssue): FieldError {
  const path = issue.path.map(String).join('.');
  const msg = issue.message;
  // A value not given at all is missing, whatever its schema calls a value of the wrong type.
  if (issue.code === 'invalid_type' && issue.input === undefined) return { path, key: 'validation.required' };
  if (I18N_KEY.test(msg)) {
    const params: Record<string, unknown> = {};
    if ('minimum' in issue) params.min = issue.minimum;
    if ('maximum' in issue) params.max = issue.maximum;
    return { path, key: msg, params };
  }
  switch (issue.code) {
    case 'too_small':
      return { path, key: issue.origin === 'string' && Number(issue.minimum) === 1 ? 'validation.required' : 'validation.tooSmall', params: { min: issue.minimum } };
    case 'too_big':
      return { path, key: 'validation.tooBig', params: { max: issue.maximum } };
    case 'invalid_value':
      return { path, key: 'validation.invalidOption' };
    case 'invalid_type':
      return { path, key: issue.input === undefined ? 'validation.required' : 'validation.invalid' };
    default:
      return { path, key: 'validation.invalid' };
  }
}

/** Parses input into typed values, or lists every bad field. */
export function checkInput<S extends ZodType>(schema: S, input: unknown): { ok: true; value: z.output<S> } | { ok: false; errors: FieldError[] } {
  // reportInput: an issue carries the value it is about, so that a missing value reads as "required".
  const result = schema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: result.error.issues.map(issueToFieldError) };
}

/** Parses input into typed values or throws a ValidationError listing every bad field. */
export function parseInput<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  const result = checkInput(schema, input);
  if (result.ok) return result.value;
  throw new ValidationError(result.errors);
}

/** Form helpers: an empty text box means "not given". */
export const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max, 'validation.tooLong').optional());
export const requiredText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string('validation.required').min(1, 'validation.required').max(max, 'validation.tooLong'));
export const optionalId = z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : Number(v)), z.number('validation.invalid').int().positive().optional());
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());

/** A calendar date 'YYYY-MM-DD' that exists. */
export const calendarDate = z.string('validation.required').refine((v) => isValidDate(v), 'validation.date');
