import { daysBetween } from '../../domain/dates.ts';

/**
 * The rules of government commitments, free of any database or HTTP: milestone and commitment
 * status, overdue, the handover mark, the on-time rate and the amount limits.
 * Calendar dates are 'YYYY-MM-DD' strings (Asia/Shanghai) and compare as strings.
 */

export type MilestoneStatus = 'pending' | 'partial' | 'fulfilled' | 'waived' | 'breached';
export type CommitmentStatus = 'in_progress' | 'overdue' | 'breached' | 'fulfilled' | 'terminated';
export type EnterpriseResponse = 'confirmed' | 'partly' | 'not_at_all';
export type DisputeStatus = 'open' | 'upheld' | 'rejected';
export type WaiverDecision = 'pending' | 'confirmed' | 'refused';

export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = ['in_progress', 'overdue', 'breached', 'fulfilled', 'terminated'];
export const MILESTONE_STATUSES: readonly MilestoneStatus[] = ['pending', 'partial', 'fulfilled', 'waived', 'breached'];
export const ENTERPRISE_RESPONSES: readonly EnterpriseResponse[] = ['confirmed', 'partly', 'not_at_all'];
export const DISPUTE_STATUSES: readonly DisputeStatus[] = ['open', 'upheld', 'rejected'];
export const WAIVER_DECISIONS: readonly WaiverDecision[] = ['pending', 'confirmed', 'refused'];

/** Milestones still owed: they can fall overdue, take fulfilments, waivers and breaches. */
export const OPEN_MILESTONE_STATUSES: readonly MilestoneStatus[] = ['pending', 'partial'];
/** Milestones that no longer stand in the way of a fulfilled commitment. */
export const SETTLED_MILESTONE_STATUSES: readonly MilestoneStatus[] = ['fulfilled', 'waived'];

export function isMilestoneOpen(status: MilestoneStatus): boolean {
  return OPEN_MILESTONE_STATUSES.includes(status);
}

/** What a milestone's status means for its commitment's standing: still owed, breached, or settled. */
export function milestoneStanding(status: MilestoneStatus): 'open' | 'breached' | 'settled' {
  if (status === 'breached') return 'breached';
  return isMilestoneOpen(status) ? 'open' : 'settled';
}

export interface FulfilmentFacts {
  fulfilledOn: string;
  completes: boolean;
  enterpriseResponse: EnterpriseResponse | null;
  disputeStatus: DisputeStatus | null;
}

/**
 * A fulfilment counts unless the counterparty disputed it (partly or not at all) and the dispute is
 * still open or the auditors rejected the fulfilment; one the auditors upheld counts again.
 */
export function fulfilmentCounts(f: Pick<FulfilmentFacts, 'enterpriseResponse' | 'disputeStatus'>): boolean {
  const disputed = f.enterpriseResponse === 'partly' || f.enterpriseResponse === 'not_at_all';
  return !(disputed && (f.disputeStatus === 'open' || f.disputeStatus === 'rejected'));
}

export interface MilestoneFacts {
  breached: boolean;
  waiverDecisions: WaiverDecision[];
  fulfilments: FulfilmentFacts[];
}

/**
 * The stored status of a milestone, derived from its facts; the service calls this after every
 * change to them. A pending waiver leaves the milestone open. completedOn is the date of the
 * earliest counted fulfilment that completes it.
 */
export function milestoneState(facts: MilestoneFacts): { status: MilestoneStatus; completedOn: string | null } {
  if (facts.waiverDecisions.includes('confirmed')) return { status: 'waived', completedOn: null };
  if (facts.breached) return { status: 'breached', completedOn: null };
  const counted = facts.fulfilments.filter(fulfilmentCounts);
  const completing = counted.filter((f) => f.completes).map((f) => f.fulfilledOn).sort();
  if (completing.length) return { status: 'fulfilled', completedOn: completing[0]! };
  return { status: counted.length ? 'partial' : 'pending', completedOn: null };
}

/** Overdue is never stored: a milestone still owed whose due date has passed (due today is not overdue). */
export function isMilestoneOverdue(m: { status: MilestoneStatus; dueOn: string }, today: string): boolean {
  return isMilestoneOpen(m.status) && m.dueOn < today;
}

/** terminated > breached > overdue > fulfilled (every milestone fulfilled or waived) > in progress. */
export function commitmentStatus(c: { terminatedOn: string | null }, milestones: Array<{ status: MilestoneStatus; dueOn: string }>, today: string): CommitmentStatus {
  if (c.terminatedOn) return 'terminated';
  if (milestones.some((m) => m.status === 'breached')) return 'breached';
  if (milestones.some((m) => isMilestoneOverdue(m, today))) return 'overdue';
  if (milestones.length > 0 && milestones.every((m) => SETTLED_MILESTONE_STATUSES.includes(m.status))) return 'fulfilled';
  return 'in_progress';
}

