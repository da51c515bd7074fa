import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import { formatYuan } from '../../domain/money.ts';
import { checkInput } from '../../http/validate.ts';
import { checkSheet, type RowValues, type SheetError } from '../../spreadsheets/checker.ts';
import { readSheetRows } from '../../spreadsheets/read-sheet.ts';
import { DEFAULT_SHEET_LIMITS, SheetReadError, type SheetFormat } from '../../spreadsheets/reading.ts';
import { arrearsInputSchema, type ArrearsInput } from './schema.ts';
import { columnsForHeader, type ArrearsColumnKey, type ArrearsColumns } from './spreadsheet.ts';

/*
 * The import of an arrears spreadsheet: one row per arrears. The shared checker reads the file and
 * checks each cell against the columns of spreadsheet.ts; this module checks what only the ledger
 * knows (the agency, the creditor, the commitment, contract numbers already used) and each row
 * against the same schema as the form and the API. Every row is checked before anything is written;
 * one error rejects the file.
 */

export type ImportError = SheetError;

/** Rows run through the schema between two turns of the event loop. */
const ROWS_PER_TURN = 200;
const LOOKUP_CHUNK = 500;

export interface ArrearsFileCheck {
  totalRows: number;
  /** Every arrears of the file, ready to insert; empty when there is any error. */
  arrears: ArrearsInput[];
  /** The first errors, by row and column; `errorCount` counts them all. */
  errors: ImportError[];
  errorCount: number;
}

interface ReadRow {
  row: number;
  values: RowValues<ArrearsColumns>;
  /** Columns whose cell failed its own check (or a check across rows): the schema's word on them would only repeat it. */
  failed: ArrearsColumnKey[];
}

/** Where a schema error about a row belongs in the file. */
const PATH_COLUMNS: Record<keyof ArrearsInput, ArrearsColumnKey> = {
  agencyId: 'agency', enterpriseId: 'enterpriseCode', category: 'category', contractRef: 'contractRef', contractSignedOn: 'contractSignedOn', principalFen: 'principal',
  acceptedOn: 'acceptedOn', dueOn: 'dueOn', disputedFen: 'disputed', agreedAnnualRate: 'agreedAnnualRate', commitmentId: 'commitmentRef',
  responsibleOfficial: 'responsibleOfficial', description: 'description',
};

const MONEY_COLUMNS = new Set<ArrearsColumnKey>(['principal', 'disputed']);

/** The schema's bounds on an amount are in fen; the file's amounts are in yuan ("at least 0.01", not "at least 1"). */
function inYuan(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!params) return params;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, (k === 'min' || k === 'max') && typeof v === 'number' ? formatYuan(v) : v]));
}

async function inChunks<T>(items: T[], size: number, fn: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/**
 * The file's header row, read ahead so that the columns can be spelled as the file spells them
 * (Chinese or English). A file that cannot be read this far gets the Chinese columns: the checker
 * then reports why it cannot be read.
 */
async function headerOf(data: Buffer, format: SheetFormat): Promise<string[]> {
  try {
    // Leaving the loop closes the reader: no row past the header is read (a workbook's shared strings are, before its first row).
    for await (const { cells } of readSheetRows(data, format, DEFAULT_SHEET_LIMITS)) if (cells.some((c) => c.trim() !== '')) return cells;
  } catch (err) {
    if (!(err instanceof SheetReadError)) throw err;
  }
  return [];
}

/** Agencies named in the file by code or by name, with their ids. */
async function agenciesNamed(db: Knex, texts: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await inChunks(texts, LOOKUP_CHUNK, async (chunk) => {
    const rows: Array<{ id: number; code: string; name: string }> = await db('agencies').whereIn('code', chunk).orWhereIn('name', chunk).select('id', 'code', 'name');
    for (const r of rows) {
      found.set(r.code, Number(r.id));
      found.set(r.name, Number(r.id));
    }
  });
  return found;
}

/** Registered enterprises by credit code. */
async function enterprisesCoded(db: Knex, codes: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await inChunks(codes, LOOKUP_CHUNK, async (chunk) => {
    const rows: Array<{ id: number; credit_code: string }> = await db('enterprises').whereIn('credit_code', chunk).select('id', 'credit_code');
    for (const r of rows) found.set(r.credit_code, Number(r.id));
  });
  return found;
}

/** The agency's commitments by reference number. */
async function commitmentsOf(db: Knex, agencyId: number, referenceNos: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await inChunks(referenceNos, LOOKUP_CHUNK, async (chunk) => {
    const rows: Array<{ id: number; reference_no: string }> = await db('commitments').where('agency_id', agencyId).whereIn('reference_no', chunk).select('id', 'reference_no');
    for (const r of rows) found.set(r.reference_no, Number(r.id));
  });
  return found;
}

/** Calls `onUsed` for each contract number the agency's arrears ledger already holds. */
export async function markUsedContractRefs(db: Knex, agencyId: number, contractRefs: string[], onUsed: (contractRef: string) => void): Promise<void> {
  await inChunks([...new Set(contractRefs)], LOOKUP_CHUNK, async (chunk) => {
    const used: string[] = await db('arrears').where('agency_id', agencyId).whereIn('contract_ref', chunk).distinct().pluck('contract_ref');
    for (const contractRef of used) onUsed(contractRef);
  });
}

const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => v !== undefined))];

