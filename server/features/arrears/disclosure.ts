import type { Knex } from 'knex';
import { recordAuditEntries, type AuditEntryInput } from '../../audit/chain.ts';
import { authorize, can, definePolicy } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { Caller, UseCaseContext } from '../../context.ts';
import { conflict, fieldError, forbidden } from '../../http/errors.ts';
import { arrearsFacts, creditorScales, paymentFacts, paymentsByArrears, paymentsOf, toFen } from './repository.ts';
import { disclosureFigures, disclosureLate } from './rules.ts';

/*
 * The annual disclosure (年度逾期未支付中小企业款项公示): for a year, each agency's number and amount of
 * contracts with SME creditors still overdue and unpaid on 31 December. Auditors compute the draft
 * (again as often as they like until it is published), each agency's officers review their row, and
 * an auditor publishes: published figures are frozen and are what the public portal shows. Due by
 * 31 March of the following year; later is flagged.
 */

export type DisclosureStatus = 'draft' | 'reviewed' | 'published';
export const DISCLOSURE_STATUSES: readonly DisclosureStatus[] = ['draft', 'reviewed', 'published'];

/** The first year a disclosure may be computed for: the SME payment rules took effect on 1 September 2020. */
export const FIRST_DISCLOSURE_YEAR = 2020;

export const DISCLOSURES = definePolicy<{ agencyId: number }, 'read' | 'compute' | 'review' | 'publish'>('arrearsDisclosure', {
  read: (user, row) => user.role === 'auditor' || (user.role === 'officer' && user.agencyId !== null && row.agencyId === user.agencyId),
  compute: (user) => user.role === 'auditor',
  // The agency answers for its own figures.
  review: (user, row) => user.role === 'officer' && user.agencyId !== null && row.agencyId === user.agencyId,
  publish: (user) => user.role === 'auditor',
});

export interface DisclosureRow {
  id: number;
  year: number;
  agencyId: number;
  agencyName: string;
  overdueCount: number;
  overdueFen: number;
  status: DisclosureStatus;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  publishedOn: string | null;
  computedAt: string;
  /** Published after 31 March of the next year, or not yet published once that day has passed. */
  late: boolean;
}

const iso = (v: string | Date | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : v);

type StoredRow = {
  id: number;
  year: number;
  agency_id: number;
  agency_name: string;
  overdue_count: number;
  overdue_fen: unknown;
  status: DisclosureStatus;
  review_note: string | null;
  reviewer: string | null;
  reviewed_at: string | Date | null;
  published_on: string | null;
  computed_at: string | Date;
};

function toRow(r: StoredRow, today: string): DisclosureRow {
  return {
    id: Number(r.id),
    year: Number(r.year),
    agencyId: Number(r.agency_id),
    agencyName: r.agency_name,
    overdueCount: Number(r.overdue_count),
    overdueFen: toFen(r.overdue_fen),
    status: r.status,
    reviewNote: r.review_note,
    reviewedBy: r.reviewer,
    reviewedAt: iso(r.reviewed_at),
    publishedOn: r.published_on,
    computedAt: iso(r.computed_at)!,
    late: disclosureLate(Number(r.year), r.published_on, today),
  };
}

function disclosureQuery(db: Knex) {
  return db('arrears_disclosures as d')
    .join('agencies as g', 'g.id', 'd.agency_id')
    .leftJoin('users as u', 'u.id', 'd.reviewed_by')
    .select('d.*', 'g.name as agency_name', 'u.display_name as reviewer');
}

/** A year's rows, by agency name; an officer's only its own agency's. */
export async function disclosuresOf(db: Knex, user: SessionUser, year: number, today: string): Promise<DisclosureRow[]> {
  const q = disclosureQuery(db).where('d.year', year).orderBy('g.name');
  if (user.role !== 'auditor') q.where('d.agency_id', user.agencyId ?? -1);
  const rows: StoredRow[] = await q;
  return rows.map((r) => toRow(r, today));
}

/** What the public portal shows for a year: the published rows only (frozen), each flagged if it came after the deadline. */
export async function publishedDisclosures(db: Knex, year: number): Promise<DisclosureRow[]> {
  const rows: StoredRow[] = await disclosureQuery(db).where({ 'd.year': year, 'd.status': 'published' }).orderBy('g.name');
  // A published row's lateness depends on its publication date only.
  return rows.map((r) => toRow(r, r.published_on!));
}