/** How many days a milestone is past its due date (null when it is not overdue): a ledger's 逾期天数. */
export function overdueDays(m: { status: MilestoneStatus; dueOn: string }, today: string): number | null {
  return isMilestoneOverdue(m, today) ? daysBetween(m.dueOn, today) : null;
}

/**
 * What is still owed on a milestone, in fen: nothing once it is fulfilled or waived, otherwise its
 * amount less what was fulfilled on it (never below 0); null when the milestone has no amount. A
 * breached milestone still owes what was not paid.
 */
export function outstandingFen(m: { status: MilestoneStatus; amountFen: number | null }, fulfilledFen: number): number | null {
  if (m.amountFen === null) return null;
  if (SETTLED_MILESTONE_STATUSES.includes(m.status)) return 0;
  return Math.max(0, m.amountFen - fulfilledFen);
}

/**
 * An overdue milestone that fell due on or after the latest handover: the new official let it
 * lapse ("新官不理旧账").
 */
export function overdueAfterHandover(m: { status: MilestoneStatus; dueOn: string }, handoverDates: string[], today: string): boolean {
  if (!handoverDates.length || !isMilestoneOverdue(m, today)) return false;
  const latest = [...handoverDates].sort().at(-1)!;
  return m.dueOn >= latest;
}

/** The same day one year earlier (29 February falls back to the 28th). */
export function oneYearBefore(date: string): string {
  const [y, m, d] = date.split('-');
  const year = String(Number(y) - 1).padStart(4, '0');
  const day = m === '02' && d === '29' ? '28' : d;
  return `${year}-${m}-${day}`;
}

/**
 * The share of milestones fulfilled by their due date among those due in the twelve months up
 * to today (after the same day a year ago, up to and including today). Waived milestones were not
 * owed and do not count; a milestone still open on its due day is not late yet and waits.
 */
export function onTimeFulfilmentRate(
  milestones: Array<{ status: MilestoneStatus; dueOn: string; completedOn: string | null }>,
  today: string,
): { due: number; onTime: number; rate: number | null } {
  const from = oneYearBefore(today);
  let due = 0;
  let onTime = 0;
  for (const m of milestones) {
    if (m.dueOn <= from || m.dueOn > today || m.status === 'waived') continue;
    if (isMilestoneOpen(m.status) && m.dueOn === today) continue;
    due++;
    if (m.status === 'fulfilled' && m.completedOn !== null && m.completedOn <= m.dueOn) onTime++;
  }
  return { due, onTime, rate: due ? onTime / due : null };
}

/**
 * How far a new fulfilment would take a milestone past its amount, counting every earlier
 * fulfilment the auditors have not rejected (so upholding a dispute can never overshoot).
 * Null when it fits, or when the milestone or the fulfilment has no amount.
 */
export function overFulfilment(milestoneAmountFen: number | null, earlierFen: number, newFen: number | null | undefined): { excessFen: number; remainingFen: number } | null {
  if (milestoneAmountFen === null || newFen === null || newFen === undefined) return null;
  const remainingFen = Math.max(0, milestoneAmountFen - earlierFen);
  return newFen > remainingFen ? { excessFen: newFen - remainingFen, remainingFen } : null;
}

/** By how much the milestones' amounts together exceed the commitment's total, or null. */
export function milestoneAmountsExcess(totalFen: number, milestoneAmounts: Array<number | null | undefined>): number | null {
  const sum = milestoneAmounts.reduce<number>((acc, a) => acc + (a ?? 0), 0);
  return sum > totalFen ? sum - totalFen : null;
}

/**
 * What has been recorded on a milestone: whether anything was (then it may not be removed), and the
 * amount fulfilled that the auditors have not rejected (no edit or new fulfilment may pass it).
 */
export function milestoneHistory(
  m: { breached: boolean },
  fulfilments: Array<{ amountFen: number | null; disputeStatus: DisputeStatus | null }>,
  waiverCount: number,
): { any: boolean; fulfilledFen: number } {
  const fulfilledFen = fulfilments.filter((f) => f.disputeStatus !== 'rejected').reduce((sum, f) => sum + (f.amountFen ?? 0), 0);
  return { any: fulfilments.length > 0 || waiverCount > 0 || m.breached, fulfilledFen };
}
