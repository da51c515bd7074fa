import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { assertCanRead, authorize, guardedRouter } from '../../auth/policy.ts';
import { OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { actionForm, type CheckedUploads } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { MAX_UPLOAD_BYTES, type UploadedFile } from '../../http/uploads.ts';
import { jobStatusView } from '../../jobs/present.ts';
import { enqueue, findJob, jobOutput, listJobs } from '../../jobs/queue.ts';
import type { Job } from '../../jobs/types.ts';
import { spreadsheetFormatOf } from '../../spreadsheets/read-sheet.ts';
import type { SheetFormat } from '../../spreadsheets/reading.ts';
import type { ImportError } from './import.ts';
import { ARREARS_IMPORT_JOB_KIND, arrearsImportJob, importResultOf, type ArrearsImportPayload } from './import-job.ts';
import { ARREARS } from './policy.ts';
import { arrearsTemplate, csvTemplateRows } from './spreadsheet.ts';

/** Errors listed on the job's page; the full list is a download. */
const ERRORS_SHOWN = 200;
const RECENT_IMPORTS = 10;
const IMPORT_VIEW = 'arrears/views/import';
const TEMPLATE_NAME = '欠款台账导入模板';

function describeError(e: ImportError, t: Request['t']): { row: number | null; column: string | null; message: string } {
  return { row: e.row || null, column: e.column || null, message: t(e.key, e.params ?? {}) };
}

/** The import of arrears from a spreadsheet: the upload page and its templates, the upload, and each import job's page. */
export function arrearsFileRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  const importPageLocals = async (req: Request, res: Response) => ({
    title: res.locals.t('arrears:import.title'),
    jobs: await listJobs(db, { kind: ARREARS_IMPORT_JOB_KIND, agencyId: req.user!.agencyId!, limit: RECENT_IMPORTS }),
  });

  r.get('/arrears/import', OFFICERS, async (req, res) => {
    renderPage(res, IMPORT_VIEW, await importPageLocals(req, res));
  });

  // The example row names the officer's own agency, so that the template as downloaded imports.
  r.get('/arrears/import/template.xlsx', OFFICERS, async (req, res) => {
    res.set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition(`${TEMPLATE_NAME}.xlsx`) });
    await arrearsTemplate(req.user!.agencyName ?? '').xlsx.write(res);
    res.end();
  });

  r.get('/arrears/import/template.csv', OFFICERS, async (req, res) => {
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachmentDisposition(`${TEMPLATE_NAME}.csv`) });
    await pipeline(Readable.from(csvTemplateRows(req.user!.agencyName ?? '')), stringify({ bom: true }), res);
  });

  /** The one uploaded file, recognised from its bytes as a workbook or UTF-8 CSV; every refusal names the file. */
  const checkUpload = async (files: UploadedFile[], field: string): Promise<CheckedUploads<{ name: string; format: SheetFormat; data: Buffer }>> => {
    const refuse = (key: string, params: Record<string, unknown> = {}) => ({ files: [], errors: [{ path: field, key: `arrears:import.upload.${key}`, params }] });
    const [file] = files;
    if (!file) return refuse('missing');
    if (file.tooLarge) return refuse('tooLarge', { max: MAX_UPLOAD_BYTES / (1024 * 1024) });
    const name = file.originalname.replace(/\\/g, '/').split('/').pop()!.trim().slice(0, 255) || 'arrears';
    if (file.size === 0) return refuse('empty', { name });
    // The job keeps the file in its row until it has run: read once, here, within the upload limit.
    const data = await readFile(file.path);
    const format = await spreadsheetFormatOf(data);
    if (format === 'not-utf8') return refuse('notUtf8', { name });
    if (format === null) return refuse('badFormat', { name });
    return { files: [{ name, format, data }], errors: [] };
  };

  r.post('/arrears/import', OFFICERS, ...actionForm({
    view: IMPORT_VIEW,
    locals: importPageLocals,
    read: z.object({}),
    files: { field: 'file', check: checkUpload },
    conflictField: 'file',
    run: (req, _input, [file]) => {
      const user = req.user!;
      // An officer imports into its own agency's ledger; the job refuses rows naming another agency.
      authorize(user, ARREARS.create, { agencyId: user.agencyId, enterpriseId: null }, ARREARS.read);
      return enqueue(db, arrearsImportJob, { filename: file!.name, format: file!.format }, { clock, createdBy: user.id, agencyId: user.agencyId!, input: file!.data });
    },
    done: (_req, _input, jobId) => ({ to: `/arrears/import/jobs/${jobId}`, flash: 'arrears:import.upload.queued' }),
  }));

  /** An import job is visible to the officers of the agency it imports into, and to auditors. */
  const importJob = async (req: Request): Promise<Job<ArrearsImportPayload>> => {
    const job = await findJob(db, idParam(req, 'jobId'));
    assertCanRead(req.user!, job?.kind === ARREARS_IMPORT_JOB_KIND ? { agencyId: job.agencyId } : null);
    return job as Job<ArrearsImportPayload>;
  };
  /** The problems found in a refused file: the job's output, or the one reason it failed. */
  const problemsOf = async (job: Job): Promise<ImportError[]> => {
    const output = await jobOutput(db, job.id);
    if (output) return JSON.parse(output.data.toString('utf8')) as ImportError[];
    return job.error ? [{ row: 0, column: '', key: job.error.key, params: job.error.params }] : [];
  };

  r.get('/arrears/import/jobs/:jobId', OFFICERS_AND_AUDITORS, async (req, res) => {
    const job = await importJob(req);
    const t = res.locals.t as Request['t'];
    const problems = job.status === 'failed' && job.outputType ? await problemsOf(job) : [];
    const jobUrl = `/arrears/import/jobs/${job.id}`;
    renderPage(res, 'arrears/views/import-job', {
      title: t('arrears:import.job.title', { id: job.id }),
      job,
      status: jobStatusView(job, t),
      result: importResultOf(job),
      problems: problems.slice(0, ERRORS_SHOWN).map((e) => describeError(e, t)),
      problemCount: problems.length,
      jobUrl,
      uploader: req.user!.role === 'officer',
    });
  });

  r.get('/arrears/import/jobs/:jobId/status', OFFICERS_AND_AUDITORS, async (req, res) => {
    const job = await importJob(req);
    res.set('Cache-Control', 'no-store').json(jobStatusView(job, req.t));
  });

  r.get('/arrears/import/jobs/:jobId/errors.csv', OFFICERS_AND_AUDITORS, async (req, res) => {
    const job = await importJob(req);
    const t = req.t;
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachmentDisposition(`欠款导入错误-${job.id}.csv`) });
    const rows = [
      [t('arrears:import.job.row'), t('arrears:import.job.column'), t('arrears:import.job.problem')],
      ...(await problemsOf(job)).map((e) => {
        const d = describeError(e, t);
        return [d.row ?? t('arrears:import.job.wholeFile'), d.column ?? '', d.message];
      }),
    ];
    await pipeline(Readable.from(rows), stringify({ bom: true }), res);
  });

  return r.router;
}
