import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../context.ts';
import { assertCanRead, guardedRouter, listScope } from '../../auth/policy.ts';
import { BUSINESS_READERS, OFFICERS } from '../../auth/roles.ts';
import { evidenceDownloadPath } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { jobStatusView } from '../../jobs/present.ts';
import { enqueue, findJob, listJobs } from '../../jobs/queue.ts';
import type { Job } from '../../jobs/types.ts';
import { parseInput } from '../../http/validate.ts';
import { checkSheetUpload, describeSheetError, importProblems } from '../../spreadsheets/upload.ts';
import { z } from 'zod';
import { exportFileName, recordLedgerExport, writeCsvExport, writeXlsxExport, type ExportFormat, type LedgerExport } from './export.ts';
import { commitmentsImportJob, IMPORT_JOB_KIND, importResultOf, type ImportPayload } from './import-job.ts';
import { commitmentFiltersSchema } from './schema.ts';
import { ledgerTemplate } from './spreadsheet.ts';

/** Errors listed on the progress page; the full list is a download. */
const ERRORS_SHOWN = 200;
const RECENT_IMPORTS = 10;

export function commitmentFileRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();

  // Exports: the list page's filters and the caller's scope, streamed; each one is also in the audit log.
  const exportOf = (req: Request, format: ExportFormat): LedgerExport => {
    const user = req.user!;
    return { scope: listScope(user), filters: parseInput(commitmentFiltersSchema, req.query), today: clock.today(), at: clock.now().toISOString(), by: user, format };
  };
  r.get('/commitments/export.zip', BUSINESS_READERS, async (req, res) => {
    const e = exportOf(req, 'csv');
    await recordLedgerExport(db, callerOf(req), e);
    res.set({ 'Content-Type': 'application/zip', 'Content-Disposition': attachmentDisposition(exportFileName(e.today, 'csv')) });
    await writeCsvExport(db, e, res);
  });
  r.get('/commitments/export.xlsx', BUSINESS_READERS, async (req, res) => {
    const e = exportOf(req, 'xlsx');
    await recordLedgerExport(db, callerOf(req), e);
    res.set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition(exportFileName(e.today, 'xlsx')) });
    await writeXlsxExport(db, e, res);
  });

  // Evidence links from before files had one download route for every record; that route checks who may read.
  r.get('/commitments/:id/evidence/:fileId', 'signed-in', (req, res) => {
    res.redirect(301, evidenceDownloadPath(idParam(req, 'fileId')));
  });

  // Import: a file is queued as a background job; its page shows the job's progress, then the outcome.
  const importPageLocals = async (req: Request, res: Response) => ({
    title: res.locals.t('commitments:files.import.title'),
    jobs: await listJobs(db, { kind: IMPORT_JOB_KIND, agencyId: req.user!.agencyId!, limit: RECENT_IMPORTS }),
  });
  const IMPORT_VIEW = 'commitments/views/import';

  r.get('/commitments/import', OFFICERS, async (req, res) => {
    renderPage(res, IMPORT_VIEW, await importPageLocals(req, res));
  });

  r.get('/commitments/import/template.xlsx', OFFICERS, async (_req, res) => {
    res.set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition('承诺台账导入模板.xlsx') });
    await ledgerTemplate().xlsx.write(res);
    res.end();
  });

  r.post('/commitments/import', OFFICERS, ...actionForm({
    view: IMPORT_VIEW,
    locals: importPageLocals,
    read: z.object({}),
    files: { field: 'file', check: checkSheetUpload((reason) => `commitments:files.import.upload.${reason}`, 'ledger') },
    conflictField: 'file',
    run: (req, _input, [file]) => enqueue(db, commitmentsImportJob, { filename: file!.name, format: file!.format }, { clock, createdBy: req.user!.id, agencyId: req.user!.agencyId!, input: file!.data }),
    done: (_req, _input, jobId) => ({ to: `/commitments/import/${jobId}`, flash: 'commitments:files.import.upload.queued' }),
  }));

  /** An import job is visible only to the officers of the agency it imports into. */
  const ownJob = async (req: Request): Promise<Job<ImportPayload>> => {
    const job = await findJob(db, idParam(req, 'jobId'));
    assertCanRead(req.user!, job?.kind === IMPORT_JOB_KIND ? { agencyId: job.agencyId } : null);
    return job as Job<ImportPayload>;
  };

  r.get('/commitments/import/:jobId', OFFICERS, async (req, res) => {
    const job = await ownJob(req);
    const t = res.locals.t as Request['t'];
    // The progress partial says why a job failed; the problems found in a refused file are listed below it.
    const problems = job.status === 'failed' && job.outputType ? await importProblems(db, job) : [];
    renderPage(res, 'commitments/views/import-job', {
      title: t('commitments:files.import.job.title', { id: job.id }),
      job,
      status: jobStatusView(job, t),
      result: importResultOf(job),
      problems: problems.slice(0, ERRORS_SHOWN).map((e) => describeSheetError(e, t)),
      problemCount: problems.length,
      jobUrl: `/commitments/import/${job.id}`,
    });
  });

  r.get('/commitments/import/:jobId/status', OFFICERS, async (req, res) => {
    const job = await ownJob(req);
    res.set('Cache-Control', 'no-store').json(jobStatusView(job, req.t));
  });

  r.get('/commitments/import/:jobId/errors.csv', OFFICERS, async (req, res) => {
    const job = await ownJob(req);
    const t = req.t;
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachmentDisposition(`导入错误-${job.id}.csv`) });
    const rows = [
      [t('commitments:files.import.job.row'), t('commitments:files.import.job.column'), t('commitments:files.import.job.problem')],
      ...(await importProblems(db, job)).map((e) => {
        const d = describeSheetError(e, t);
        return [d.row ?? t('commitments:files.import.job.wholeFile'), d.column ?? '', d.message];
      }),
    ];
    await pipeline(Readable.from(rows), stringify({ bom: true }), res);
  });

  return r.router;
}
