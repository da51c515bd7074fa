import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import { ValidationError, type FieldError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { checkSheet, type CheckedRow, type ReportRowError, type SheetError } from '../../spreadsheets/checker.ts';
import { PackedStrings } from '../../spreadsheets/packed-strings.ts';
import type { SheetFormat } from '../../spreadsheets/reading.ts';
import { commitmentInputSchema, type CommitmentInput } from './schema.ts';
import { commitmentInputErrors } from './service/guards.ts';
import { COMMITMENT_LEVEL_COLUMNS, LEDGER_IMPORT_COLUMNS } from './spreadsheet.ts';

/*
 * The import of a ledger spreadsheet: one row per milestone, rows sharing a reference number form
 * one commitment. The shared checker reads the file and checks each cell against the columns of
 * spreadsheet.ts; this module groups the rows into commitments and checks what only the ledger
 * knows. Every row is checked before anything is written; one error rejects the file.
 */

export type LedgerFormat = SheetFormat;
export type ImportError = SheetError;

type LedgerColumns = typeof LEDGER_IMPORT_COLUMNS;
type ColumnKey = LedgerColumns[number]['key'];

const HEADER = Object.fromEntries(LEDGER_IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<ColumnKey, string>;
/** Commitments assembled between two turns of the event loop: each runs the schema and the rules. */
const GROUPS_PER_TURN = 100;
const LOOKUP_CHUNK = 500;

interface CommitmentValue {
  value: string | number | boolean;
  raw: string;
  row: number;
}

type CommitmentValues = Partial<Record<ColumnKey, CommitmentValue>>;
type MilestoneInput = CommitmentInput['milestones'][number];

/**
 * A commitment as its rows are read: little more than indexes into the check's packed texts (the
 * JSON of its commitment-level cells and of each milestone), because a 100,000-row file has 20,000
 * of them and as objects they took tens of megabytes.
 */
interface CommitmentGroup {
  firstRow: number;
  /** Index of the JSON of its commitment-level cells (CommitmentValues) in the packed values. */
  values: number;
  /** The group's checked milestone rows, as indexes into the packed milestones. */
  milestones: number[];
  milestoneRows: number[];
  hasErrors: boolean;
}

/** The rows of a file grouped into commitments, packed (see CommitmentGroup). */
class LedgerGroups {
  readonly byReference = new Map<string, CommitmentGroup>();
  private readonly values = new PackedStrings();
  private readonly milestoneTexts = new PackedStrings();

  valuesOf(group: CommitmentGroup): CommitmentValues {
    return JSON.parse(this.values.at(group.values)!) as CommitmentValues;
  }

  setValues(group: CommitmentGroup, values: CommitmentValues): void {
    group.values = this.values.push(JSON.stringify(values));
  }

  addMilestone(group: CommitmentGroup, row: number, milestone: MilestoneInput): void {
    group.milestones.push(this.milestoneTexts.push(JSON.stringify(milestone)));
    group.milestoneRows.push(row);
  }

  milestonesOf(group: CommitmentGroup): MilestoneInput[] {
    return group.milestones.map((index) => JSON.parse(this.milestoneTexts.at(index)!) as MilestoneInput);
  }
}

/**
 * The commitments of a checked file, ready to insert, assembled again one at a time as they are
 * taken (in the order of their first rows), from the packed groups the check kept: holding every
 * assembled commitment as well took as much memory again. Assembling is deterministic, so each
 * comes out as the check accepted it.
 */
export class CheckedCommitments implements Iterable<CommitmentInput> {
  constructor(
    private readonly groups: LedgerGroups | null = null,
    private readonly agencyId = 0,
    private readonly enterpriseIds = new Map<string, number>(),
  ) {}

  get length(): number {
    return this.groups?.byReference.size ?? 0;
  }

  *[Symbol.iterator](): Iterator<CommitmentInput> {
    if (!this.groups) return;
    for (const [referenceNo, group] of this.groups.byReference) {
      const outcome = assembled(commitmentOf(this.groups, referenceNo, group, this.agencyId, this.enterpriseIds));
      if (!outcome.input || outcome.errors.length) throw new Error(`commitment ${referenceNo} no longer assembles as it was checked`);
      yield outcome.input;
    }
  }
}

export interface LedgerCheck {
  totalRows: number;
  /** Every commitment of the file, ready to insert; empty when there is any error. */
  commitments: CheckedCommitments;
  /** The first errors, by row (see MAX_ERRORS_KEPT); `errorCount` counts them all. */
  errors: ImportError[];
  errorCount: number;
}

/** Where a schema error about an assembled commitment belongs in the file. */
const PATH_COLUMNS: Record<string, ColumnKey> = {
  kind: 'kind', title: 'title', referenceNo: 'referenceNo', enterpriseId: 'enterpriseCode', basis: 'basis', signedOn: 'signedOn',
  amountFen: 'amount', responsibleOfficial: 'responsibleOfficial', isPublic: 'isPublic', agencyId: 'referenceNo',
};
const MILESTONE_PATH_COLUMNS: Record<string, ColumnKey> = { description: 'milestone', dueOn: 'dueOn', amountFen: 'milestoneAmount' };

function locate(group: CommitmentGroup, values: CommitmentValues, path: string): { row: number; column: ColumnKey } {
  const [head, index, field] = path.split('.');
  if (head === 'milestones') {
    // An error about the milestones together (their amounts, their number) belongs to the commitment's first row.
    if (index === undefined) return { row: group.firstRow, column: 'referenceNo' };
    return { row: group.milestoneRows[Number(index)] ?? group.firstRow, column: MILESTONE_PATH_COLUMNS[field ?? ''] ?? 'milestone' };
  }
  const column = PATH_COLUMNS[head ?? ''] ?? 'referenceNo';
  return { row: values[column]?.row ?? group.firstRow, column };
}

/** The commitment as the form and the API would accept it, or what is wrong with it. */
function assembled(input: unknown): { input: CommitmentInput; errors: FieldError[] } | { input: null; errors: FieldError[] } {
  try {
    const parsed = parseInput(commitmentInputSchema, input);
    return { input: parsed, errors: commitmentInputErrors(parsed) };
  } catch (err) {
    if (err instanceof ValidationError) return { input: null, errors: err.fieldErrors };
    throw err;
  }
}

async function inChunks<T>(items: T[], size: number, fn: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/**
 * Adds a checked row to its commitment, if it names one: the commitment-level cells are required
 * on a commitment's first row and, on later rows, blank or the same as before.
 */
function groupRow({ row, values, texts }: CheckedRow<LedgerColumns>, report: ReportRowError<LedgerColumns>, groups: LedgerGroups): CommitmentGroup | undefined {
  const referenceNo = values.referenceNo;
  let group = referenceNo === undefined ? undefined : groups.byReference.get(referenceNo);
  const first = !group;
  if (!group && referenceNo !== undefined) {
    group = { firstRow: row, values: -1, milestones: [], milestoneRows: [], hasErrors: false };
    groups.byReference.set(referenceNo, group);
  }
  // The group's cells so far, unpacked only when this row has a commitment-level cell to compare or add.
  let known: CommitmentValues | null = group && group.values >= 0 ? null : {};
  let changed = group !== undefined && group.values < 0;
  for (const column of COMMITMENT_LEVEL_COLUMNS) {
    const raw = texts[column.key] ?? '';
    const value = values[column.key];
    if (raw === '') {
      if (first && column.required) report(column.key, 'validation.required');
      continue;
    }
    if (value === undefined || !group) continue; // the cell's own error is already reported
    known ??= groups.valuesOf(group);
    const earlier = known[column.key];
    if (!earlier) {
      known[column.key] = { value, raw, row };
      changed = true;
    } else if (earlier.value !== value) report(column.key, 'commitments:files.import.errors.inconsistent', { firstRow: earlier.row, expected: earlier.raw, referenceNo });
  }
  if (group && changed) groups.setValues(group, known ?? {});
  return group;
}

/** The commitment a group makes, as the form and the API would be given it. */
function commitmentOf(groups: LedgerGroups, referenceNo: string, group: CommitmentGroup, agencyId: number, enterpriseIds: Map<string, number>, values = groups.valuesOf(group)): unknown {
  const v = (key: ColumnKey) => values[key]?.value;
  const code = values.enterpriseCode;
  return {
    kind: v('kind'),
    title: v('title'),
    referenceNo,
    agencyId,
    enterpriseId: code ? enterpriseIds.get(String(code.value)) : null,
    basis: v('basis') ?? null,
    signedOn: v('signedOn'),
    amountFen: v('amount'),
    responsibleOfficial: v('responsibleOfficial'),
    isPublic: v('isPublic'),
    milestones: groups.milestonesOf(group),
  };
}

/**
 * Reads and checks every row of a ledger file for one agency: each cell, the commitment-level
 * cells of rows sharing a reference number, credit codes against the registered enterprises,
 * reference numbers against the agency's ledger, and each assembled commitment against the
 * same schema and rules as the form and the API. `onProgress` hears how many rows were checked.
 */
export async function checkLedgerFile(
  db: Knex,
  agencyId: number,
  data: Buffer,
  format: LedgerFormat,
  onProgress: (rowsChecked: number) => Promise<void> = async () => undefined,
): Promise<LedgerCheck> {
  const groups = new LedgerGroups();
  const sheet = await checkSheet(data, format, LEDGER_IMPORT_COLUMNS, {
    onProgress,
    onRow: (checked, report) => {
      const group = groupRow(checked, report, groups);
      if (!group) return;
      if (!checked.ok) {
        group.hasErrors = true;
        return;
      }
      const { milestone, dueOn, milestoneAmount } = checked.values;
      groups.addMilestone(group, checked.row, { description: milestone!, dueOn: dueOn!, amountFen: milestoneAmount ?? null });
    },
  });
  const errors = sheet.errors;
  let enterpriseIds = new Map<string, number>();
  const result = (): LedgerCheck => ({
    totalRows: sheet.rows,
    commitments: errors.count ? new CheckedCommitments() : new CheckedCommitments(groups, agencyId, enterpriseIds),
    errors: errors.sorted(LEDGER_IMPORT_COLUMNS),
    errorCount: errors.count,
  });
  if (!sheet.complete) return result();

  const add = (row: number, column: ColumnKey, key: string, params?: Record<string, unknown>) => errors.add({ row, column: HEADER[column], key, ...(params ? { params } : {}) });
  enterpriseIds = await knownEnterprises(db, groups);
  await markUsedReferences(db, agencyId, [...groups.byReference.keys()], (referenceNo) => {
    const group = groups.byReference.get(referenceNo)!;
    group.hasErrors = true;
    add(group.firstRow, 'referenceNo', 'commitments:errors.duplicateReference', { referenceNo });
  });

  let assembledCount = 0;
  for (const [referenceNo, group] of groups.byReference) {
    if (++assembledCount % GROUPS_PER_TURN === 0) await nextTurn();
    const values = groups.valuesOf(group);
    const code = values.enterpriseCode;
    if (code && !enterpriseIds.has(String(code.value))) {
      add(code.row, 'enterpriseCode', 'commitments:files.import.errors.unknownEnterprise', { value: code.raw });
      continue;
    }
    if (group.hasErrors) continue;
    const outcome = assembled(commitmentOf(groups, referenceNo, group, agencyId, enterpriseIds, values));
    for (const p of outcome.errors) {
      const at = locate(group, values, p.path);
      add(at.row, at.column, p.key, p.params);
    }
  }
  return result();
}

/** Credit codes named in the file that belong to registered enterprises, with the enterprises' ids. */
async function knownEnterprises(db: Knex, groups: LedgerGroups): Promise<Map<string, number>> {
  const codes = new Set<string>();
  for (const group of groups.byReference.values()) {
    const code = groups.valuesOf(group).enterpriseCode;
    if (code) codes.add(String(code.value));
  }
  const known = new Map<string, number>();
  await inChunks([...codes], LOOKUP_CHUNK, async (chunk) => {
    const rows: Array<{ id: number; credit_code: string }> = await db('enterprises').whereIn('credit_code', chunk).select('id', 'credit_code');
    for (const r of rows) known.set(r.credit_code, Number(r.id));
  });
  return known;
}

/** Calls `onUsed` for each reference number the agency's ledger already holds. */
export async function markUsedReferences(db: Knex, agencyId: number, referenceNos: string[], onUsed: (referenceNo: string) => void): Promise<void> {
  await inChunks(referenceNos, LOOKUP_CHUNK, async (chunk) => {
    const used: string[] = await db('commitments').where('agency_id', agencyId).whereIn('reference_no', chunk).pluck('reference_no');
    for (const referenceNo of used) onUsed(referenceNo);
  });
}
