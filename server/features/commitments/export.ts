import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import type { ListScope } from '../../auth/policy.ts';
import { writeCsvSheet, writeXlsxSheet, type ExportRow } from '../../spreadsheets/writers.ts';
import { filteredCommitments, toListRow, type CommitmentFilters, type CommitmentListRow } from './queries.ts';
import { LEDGER_EXPORT_COLUMNS, LEDGER_SHEET, ledgerExportRow } from './spreadsheet.ts';

/** Rows are read in batches so that no query holds the (on SQLite, only) connection for the whole download. */
const EXPORT_BATCH = 2000;

export function exportFileName(today: string, extension: 'csv' | 'xlsx'): string {
  return `${LEDGER_SHEET}-${today}.${extension}`;
}

/**
 * The rows in list order, a batch at a time. The ordered ids come first in one query; each batch is then
 * read by id, so no batch re-sorts the whole list (OFFSET paging did, and grew with the list), and the
 * single SQLite connection is free between batches while the response streams to a slow client.
 */
async function* exportRows(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): AsyncGenerator<CommitmentListRow> {
  const ids: number[] = (await filteredCommitments(db, scope, filters, today).clearSelect().select('x.id')).map((r: { id: number }) => Number(r.id));
  for (let start = 0; start < ids.length; start += EXPORT_BATCH) {
    const batchIds = ids.slice(start, start + EXPORT_BATCH);
    const batch: Array<Record<string, unknown>> = await filteredCommitments(db, scope, filters, today).clearOrder().whereIn('x.id', batchIds);
    const byId = new Map(batch.map((raw) => [Number(raw.id), raw]));
    for (const id of batchIds) {
      const raw = byId.get(id);
      if (raw) yield toListRow(raw);
    }
  }
}

async function* exportCells(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string): AsyncGenerator<ExportRow<typeof LEDGER_EXPORT_COLUMNS>> {
  let seq = 0;
  for await (const row of exportRows(db, scope, filters, today)) yield ledgerExportRow(row, ++seq);
}

/** The filtered list as CSV, streamed, in the ledger's file format. */
export async function writeCsvExport(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string, out: Writable): Promise<void> {
  await writeCsvSheet(out, LEDGER_EXPORT_COLUMNS, exportCells(db, scope, filters, today));
}

/** The filtered list as an Excel workbook, written row by row to `out`. */
export async function writeXlsxExport(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string, out: Writable): Promise<void> {
  await writeXlsxSheet(out, LEDGER_SHEET, LEDGER_EXPORT_COLUMNS, exportCells(db, scope, filters, today));
}
