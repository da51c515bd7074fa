import { z } from 'zod';
import { fenToYuanInput, parseYuan } from '../../domain/money.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { calendarDate, checkbox, optionalId, optionalText, parseInput, requiredText } from '../../http/validate.ts';
import { commitmentInputSchema, type CommitmentInput } from './schema.ts';

/**
 * The commitment form: the commitment's fields plus rows of milestone fields named
 * milestones[N][description|dueOn|amount] (and a hidden milestones[N][id] when editing). The body parser keeps those names flat, so the same
 * names serve to read the post and to refill the form. Amounts are typed in yuan.
 */
export type FormBody = Record<string, unknown>;

export const MILESTONE_FIELDS = ['description', 'dueOn', 'amount'] as const;
export type MilestoneField = (typeof MILESTONE_FIELDS)[number];

export function milestoneFieldName(row: number, field: MilestoneField): string {
  return `milestones[${row}][${field}]`;
}

/** Where an error beside a milestone row's field is filed (the form's row number, not the input's index). */
export function milestoneErrorPath(row: number, field: MilestoneField): string {
  return `milestones.${row}.${field}`;
}

const ROW_FIELD = /^milestones\[(\d{1,4})\]\[(id|description|dueOn|amount)\]$/;

/** The hidden field that ties an edited row to its existing milestone, so rows can move or go without relabelling history. */
export function milestoneIdFieldName(row: number): string {
  return `milestones[${row}][id]`;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

/** The row numbers present in a posted form, in order. */
export function milestoneRows(body: FormBody): number[] {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = ROW_FIELD.exec(key);
    if (m) rows.add(Number(m[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

/** How many milestone rows the form shows: every row it holds, and `blank` empty ones after them. */
export function milestoneRowCount(values: FormBody, blank: number): number {
  const rows = milestoneRows(values);
  return (rows.length ? rows[rows.length - 1]! + 1 : 0) + blank;
}

function isBlankRow(body: FormBody, row: number): boolean {
  return MILESTONE_FIELDS.every((f) => text(body[milestoneFieldName(row, f)]) === '');
}

/**
 * Error paths of a CommitmentInput (amountFen, milestones.K.dueOn …) turned into the form's
 * (amount, milestones.R.dueOn …), where `rows[K]` is the form row that milestone K came from.
 */
export function toFormErrors(errors: FieldError[], rows: number[]): FieldError[] {
  return errors.map((e) => {
    if (e.path === 'amountFen') return { ...e, path: 'amount' };
    const m = /^milestones\.(\d+)(?:\.(\w+))?/.exec(e.path);
    if (!m) return e;
    const row = rows[Number(m[1])] ?? Number(m[1]);
    const field: MilestoneField = m[2] === 'amountFen' ? 'amount' : m[2] === 'dueOn' ? 'dueOn' : 'description';
    return { ...e, path: milestoneErrorPath(row, field) };
  });
}

export interface CommitmentForm {
  input: CommitmentInput;
  /** The form row of each milestone of `input`, to file the service's errors beside the right row. */
  rows: number[];
}

/**
 * Reads the posted form into a CommitmentInput for the given agency. Blank milestone rows are
 * dropped; every bad field (amounts that are not yuan with at most two decimals included) is
 * reported at once, filed under the form's own field names.
 */
export function commitmentFromForm(body: FormBody, agencyId: number): CommitmentForm {
  const moneyErrors: FieldError[] = [];
  const yuan = (value: unknown, path: string): number | null | undefined => {
    const s = text(value);
    if (s === '') return null;
    const fen = parseYuan(s);
    if (fen === null) moneyErrors.push({ path, key: 'validation.money' });
    return fen ?? undefined;
  };

  const rows = milestoneRows(body).filter((row) => !isBlankRow(body, row));
  // A date left empty is reported as missing rather than as malformed: hence undefined, not ''.
  const enterprise = text(body.enterpriseId);
  const amountFen = yuan(body.amount, 'amount');
  const candidate = {
    kind: text(body.kind),
    title: text(body.title),
    referenceNo: text(body.referenceNo),
    agencyId,
    enterpriseId: enterprise === '' ? null : Number(enterprise),
    basis: text(body.basis) || null,
    signedOn: text(body.signedOn) || undefined,
    amountFen: amountFen === null ? undefined : amountFen,
    responsibleOfficial: text(body.responsibleOfficial),
    isPublic: text(body.isPublic) === 'on',
    milestones: rows.map((row) => ({
      id: Number(text(body[milestoneIdFieldName(row)])) || null,
      description: text(body[milestoneFieldName(row, 'description')]),
      dueOn: text(body[milestoneFieldName(row, 'dueOn')]) || undefined,
      amountFen: yuan(body[milestoneFieldName(row, 'amount')], milestoneErrorPath(row, 'amount')),
    })),
  };

  let schemaErrors: FieldError[] = [];
  let input: CommitmentInput | undefined;
  try {
    input = parseInput(commitmentInputSchema, candidate);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    schemaErrors = toFormErrors(err.fieldErrors, rows);
  }
  // A field whose money could not be read has that one error; the schema's "required" for it is noise.
  const taken = new Set(moneyErrors.map((e) => e.path));
  const errors = [...moneyErrors, ...schemaErrors.filter((e) => !taken.has(e.path))];
  if (errors.length || !input) throw new ValidationError(errors);
  return { input, rows };
}

/** A commitment as the form shows it for editing: amounts back in yuan, one row per milestone. */
export function commitmentToForm(c: {
  kind: string; title: string; referenceNo: string; enterpriseId: number | null; basis: string | null; signedOn: string;
  amountFen: number; responsibleOfficial: string; isPublic: boolean;
  milestones: Array<{ id: number; description: string; dueOn: string; amountFen: number | null }>;
}): FormBody {
  const body: FormBody = {
    kind: c.kind,
    title: c.title,
    referenceNo: c.referenceNo,
    enterpriseId: c.enterpriseId ?? '',
    basis: c.basis ?? '',
    signedOn: c.signedOn,
    amount: fenToYuanInput(c.amountFen),
    responsibleOfficial: c.responsibleOfficial,
    isPublic: c.isPublic ? 'on' : '',
  };
  c.milestones.forEach((m, row) => {
    body[milestoneIdFieldName(row)] = String(m.id);
    body[milestoneFieldName(row, 'description')] = m.description;
    body[milestoneFieldName(row, 'dueOn')] = m.dueOn;
    body[milestoneFieldName(row, 'amount')] = fenToYuanInput(m.amountFen);
  });
  return body;
}

// The action forms of the commitment page. Their fields carry the form's name, so that one page
// holding several forms shows each error and each kept value at the form it belongs to.

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const requiredDate = z.preprocess(blankToUndefined, calendarDate);
const optionalDate = z.preprocess(blankToUndefined, calendarDate.optional());
const milestoneChoice = z.preprocess((v) => (blankToUndefined(v) === undefined ? undefined : Number(v)), z.number('validation.required').int('validation.invalidOption').positive('validation.invalidOption'));
const optionalYuan = z.preprocess(
  blankToUndefined,
  z.string('validation.money').optional().refine((v) => v === undefined || parseYuan(v) !== null, 'validation.money').transform((v) => (v === undefined ? null : parseYuan(v))),
);

export const fulfilmentFormSchema = z.object({
  fulfilmentMilestoneId: milestoneChoice,
  fulfilledOn: requiredDate,
  fulfilmentNote: requiredText(2000),
  fulfilmentAmount: optionalYuan,
  fulfilmentComplete: checkbox,
});

export const waiverFormSchema = z.object({
  waiverMilestoneId: milestoneChoice,
  waiverReason: requiredText(2000),
});

/** Without a milestone the breach is recorded on every open milestone. */
export const breachFormSchema = z.object({
  breachMilestoneId: optionalId,
  breachedOn: optionalDate,
  breachFindings: requiredText(2000),
});

export const handoverFormSchema = z.object({
  toOfficial: requiredText(100),
  handedOverOn: requiredDate,
  handoverNote: optionalText(2000),
});

export const terminationFormSchema = z.object({
  terminatedOn: optionalDate,
  terminationReason: requiredText(2000),
});

export const responseFormSchema = z.object({
  response: z.enum(['confirmed', 'partly', 'not_at_all'], 'validation.invalidOption'),
  responseComment: optionalText(2000),
});

export const waiverDecisionFormSchema = z.object({
  decision: z.enum(['confirmed', 'refused'], 'validation.invalidOption'),
  decisionNote: optionalText(2000),
});

export const settlementFormSchema = z.object({
  settlement: z.enum(['upheld', 'rejected'], 'validation.invalidOption'),
  settlementNote: requiredText(2000),
});
