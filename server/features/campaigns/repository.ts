import type { Knex } from 'knex';
import { shanghaiDate } from '../../domain/dates.ts';
import { paymentFacts, toFen, type PaymentRow } from '../arrears/repository.ts';
import type { DisputeStatus, EnterpriseResponse } from '../commitments/rules.ts';
import type { CampaignScope } from './policy.ts';
import type { ArrearsItemFacts, BaselineItem, CampaignItemType, MilestoneItemFacts } from './rules.ts';

/*
 * The campaign tables as the use cases read and write them, and the facts of the arrears and
 * milestones the rules weigh. Every function takes a Knex or the use case's transaction.
 */

export interface CampaignRecord extends CampaignScope {
  name: string;
  startedOn: string;
  targetOn: string;
  goal: string;
  baselineFrozenAt: string | null;
  createdAt: string;
}

interface CampaignRow {
  id: number;
  name: string;
  started_on: string;
  target_on: string;
  goal: string;
  baseline_frozen_at: string | Date | null;
  created_at: string | Date;
}

const isoOrNull = (v: string | Date | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : v);

function toRecord(row: CampaignRow, agencyIds: number[]): CampaignRecord {
  return {
    id: Number(row.id),
    name: row.name,
    startedOn: row.started_on,
    targetOn: row.target_on,
    goal: row.goal,
    baselineFrozenAt: isoOrNull(row.baseline_frozen_at),
    createdAt: isoOrNull(row.created_at)!,
    agencyIds,
  };
}

async function agencyIdsOf(db: Knex, campaignIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return map;
  const rows: Array<{ campaign_id: number; agency_id: number }> = await db('campaign_agencies').whereIn('campaign_id', campaignIds).orderBy('agency_id').select('campaign_id', 'agency_id');
  for (const r of rows) map.get(Number(r.campaign_id))!.push(Number(r.agency_id));
  return map;
}

export async function campaignRecord(db: Knex, id: number): Promise<CampaignRecord | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row: CampaignRow | undefined = await db('campaigns').where({ id }).first();
  if (!row) return null;
  return toRecord(row, (await agencyIdsOf(db, [Number(row.id)])).get(Number(row.id))!);
}

/** Campaigns, newest start first; for an officer only those that include its agency. */
export async function listCampaignRecords(db: Knex, agencyId: number | null): Promise<CampaignRecord[]> {
  const q = db('campaigns').orderBy([{ column: 'started_on', order: 'desc' }, { column: 'id', order: 'desc' }]);
  if (agencyId !== null) q.whereIn('id', db('campaign_agencies').where({ agency_id: agencyId }).select('campaign_id'));
  const rows: CampaignRow[] = await q.select('*');
  const agencies = await agencyIdsOf(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => toRecord(r, agencies.get(Number(r.id))!));
}

export async function insertCampaign(trx: Knex, input: { name: string; startedOn: string; targetOn: string; goal: string; agencyIds: number[] }, createdBy: number | null, at: string): Promise<number> {
  const [{ id }] = await trx('campaigns')
    .insert({ name: input.name, started_on: input.startedOn, target_on: input.targetOn, goal: input.goal, created_by: createdBy, created_at: at, updated_at: at })
    .returning('id');
  await trx('campaign_agencies').insert(input.agencyIds.map((agencyId) => ({ campaign_id: Number(id), agency_id: agencyId })));
  return Number(id);
}

/** Marks the baseline frozen unless it already is (compare-and-set): true when this caller froze it. */
export async function claimBaselineFreeze(trx: Knex, campaignId: number, at: string): Promise<boolean> {
  const changed = await trx('campaigns').where({ id: campaignId }).whereNull('baseline_frozen_at').update({ baseline_frozen_at: at, updated_at: at });
  return Number(changed) === 1;
}

export async function insertBaselineItems(trx: Knex, campaignId: number, items: BaselineItem[]): Promise<void> {
  const rows = items.map((i) => ({ campaign_id: campaignId, agency_id: i.agencyId, item_type: i.itemType, item_id: i.itemId, amount_fen: i.amountFen }));
  // Rows per insert: within SQLite's limit on terms in the compound statement knex builds.
  for (let i = 0; i < rows.length; i += 100) await trx('campaign_baseline_items').insert(rows.slice(i, i + 100));
}

export async function baselineItems(db: Knex, campaignId: number, agencyIds: number[]): Promise<BaselineItem[]> {
  const rows: Array<{ item_type: CampaignItemType; item_id: number; agency_id: number; amount_fen: unknown }> = await db('campaign_baseline_items')
    .where({ campaign_id: campaignId })
    .whereIn('agency_id', agencyIds)
    .select('item_type', 'item_id', 'agency_id', 'amount_fen');
  return rows.map((r) => ({ itemType: r.item_type, itemId: Number(r.item_id), agencyId: Number(r.agency_id), amountFen: r.amount_fen === null ? null : toFen(r.amount_fen) }));
}

