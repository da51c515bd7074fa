import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { assertCanRead, authorize, guardedRouter } from '../../auth/policy.ts';
import { OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import { attachmentDisposition } from '../../http/download.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { jobStatusView } from '../../jobs/present.ts';
import { enqueue, findJob, listJobs } from '../../jobs/queue.ts';
import type { Job } from '../../jobs/types.ts';
import { checkSheetUpload, describeSheetError, importProblems } from '../../spreadsheets/upload.ts';
import { ARREARS_IMPORT_JOB_KIND, arrearsImportJob, importResultOf, type ArrearsImportPayload } from './import-job.ts';
import { ARREARS } from './policy.ts';
import { arrearsTemplate, csvTemplateRows } from './spreadsheet.ts';

/** Errors listed on the job's page; the full list is a download. */
const ERRORS_SHOWN = 200;
const RECENT_IMPORTS = 10;
const IMPORT_VIEW = 'arrears/views/import';
const TEMPLATE_NAME = '欠款台账导入模板';

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

  r.post('/arrears/import', OFFICERS, ...actionForm({
    view: IMPORT_VIEW,
    locals: importPageLocals,
    read: z.object({}),
    files: { field: 'file', check: checkSheetUpload((reason) => `arrears:import.upload.${reason}`, 'arrears') },
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

  r.get('/arrears/import/jobs/:jobId', OFFICERS_AND_AUDITORS, async (req, res) => {
    const job = await importJob(req);
    const t = res.locals.t as Request['t'];
    const problems = job.status === 'failed' && job.outputType ? await importProblems(db, job) : [];
    const jobUrl = `/arrears/import/jobs/${job.id}`;
    renderPage(res, 'arrears/views/import-job', {
      title: t('arrears:import.job.title', { id: job.id }),
      job,
      status: jobStatusView(job, t),
      result: importResultOf(job),
      problems: problems.slice(0, ERRORS_SHOWN).map((e) => describeSheetError(e, t)),
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
      ...(await importProblems(db, job)).map((e) => {
        const d = describeSheetError(e, t);
        return [d.row ?? t('arrears:import.job.wholeFile'), d.column ?? '', d.message];
      }),
    ];
    await pipeline(Readable.from(rows), stringify({ bom: true }), res);
  });

  return r.router;
}