/** A year whose 31 December has passed, from the first year the rules applied. */
export function checkDisclosureYear(year: number, today: string): number {
  if (!Number.isInteger(year) || year < FIRST_DISCLOSURE_YEAR || `${year}-12-31` >= today) throw fieldError('year', 'arrears:disclosure.errors.year', { first: FIRST_DISCLOSURE_YEAR, last: Number(today.slice(0, 4)) - 1 });
  return year;
}

/** Every agency's figures for a year, from its arrears as they stood at the year's end. */
async function figuresByAgency(db: Knex, year: number): Promise<Map<number, { overdueCount: number; overdueFen: number }>> {
  const yearEnd = `${year}-12-31`;
  // Only arrears due before the year's end can be overdue on it.
  const rows: Array<{ id: number; agency_id: number; enterprise_id: number; principal_fen: number; disputed_fen: number; due_on: string }> = await db('arrears')
    .where('due_on', '<', yearEnd)
    .select('id', 'agency_id', 'enterprise_id', 'principal_fen', 'disputed_fen', 'due_on');
  const scales = await creditorScales(db, rows.map((r) => Number(r.enterprise_id)));
  const payments = new Map<number, ReturnType<typeof paymentFacts>[]>();
  for (let i = 0; i < rows.length; i += 500) {
    for (const [id, list] of paymentsByArrears(await paymentsOf(db, rows.slice(i, i + 500).map((r) => Number(r.id))))) payments.set(id, list.map(paymentFacts));
  }
  const byAgency = new Map<number, Array<Parameters<typeof disclosureFigures>[0][number]>>();
  for (const r of rows) {
    const list = byAgency.get(Number(r.agency_id)) ?? [];
    list.push({ facts: arrearsFacts(r), creditorScale: scales.get(Number(r.enterprise_id)) ?? 'large', payments: payments.get(Number(r.id)) ?? [] });
    byAgency.set(Number(r.agency_id), list);
  }
  return new Map([...byAgency].map(([agencyId, items]) => [agencyId, disclosureFigures(items, year)]));
}

/**
 * An auditor computes a year's figures for every agency. Drafts are recomputed; a reviewed row whose
 * figures changed goes back to draft for the agency to review again; published rows are left as published.
 */
export async function computeDisclosures(ctx: UseCaseContext, caller: Caller, year: number): Promise<{ computed: number; unchangedPublished: number }> {
  if (!can(caller.user, DISCLOSURES.compute)) throw forbidden();
  checkDisclosureYear(year, ctx.clock.today());
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const figures = await figuresByAgency(trx, year);
    const agencies: Array<{ id: number; name: string }> = await trx('agencies').orderBy('id').select('id', 'name');
    const stored: Array<{ id: number; agency_id: number; status: DisclosureStatus; overdue_count: number; overdue_fen: unknown }> = await trx('arrears_disclosures')
      .where({ year })
      .select('id', 'agency_id', 'status', 'overdue_count', 'overdue_fen');
    const existing = new Map(stored.map((r) => [Number(r.agency_id), r]));
    const audit: AuditEntryInput[] = [];
    let computed = 0;
    let unchangedPublished = 0;
    for (const agency of agencies) {
      const f = figures.get(Number(agency.id)) ?? { overdueCount: 0, overdueFen: 0 };
      const row = existing.get(Number(agency.id));
      if (row?.status === 'published') {
        unchangedPublished++;
        continue;
      }
      const changed = !row || Number(row.overdue_count) !== f.overdueCount || toFen(row.overdue_fen) !== f.overdueFen;
      const status: DisclosureStatus = row && !changed ? row.status : 'draft';
      let id: number;
      if (row) {
        id = Number(row.id);
        await trx('arrears_disclosures')
          .where({ id })
          .update({ overdue_count: f.overdueCount, overdue_fen: f.overdueFen, status, computed_at: at, ...(changed ? { review_note: null, reviewed_by: null, reviewed_at: null } : {}) });
      } else {
        const [inserted] = await trx('arrears_disclosures').insert({ year, agency_id: agency.id, overdue_count: f.overdueCount, overdue_fen: f.overdueFen, status, computed_at: at }).returning('id');
        id = Number(inserted.id);
      }
      computed++;
      audit.push({
        action: 'arrears.disclosure_computed',
        entityType: 'arrears_disclosure',
        entityId: id,
        before: row ? { overdueCount: Number(row.overdue_count), overdueFen: toFen(row.overdue_fen), disclosureStatus: row.status } : undefined,
        after: { year, agency: agency.name, overdueCount: f.overdueCount, overdueFen: f.overdueFen, disclosureStatus: status },
      });
    }
    await recordAuditEntries(trx, caller.actor, audit);
    return { computed, unchangedPublished };
  });
}

