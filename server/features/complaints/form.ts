import { parseYuan } from '../../domain/money.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { complaintInputSchema, type ComplaintInput } from './schema.ts';

/**
 * The filing form: the amount claimed typed in yuan (`amountClaimed`), the linked commitment and
 * arrears chosen from the enterprise's own, the withhold-name choice a checkbox. Other fields are
 * named as the input's.
 */
export type FormBody = Record<string, unknown>;

/** Where the use case's errors show on the form. */
export const FORM_FIELD_OF: Record<string, string> = { amountClaimedFen: 'amountClaimed' };

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads the posted form into a ComplaintInput; every bad field is reported at once, under the form's names. */
export function complaintFromForm(body: FormBody): ComplaintInput {
  const errors: FieldError[] = [];
  const amount = text(body.amountClaimed);
  const fen = amount === '' ? null : parseYuan(amount);
  if (amount !== '' && fen === null) errors.push({ path: 'amountClaimed', key: 'validation.money' });
  const id = (field: string): number | null => (text(body[field]) === '' ? null : Number(text(body[field])));
  const candidate = {
    agencyId: text(body.agencyId) === '' ? undefined : Number(text(body.agencyId)),
    category: text(body.category) || undefined,
    statement: text(body.statement),
    commitmentId: id('commitmentId'),
    arrearsId: id('arrearsId'),
    amountClaimedFen: fen,
    withholdName: text(body.withholdName) === 'on',
  };
  let schemaErrors: FieldError[] = [];
  let input: ComplaintInput | undefined;
  try {
    input = parseInput(complaintInputSchema, candidate);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    schemaErrors = err.fieldErrors.map((e) => ({ ...e, path: FORM_FIELD_OF[e.path] ?? e.path }));
  }
  // An amount that could not be read has that one error; what the schema says of the null it became is noise.
  const all = [...errors, ...schemaErrors.filter((e) => !errors.some((m) => m.path === e.path))];
  if (all.length || !input) throw new ValidationError(all);
  return input;
}
