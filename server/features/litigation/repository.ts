import type { Knex } from 'knex';
import type { CaseInput, HearingInput } from './schema.ts';

/** Table reads and writes of the litigation register; the use cases decide who may and what is right. */

export interface CaseRow {
  id: number;
  agency_id: number;
  case_no: string;
  court: string;
  plaintiff: string;
  plaintiff_enterprise_id: number | null;
  cause: string | null;
  filed_on: string;
  outcome: string | null;
  concluded_on: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface HearingRow {
  id: number;
  case_id: number;
  hearing_on: string;
  head_appeared: boolean | number;
  head_spoke: boolean | number;
  head_name: string | null;
  appeared_instead: string | null;
  note: string | null;
  recorded_by: number | null;
  created_at: string;
}

/** What a use case checks before it acts: the defendant agency, and the day the case was filed (no hearing before it). */
export interface CaseScope {
  agencyId: number;
  filedOn: string;
}

export async function caseScope(db: Knex, id: number): Promise<CaseScope | null> {
  const row: Pick<CaseRow, 'agency_id' | 'filed_on'> | undefined = await db('litigation_cases').where({ id }).first('agency_id', 'filed_on');
  return row ? { agencyId: Number(row.agency_id), filedOn: row.filed_on } : null;
}

export async function caseRow(db: Knex, id: number): Promise<CaseRow | undefined> {
  return db('litigation_cases').where({ id }).first();
}

/** Whether the court already has a case with this number (other than the one being edited). */
export async function caseNoTaken(db: Knex, court: string, caseNo: string, exceptId: number | null): Promise<boolean> {
  const q = db('litigation_cases').where({ court, case_no: caseNo });
  if (exceptId !== null) q.whereNot({ id: exceptId });
  return Boolean(await q.first('id'));
}

/** The stored columns of a case; the plaintiff is the name given, or the registered enterprise's. */
function caseColumns(input: CaseInput, plaintiffName: string) {
  return {
    agency_id: input.agencyId,
    case_no: input.caseNo,
    court: input.court,
    plaintiff: plaintiffName,
    plaintiff_enterprise_id: input.plaintiffEnterpriseId ?? null,
    cause: input.cause ?? null,
    filed_on: input.filedOn,
    outcome: input.outcome ?? null,
    concluded_on: input.concludedOn ?? null,
  };
}

export async function insertCase(trx: Knex, input: CaseInput, plaintiffName: string, by: number | null, at: string): Promise<number> {
  const [row]: Array<{ id: number }> = await trx('litigation_cases').insert({ ...caseColumns(input, plaintiffName), created_by: by, created_at: at, updated_at: at }).returning('id');
  return Number(row!.id);
}

export async function rewriteCase(trx: Knex, id: number, input: CaseInput, plaintiffName: string, at: string): Promise<void> {
  await trx('litigation_cases').where({ id }).update({ ...caseColumns(input, plaintiffName), updated_at: at });
}

export async function insertHearing(trx: Knex, caseId: number, input: HearingInput, by: number | null, at: string): Promise<number> {
  const [row]: Array<{ id: number }> = await trx('litigation_hearings')
    .insert({
      case_id: caseId,
      hearing_on: input.hearingOn,
      head_appeared: input.headAppeared,
      head_spoke: input.headSpoke,
      head_name: input.headName ?? null,
      appeared_instead: input.appearedInstead ?? null,
      note: input.note ?? null,
      recorded_by: by,
      created_at: at,
    })
    .returning('id');
  return Number(row!.id);
}