/** Which arrears or milestones to load: those of the baseline, and those of the agencies whose due date falls in a range. */
export interface ItemSelection {
  agencyIds: number[];
  /** Items of this campaign's baseline, whatever their dates. */
  baselineOf?: number;
  /** Due on or after this date (inclusive) … */
  dueFrom?: string;
  /** … and before this one (exclusive); milestones breached on or before `breachedBy` are taken too. */
  dueBefore: string;
  breachedBy?: string;
}

function baselineIds(db: Knex, campaignId: number, type: CampaignItemType) {
  return db('campaign_baseline_items').where({ campaign_id: campaignId, item_type: type }).select('item_id');
}

/** The arrears selected, with their payments, as the rules take them. */
export async function arrearsItemFacts(db: Knex, s: ItemSelection): Promise<ArrearsItemFacts[]> {
  const ids = db('arrears as a')
    .where((w) => {
      w.where((inRange) => {
        inRange.whereIn('a.agency_id', s.agencyIds).where('a.due_on', '<', s.dueBefore);
        if (s.dueFrom) inRange.where('a.due_on', '>=', s.dueFrom);
      });
      if (s.baselineOf !== undefined) w.orWhereIn('a.id', baselineIds(db, s.baselineOf, 'arrears'));
    })
    .select('a.id');
  const [rows, payments] = await Promise.all([
    db('arrears').whereIn('id', ids.clone()).select('id', 'agency_id', 'principal_fen', 'disputed_fen', 'due_on') as Promise<Array<{ id: number; agency_id: number; principal_fen: unknown; disputed_fen: unknown; due_on: string }>>,
    db('arrears_payments as p').leftJoin('arrears_reversals as r', 'r.payment_id', 'p.id').whereIn('p.arrears_id', ids.clone()).select('p.*', 'r.id as reversal_id') as Promise<PaymentRow[]>,
  ]);
  const byArrears = new Map<number, PaymentRow[]>();
  for (const p of payments) byArrears.set(Number(p.arrears_id), [...(byArrears.get(Number(p.arrears_id)) ?? []), p]);
  return rows.map((r) => ({
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    facts: { principalFen: toFen(r.principal_fen), disputedFen: toFen(r.disputed_fen), dueOn: r.due_on },
    payments: (byArrears.get(Number(r.id)) ?? []).map(paymentFacts),
  }));
}

/** The milestones selected, with their dated facts (breach, confirmed waiver, fulfilments, termination). */
export async function milestoneItemFacts(db: Knex, s: ItemSelection): Promise<MilestoneItemFacts[]> {
  const ids = db('milestones as m')
    .join('commitments as c', 'c.id', 'm.commitment_id')
    .where((w) => {
      w.where((inRange) => {
        inRange.whereIn('c.agency_id', s.agencyIds);
        if (s.dueFrom) inRange.where('m.due_on', '>=', s.dueFrom);
        inRange.where((due) => {
          due.where('m.due_on', '<', s.dueBefore);
          if (s.breachedBy) due.orWhere('m.breached_on', '<=', s.breachedBy);
        });
      });
      if (s.baselineOf !== undefined) w.orWhereIn('m.id', baselineIds(db, s.baselineOf, 'milestone'));
    })
    .select('m.id');
  const [rows, waivers, fulfilments] = await Promise.all([
    db('milestones as m')
      .join('commitments as c', 'c.id', 'm.commitment_id')
      .whereIn('m.id', ids.clone())
      .select('m.id', 'c.agency_id', 'm.due_on', 'm.amount_fen', 'm.breached_on', 'c.terminated_on') as Promise<
      Array<{ id: number; agency_id: number; due_on: string; amount_fen: unknown; breached_on: string | null; terminated_on: string | null }>
    >,
    db('waivers').whereIn('milestone_id', ids.clone()).where({ decision: 'confirmed' }).select('milestone_id', 'decided_at') as Promise<Array<{ milestone_id: number; decided_at: string | Date | null }>>,
    db('fulfilments').whereIn('milestone_id', ids.clone()).select('milestone_id', 'fulfilled_on', 'amount_fen', 'completes', 'enterprise_response', 'dispute_status') as Promise<
      Array<{ milestone_id: number; fulfilled_on: string; amount_fen: unknown; completes: boolean | number; enterprise_response: EnterpriseResponse | null; dispute_status: DisputeStatus | null }>
    >,
  ]);
  const waivedOn = new Map<number, string>();
  for (const w of waivers) {
    if (w.decided_at === null) continue;
    const on = shanghaiDate(new Date(w.decided_at));
    const earlier = waivedOn.get(Number(w.milestone_id));
    if (!earlier || on < earlier) waivedOn.set(Number(w.milestone_id), on);
  }
  const byMilestone = new Map<number, MilestoneItemFacts['fulfilments']>();
  for (const f of fulfilments) {
    const list = byMilestone.get(Number(f.milestone_id)) ?? [];
    list.push({ fulfilledOn: f.fulfilled_on, amountFen: f.amount_fen === null ? null : toFen(f.amount_fen), completes: Boolean(f.completes), enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status });
    byMilestone.set(Number(f.milestone_id), list);
  }
  return rows.map((r) => ({
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    dueOn: r.due_on,
    amountFen: r.amount_fen === null ? null : toFen(r.amount_fen),
    breachedOn: r.breached_on,
    waivedOn: waivedOn.get(Number(r.id)) ?? null,
    terminatedOn: r.terminated_on,
    fulfilments: byMilestone.get(Number(r.id)) ?? [],
  }));
}

