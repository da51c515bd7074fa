import { z } from 'zod';
import { parseYuan } from '../../domain/money.ts';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { calendarDate, optionalText, requiredText } from '../../http/validate.ts';
import type { PlanInput } from './service/plans.ts';

/*
 * The payments slice's forms: what their fields are called and how a post becomes the use case's
 * input. Amounts are typed in yuan; dates as YYYY-MM-DD (the browser's date picker).
 */

type FormBody = Record<string, unknown>;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const requiredDate = z.preprocess(blankToUndefined, calendarDate);
const requiredYuan = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : v),
  z.string('validation.required').min(1, 'validation.required').refine((v) => parseYuan(v) !== null, 'validation.money').transform((v) => parseYuan(v)!),
);

export const paymentFormSchema = z.object({
  amount: requiredYuan,
  paidOn: requiredDate,
  voucherNo: requiredText(100),
  note: optionalText(2000),
});

export const reversalFormSchema = z.object({ reason: requiredText(2000) });

export const responseFormSchema = z.object({
  response: z.enum(['confirmed', 'disputed'], 'validation.invalidOption'),
  comment: optionalText(2000),
});

export const settlementFormSchema = z.object({
  outcome: z.enum(['upheld', 'rejected'], 'validation.invalidOption'),
  note: requiredText(2000),
});

export const handoverFormSchema = z.object({
  toOfficial: requiredText(100),
  handedOverOn: requiredDate,
  note: optionalText(2000),
});

export const disputedPartFormSchema = z.object({
  disputed: requiredYuan,
  reason: requiredText(2000),
});

/** Rows the plan form offers: enough for a year of monthly instalments, without JavaScript. */
export const PLAN_ROWS = 12;

export const PLAN_FIELDS = ['dueOn', 'amount'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

export function instalmentFieldName(row: number, field: PlanField): string {
  return `instalments[${row}][${field}]`;
}

/** Where an error beside a plan row's field is filed: the form's row number, not the instalment's index. */
export function instalmentErrorPath(row: number, field: PlanField): string {
  return `instalments.${row}.${field}`;
}

const ROW_FIELD = /^instalments\[(\d{1,3})\]\[(dueOn|amount)\]$/;

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

/** The row numbers a posted plan form holds, in order (the body parser keeps the bracketed names flat). */
export function planRows(body: FormBody): number[] {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = ROW_FIELD.exec(key);
    if (m) rows.add(Number(m[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

export interface PlanForm {
  input: PlanInput;
  /** The form row of each instalment of `input`, to file the use case's errors beside the right row. */
  rows: number[];
}

/** The use case's error paths (instalments.K.amountFen) turned into the form's (instalments.R.amount). */
export function planFormErrors(errors: FieldError[], rows: number[]): FieldError[] {
  return errors.map((e) => {
    const m = /^instalments\.(\d+)\.(dueOn|amountFen)$/.exec(e.path);
    if (!m) return e;
    return { ...e, path: instalmentErrorPath(rows[Number(m[1])] ?? Number(m[1]), m[2] === 'amountFen' ? 'amount' : 'dueOn') };
  });
}

/**
 * Reads the plan form: blank rows are ignored, a half-filled row says what it lacks, every bad amount
 * and date is reported at once beside its row.
 */
export function planFromForm(body: FormBody): PlanForm {
  const errors: FieldError[] = [];
  const rows = planRows(body).filter((row) => PLAN_FIELDS.some((f) => text(body[instalmentFieldName(row, f)]) !== ''));
  const instalments = rows.map((row) => {
    const dueOn = text(body[instalmentFieldName(row, 'dueOn')]);
    const amount = text(body[instalmentFieldName(row, 'amount')]);
    if (!dueOn) errors.push({ path: instalmentErrorPath(row, 'dueOn'), key: 'validation.required' });
    else if (!calendarDate.safeParse(dueOn).success) errors.push({ path: instalmentErrorPath(row, 'dueOn'), key: 'validation.date' });
    const amountFen = amount ? parseYuan(amount) : null;
    if (!amount) errors.push({ path: instalmentErrorPath(row, 'amount'), key: 'validation.required' });
    else if (amountFen === null) errors.push({ path: instalmentErrorPath(row, 'amount'), key: 'validation.money' });
    return { dueOn, amountFen: amountFen ?? 0 };
  });
  const note = text(body.note);
  if (note.length > 2000) errors.push({ path: 'note', key: 'validation.tooLong', params: { max: 2000 } });
  if (errors.length) throw new ValidationError(errors);
  return { input: { instalments, note: note || null }, rows };
}
