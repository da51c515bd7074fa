import { checkCreditCode, normaliseCreditCode } from '../domain/credit-code.ts';
import { isValidDate } from '../domain/dates.ts';
import { parseYuan } from '../domain/money.ts';

/*
 * A column of a spreadsheet file format: its header and the words in its cells are the file's own
 * (Chinese, whatever the page language), so that a file exported or filled in by one user reads
 * the same for every other user and imports again after the pages are relabelled. The template,
 * the checker, the import's row mapping and the export are all made from these specs.
 */

/** What a writer puts in a cell: text, a number (shown with the column's decimals), or nothing. */
export type CellValue = string | number | null;

export type CellCheck<V> = { ok: true; value: V } | { ok: false; key: string; params?: Record<string, unknown> };

// parse and format are declared as methods so that a list can hold columns of different value types.
export interface ColumnSpec<K extends string = string, V = unknown> {
  key: K;
  /** The header in row 1 of the file. */
  header: string;
  /** The file must have the column, and every data row must fill it unless `allowBlank`. */
  required: boolean;
  /** For a required column whose blank cells the feature judges itself (say, rows that continue the row above). */
  allowBlank?: boolean;
  /** Cell text (trimmed, not blank) → value, or the i18n key and params of what is wrong with it. */
  parse(text: string): CellCheck<V>;
  /** Value → what the export and the template write. */
  format(value: V | null | undefined): CellValue;
  /** Cell text of the template's example row. */
  example: string;
  width: number;
  /** What the template's guide sheet says about the column. */
  guide: string;
  /** The only words allowed: the template offers them as a drop-down list. */
  choices?: readonly string[];
  /** Decimals of a numeric column, for CSV text and the workbook's number format. */
  decimals?: number;
  /** Cell texts that mean "nothing", as the export writes an absent value. */
  blankWords?: readonly string[];
  /** The cells hold calendar dates ('YYYY-MM-DD'): a workbook writes them as real dates, which Excel sorts and filters as dates. */
  date?: boolean;
}

/** The value type of a column spec. */
export type ColumnValue<S> = S extends ColumnSpec<string, infer V> ? V : never;
/** The keys of a list of column specs. */
export type ColumnKey<C extends readonly ColumnSpec[]> = C[number]['key'];

interface ColumnOptions<K extends string> {
  key: K;
  header: string;
  required?: boolean;
  allowBlank?: boolean;
  width?: number;
  example?: string;
  guide: string;
}

function base<K extends string>(o: ColumnOptions<K>) {
  return { key: o.key, header: o.header, required: o.required ?? false, allowBlank: o.allowBlank ?? false, width: o.width ?? 14, example: o.example ?? '', guide: o.guide };
}

const ok = <V>(value: V): CellCheck<V> => ({ ok: true, value });
const fail = <V>(key: string, params: Record<string, unknown>): CellCheck<V> => ({ ok: false, key, params });

export const YES = '是';
export const NO = '否';
/** What the export writes for an amount that is not set: never 0.00, which would claim a value. */
export const NO_AMOUNT = '—';

export function textColumn<K extends string>(o: ColumnOptions<K> & { max: number }): ColumnSpec<K, string> {
  return {
    ...base(o),
    parse: (text) => (text.length > o.max ? fail('validation.tooLong', { max: o.max }) : ok(text)),
    format: (value) => value ?? '',
  };
}

export function integerColumn<K extends string>(o: ColumnOptions<K>): ColumnSpec<K, number> {
  return {
    ...base(o),
    parse: (text) => (/^\d{1,15}$/.test(text) ? ok(Number(text)) : fail('spreadsheets:errors.integer', { value: text })),
    format: (value) => value ?? null,
    decimals: 0,
  };
}

/** 2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日 → '2026-01-05'; null when not a real date. */
export function parseDateText(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

export function dateColumn<K extends string>(o: ColumnOptions<K>): ColumnSpec<K, string> {
  return {
    ...base(o),
    parse: (text) => {
      const date = parseDateText(text);
      return date ? ok(date) : fail('spreadsheets:errors.date', { value: text });
    },
    format: (value) => value ?? '',
    date: true,
  };
}

/** An amount in yuan (at most two decimals, thousands separators and a leading ¥ allowed) → integer fen. */
export function moneyColumn<K extends string>(o: ColumnOptions<K>): ColumnSpec<K, number> {
  return {
    ...base(o),
    parse: (text) => {
      const fen = parseYuan(text.replace(/^[¥￥]\s*/, ''));
      return fen === null ? fail('spreadsheets:errors.money', { value: text }) : ok(fen);
    },
    format: (fen) => (fen === null || fen === undefined ? NO_AMOUNT : fen / 100),
    decimals: 2,
    blankWords: [NO_AMOUNT],
  };
}

/** 是 or 否; Excel's TRUE and FALSE (a boolean cell) are read as the same. */
export function yesNoColumn<K extends string>(o: ColumnOptions<K>): ColumnSpec<K, boolean> {
  return {
    ...base(o),
    parse: (text) => {
      if (text === YES || text.toUpperCase() === 'TRUE') return ok(true);
      if (text === NO || text.toUpperCase() === 'FALSE') return ok(false);
      return fail('spreadsheets:errors.yesNo', { value: text, yes: YES, no: NO });
    },
    format: (value) => (value === null || value === undefined ? '' : value ? YES : NO),
    choices: [YES, NO],
  };
}

/** One of a fixed set of values, each written as its word; `aliases` are other texts read as a value. */
export function choiceColumn<K extends string, V extends string>(o: ColumnOptions<K> & { words: Readonly<Record<V, string>>; aliases?: Readonly<Record<string, NoInfer<V>>> }): ColumnSpec<K, V> {
  const byWord = new Map<string, V>([...Object.entries(o.aliases ?? {}), ...Object.entries(o.words).map(([value, word]) => [word, value])] as Array<[string, V]>);
  const choices = Object.values(o.words) as string[];
  return {
    ...base(o),
    parse: (text) => {
      const value = byWord.get(text);
      return value === undefined ? fail('spreadsheets:errors.choice', { value: text, allowed: choices.join('、') }) : ok(value);
    },
    format: (value) => (value === null || value === undefined ? '' : o.words[value]),
    choices,
  };
}

/** A unified social credit code, upper-cased, with both its check characters verified. */
export function creditCodeColumn<K extends string>(o: ColumnOptions<K>): ColumnSpec<K, string> {
  return {
    ...base(o),
    parse: (text) => {
      const code = normaliseCreditCode(text);
      return checkCreditCode(code) === null ? ok(code) : fail('spreadsheets:errors.creditCode', { value: text });
    },
    format: (value) => value ?? '',
  };
}
