import type { Knex } from 'knex';
import { recordAuditEntries, type AuditEntryInput } from '../../audit/chain.ts';
import { authorize } from '../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../context.ts';
import { attachFiles, attachmentsOf, type Attachment, type CheckedFile } from '../../evidence/index.ts';
import { conflict, ValidationError, type FieldError } from '../../http/errors.ts';
import { CREDIT_REPAIR_EVIDENCE } from './evidence-owners-credit.ts';
import { CREDIT_RECORD } from './policy-credit.ts';
import { repairDateProblem } from './rules-credit.ts';
import type { CreditRecordFilters } from './schema-credit.ts';

/*
 * 政务信用记录: the findings of default against agencies (written by the handling slice's find_default
 * step) as pages and the API read them, and the repair (信用修复) an auditor records once the agency
 * performed, on the evidence of it.
 */

/** The audit log's entity type of a credit record entry. */
export const CREDIT_RECORD_ENTITY = 'credit_record_entry';

export interface CreditRecordEntry {
  id: number;
  agencyId: number;
  agencyName: string;
  complaintId: number | null;
  commitmentId: number | null;
  commitmentRef: string | null;
  commitmentTitle: string | null;
  arrearsId: number | null;
  arrearsRef: string | null;
  amountFen: number | null;
  foundOn: string;
  finding: string;
  foundBy: string | null;
  repairedOn: string | null;
  repairNote: string | null;
  repairedBy: string | null;
  repairFiles: Attachment[];
}

interface EntryRow {
  id: number;
  agency_id: number;
  agency_name: string;
  complaint_id: number | null;
  commitment_id: number | null;
  commitment_ref: string | null;
  commitment_title: string | null;
  arrears_id: number | null;
  arrears_ref: string | null;
  amount_fen: number | string | null;
  found_on: string;
  finding: string;
  found_by: string | null;
  repaired_on: string | null;
  repair_note: string | null;
  repaired_by: string | null;
}

const nullableId = (v: number | null) => (v === null ? null : Number(v));

function entriesQuery(db: Knex): Knex.QueryBuilder {
  return db('credit_record_entries as e')
    .join('agencies as g', 'g.id', 'e.agency_id')
    .leftJoin('commitments as c', 'c.id', 'e.commitment_id')
    .leftJoin('arrears as a', 'a.id', 'e.arrears_id')
    .leftJoin('users as fu', 'fu.id', 'e.found_by')
    .leftJoin('users as ru', 'ru.id', 'e.repaired_by');
}

const ENTRY_COLUMNS = [
  'e.id', 'e.agency_id', 'g.name as agency_name', 'e.complaint_id', 'e.commitment_id', 'c.reference_no as commitment_ref', 'c.title as commitment_title', 'e.arrears_id',
  'a.contract_ref as arrears_ref', 'e.amount_fen', 'e.found_on', 'e.finding', 'fu.display_name as found_by', 'e.repaired_on', 'e.repair_note', 'ru.display_name as repaired_by',
];

/** Entries with their repair evidence (one query for the files of the whole list). */
async function entriesOf(db: Knex, rows: EntryRow[]): Promise<CreditRecordEntry[]> {
  const files = await attachmentsOf(db, rows.filter((r) => r.repaired_on !== null).map((r) => ({ type: CREDIT_REPAIR_EVIDENCE, id: Number(r.id) })));
  return rows.map((r) => ({
    id: Number(r.id),
    agencyId: Number(r.agency_id),
    agencyName: r.agency_name,
    complaintId: nullableId(r.complaint_id),
    commitmentId: nullableId(r.commitment_id),
    commitmentRef: r.commitment_ref,
    commitmentTitle: r.commitment_title,
    arrearsId: nullableId(r.arrears_id),
    arrearsRef: r.arrears_ref,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    foundOn: r.found_on,
    finding: r.finding,
    foundBy: r.found_by,
    repairedOn: r.repaired_on,
    repairNote: r.repair_note,
    repairedBy: r.repaired_by,
    repairFiles: files.of({ type: CREDIT_REPAIR_EVIDENCE, id: Number(r.id) }),
  }));
}

/** The auditors' list of every finding: filtered by agency, repaired or not, and the year of the finding; newest first. */
export async function listCreditRecord(db: Knex, filters: CreditRecordFilters, page: number, pageSize: number): Promise<{ items: CreditRecordEntry[]; total: number }> {
  const filtered = (q: Knex.QueryBuilder) => {
    if (filters.agencyId) q.where('e.agency_id', filters.agencyId);
    if (filters.repaired === 'yes') q.whereNotNull('e.repaired_on');
    if (filters.repaired === 'no') q.whereNull('e.repaired_on');
    if (filters.year) q.whereBetween('e.found_on', [`${filters.year}-01-01`, `${filters.year}-12-31`]);
    return q;
  };
  const [{ n }] = await filtered(db('credit_record_entries as e')).count({ n: '*' });
  const rows: EntryRow[] = await filtered(entriesQuery(db))
    .orderBy([{ column: 'e.found_on', order: 'desc' }, { column: 'e.id', order: 'desc' }])
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select(ENTRY_COLUMNS);
  return { items: await entriesOf(db, rows), total: Number(n) };
}

/** One agency's credit record: the entries not yet repaired first, then the repaired; newest first within each. */
export async function agencyCreditRecord(db: Knex, agencyId: number): Promise<CreditRecordEntry[]> {
  const rows: EntryRow[] = await entriesQuery(db)
    .where('e.agency_id', agencyId)
    .orderByRaw('CASE WHEN e.repaired_on IS NULL THEN 0 ELSE 1 END')
    .orderBy([{ column: 'e.found_on', order: 'desc' }, { column: 'e.id', order: 'desc' }])
    .select(ENTRY_COLUMNS);
  return entriesOf(db, rows);
}

