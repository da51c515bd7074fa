import { parseYuan } from '../../domain/money.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { arrearsInputSchema, type ArrearsInput } from './schema.ts';

/**
 * The new-arrears form: amounts typed in yuan (principal, disputed), the agreed annual rate as percent
 * text, dates optional where the rules supply a default. Fields are named as the input's, but for
 * the amounts: `principal` and `disputed` (yuan) become principalFen and disputedFen.
 */
export type FormBody = Record<string, unknown>;

/** Where the use case's errors about amounts show on the form. */
export const FORM_FIELD_OF: Record<string, string> = { principalFen: 'principal', disputedFen: 'disputed' };

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads the posted form into an ArrearsInput for the given agency; every bad field is reported at once, under the form's names. */
export function arrearsFromForm(body: FormBody, agencyId: number): ArrearsInput {
  const moneyErrors: FieldError[] = [];
  const yuan = (field: string): number | undefined => {
    const s = text(body[field]);
    if (s === '') return undefined;
    const fen = parseYuan(s);
    if (fen === null) moneyErrors.push({ path: field, key: 'validation.money' });
    return fen ?? undefined;
  };
  const id = (field: string): number | undefined => (text(body[field]) === '' ? undefined : Number(text(body[field])));
  // A field left empty is absent (undefined), so that a required one is reported as missing rather than malformed.
  const optional = (field: string): string | undefined => text(body[field]) || undefined;
  const candidate = {
    agencyId,
    enterpriseId: id('enterpriseId'),
    category: optional('category'),
    contractRef: optional('contractRef') ?? null,
    contractSignedOn: optional('contractSignedOn') ?? null,
    principalFen: yuan('principal'),
    acceptedOn: optional('acceptedOn'),
    dueOn: optional('dueOn') ?? null,
    disputedFen: yuan('disputed') ?? null,
    agreedAnnualRate: optional('agreedAnnualRate')?.replace(/%$/, '').trim() ?? null,
    commitmentId: id('commitmentId') ?? null,
    responsibleOfficial: optional('responsibleOfficial') ?? null,
    description: text(body.description),
  };
  let schemaErrors: FieldError[] = [];
  let input: ArrearsInput | undefined;
  try {
    input = parseInput(arrearsInputSchema, candidate);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    schemaErrors = err.fieldErrors.map((e) => ({ ...e, path: FORM_FIELD_OF[e.path] ?? e.path }));
  }
  // A field whose money could not be read has that one error; the schema's "required" for it is noise.
  const taken = new Set(moneyErrors.map((e) => e.path));
  const errors = [...moneyErrors, ...schemaErrors.filter((e) => !taken.has(e.path))];
  if (errors.length || !input) throw new ValidationError(errors);
  return input;
}
