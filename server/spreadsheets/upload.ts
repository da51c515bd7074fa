import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { CheckedUploads } from '../http/forms.ts';
import { MAX_UPLOAD_BYTES, type UploadedFile } from '../http/uploads.ts';
import { jobOutput } from '../jobs/queue.ts';
import type { Job } from '../jobs/types.ts';
import type { SheetError } from './checker.ts';
import { spreadsheetFormatOf } from './read-sheet.ts';
import type { SheetFormat } from './reading.ts';

/** An uploaded spreadsheet an import job will read: its name, its format and its bytes. */
export interface UploadedSheet {
  name: string;
  format: SheetFormat;
  data: Buffer;
}

/**
 * The upload check of an import form: one file, recognised from its bytes as a workbook or UTF-8 CSV.
 * Every refusal names the file; `messageKey` gives the feature's key for each reason: missing, tooLarge, empty,
 * notUtf8, badFormat.
 */
export function checkSheetUpload(messageKey: (reason: string) => string, fallbackName: string) {
  return async (files: UploadedFile[], field: string): Promise<CheckedUploads<UploadedSheet>> => {
    const refuse = (key: string, params: Record<string, unknown> = {}) => ({ files: [], errors: [{ path: field, key: messageKey(key), params }] });
    const [file] = files;
    if (!file) return refuse('missing');
    if (file.tooLarge) return refuse('tooLarge', { max: MAX_UPLOAD_BYTES / (1024 * 1024) });
    const name = file.originalname.replace(/\\/g, '/').split('/').pop()!.trim().slice(0, 255) || fallbackName;
    if (file.size === 0) return refuse('empty', { name });
    // The job keeps the file in its row until it has run: read once, here, within the upload limit.
    const data = await readFile(file.path);
    const format = await spreadsheetFormatOf(data);
    if (format === 'not-utf8') return refuse('notUtf8', { name });
    if (format === null) return refuse('badFormat', { name });
    return { files: [{ name, format, data }], errors: [] };
  };
}

/** The problems found in a refused file: the import job's output, or the one reason it failed. */
export async function importProblems(db: Knex, job: Job): Promise<SheetError[]> {
  const output = await jobOutput(db, job.id);
  if (output) return JSON.parse(output.data.toString('utf8')) as SheetError[];
  return job.error ? [{ row: 0, column: '', key: job.error.key, params: job.error.params }] : [];
}

/** A problem as the job page lists it: its row and column, when it has them, and the message in the page's language. */
export function describeSheetError(e: SheetError, t: (key: string, params?: Record<string, unknown>) => string): { row: number | null; column: string | null; message: string } {
  return { row: e.row || null, column: e.column || null, message: t(e.key, e.params ?? {}) };
}
