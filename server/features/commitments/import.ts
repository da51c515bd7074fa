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

type MilestoneInput = CommitmentInput['milestones'][number];

interface CommitmentGroup {
  referenceNo: string;
  firstRow: number;
  values: Partial<Record<ColumnKey, CommitmentValue>>;
  /** The group's checked milestone rows, as indexes into the check's packed milestones. */
  milestones: number[];
  milestoneRows: number[];
  hasErrors: boolean;
}

/**
 * The commitments of a checked file, ready to insert, packed as JSON text (PackedStrings) and read
 * back one at a time: the objects of a whole 100,000-row file took several times the memory.
 */
export class CheckedCommitments implements Iterable<CommitmentInput> {
  private readonly packed = new PackedStrings();

  get length(): number {
    return this.packed.count;
  }

  push(input: CommitmentInput): void {
    this.packed.push(JSON.stringify(input));
  }

  *[Symbol.iterator](): Iterator<CommitmentInput> {
    for (let i = 0; i < this.packed.count; i++) yield JSON.parse(this.packed.at(i)!) as CommitmentInput;
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

function locate(group: CommitmentGroup, path: string): { row: number; column: ColumnKey } {
  const [head, index, field] = path.split('.');
  if (head === 'milestones') {
    // An error about the milestones together (their amounts, their number) belongs to the commitment's first row.
    if (index === undefined) return { row: group.firstRow, column: 'referenceNo' };
    return { row: group.milestoneRows[Number(index)] ?? group.firstRow, column: MILESTONE_PATH_COLUMNS[field ?? ''] ?? 'milestone' };
  }
  const column = PATH_COLUMNS[head ?? ''] ?? 'referenceNo';
  return { row: group.values[column]?.row ?? group.firstRow, column };
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
function groupRow({ row, values, texts }: CheckedRow<LedgerColumns>, report: ReportRowError<LedgerColumns>, groups: Map<string, CommitmentGroup>): CommitmentGroup | undefined {
  const referenceNo = values.referenceNo;
  let group = referenceNo === undefined ? undefined : groups.get(referenceNo);
  const first = !group;
  if (!group && referenceNo !== undefined) {
    group = { referenceNo, firstRow: row, values: {}, milestones: [], milestoneRows: [], hasErrors: false };
    groups.set(referenceNo, group);
  }
  for (const column of COMMITMENT_LEVEL_COLUMNS) {
    const raw = texts[column.key] ?? '';
    const value = values[column.key];
    if (raw === '') {
      if (first && column.required) report(column.key, 'validation.required');
      continue;
    }
    if (value === undefined || !group) continue; // the cell's own error is already reported
    const earlier = group.values[column.key];
    if (!earlier) group.values[column.key] = { value, raw, row };
    else if (earlier.value !== value) report(column.key, 'commitments:files.import.errors.inconsistent', { firstRow: earlier.row, expected: earlier.raw, referenceNo });
  }
  return group;
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
  const groups = new Map<string, CommitmentGroup>();
  // Each checked milestone row as the JSON of its milestone, packed: groups hold only their indexes.
  let milestones = new PackedStrings();
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
      group.milestones.push(milestones.push(JSON.stringify({ description: milestone!, dueOn: dueOn!, amountFen: milestoneAmount ?? null } satisfies MilestoneInput)));
      group.milestoneRows.push(checked.row);
    },
  });
  const errors = sheet.errors;
  let commitments = new CheckedCommitments();
  const result = (): LedgerCheck => ({
    totalRows: sheet.rows,
    commitments: errors.count ? new CheckedCommitments() : commitments,
    errors: errors.sorted(LEDGER_IMPORT_COLUMNS),
    errorCount: errors.count,
  });
  if (!sheet.complete) return result();

  const add = (row: number, column: ColumnKey, key: string, params?: Record<string, unknown>) => errors.add({ row, column: HEADER[column], key, ...(params ? { params } : {}) });
  const enterpriseIds = await knownEnterprises(db, groups);
  await markUsedReferences(db, agencyId, [...groups.keys()], (referenceNo) => {
    const group = groups.get(referenceNo)!;
    group.hasErrors = true;
    add(group.firstRow, 'referenceNo', 'commitments:errors.duplicateReference', { referenceNo });
  });

  let assembledCount = 0;
  for (const group of groups.values()) {
    if (++assembledCount % GROUPS_PER_TURN === 0) await nextTurn();
    const code = group.values.enterpriseCode;
    if (code && !enterpriseIds.has(String(code.value))) {
      add(code.row, 'enterpriseCode', 'commitments:files.import.errors.unknownEnterprise', { value: code.raw });
      continue;
    }
    if (group.hasErrors) continue;
    const v = (key: ColumnKey) => group.values[key]?.value;
    const outcome = assembled({
      kind: v('kind'),
      title: v('title'),
      referenceNo: group.referenceNo,
      agencyId,
      enterpriseId: code ? enterpriseIds.get(String(code.value)) : null,
      basis: v('basis') ?? null,
      signedOn: v('signedOn'),
      amountFen: v('amount'),
      responsibleOfficial: v('responsibleOfficial'),
      isPublic: v('isPublic'),
      milestones: group.milestones.map((index) => JSON.parse(milestones.at(index)!) as MilestoneInput),
    });
    for (const p of outcome.errors) {
      const at = locate(group, p.path);
      add(at.row, at.column, p.key, p.params);
    }
    // Once the file has an error nothing is imported: its commitments are checked for their own errors, not kept.
    if (outcome.input && outcome.errors.length === 0 && errors.count === 0) commitments.push(outcome.input);
  }
  if (errors.count) commitments = new CheckedCommitments();
  milestones = new PackedStrings();
  return result();
}

/** Credit codes named in the file that belong to registered enterprises, with the enterprises' ids. */
async function knownEnterprises(db: Knex, groups: Map<string, CommitmentGroup>): Promise<Map<string, number>> {
  const codes = [...new Set([...groups.values()].flatMap((g) => (g.values.enterpriseCode ? [String(g.values.enterpriseCode.value)] : [])))];
  const known = new Map<string, number>();
  await inChunks(codes, LOOKUP_CHUNK, async (chunk) => {
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