async function lockRow(trx: Knex, id: number): Promise<{ id: number; year: number; agencyId: number; status: DisclosureStatus; agencyName: string } | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await trx('arrears_disclosures as d').join('agencies as g', 'g.id', 'd.agency_id').where('d.id', id).first('d.id', 'd.year', 'd.agency_id', 'd.status', 'g.name');
  return row ? { id: Number(row.id), year: Number(row.year), agencyId: Number(row.agency_id), status: row.status, agencyName: row.name } : null;
}

/** The agency's officer confirms its row (with a note); published rows are frozen. */
export async function reviewDisclosure(ctx: UseCaseContext, caller: Caller, id: number, note: string | null): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const reviewNote = (note ?? '').trim() || null;
  if (reviewNote && reviewNote.length > 2000) throw fieldError('reviewNote', 'validation.tooLong', { max: 2000 });
  await ctx.db.transaction(async (trx) => {
    const row = await lockRow(trx, id);
    authorize(caller.user, DISCLOSURES.review, row, DISCLOSURES.read);
    if (row.status === 'published') throw conflict('arrears:disclosure.errors.published');
    await trx('arrears_disclosures').where({ id }).update({ status: 'reviewed', review_note: reviewNote, reviewed_by: caller.actor.id, reviewed_at: at });
    await recordAuditEntries(trx, caller.actor, [
      { action: 'arrears.disclosure_reviewed', entityType: 'arrears_disclosure', entityId: id, before: { disclosureStatus: row.status }, after: { year: row.year, agency: row.agencyName, disclosureStatus: 'reviewed', reviewNote } },
    ]);
  });
}

/**
 * An auditor publishes a year's reviewed rows, or one reviewed row; published_on is today. What was
 * published stays as it was: a later computation leaves it alone.
 */
export async function publishDisclosures(ctx: UseCaseContext, caller: Caller, year: number, onlyId?: number): Promise<{ published: number }> {
  if (!can(caller.user, DISCLOSURES.publish)) throw forbidden();
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    let ids: number[];
    if (onlyId !== undefined) {
      const row = await lockRow(trx, onlyId);
      authorize(caller.user, DISCLOSURES.publish, row, DISCLOSURES.read);
      if (row.status !== 'reviewed') throw conflict(row.status === 'published' ? 'arrears:disclosure.errors.published' : 'arrears:disclosure.errors.notReviewed');
      ids = [row.id];
    } else {
      ids = (await trx('arrears_disclosures').where({ year, status: 'reviewed' }).orderBy('id').pluck('id')).map(Number);
      if (!ids.length) throw conflict('arrears:disclosure.errors.nothingReviewed', { year });
    }
    const rows: Array<{ id: number; year: number; overdue_count: number; overdue_fen: unknown; name: string }> = await trx('arrears_disclosures as d')
      .join('agencies as g', 'g.id', 'd.agency_id')
      .whereIn('d.id', ids)
      .select('d.id', 'd.year', 'd.overdue_count', 'd.overdue_fen', 'g.name');
    await trx('arrears_disclosures').whereIn('id', ids).update({ status: 'published', published_on: today, published_by: caller.actor.id, published_at: at });
    await recordAuditEntries(
      trx,
      caller.actor,
      rows.map((r) => ({
        action: 'arrears.disclosure_published',
        entityType: 'arrears_disclosure',
        entityId: Number(r.id),
        before: { disclosureStatus: 'reviewed' },
        after: { year: Number(r.year), agency: r.name, overdueCount: Number(r.overdue_count), overdueFen: toFen(r.overdue_fen), disclosureStatus: 'published', publishedOn: today, late: disclosureLate(Number(r.year), today, today) },
      })),
    );
    return { published: ids.length };
  });
}