export interface AssignmentRow {
  id: number;
  agencyId: number;
  itemType: CampaignItemType;
  itemId: number;
  dueOn: string;
  instruction: string;
  assignedAt: string;
  assignedBy: string | null;
}

export async function assignmentsOf(db: Knex, campaignId: number, agencyIds: number[]): Promise<AssignmentRow[]> {
  const rows: Array<{ id: number; agency_id: number; item_type: CampaignItemType; item_id: number; due_on: string; instruction: string; assigned_at: string | Date; display_name: string | null }> = await db(
    'campaign_assignments as a',
  )
    .leftJoin('users as u', 'u.id', 'a.assigned_by')
    .where('a.campaign_id', campaignId)
    .whereIn('a.agency_id', agencyIds)
    .orderBy([{ column: 'a.due_on' }, { column: 'a.id' }])
    .select('a.id', 'a.agency_id', 'a.item_type', 'a.item_id', 'a.due_on', 'a.instruction', 'a.assigned_at', 'u.display_name');
  return rows.map((r) => ({
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    itemType: r.item_type,
    itemId: Number(r.item_id),
    dueOn: r.due_on,
    instruction: r.instruction,
    assignedAt: isoOrNull(r.assigned_at)!,
    assignedBy: r.display_name,
  }));
}

export async function insertAssignment(trx: Knex, row: { campaignId: number; agencyId: number; itemType: CampaignItemType; itemId: number; dueOn: string; instruction: string; assignedBy: number | null; at: string }): Promise<number> {
  const [{ id }] = await trx('campaign_assignments')
    .insert({ campaign_id: row.campaignId, agency_id: row.agencyId, item_type: row.itemType, item_id: row.itemId, due_on: row.dueOn, instruction: row.instruction, assigned_by: row.assignedBy, assigned_at: row.at })
    .returning('id');
  return Number(id);
}

/** What a list shows of an item: its name, its counterparty, its due date and the page it links to. */
export interface ItemLabel {
  name: string;
  detail: string | null;
  dueOn: string;
  href: string;
}

export async function itemLabels(db: Knex, items: Array<{ itemType: CampaignItemType; itemId: number }>): Promise<Map<string, ItemLabel>> {
  const labels = new Map<string, ItemLabel>();
  const ids = (type: CampaignItemType) => [...new Set(items.filter((i) => i.itemType === type).map((i) => i.itemId))];
  // Chunked: a large campaign lists more items than one statement may bind.
  for (const [type, all] of [['arrears', ids('arrears')], ['milestone', ids('milestone')]] as const) {
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      if (type === 'arrears') {
        const rows: Array<{ id: number; contract_ref: string | null; description: string; due_on: string; enterprise: string }> = await db('arrears as a')
          .join('enterprises as e', 'e.id', 'a.enterprise_id')
          .whereIn('a.id', chunk)
          .select('a.id', 'a.contract_ref', 'a.description', 'a.due_on', 'e.name as enterprise');
        for (const r of rows) labels.set(`arrears#${r.id}`, { name: r.contract_ref ? `${r.contract_ref} ${r.description}` : r.description, detail: r.enterprise, dueOn: r.due_on, href: `/arrears/${r.id}` });
      } else {
        const rows: Array<{ id: number; commitment_id: number; seq: number; description: string; due_on: string; title: string }> = await db('milestones as m')
          .join('commitments as c', 'c.id', 'm.commitment_id')
          .whereIn('m.id', chunk)
          .select('m.id', 'm.commitment_id', 'm.seq', 'm.description', 'm.due_on', 'c.title');
        for (const r of rows) labels.set(`milestone#${r.id}`, { name: r.title, detail: `${r.seq}. ${r.description}`, dueOn: r.due_on, href: `/commitments/${r.commitment_id}#milestone-${r.id}` });
      }
    }
  }
  return labels;
}

export async function agencyNames(db: Knex, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows: Array<{ id: number; name: string }> = await db('agencies').whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}
