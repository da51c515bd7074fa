import { addDays, daysBetween } from '../../domain/dates.ts';
import { arrearsPosition, isNewArrears, type ArrearsFacts, type PaymentFacts } from '../arrears/rules.ts';
import { fulfilmentCounts, isMilestoneOverdue, milestoneState, outstandingFen, type FulfilmentFacts, type MilestoneStatus } from '../commitments/rules.ts';

/**
 * The rules of a clean-up campaign (专项清理), free of any database or HTTP: what its baseline holds
 * at the start date, and where each item stands on a later date (cleared, still open, or a new problem).
 *
 * - An arrears is in the baseline when undisputed money was overdue at the start
 *   (arrearsPosition(…, startedOn).overdue), with its undisputed outstanding amount then.
 * - A milestone is in the baseline when it needed action at the start: breached by then, or still owed
 *   and past its due date. A milestone's standing on a past date is rebuilt from its dated facts:
 *   breached if breached_on is on or before the date, waived if a waiver was confirmed on or before it
 *   (the Beijing date of the decision), fulfilled if a counted completing fulfilment is dated on or
 *   before it, then the commitments' rules (milestoneState) decide as they do for today. Whether a
 *   fulfilment counts and whether a payment counts follow their current standing (a dispute settled
 *   later changes the past too), as arrearsPosition does for payments. Milestones of a commitment
 *   terminated on or before the date owe nothing more and need no action.
 * - New problems are items outside the baseline that fell due on or after the start date and were not
 *   met by the as-of date. "On or after", not "after": an item due on the start day was not overdue at
 *   the start (so not in the baseline), and must not escape the campaign when it is missed.
 * - The clearance rate is by count: cleared baseline items ÷ baseline items (milestones may have no amount).
 */

export type CampaignItemType = 'arrears' | 'milestone';
export const CAMPAIGN_ITEM_TYPES: readonly CampaignItemType[] = ['arrears', 'milestone'];
export type ItemState = 'cleared' | 'open' | 'new';
export const ITEM_STATES: readonly ItemState[] = ['open', 'new', 'cleared'];
export type CampaignPhase = 'upcoming' | 'running' | 'past_target';

export interface ArrearsItemFacts {
  id: number;
  agencyId: number;
  facts: ArrearsFacts;
  payments: PaymentFacts[];
}

export interface MilestoneItemFacts {
  id: number;
  agencyId: number;
  dueOn: string;
  amountFen: number | null;
  breachedOn: string | null;
  /** The Beijing date a waiver of it was confirmed, or null. */
  waivedOn: string | null;
  /** The date its commitment was terminated, or null. */
  terminatedOn: string | null;
  fulfilments: Array<FulfilmentFacts & { amountFen: number | null }>;
}

export interface BaselineItem {
  itemType: CampaignItemType;
  itemId: number;
  agencyId: number;
  /** What was owed at the start (undisputed for arrears); null for a milestone without an amount. */
  amountFen: number | null;
}

/** Upcoming before the start date, running up to and including the target date, then past its target. */
export function campaignPhase(c: { startedOn: string; targetOn: string }, today: string): CampaignPhase {
  if (today < c.startedOn) return 'upcoming';
  return today <= c.targetOn ? 'running' : 'past_target';
}

/** Days from today to the target date (0 on the day, negative once past). */
export function daysLeft(targetOn: string, today: string): number {
  return daysBetween(today, targetOn);
}

/** The baseline is frozen on the start date: at creation when the campaign starts today or earlier. */
export function baselineDue(startedOn: string, today: string): boolean {
  return startedOn <= today;
}

/** A milestone as it stood at the end of a date: its status, whether it needed action, what it still owed. */
export function milestoneOn(m: MilestoneItemFacts, date: string): { status: MilestoneStatus; needsAction: boolean; outstandingFen: number | null } {
  const fulfilments = m.fulfilments.filter((f) => f.fulfilledOn <= date);
  const { status } = milestoneState({
    breached: m.breachedOn !== null && m.breachedOn <= date,
    waiverDecisions: m.waivedOn !== null && m.waivedOn <= date ? ['confirmed'] : [],
    fulfilments,
  });
  const fulfilledFen = fulfilments.filter(fulfilmentCounts).reduce((sum, f) => sum + (f.amountFen ?? 0), 0);
  const terminated = m.terminatedOn !== null && m.terminatedOn <= date;
  const needsAction = !terminated && (status === 'breached' || isMilestoneOverdue({ status, dueOn: m.dueOn }, date));
  return { status, needsAction, outstandingFen: outstandingFen({ status, amountFen: m.amountFen }, fulfilledFen) };
}

/** The items a campaign starting on a date freezes as its baseline. */
export function baselineOf(arrears: ArrearsItemFacts[], milestones: MilestoneItemFacts[], startedOn: string): BaselineItem[] {
  const items: BaselineItem[] = [];
  for (const a of arrears) {
    const p = arrearsPosition(a.facts, a.payments, startedOn);
    if (p.overdue) items.push({ itemType: 'arrears', itemId: a.id, agencyId: a.agencyId, amountFen: p.undisputedOutstandingFen });
  }
  for (const m of milestones) {
    const s = milestoneOn(m, startedOn);
    if (s.needsAction) items.push({ itemType: 'milestone', itemId: m.id, agencyId: m.agencyId, amountFen: s.outstandingFen });
  }
  return items;
}