export async function creditRecordEntry(db: Knex, id: number): Promise<CreditRecordEntry | null> {
  const row: EntryRow | undefined = await entriesQuery(db).where('e.id', id).first(ENTRY_COLUMNS);
  return row ? (await entriesOf(db, [row]))[0]! : null;
}

/** The years in which findings were made, newest first (the list's year filter). */
export async function findingYears(db: Knex): Promise<number[]> {
  const dates: string[] = await db('credit_record_entries').distinct('found_on').orderBy('found_on', 'desc').pluck('found_on');
  return [...new Set(dates.map((d) => Number(d.slice(0, 4))))];
}

/** A sign that the agency performed since the finding: a milestone of the linked commitment fulfilled, or the linked arrears cleared. */
export type PerformanceHint = { kind: 'milestone'; description: string; on: string } | { kind: 'arrears'; ref: string | null; on: string };

/**
 * What suggests that an unrepaired entry's agency has performed since the finding: the auditor
 * decides, on the evidence; the hint only points to where to look.
 */
export async function performanceHints(db: Knex, entry: Pick<CreditRecordEntry, 'commitmentId' | 'arrearsId' | 'foundOn' | 'repairedOn'>): Promise<PerformanceHint[]> {
  if (entry.repairedOn !== null) return [];
  const hints: PerformanceHint[] = [];
  if (entry.commitmentId !== null) {
    const milestones: Array<{ description: string; completed_on: string }> = await db('milestones')
      .where({ commitment_id: entry.commitmentId, status: 'fulfilled' })
      .where('completed_on', '>=', entry.foundOn)
      .orderBy('seq')
      .select('description', 'completed_on');
    hints.push(...milestones.map((m) => ({ kind: 'milestone' as const, description: m.description, on: m.completed_on })));
  }
  if (entry.arrearsId !== null) {
    const arrears = await db('arrears').where({ id: entry.arrearsId, status: 'cleared' }).where('cleared_on', '>=', entry.foundOn).first('contract_ref', 'cleared_on');
    if (arrears) hints.push({ kind: 'arrears', ref: arrears.contract_ref, on: arrears.cleared_on });
  }
  return hints;
}

export interface RepairInput {
  repairedOn: string;
  note: string;
}

/**
 * 信用修复: an auditor marks a finding repaired once the agency performed (or put things right), on
 * the evidence of it (at least one file), dated between the finding and today. An entry is repaired
 * once; a second repair answers 409 and changes nothing.
 */
export async function repairEntry(ctx: UseCaseContext, caller: Caller, entryId: number, input: RepairInput, files: CheckedFile[]): Promise<void> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    const entry = Number.isSafeInteger(entryId) && entryId > 0 ? await trx('credit_record_entries').where({ id: entryId }).first('id', 'agency_id', 'found_on', 'finding', 'repaired_on') : undefined;
    authorize(caller.user, CREDIT_RECORD.repair, entry ? { agencyId: Number(entry.agency_id) } : null, CREDIT_RECORD.read);
    if (entry.repaired_on) throw conflict('complaints:credit.errors.alreadyRepaired', { date: entry.repaired_on });
    const errors: FieldError[] = [];
    const repairedOn = input.repairedOn.trim();
    const problem = repairDateProblem(repairedOn, entry.found_on, today);
    if (problem === 'date') errors.push({ path: 'repairedOn', key: 'validation.date' });
    if (problem === 'beforeFinding') errors.push({ path: 'repairedOn', key: 'complaints:credit.errors.beforeFinding', params: { date: entry.found_on } });
    if (problem === 'future') errors.push({ path: 'repairedOn', key: 'complaints:credit.errors.futureDate', params: { today } });
    const note = input.note.trim();
    if (!note) errors.push({ path: 'note', key: 'validation.required' });
    else if (note.length > 2000) errors.push({ path: 'note', key: 'validation.tooLong', params: { max: 2000 } });
    if (files.length === 0) errors.push({ path: 'evidence', key: 'complaints:credit.errors.evidenceRequired' });
    if (errors.length) throw new ValidationError(errors);
    // Only an entry still unrepaired is updated: of two auditors repairing at once, the second gets the 409.
    const updated = await trx('credit_record_entries').where({ id: entryId }).whereNull('repaired_on').update({ repaired_on: repairedOn, repair_note: note, repaired_by: caller.actor.id, updated_at: at });
    if (updated !== 1) throw conflict('complaints:credit.errors.alreadyRepaired', { date: repairedOn });
    const agency = await trx('agencies').where({ id: entry.agency_id }).first('name');
    const audit: AuditEntryInput[] = [{
      action: 'credit_record.repaired',
      entityType: CREDIT_RECORD_ENTITY,
      entityId: entryId,
      before: { repairedOn: null },
      after: { creditAgency: agency?.name ?? null, creditFoundOn: entry.found_on, repairedOn, repairNote: note },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: CREDIT_REPAIR_EVIDENCE, id: entryId }, files, { entityType: CREDIT_RECORD_ENTITY, entityId: entryId }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
  });
}

/** An entry for the one who may read it (404 otherwise). */
export async function creditRecordEntryFor(db: Knex, user: Caller['user'], id: number): Promise<CreditRecordEntry> {
  const entry = await creditRecordEntry(db, id);
  authorize(user, CREDIT_RECORD.read, entry, CREDIT_RECORD.read);
  return entry;
}
