import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { capturingLogger, csrfFrom, idOf, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { verifyChain } from '../../audit/chain.ts';
import { testWorkbook } from '../../spreadsheets/testing.ts';
import { checkLedgerFile } from './import.ts';
import { fixedClock } from '../../domain/clock.ts';
import { claimNext, enqueue, findJob, jobOutput } from '../../jobs/queue.ts';
import { runQueuedJobs } from '../../jobs/runner.ts';
import type { ClaimedJob } from '../../jobs/types.ts';
import { commitmentsImportJob, IMPORT_JOB_KIND, type ImportPayload } from './import-job.ts';
import { createCommitment } from './service/register.ts';
import { LEDGER_IMPORT_COLUMNS, ledgerTemplate } from './spreadsheet.ts';
import { callerFor, commitmentInput, demoUser } from '../../../test/factories.ts';

const HEADERS = LEDGER_IMPORT_COLUMNS.map((c) => c.header);
const CODE = DEMO_ENTERPRISES[0].code;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('承诺台账');
  sheet.addRow(HEADERS);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvOf(lines: string[]): Buffer {
  return Buffer.from('\ufeff' + [HEADERS.join(','), ...lines].join('\r\n') + '\r\n', 'utf8');
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function upload(agent: request.Agent, data: Buffer, filename: string, contentType = XLSX_TYPE) {
  const token = await csrfFrom(agent, '/commitments/import');
  return agent.post(uploadUrl('/commitments/import', token)).attach('file', data, { filename, contentType });
}

async function countOf(ctx: TestContext, table: string): Promise<number> {
  const [{ n }] = await ctx.db(table).count({ n: '*' });
  return Number(n);
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('commitment import', () => {
  let ctx: TestContext;
  let agencyId: number;

  before(async () => {
    ctx = await startTestApp();
    agencyId = await idOf(ctx.db, 'agencies', { name: '青岛市行政审批服务局' });
  });
  after(() => ctx.close());

  it('offers a template with the ledger sheet, two example rows and a sheet that explains every column', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get('/commitments/import/template.xlsx').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['承诺台账', '填写说明']);
    const ledger = wb.getWorksheet('承诺台账')!;
    expect((ledger.getRow(1).values as unknown[]).slice(1)).to.deep.equal(HEADERS);
    expect(ledger.actualRowCount).to.equal(3);
    const guide: string[] = [];
    wb.getWorksheet('填写说明')!.eachRow((row) => guide.push((row.values as unknown[]).slice(1).join(' ')));
    for (const header of HEADERS) expect(guide.some((line) => line.startsWith(header)), header).to.equal(true);
    const text = guide.join('\n');
    for (const word of ['政府合同', '政策承诺', '招商引资协议', '其他', 'YYYY-MM-DD', '“是”或“否”', '元']) expect(text).to.include(word);
  });

  it('accepts the template’s own example rows as one commitment with two milestones', async () => {
    const template = Buffer.from(await ledgerTemplate().xlsx.writeBuffer());
    const check = await checkLedgerFile(ctx.db, agencyId, template, 'xlsx');
    expect(check.errors).to.deep.equal([]);
    expect([...check.commitments].map((c) => [c.referenceNo, c.kind, c.amountFen, c.milestones.length])).to.deep.equal([['QDSP-HT-2026-001', 'contract', 120_000_000, 2]]);
  });

  it('imports a good workbook in the background: counts, ledger, audit log and the progress page', async () => {
    const file = await xlsxOf([
      ['SP-2026-101', '政府合同', '政务大厅改造', CODE, '采购合同', day('2026-01-15'), 1_200_000, '张伟', '是', '首期款', day('2026-03-31'), 360_000],
      ['SP-2026-102', '政策承诺', '人才公寓补贴', '', '', '2026-02-01', '50000', '李娜', '否', '第一批补贴', '2026-04-30', ''],
      ['SP-2026-101', '', '', '', '', '', '', '', '', '进度款', '2026-06-30', '480000.50'],
      ['SP-2026-102', '政策承诺', '人才公寓补贴', '', '', '2026-02-01', '50,000.00', '李娜', '否', '第二批补贴', '2026-10-31', ''],
      ['SP-2026-101', '政府合同', '政务大厅改造', CODE.toLowerCase(), '采购合同', '2026/1/15', '1200000', '张伟', '是', '尾款', '2026-09-30', 359_999.5],
    ]);
    const agent = await signIn(ctx.app, 'officer1');
    const before = await countOf(ctx, 'commitments');
    const posted = await upload(agent, file, '二〇二六年台账.xlsx');
    expect(posted.status).to.equal(303);
    const jobUrl = posted.headers.location as string;
    expect(jobUrl).to.match(/^\/commitments\/import\/\d+$/);

    const waiting = await agent.get(jobUrl);
    expect(waiting.text).to.include(`data-job-poll="${jobUrl}/status"`);
    expect(waiting.text).to.include('二〇二六年台账.xlsx');
    expect(waiting.text).to.include('排队中');
    expect(waiting.text).to.include(`href="${jobUrl}"`); // the refresh link for browsers without scripts
    expect(waiting.text).to.include('<progress');
    const queued = await agent.get(`${jobUrl}/status`);
    expect(queued.headers['cache-control']).to.equal('no-store');
    expect(queued.body).to.include({ status: 'queued', statusLabel: '排队中', finished: false, error: null });

    expect(await runJobs(ctx.db)).to.equal(1);

    const status = await agent.get(`${jobUrl}/status`);
    expect(status.body).to.include({ status: 'done', statusLabel: '已完成', finished: true, error: null });
    const page = await agent.get(jobUrl);
    expect(page.text).to.include('导入完成：2 项承诺、5 个履约节点已登记到本单位台账。');
    expect(page.text).to.include('href="/commitments"');
    expect(page.text).not.to.include('data-job-poll');
    expect(await countOf(ctx, 'commitments')).to.equal(before + 2);

    const enterpriseId = await idOf(ctx.db, 'enterprises', { credit_code: CODE });
    const contract = await ctx.db('commitments').where({ agency_id: agencyId, reference_no: 'SP-2026-101' }).first();
    expect(contract).to.deep.include({ kind: 'contract', title: '政务大厅改造', enterprise_id: enterpriseId, basis: '采购合同', signed_on: '2026-01-15', responsible_official: '张伟' });
    expect(Number(contract.amount_fen)).to.equal(120_000_000);
    expect(Boolean(contract.is_public)).to.equal(true);
    const milestones = await ctx.db('milestones').where({ commitment_id: contract.id }).orderBy('seq').select('seq', 'description', 'due_on', 'amount_fen');
    expect(milestones.map((m) => [m.seq, m.description, m.due_on, m.amount_fen === null ? null : Number(m.amount_fen)])).to.deep.equal([
      [1, '首期款', '2026-03-31', 36_000_000],
      [2, '进度款', '2026-06-30', 48_000_050],
      [3, '尾款', '2026-09-30', 35_999_950],
    ]);
    const policy = await ctx.db('commitments').where({ agency_id: agencyId, reference_no: 'SP-2026-102' }).first();
    expect(policy).to.deep.include({ kind: 'policy', enterprise_id: null, basis: null });
    expect(Boolean(policy.is_public)).to.equal(false);

    const exported = await JSZip.loadAsync((await agent.get('/commitments/export.zip?q=SP-2026-1').buffer(true).parse(binary)).body as Buffer);
    const ledger = parse(await exported.file('承诺汇总.csv')!.async('nodebuffer'), { bom: true }) as string[][];
    expect(ledger.slice(1).map((r) => r[1]).sort()).to.deep.equal(['SP-2026-101', 'SP-2026-102']);

    const officer1 = await demoUser(ctx.db, 'officer1');
    const audit = await ctx.db('audit_log').whereIn('action', ['commitment.created', 'commitments.imported']).where('actor_id', officer1.id).orderBy('id').select('action', 'entity_type', 'entity_id');
    expect(audit.map((a) => [a.action, a.entity_type, a.entity_id])).to.deep.equal([
      ['commitment.created', 'commitment', String(contract.id)],
      ['commitment.created', 'commitment', String(policy.id)],
      ['commitments.imported', 'import_job', jobUrl.split('/').pop()],
    ]);
    expect(await verifyChain(ctx.db)).to.include({ ok: true });

    const job = await ctx.db('jobs').where({ id: Number(jobUrl.split('/').pop()) }).first('kind', 'agency_id', 'created_by', 'input');
    expect(job).to.deep.include({ kind: IMPORT_JOB_KIND, agency_id: agencyId, created_by: officer1.id, input: null });
    expect((await agent.get('/commitments/import')).text).to.include('2 项承诺，5 个节点');
  });

  it('rejects a CSV with errors in several rows, lists each with its row and column, and imports nothing', async () => {
    const csv = csvOf([
      'SP-ERR-1,政府合同,路灯改造,,,2026-01-10,1000,王强,是,首付款,2026-02-30,500',
      'SP-ERR-1,政府合同,路灯改造二期,,,,,,,尾款,2026-05-31,700.001',
      ',,,,,,,,,,,',
      'SP-ERR-2,合同,绿化工程,91370200MA0000000X,,2026-01-10,-5,赵六,可以,,2026-06-30,',
      'SP-ERR-3,其他,"内容含,逗号",,,2026-01-10,100,周七,否,节点一,2026-06-30,80',
      'SP-ERR-3,其他,,,,,,,,节点二,2026-07-31,30',
      'SP-ERR-4,政策承诺,未登记企业,' + '91350100M000100Y43' + ',,2026-01-10,0,钱八,否,发放补贴,2026-03-01,',
    ]);
    const agent = await signIn(ctx.app, 'officer1');
    const before = await countOf(ctx, 'commitments');
    const posted = await upload(agent, csv, 'ledger.csv', 'text/csv');
    expect(posted.status).to.equal(303);
    await runJobs(ctx.db);
    const jobUrl = posted.headers.location as string;
    const status = (await agent.get(`${jobUrl}/status`)).body;
    expect(status).to.include({ status: 'failed', statusLabel: '失败', finished: true, error: '文件中有 10 处错误，没有导入任何内容。请改正后重新上传。' });
    expect(await countOf(ctx, 'commitments')).to.equal(before);

    const report = await agent.get(`${jobUrl}/errors.csv`).buffer(true).parse(binary);
    const rows = parse(report.body as Buffer, { bom: true }) as string[][];
    expect(rows[0]).to.deep.equal(['行', '列', '问题']);
    expect(rows.slice(1).map(([row, column]) => [row, column])).to.deep.equal([
      ['2', '节点到期日'],
      ['3', '承诺事项'],
      ['3', '节点金额（元）'],
      ['5', '承诺类型'],
      ['5', '对方企业统一社会信用代码'],
      ['5', '总金额（元）'],
      ['5', '是否公开'],
      ['5', '节点内容'],
      ['6', '文号/合同编号'],
      ['8', '对方企业统一社会信用代码'],
    ]);
    const messages = rows.slice(1).map((r) => r[2]);
    expect(messages[0]).to.equal('“2026-02-30”不是有效日期，应写成 YYYY-MM-DD（如 2026-01-05），也可写成 2026/1/5 或 2026年1月5日。');
    expect(messages[1]).to.equal('与第 2 行（同一文号“SP-ERR-1”）不一致，应为“路灯改造”或留空。');
    expect(messages[8]).to.equal('各履约节点金额合计超出承诺总金额 10.00 元（总金额 100.00 元）。');
    expect(messages[9]).to.equal('统一社会信用代码 91350100M000100Y43 不属于平台已登记的市场主体。');

    const failure = await ctx.db('audit_log').where({ action: 'commitments.import_failed', entity_id: jobUrl.split('/').pop() }).first();
    expect(failure).to.include({ actor_name: 'officer1', entity_type: 'import_job' });
    expect(JSON.parse(failure.after_json)).to.deep.equal({ agencyId, filename: 'ledger.csv', failure: 'fileErrors', problemCount: 10 });

    const page = await agent.get(jobUrl);
    expect(page.text).to.include('文件中有 10 处错误，没有导入任何内容。');
    expect(page.text).to.match(/<td class="num">3<\/td><td>节点金额（元）<\/td><td>“700\.001”不是有效金额/);
    expect(page.text).to.include(`href="${jobUrl}/errors.csv"`);
    expect((await agent.get('/commitments/import')).text).to.include('10 处错误');
  });

  it('refuses reference numbers already in the agency’s ledger, but not those of another agency', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const officer2 = await demoUser(ctx.db, 'officer2');
    await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { referenceNo: 'SP-USED-1' }));
    await createCommitment(ctx, callerFor(officer2), commitmentInput(officer2.agencyId!, { referenceNo: 'SW-ONLY-1' }));
    const file = await xlsxOf([
      ['SW-ONLY-1', '其他', '与商务局文号相同', '', '', '2026-01-01', 10, '孙九', '否', '节点', '2026-12-31', ''],
      ['SP-USED-1', '其他', '重复文号', '', '', '2026-01-01', 10, '孙九', '否', '节点', '2026-12-31', ''],
    ]);
    const before = await countOf(ctx, 'commitments');
    const posted = await upload(await signIn(ctx.app, 'officer1'), file, 'dup.xlsx');
    await runJobs(ctx.db);
    const jobId = Number(String(posted.headers.location).split('/').pop());
    expect((await findJob(ctx.db, jobId))!.status).to.equal('failed');
    const problems = JSON.parse(String((await jobOutput(ctx.db, jobId))!.data));
    expect(problems).to.deep.equal([{ row: 3, column: '文号/合同编号', key: 'commitments:errors.duplicateReference', params: { referenceNo: 'SP-USED-1' } }]);
    expect(await countOf(ctx, 'commitments')).to.equal(before);
  });

  it('shows a job only to the officers of its agency', async () => {
    const posted = await upload(await signIn(ctx.app, 'officer1'), await xlsxOf([]), 'empty.xlsx');
    const jobUrl = posted.headers.location as string;
    await runJobs(ctx.db);
    const officer2 = await signIn(ctx.app, 'officer2');
    for (const url of [jobUrl, `${jobUrl}/status`, `${jobUrl}/errors.csv`]) expect((await officer2.get(url)).status, url).to.equal(404);
    expect((await (await signIn(ctx.app, 'auditor')).get(jobUrl)).status).to.equal(403);
    const own = await (await signIn(ctx.app, 'officer1')).get(jobUrl);
    expect(own.text).to.include('文件中没有数据行：第 1 行应为表头，数据从第 2 行起。');
    expect((await officer2.get('/commitments/import')).text).not.to.include('empty.xlsx');
    // Another kind of job with the same agency is not an import: its id answers 404 on the import pages.
    const other = await enqueue(ctx.db, { kind: 'other.kind', async run() { return {}; } }, {}, { agencyId });
    expect((await (await signIn(ctx.app, 'officer1')).get(`/commitments/import/${other}/status`)).status).to.equal(404);
  });

  it('refuses uploads that are not a workbook or UTF-8 text, judged by their bytes, and keeps the page', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const jobs = await countOf(ctx, 'jobs');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const spoofed = await upload(agent, png, 'ledger.xlsx');
    expect(spoofed.status).to.equal(422);
    expect(spoofed.text).to.include('“ledger.xlsx”不是 Excel 工作簿（.xlsx）或 CSV 文本文件。');
    const gbk = Buffer.from([0xce, 0xc4, 0xba, 0xc5, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x0d, 0x0a]); // "文号,类型" in GBK
    const notUtf8 = await upload(agent, gbk, 'ledger.csv', 'text/csv');
    expect(notUtf8.status).to.equal(422);
    expect(notUtf8.text).to.include('不是 UTF-8 编码');
    const token = await csrfFrom(agent, '/commitments/import');
    const none = await agent.post('/commitments/import').set('X-CSRF-Token', token);
    expect(none.status).to.equal(422);
    expect(none.text).to.include('请选择要上传的文件。');
    expect(await countOf(ctx, 'jobs')).to.equal(jobs);
    expect((await (await signIn(ctx.app, 'auditor')).get('/commitments/import')).status).to.equal(403);
  });

  describe('as a background job', () => {
    const queue = async (format: 'xlsx' | 'csv', data: Buffer) => {
      const user = await demoUser(ctx.db, 'officer1');
      return enqueue(ctx.db, commitmentsImportJob, { filename: 'w.' + format, format }, { clock: ctx.clock, createdBy: user.id, agencyId, input: data });
    };
    const kinds = [commitmentsImportJob];

    it('goes back to the queue when its instance stops while checking, and imports the file later', async () => {
      const id = await queue('csv', csvOf(['SP-W-1,其他,事项,,,2026-01-01,0,吴十,否,节点,2026-12-31,']));
      let asked = 0;
      // The runner asks once before claiming the job; from the job's first progress report on, it is stopping.
      await runQueuedJobs({ db: ctx.db, logger: capturingLogger().logger, kinds, shouldStop: () => asked++ > 0 });
      expect(await findJob(ctx.db, id)).to.include({ status: 'queued', attempts: 0 });
      expect(await ctx.db('commitments').where({ reference_no: 'SP-W-1' }).first('id')).to.equal(undefined);

      await runJobs(ctx.db);
      const done = (await findJob(ctx.db, id))!;
      expect([done.status, done.result]).to.deep.equal(['done', { totalRows: 1, commitmentsCreated: 1, milestonesCreated: 1 }]);
    });

    it('is taken up by another instance when its own stopped after the commit, and neither imports twice nor reports a failure', async () => {
      const id = await queue('csv', csvOf(['SP-W-2,其他,事项,,,2026-01-01,0,吴十,否,节点,2026-12-31,']));
      const startedAt = fixedClock('2026-11-30T08:00:00Z');
      const claimed = (await claimNext(ctx.db, { kinds: [IMPORT_JOB_KIND], instance: 'stopped-instance', clock: startedAt }))!;
      // The first instance imports the file, then stops before it can record the job as done.
      await commitmentsImportJob.run({ db: ctx.db, logger: capturingLogger().logger, clock: startedAt }, claimed as ClaimedJob<ImportPayload>, async () => undefined);
      const before = await countOf(ctx, 'commitments');

      expect(await runJobs(ctx.db, { clock: fixedClock('2026-11-30T08:01:00Z') })).to.equal(0);
      expect(await runJobs(ctx.db, { clock: fixedClock('2026-11-30T08:03:00Z') })).to.equal(1);
      const done = (await findJob(ctx.db, id))!;
      expect([done.status, done.attempts, done.result]).to.deep.equal(['done', 2, { totalRows: 1, commitmentsCreated: 1, milestonesCreated: 1 }]);
      expect(await countOf(ctx, 'commitments')).to.equal(before);
    });

    it('fails a file it cannot read without importing anything', async () => {
      const id = await queue('xlsx', Buffer.from('PK\u0003\u0004 not really a workbook'));
      await runJobs(ctx.db);
      expect((await findJob(ctx.db, id))!.status).to.equal('failed');
      expect(JSON.parse(String((await jobOutput(ctx.db, id))!.data))).to.deep.equal([{ row: 0, column: '', key: 'spreadsheets:errors.unreadable' }]);
    });

    it('keeps a file that is wrong throughout to its first 1,000 errors, each quoting at most 200 characters, so that progress polls stay small', async () => {
      const lines = Array.from({ length: 1200 }, (_, i) => `SP-BAD-${i},${'错'.repeat(1000)},事项,,,2026-01-01,0,吴十,否,节点,2026-12-31,`);
      const id = await queue('csv', csvOf(lines));
      await runJobs(ctx.db);
      const failed = (await findJob(ctx.db, id))!;
      expect([failed.status, failed.result]).to.deep.equal(['failed', { totalRows: 1200, problemCount: 1200 }]);
      const problems = JSON.parse(String((await jobOutput(ctx.db, id))!.data)) as Array<{ row: number; column: string; key: string; params?: { value?: string } }>;
      expect(problems).to.have.length(1000);
      expect(problems[0]).to.deep.include({ row: 2, column: '承诺类型', key: 'spreadsheets:errors.choice' });
      expect(Math.max(...problems.map((e) => String(e.params?.value).length))).to.equal(201);
      const status = await (await signIn(ctx.app, 'officer1')).get(`/commitments/import/${id}/status`);
      expect(status.status).to.equal(200);
      expect(status.text.length).to.be.below(10_000);
    });

    it('refuses a workbook that packs a 40 MB cell into a few kilobytes without unpacking it', async () => {
      const sheetXml = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(40_000_000)}</t></is></c></row></sheetData></worksheet>`;
      const data = await testWorkbook({ sheetXml, compressionLevel: 9 });
      expect(data.length).to.be.below(100_000);
      const id = await queue('xlsx', data);
      await runJobs(ctx.db);
      expect((await findJob(ctx.db, id))!.status).to.equal('failed');
      expect((JSON.parse(String((await jobOutput(ctx.db, id))!.data)) as Array<{ key: string }>).map((e) => e.key)).to.deep.equal(['spreadsheets:errors.zipBomb']);
    });
  });
});