export interface ItemProgress {
  itemType: CampaignItemType;
  itemId: number;
  agencyId: number;
  state: ItemState;
  /** Owed at the start (baseline items), else null. */
  baselineFen: number | null;
  /** Still owed on the as-of date (undisputed for arrears); 0 once cleared. */
  currentFen: number;
}

const key = (type: CampaignItemType, id: number) => `${type}#${id}`;

/**
 * Where each item stands on the as-of date: a baseline item is cleared once it no longer needs
 * action (arrears: no undisputed money overdue; milestone: fulfilled, waived or its commitment
 * terminated), else still open; an item outside the baseline that fell due on or after the start and
 * needs action is a new problem. Other items are not the campaign's and are left out.
 */
export function itemProgress(baseline: BaselineItem[], arrears: ArrearsItemFacts[], milestones: MilestoneItemFacts[], startedOn: string, asOf: string): ItemProgress[] {
  const inBaseline = new Map(baseline.map((b) => [key(b.itemType, b.itemId), b]));
  const dayBefore = addDays(startedOn, -1);
  const result: ItemProgress[] = [];
  const seen = new Set<string>();
  for (const a of arrears) {
    seen.add(key('arrears', a.id));
    const b = inBaseline.get(key('arrears', a.id));
    const p = arrearsPosition(a.facts, a.payments, asOf);
    const currentFen = p.overdue ? p.undisputedOutstandingFen : 0;
    if (b) result.push({ itemType: 'arrears', itemId: a.id, agencyId: b.agencyId, state: p.overdue ? 'open' : 'cleared', baselineFen: b.amountFen, currentFen });
    else if (isNewArrears(a.facts, a.payments, dayBefore, asOf)) result.push({ itemType: 'arrears', itemId: a.id, agencyId: a.agencyId, state: 'new', baselineFen: null, currentFen });
  }
  for (const m of milestones) {
    seen.add(key('milestone', m.id));
    const b = inBaseline.get(key('milestone', m.id));
    const s = milestoneOn(m, asOf);
    const currentFen = s.needsAction ? (s.outstandingFen ?? 0) : 0;
    if (b) result.push({ itemType: 'milestone', itemId: m.id, agencyId: b.agencyId, state: s.needsAction ? 'open' : 'cleared', baselineFen: b.amountFen, currentFen });
    else if (m.dueOn >= startedOn && s.needsAction) result.push({ itemType: 'milestone', itemId: m.id, agencyId: m.agencyId, state: 'new', baselineFen: null, currentFen });
  }
  // A baseline item whose record is gone (it cannot be deleted today) would still count as open at what it owed.
  for (const b of baseline) {
    if (!seen.has(key(b.itemType, b.itemId))) result.push({ itemType: b.itemType, itemId: b.itemId, agencyId: b.agencyId, state: 'open', baselineFen: b.amountFen, currentFen: b.amountFen ?? 0 });
  }
  return result;
}

export interface ProgressFigures {
  baselineCount: number;
  baselineFen: number;
  clearedCount: number;
  /** What the baseline items were paid down by since the start, cleared or not. */
  clearedFen: number;
  openCount: number;
  /** What the baseline items still open owe. */
  openFen: number;
  newProblemCount: number;
  newProblemFen: number;
  /** Cleared ÷ baseline items; null with an empty baseline. */
  clearanceRate: number | null;
}

export function emptyFigures(): ProgressFigures {
  return { baselineCount: 0, baselineFen: 0, clearedCount: 0, clearedFen: 0, openCount: 0, openFen: 0, newProblemCount: 0, newProblemFen: 0, clearanceRate: null };
}

function add(f: ProgressFigures, item: ItemProgress): void {
  if (item.state === 'new') {
    f.newProblemCount++;
    f.newProblemFen += item.currentFen;
    return;
  }
  const baselineFen = item.baselineFen ?? 0;
  f.baselineCount++;
  f.baselineFen += baselineFen;
  f.clearedFen += Math.max(0, baselineFen - item.currentFen);
  if (item.state === 'cleared') f.clearedCount++;
  else {
    f.openCount++;
    f.openFen += item.currentFen;
  }
}

function withRate(f: ProgressFigures): ProgressFigures {
  return { ...f, clearanceRate: f.baselineCount ? f.clearedCount / f.baselineCount : null };
}

export interface KindFigures {
  total: ProgressFigures;
  byAgency: Map<number, ProgressFigures>;
}

/** The figures of one kind of item (or of every kind), per agency in scope and in total. */
export function progressFigures(items: ItemProgress[], agencyIds: number[], itemType?: CampaignItemType): KindFigures {
  const total = emptyFigures();
  const byAgency = new Map(agencyIds.map((id) => [id, emptyFigures()]));
  for (const item of items) {
    if (itemType && item.itemType !== itemType) continue;
    add(total, item);
    const agency = byAgency.get(item.agencyId);
    if (agency) add(agency, item);
  }
  return { total: withRate(total), byAgency: new Map([...byAgency].map(([id, f]) => [id, withRate(f)])) };
}

/** An assignment (调度) is overdue when its due date has passed and the item still needs action. */
export function assignmentOverdue(a: { dueOn: string }, itemState: ItemState | null, today: string): boolean {
  return a.dueOn < today && (itemState === 'open' || itemState === 'new');
}
