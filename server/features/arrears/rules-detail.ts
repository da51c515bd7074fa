import { exactDecimal } from '../../domain/money.ts';
import type { InterestSegment, LateInterestRate } from './rules.ts';

/**
 * How late interest was counted, as the arrears page shows it: each segment's interest before any
 * rounding, their sum, and the one rounding to the fen at the end (rules.lateInterest rounds the same
 * exact sum). Values are yuan written to four decimals; `exact` says whether that is the whole value
 * or a rounding of it for display (an annual rate spread over 365 days rarely comes out even).
 */

export interface ExactYuan {
  /** Yuan to four decimals with thousands separators: '1,234.5678'. */
  yuan: string;
  exact: boolean;
}

export interface SegmentWorking extends InterestSegment {
  interest: ExactYuan;
}

export interface InterestWorking {
  segments: SegmentWorking[];
  /** The segments' interest added up, before the one rounding. */
  sum: ExactYuan;
  /** The sum rounded once, half up, to the fen. */
  totalFen: number;
}

const DISPLAY_DECIMALS = 4n;

/** The denominator that turns fen × days × the rate's numerator into fen. */
function rateDenominator(rate: LateInterestRate): { numerator: bigint; denominator: bigint } {
  const r = exactDecimal(rate.kind === 'statutory_daily' ? rate.perDay : rate.annualPercent);
  if (!r) throw new Error(`not a decimal rate: ${JSON.stringify(rate)}`);
  return { numerator: r.numerator, denominator: rate.kind === 'statutory_daily' ? r.denominator : r.denominator * 100n * 365n };
}

/** numerator / denominator fen as yuan to four decimals, rounded half up when not exact. */
function yuanOf(numerator: bigint, denominator: bigint): ExactYuan {
  // fen → yuan is two decimals; four more for display.
  const scaled = numerator * 10n ** (DISPLAY_DECIMALS - 2n);
  const whole = (scaled * 2n + denominator) / (denominator * 2n);
  const unit = 10n ** DISPLAY_DECIMALS;
  const fraction = String(whole % unit).padStart(Number(DISPLAY_DECIMALS), '0');
  return { yuan: `${(whole / unit).toLocaleString('en-US')}.${fraction}`, exact: scaled % denominator === 0n };
}

export function interestWorking(rate: LateInterestRate, segments: InterestSegment[]): InterestWorking {
  const { numerator, denominator } = rateDenominator(rate);
  const exactFen = (s: InterestSegment) => BigInt(s.amountFen) * BigInt(s.days) * numerator;
  const sum = segments.reduce((acc, s) => acc + exactFen(s), 0n);
  return {
    segments: segments.map((s) => ({ ...s, interest: yuanOf(exactFen(s), denominator) })),
    sum: yuanOf(sum, denominator),
    totalFen: Number((sum * 2n + denominator) / (denominator * 2n)),
  };
}
