import { addDays, daysBetween } from '../../domain/dates.ts';
import { isSme, type EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { divideRoundHalfUp, exactDecimal } from '../../domain/money.ts';

/**
 * The rules of arrears owed to enterprises, free of any database or HTTP: the payment term under
 * 《保障中小企业款项支付条例》, what counts as paid, outstanding, status, ageing, late interest, the LPR
 * floor, repayment plans and the annual disclosure. Calendar dates are 'YYYY-MM-DD' strings
 * (Asia/Shanghai) and compare as strings; money is integer fen.
 */

export type ArrearsCategory = 'works' | 'goods' | 'services' | 'policy_funds' | 'deposit' | 'other';
export type ArrearsStatus = 'outstanding' | 'partly_cleared' | 'cleared';
export type AgeingBucket = '0-30' | '31-90' | '91-180' | '181-365' | '365+';
export type CreditorResponse = 'confirmed' | 'disputed';
export type PaymentDisputeStatus = 'open' | 'upheld' | 'rejected';

export const ARREARS_CATEGORIES: readonly ArrearsCategory[] = ['works', 'goods', 'services', 'policy_funds', 'deposit', 'other'];
export const ARREARS_STATUSES: readonly ArrearsStatus[] = ['outstanding', 'partly_cleared', 'cleared'];
export const CREDITOR_RESPONSES: readonly CreditorResponse[] = ['confirmed', 'disputed'];
export const PAYMENT_DISPUTE_STATUSES: readonly PaymentDisputeStatus[] = ['open', 'upheld', 'rejected'];

/** Days past due, inclusive at both ends; the last bucket has no upper end. */
export const AGEING_BUCKETS: ReadonlyArray<{ bucket: AgeingBucket; minDays: number; maxDays: number | null }> = [
  { bucket: '0-30', minDays: 1, maxDays: 30 },
  { bucket: '31-90', minDays: 31, maxDays: 90 },
  { bucket: '91-180', minDays: 91, maxDays: 180 },
  { bucket: '181-365', minDays: 181, maxDays: 365 },
  { bucket: '365+', minDays: 366, maxDays: null },
];

/** Pay within 30 days of delivery or acceptance unless agreed otherwise (Art. 9). */
export const STATUTORY_TERM_DAYS = 30;
/** An agreed term may not pass 60 days for a small, medium or micro creditor (Art. 9). */
export const MAX_SME_TERM_DAYS = 60;
/** Late-payment interest where no rate was agreed: 0.05% a day (万分之五). */
export const STATUTORY_DAILY_RATE = '0.0005';

/** The due date in force: the agreed one, or 30 days after delivery or acceptance. */
export function dueDate(a: { acceptedOn: string; agreedDueOn: string | null }): string {
  return a.agreedDueOn ?? addDays(a.acceptedOn, STATUTORY_TERM_DAYS);
}

/** An agreed term over 60 days with an SME creditor breaks the rules and is flagged wherever the arrears appears. */
export function nonCompliantTerm(scale: EnterpriseScale, a: { acceptedOn: string; dueOn: string }): boolean {
  return isSme(scale) && daysBetween(a.acceptedOn, a.dueOn) > MAX_SME_TERM_DAYS;
}

export interface PaymentFacts {
  amountFen: number;
  paidOn: string;
  reversed: boolean;
  creditorResponse: CreditorResponse | null;
  disputeStatus: PaymentDisputeStatus | null;
}

/**
 * A payment counts unless it was reversed, or the creditor disputed it and the auditors have not
 * upheld it (the dispute is open, or they found the payment was not made).
 */
export function paymentCounts(p: Pick<PaymentFacts, 'reversed' | 'creditorResponse' | 'disputeStatus'>): boolean {
  if (p.reversed) return false;
  return !(p.creditorResponse === 'disputed' && p.disputeStatus !== 'upheld');
}

export interface ArrearsFacts {
  principalFen: number;
  disputedFen: number;
  dueOn: string;
}

export interface ArrearsPosition {
  /** Counted payments made on or before the as-of date. */
  paidFen: number;
  /** Principal less counted payments. */
  outstandingFen: number;
  /** What falls due despite a dispute (Art. 15): outstanding less the disputed part, never below 0. */
  undisputedOutstandingFen: number;
  status: ArrearsStatus;
  /** The date of the counted payment that cleared it. */
  clearedOn: string | null;
  /** Undisputed money still owed after the due date. */
  overdue: boolean;
  daysPastDue: number | null;
  ageingBucket: AgeingBucket | null;
}

export function arrearsStatus(principalFen: number, paidFen: number): ArrearsStatus {
  if (paidFen >= principalFen) return 'cleared';
  return paidFen > 0 ? 'partly_cleared' : 'outstanding';
}

export function ageingBucket(daysPastDue: number): AgeingBucket {
  return AGEING_BUCKETS.find((b) => daysPastDue >= b.minDays && (b.maxDays === null || daysPastDue <= b.maxDays))!.bucket;
}

/**
 * The due dates a bucket covers as of a date, inclusive ('to' is null-free; 'from' is null for the
 * open-ended last bucket): SQL filters by these so that it agrees with ageingBucket.
 */
export function ageingDueRange(bucket: AgeingBucket, asOf: string): { from: string | null; to: string } {
  const b = AGEING_BUCKETS.find((x) => x.bucket === bucket)!;
  return { from: b.maxDays === null ? null : addDays(asOf, -b.maxDays), to: addDays(asOf, -b.minDays) };
}

/** Counted payments in date order, up to and including the as-of date. */
function countedUpTo(payments: PaymentFacts[], asOf: string): PaymentFacts[] {
  return payments.filter((p) => paymentCounts(p) && p.paidOn <= asOf).sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
}

/** Where an arrears stands on a date, from its facts and its payments. */
export function arrearsPosition(a: ArrearsFacts, payments: PaymentFacts[], asOf: string): ArrearsPosition {
  let paidFen = 0;
  let clearedOn: string | null = null;
  for (const p of countedUpTo(payments, asOf)) {
    paidFen += p.amountFen;
    if (clearedOn === null && paidFen >= a.principalFen) clearedOn = p.paidOn;
  }
  const outstandingFen = Math.max(0, a.principalFen - paidFen);
  const undisputedOutstandingFen = Math.max(0, outstandingFen - a.disputedFen);
  const overdue = undisputedOutstandingFen > 0 && asOf > a.dueOn;
  const daysPastDue = overdue ? daysBetween(a.dueOn, asOf) : null;
  return {
    paidFen,
    outstandingFen,
    undisputedOutstandingFen,
    status: arrearsStatus(a.principalFen, paidFen),
    clearedOn,
    overdue,
    daysPastDue,
    ageingBucket: daysPastDue === null ? null : ageingBucket(daysPastDue),
  };
}

/** The columns stored on the arrears row: the position once every payment so far is counted (payments are never dated ahead). */
export function storedPosition(a: ArrearsFacts, payments: PaymentFacts[]): { paidFen: number; outstandingFen: number; status: ArrearsStatus; clearedOn: string | null } {
  const p = arrearsPosition(a, payments, '9999-12-31');
  return { paidFen: p.paidFen, outstandingFen: p.outstandingFen, status: p.status, clearedOn: p.clearedOn };
}

/**
 * A new payment may not pass the undisputed outstanding amount (the disputed part is settled
 * first). Null when it fits, else the most that may be paid now.
 */
export function overpayment(undisputedOutstandingFen: number, amountFen: number): { maxFen: number } | null {
  return amountFen > undisputedOutstandingFen ? { maxFen: undisputedOutstandingFen } : null;
}

export type LateInterestRate = { kind: 'statutory_daily'; perDay: string } | { kind: 'agreed_annual'; annualPercent: string };

export interface InterestSegment {
  amountFen: number;
  /** The first day interest runs (the day after the due date) and the last. */
  from: string;
  to: string;
  days: number;
  /** Paid late (interest ran until the payment) or still unpaid on the as-of date. */
  kind: 'paid' | 'unpaid';
}

export function lateInterestRate(agreedAnnualRate: string | null): LateInterestRate {
  return agreedAnnualRate === null ? { kind: 'statutory_daily', perDay: STATUTORY_DAILY_RATE } : { kind: 'agreed_annual', annualPercent: agreedAnnualRate };
}

/**
 * Late-payment interest on the undisputed amount, from the day after the due date: each counted
 * payment made late runs for (paid − due) days, what is still undisputed and unpaid for
 * (as-of − due) days. Summed exactly and rounded once, half up; an annual rate is spread over 365 days.
 */
export function lateInterest(
  a: ArrearsFacts & { agreedAnnualRate: string | null },
  payments: PaymentFacts[],
  asOf: string,
): { totalFen: number; rate: LateInterestRate; segments: InterestSegment[] } {
  const rate = lateInterestRate(a.agreedAnnualRate);
  const segments: InterestSegment[] = [];
  const firstDay = addDays(a.dueOn, 1);
  for (const p of countedUpTo(payments, asOf)) {
    if (p.paidOn > a.dueOn) segments.push({ amountFen: p.amountFen, from: firstDay, to: p.paidOn, days: daysBetween(a.dueOn, p.paidOn), kind: 'paid' });
  }
  const unpaid = arrearsPosition(a, payments, asOf).undisputedOutstandingFen;
  if (unpaid > 0 && asOf > a.dueOn) segments.push({ amountFen: unpaid, from: firstDay, to: asOf, days: daysBetween(a.dueOn, asOf), kind: 'unpaid' });
  const r = exactDecimal(rate.kind === 'statutory_daily' ? rate.perDay : rate.annualPercent);
  if (!r) throw new Error(`not a decimal rate: ${JSON.stringify(rate)}`);
  const denominator = rate.kind === 'statutory_daily' ? r.denominator : r.denominator * 100n * 365n;
  const exact = segments.reduce((sum, s) => sum + BigInt(s.amountFen) * BigInt(s.days), 0n) * r.numerator;
  return { totalFen: Number(divideRoundHalfUp(exact, denominator)), rate, segments };
}

/** The one-year LPR in force on a date: the latest quotation on or before it; null before the first known one. */
export function lprInForce(rates: ReadonlyArray<{ effectiveOn: string; percent: string }>, date: string): { effectiveOn: string; percent: string } | null {
  let found: { effectiveOn: string; percent: string } | null = null;
  for (const r of rates) if (r.effectiveOn <= date && (found === null || r.effectiveOn > found.effectiveOn)) found = r;
  return found;
}

function compareDecimals(a: string, b: string): number {
  const x = exactDecimal(a);
  const y = exactDecimal(b);
  if (!x || !y) throw new Error(`not decimals: ${a}, ${b}`);
  const left = x.numerator * y.denominator;
  const right = y.numerator * x.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export type LprCheck = { result: 'no_agreed_rate' } | { result: 'lpr_unknown'; date: string } | { result: 'below' | 'not_below'; lpr: { effectiveOn: string; percent: string }; date: string };

/**
 * An agreed annual rate below the one-year LPR in force on the contract date (or, without one, on
 * the acceptance date) is flagged; with no LPR known for that date the check says so.
 */
export function checkAgainstLpr(
  a: { agreedAnnualRate: string | null; contractSignedOn: string | null; acceptedOn: string },
  rates: ReadonlyArray<{ effectiveOn: string; percent: string }>,
): LprCheck {
  if (a.agreedAnnualRate === null) return { result: 'no_agreed_rate' };
  const date = a.contractSignedOn ?? a.acceptedOn;
  const lpr = lprInForce(rates, date);
  if (!lpr) return { result: 'lpr_unknown', date };
  return { result: compareDecimals(a.agreedAnnualRate, lpr.percent) < 0 ? 'below' : 'not_below', lpr, date };
}

/** Changed officials are no excuse (Art. 14): overdue arrears that fell due on or after the latest handover. */
export function overdueAfterHandover(position: Pick<ArrearsPosition, 'overdue'>, dueOn: string, handoverDates: string[]): boolean {
  if (!position.overdue || handoverDates.length === 0) return false;
  return dueOn >= [...handoverDates].sort().at(-1)!;
}

/** By how much a plan's instalments miss what is outstanding (positive: too much), or null when they add up. */
export function planMismatch(outstandingFen: number, instalmentAmounts: number[]): number | null {
  const sum = instalmentAmounts.reduce((acc, n) => acc + n, 0);
  return sum === outstandingFen ? null : sum - outstandingFen;
}

export interface InstalmentState {
  seq: number;
  dueOn: string;
  amountFen: number;
  /** Instalments up to and including this one. */
  cumulativeFen: number;
  /** Counted payments made after the plan was saved, up to this instalment's due date. */
  paidByDueFen: number;
  missed: boolean;
  shortFen: number;
}

/**
 * Instalments are cumulative: one is missed when, by the end of its due date (and only once that date
 * has passed), the payments counted since the plan was saved fall short of it and every one before it.
 * A plan does not stop interest.
 */
export function instalmentStates(
  plan: { paidFenAtStart: number; instalments: Array<{ seq: number; dueOn: string; amountFen: number }> },
  payments: PaymentFacts[],
  asOf: string,
): InstalmentState[] {
  let cumulativeFen = 0;
  return [...plan.instalments]
    .sort((a, b) => a.seq - b.seq)
    .map((i) => {
      cumulativeFen += i.amountFen;
      const paidByDueFen = Math.max(0, paidUpTo(payments, i.dueOn) - plan.paidFenAtStart);
      const shortFen = Math.max(0, cumulativeFen - paidByDueFen);
      return { seq: i.seq, dueOn: i.dueOn, amountFen: i.amountFen, cumulativeFen, paidByDueFen, missed: i.dueOn < asOf && shortFen > 0, shortFen };
    });
}

function paidUpTo(payments: PaymentFacts[], asOf: string): number {
  return countedUpTo(payments, asOf).reduce((sum, p) => sum + p.amountFen, 0);
}

/** New arrears (新增拖欠) since a date: fell due after it and undisputed money is still unpaid on the as-of date. */
export function isNewArrears(a: ArrearsFacts, payments: PaymentFacts[], since: string, asOf: string): boolean {
  return a.dueOn > since && arrearsPosition(a, payments, asOf).overdue;
}

/** The annual disclosure's deadline: 31 March of the following year. */
export function disclosureDeadline(year: number): string {
  return `${String(year + 1).padStart(4, '0')}-03-31`;
}

/** Published after the deadline, or still unpublished once it has passed. */
export function disclosureLate(year: number, publishedOn: string | null, today: string): boolean {
  const deadline = disclosureDeadline(year);
  return publishedOn === null ? today > deadline : publishedOn > deadline;
}

/**
 * One agency's figures for a year's disclosure: its contracts with SME creditors still overdue and
 * unpaid at the year's end, and their undisputed unpaid amount.
 */
export function disclosureFigures(
  items: Array<{ facts: ArrearsFacts; creditorScale: EnterpriseScale; payments: PaymentFacts[] }>,
  year: number,
): { overdueCount: number; overdueFen: number } {
  const yearEnd = `${String(year).padStart(4, '0')}-12-31`;
  let overdueCount = 0;
  let overdueFen = 0;
  for (const item of items) {
    if (!isSme(item.creditorScale)) continue;
    const p = arrearsPosition(item.facts, item.payments, yearEnd);
    if (!p.overdue) continue;
    overdueCount++;
    overdueFen += p.undisputedOutstandingFen;
  }
  return { overdueCount, overdueFen };
}
