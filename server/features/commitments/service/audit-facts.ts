import type { FulfilmentRow, MilestoneRow } from '../repository.ts';

/*
 * What the use cases write into their audit entries about the records an action touched, so that a
 * timeline reads "履约节点: #2 支付尾款" and "金额: 100,000.00 元" as they were when it happened,
 * without looking up rows that may since have changed. Ids stay beside them for machines; the
 * timeline leaves ids out.
 */

/** A milestone as a person names it: its number on the commitment and what is owed. */
export function milestoneLabel(m: Pick<MilestoneRow, 'seq' | 'description'>): string {
  return `#${m.seq} ${m.description}`;
}

/** The fulfilment an answer or a settlement is about: when it was done and how much it paid. */
export function fulfilmentSummary(f: Pick<FulfilmentRow, 'fulfilled_on' | 'amount_fen'>): { fulfilledOn: string; amountFen: number | null } {
  return { fulfilledOn: f.fulfilled_on, amountFen: f.amount_fen === null ? null : Number(f.amount_fen) };
}