/**
 * Reads and checks every row of an arrears file for one agency: each cell, contract numbers repeated
 * in the file or already in the agency's ledger, the agency each row names (only the uploader's own),
 * credit codes against the registered enterprises, commitment numbers against the agency's
 * commitments, and each row against the schema of the form and the API. `onProgress` hears how many
 * rows were checked.
 */
export async function checkArrearsFile(
  db: Knex,
  agencyId: number,
  data: Buffer,
  format: SheetFormat,
  onProgress: (rowsChecked: number) => Promise<void> = async () => undefined,
): Promise<ArrearsFileCheck> {
  const columns = columnsForHeader(await headerOf(data, format));
  const header = Object.fromEntries(columns.map((c) => [c.key, c.header])) as Record<ArrearsColumnKey, string>;
  const rows: ReadRow[] = [];
  const firstRowOfContract = new Map<string, number>();
  const sheet = await checkSheet(data, format, columns, {
    onProgress,
    onRow: (checked, report) => {
      const failed = checked.ok ? [] : columns.filter((c) => (checked.texts[c.key] ? checked.values[c.key] === undefined : c.required)).map((c) => c.key);
      const contractRef = checked.values.contractRef;
      if (contractRef !== undefined) {
        const firstRow = firstRowOfContract.get(contractRef);
        if (firstRow === undefined) firstRowOfContract.set(contractRef, checked.row);
        else {
          report('contractRef', 'arrears:import.errors.repeatedContract', { contractRef, firstRow });
          failed.push('contractRef');
        }
      }
      rows.push({ row: checked.row, values: checked.values, failed });
    },
  });
  const errors = sheet.errors;
  const arrears: ArrearsInput[] = [];
  const result = (): ArrearsFileCheck => ({ totalRows: sheet.rows, arrears: errors.count ? [] : arrears, errors: errors.sorted(columns), errorCount: errors.count });
  if (!sheet.complete) return result();

  const agencies = await agenciesNamed(db, distinct(rows.map((r) => r.values.agency)));
  const enterprises = await enterprisesCoded(db, distinct(rows.map((r) => r.values.enterpriseCode)));
  const commitments = await commitmentsOf(db, agencyId, distinct(rows.map((r) => r.values.commitmentRef)));
  const used = new Set<string>();
  await markUsedContractRefs(db, agencyId, [...firstRowOfContract.keys()], (contractRef) => used.add(contractRef));

  let checkedRows = 0;
  for (const { row, values, failed } of rows) {
    if (++checkedRows % ROWS_PER_TURN === 0) await nextTurn();
    const failedColumns = new Set(failed);
    const add = (column: ArrearsColumnKey, key: string, params?: Record<string, unknown>) => {
      failedColumns.add(column);
      errors.add({ row, column: header[column], key, ...(params ? { params } : {}) });
    };
    if (values.agency !== undefined) {
      const named = agencies.get(values.agency);
      if (named === undefined) add('agency', 'arrears:import.errors.unknownAgency', { value: values.agency });
      else if (named !== agencyId) add('agency', 'arrears:import.errors.otherAgency', { value: values.agency });
    }
    if (values.enterpriseCode !== undefined && !enterprises.has(values.enterpriseCode)) add('enterpriseCode', 'arrears:import.errors.unknownEnterprise', { value: values.enterpriseCode });
    if (values.commitmentRef !== undefined && !commitments.has(values.commitmentRef)) add('commitmentRef', 'arrears:import.errors.unknownCommitment', { value: values.commitmentRef });
    if (values.contractRef !== undefined && used.has(values.contractRef) && firstRowOfContract.get(values.contractRef) === row) {
      add('contractRef', 'arrears:import.errors.usedContract', { contractRef: values.contractRef });
    }
    // The schema sees the row even when some cells are wrong, so that one upload lists every error; it speaks only of the others.
    const outcome = checkInput(arrearsInputSchema, {
      agencyId,
      enterpriseId: enterprises.get(values.enterpriseCode!),
      category: values.category,
      contractRef: values.contractRef,
      contractSignedOn: values.contractSignedOn,
      principalFen: values.principal,
      acceptedOn: values.acceptedOn,
      dueOn: values.dueOn ?? null,
      disputedFen: values.disputed ?? null,
      agreedAnnualRate: values.agreedAnnualRate ?? null,
      commitmentId: values.commitmentRef === undefined ? null : commitments.get(values.commitmentRef),
      responsibleOfficial: values.responsibleOfficial,
      description: values.description,
    });
    if (!outcome.ok) {
      for (const e of outcome.errors) {
        const column = PATH_COLUMNS[e.path.split('.')[0] as keyof ArrearsInput] ?? 'contractRef';
        if (!failedColumns.has(column)) add(column, e.key, MONEY_COLUMNS.has(column) ? inYuan(e.params) : e.params);
      }
    } else if (failedColumns.size === 0) arrears.push(outcome.value);
  }
  return result();
}
