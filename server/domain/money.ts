/*
 * Money is integer fen (0.01 CNY) everywhere but at the edges: forms and files take yuan with at most
 * two decimals, pages show yuan with thousands separators, and a missing amount shows "—", never 0.00.
 * Interest is computed exactly (integers and exact decimal rates) and rounded once, half up, at the end.
 */

/** What a page or an export shows for an amount that was not given. */
export const MISSING_AMOUNT = '—';

/** Yuan as typed (1,234.5, ¥1234.50) → fen; null when it is not yuan with at most two decimals. */
export function parseYuan(input: string): number | null {
  const s = input.trim().replace(/^[¥￥]\s*/, '').replace(/,/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Fen → yuan with thousands separators and two decimals; a missing amount is "—". */
export function formatYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return MISSING_AMOUNT;
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/** The plain yuan value a form field or a spreadsheet cell holds for an amount in fen; '' when missing. */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A decimal written as text ('0.0005', '3.45') as an exact fraction; null when it is not one. */
export function exactDecimal(text: string): { numerator: bigint; denominator: bigint } | null {
  const m = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!m) return null;
  const decimals = m[2] ?? '';
  return { numerator: BigInt(m[1]! + decimals), denominator: 10n ** BigInt(decimals.length) };
}

/** numerator / denominator rounded to the nearest integer, halves away from zero (for non-negative values: up). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('divideRoundHalfUp: the denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

/** An interest rate: per day as a decimal fraction ('0.0005' is 万分之五), or per year as a percentage ('3.45'). */
export type InterestRate = { perDay: string } | { annualPercent: string; daysInYear?: number };

/**
 * Interest on a principal for a number of days, in fen: principal × rate × days computed exactly and
 * rounded once, half up. An annual rate is spread over 365 days unless the agreement says 360.
 */
export function interestFen(principalFen: number, rate: InterestRate, days: number): number {
  if (!Number.isSafeInteger(principalFen) || principalFen < 0) throw new RangeError(`interestFen: principal must be whole fen ≥ 0, not ${principalFen}`);
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`interestFen: days must be a whole number ≥ 0, not ${days}`);
  const text = 'perDay' in rate ? rate.perDay : rate.annualPercent;
  const r = exactDecimal(text);
  if (!r) throw new RangeError(`interestFen: not a rate: ${text}`);
  const denominator = 'perDay' in rate ? r.denominator : r.denominator * 100n * BigInt(rate.daysInYear ?? 365);
  return Number(divideRoundHalfUp(BigInt(principalFen) * r.numerator * BigInt(days), denominator));
}
