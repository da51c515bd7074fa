import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, idOf, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { callerFor, commitmentInput, demoUser } from '../../../test/factories.ts';
import { verifyChain } from '../../audit/chain.ts';
import { enqueue, findJob } from '../../jobs/queue.ts';
import { createCommitment } from '../commitments/service/register.ts';
import { checkArrearsFile } from './import.ts';
import { ARREARS_IMPORT_JOB_KIND } from './import-job.ts';
import { insertArrearsRows } from './repository.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { nonCompliantTerm } from './rules.ts';
import { ARREARS_IMPORT_COLUMNS, ENGLISH_HEADERS } from './spreadsheet.ts';

const HEADERS = ARREARS_IMPORT_COLUMNS.map((c) => c.header);
const SMALL = DEMO_ENTERPRISES[0]; // a small enterprise: the SME payment rules apply
const LARGE = DEMO_ENTERPRISES[4];
const APPROVAL = DEMO_AGENCIES.find((a) => a.key === 'approval')!; // officer1's agency
const COMMERCE = DEMO_AGENCIES.find((a) => a.key === 'commerce')!; // officer2's agency
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A unified social credit code with correct check characters that no demo enterprise has. */
const UNREGISTERED_CODE = '91350100M000100Y43';

async function xlsxOf(rows: unknown[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('欠款台账');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvOf(headers: string[], lines: string[]): Buffer {
  return Buffer.from('\ufeff' + [headers.map((h) => `"${h}"`).join(','), ...lines].join('\r\n') + '\r\n', 'utf8');
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function upload(agent: request.Agent, data: Buffer, filename: string, contentType = XLSX_TYPE): Promise<string> {
  const token = await csrfFrom(agent, '/arrears/import');
  const posted = await agent.post(uploadUrl('/arrears/import', token)).attach('file', data, { filename, contentType });
  expect(posted.status, posted.text.slice(0, 500)).to.equal(303);
  const jobUrl = posted.headers.location as string;
  expect(jobUrl).to.match(/^\/arrears\/import\/jobs\/\d+$/);
  return jobUrl;
}

const jobIdOf = (jobUrl: string) => Number(jobUrl.split('/').pop());

async function countArrears(ctx: TestContext): Promise<number> {
  const [{ n }] = await ctx.db('arrears').count({ n: '*' });
  return Number(n);
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('arrears import', () => {
  let ctx: TestContext;
  let agencyId: number;

  before(async () => {
    ctx = await startTestApp();
    agencyId = await idOf(ctx.db, 'agencies', { code: APPROVAL.code });
  });
  after(() => ctx.close());

  it('offers an Excel template with an example row in the officer’s agency, a guide to every column and the category codes', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get('/arrears/import/template.xlsx').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['欠款台账', '填写说明', '类别代码']);
    const data = wb.getWorksheet('欠款台账')!;
    expect((data.getRow(1).values as unknown[]).slice(1)).to.deep.equal(HEADERS);
    expect(data.actualRowCount).to.equal(2);
    expect(data.getRow(2).getCell(1).value).to.equal(APPROVAL.name);
    const guide: string[] = [];
    wb.getWorksheet('填写说明')!.eachRow((row) => guide.push((row.values as unknown[]).slice(1).join(' ')));
    for (const header of HEADERS) expect(guide.some((line) => line.startsWith(header)), header).to.equal(true);
    expect(guide.join('\n')).to.include('交付/验收日期后 30 天').and.include('Principal (yuan)');
    const codes: unknown[][] = [];
    wb.getWorksheet('类别代码')!.eachRow((row) => codes.push((row.values as unknown[]).slice(1)));
    expect(codes).to.deep.equal([['代码', '类别'], ['works', '工程款'], ['goods', '货物款'], ['services', '服务款'], ['policy_funds', '政策性资金'], ['deposit', '保证金'], ['other', '其他']]);
  });

  it('offers a CSV template whose example row passes every check, and an Excel template whose example row imports', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const csv = await agent.get('/arrears/import/template.csv').buffer(true).parse(binary);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const body = csv.body as Buffer;
    expect(body.subarray(0, 3).toString('hex')).to.equal('efbbbf');
    const rows = parse(body, { bom: true }) as string[][];
    expect(rows[0]).to.deep.equal(HEADERS);
    expect(rows).to.have.length(2);
    const checked = await checkArrearsFile(ctx.db, agencyId, body, 'csv');
    expect(checked.errors).to.deep.equal([]);
    expect(checked.arrears).to.have.length(1);

    const template = (await agent.get('/arrears/import/template.xlsx').buffer(true).parse(binary)).body as Buffer;
    const jobUrl = await upload(agent, template, '欠款台账导入模板.xlsx');
    await runJobs(ctx.db);
    expect((await agent.get(jobUrl)).text).to.include('导入完成：1 笔欠款已登记到本单位的欠款台账。');
    const row = await ctx.db('arrears').where({ agency_id: agencyId, contract_ref: 'QDSP-CG-2026-018' }).first();
    expect(row).to.deep.include({ category: 'works', accepted_on: '2026-02-14', due_on: '2026-03-16', agreed_annual_rate: '3.45', responsible_official: '张伟' });
    expect(Number(row.principal_fen)).to.equal(85_000_000);
  });

  it('imports a good workbook: every row, due dates by the rules, non-compliant SME terms kept, audit entries for each', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const commitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(agencyId, { referenceNo: 'QDSP-CN-2026-7' }));
    const file = await xlsxOf([
      // No agreed date: due 30 days after acceptance.
      [APPROVAL.name, SMALL.code, '工程款', 'XL-2026-001', day('2026-01-05'), 1_200_000, day('2026-02-01'), '', '', '', '', '张伟', '办公楼维修工程尾款'],
      // The agency by its code, the category by its code, a 90-day term with a small creditor: kept, and flagged.
      [APPROVAL.code, SMALL.code.toLowerCase(), 'goods', 'XL-2026-002', '2026/1/8', '50,000.50', '2026-02-01', '2026-05-02', '1000', '3.45%', 'QDSP-CN-2026-7', '李娜', '办公设备采购款'],
      // The same 90 days with a large creditor: the agreed date stands and nothing is flagged.
      [APPROVAL.name, LARGE.code, '服务款', 'XL-2026-003', '2026年1月9日', '80000', '2026-02-01', '2026-05-02', '', '', '', '王强', '信息系统运维服务费'],
    ]);
    const agent = await signIn(ctx.app, 'officer1');
    const before = await countArrears(ctx);
    const jobUrl = await upload(agent, file, '二〇二六年欠款.xlsx');
    const waiting = await agent.get(jobUrl);
    expect(waiting.text).to.include(`data-job-poll="${jobUrl}/status"`).and.include('二〇二六年欠款.xlsx');

    expect(await runJobs(ctx.db)).to.equal(1);
    const status = await agent.get(`${jobUrl}/status`);
    expect(status.body).to.include({ status: 'done', finished: true, error: null });
    expect((await agent.get(jobUrl)).text).to.include('导入完成：3 笔欠款已登记到本单位的欠款台账。');
    expect(await countArrears(ctx)).to.equal(before + 3);

    const rows = await ctx.db('arrears as a').join('enterprises as e', 'e.id', 'a.enterprise_id').where('a.agency_id', agencyId).whereIn('a.contract_ref', ['XL-2026-001', 'XL-2026-002', 'XL-2026-003']).orderBy('a.contract_ref')
      .select('a.*', 'e.scale');
    expect(rows.map((r) => [r.contract_ref, r.category, r.contract_signed_on, Number(r.principal_fen), r.accepted_on, r.agreed_due_on, r.due_on, Number(r.disputed_fen), r.agreed_annual_rate, r.commitment_id === null ? null : Number(r.commitment_id), r.status, Number(r.outstanding_fen)]))
      .to.deep.equal([
        ['XL-2026-001', 'works', '2026-01-05', 120_000_000, '2026-02-01', null, '2026-03-03', 0, null, null, 'outstanding', 120_000_000],
        ['XL-2026-002', 'goods', '2026-01-08', 5_000_050, '2026-02-01', '2026-05-02', '2026-05-02', 100_000, '3.45', commitmentId, 'outstanding', 5_000_050],
        ['XL-2026-003', 'services', '2026-01-09', 8_000_000, '2026-02-01', '2026-05-02', '2026-05-02', 0, null, null, 'outstanding', 8_000_000],
      ]);
    expect(rows.map((r) => nonCompliantTerm(r.scale as EnterpriseScale, { acceptedOn: r.accepted_on, dueOn: r.due_on }))).to.deep.equal([false, true, false]);

    const audit = await ctx.db('audit_log').whereIn('action', ['arrears.created', 'arrears.imported']).where('actor_id', officer1.id).orderBy('id').select('action', 'entity_type', 'entity_id', 'after_json');
    expect(audit.map((a) => [a.action, a.entity_type, a.entity_id]).slice(-4)).to.deep.equal([
      ...rows.map((r) => ['arrears.created', 'arrears', String(r.id)]),
      ['arrears.imported', 'import_job', String(jobIdOf(jobUrl))],
    ]);
    expect(JSON.parse(audit.at(-3)!.after_json)).to.include({ contractRef: 'XL-2026-002', enterprise: SMALL.name, principalFen: 5_000_050, dueOn: '2026-05-02', importJob: jobIdOf(jobUrl), importFile: '二〇二六年欠款.xlsx' });
    expect(JSON.parse(audit.at(-1)!.after_json)).to.deep.equal({ agencyId, filename: '二〇二六年欠款.xlsx', arrearsCreated: 3 });
    expect(await verifyChain(ctx.db)).to.include({ ok: true });

    const job = await ctx.db('jobs').where({ id: jobIdOf(jobUrl) }).first('kind', 'agency_id', 'created_by', 'input');
    expect(job).to.deep.include({ kind: ARREARS_IMPORT_JOB_KIND, agency_id: agencyId, created_by: officer1.id, input: null });
    expect((await agent.get('/arrears/import')).text).to.include('3 笔欠款').and.include('二〇二六年欠款.xlsx');
  });

  it('imports a good CSV headed in English', async () => {
    const english = ARREARS_IMPORT_COLUMNS.map((c) => ENGLISH_HEADERS[c.key]);
    // Headers compared without case; columns in another order than the template's.
    const headers = [...english.slice(1), english[0]!.toUpperCase()];
    const csv = csvOf(headers, [
      `${SMALL.code},deposit,CSV-2026-1,2026-01-05,"1,000.00",2026-02-10,,,,,赵六,投标保证金,${APPROVAL.name}`,
      `${LARGE.code},其他,CSV-2026-2,2026-01-06,2500,2026-02-11,2026-03-01,,2.5,,钱七,"说明含,逗号",${APPROVAL.code}`,
    ]);
    const agent = await signIn(ctx.app, 'officer1');
    const before = await countArrears(ctx);
    const jobUrl = await upload(agent, csv, 'arrears.csv', 'text/csv');
    await runJobs(ctx.db);
    expect((await findJob(ctx.db, jobIdOf(jobUrl)))!.status).to.equal('done');
    expect(await countArrears(ctx)).to.equal(before + 2);
    const rows = await ctx.db('arrears').where({ agency_id: agencyId }).whereIn('contract_ref', ['CSV-2026-1', 'CSV-2026-2']).orderBy('contract_ref').select('category', 'principal_fen', 'due_on', 'agreed_annual_rate', 'description');
    expect(rows.map((r) => [r.category, Number(r.principal_fen), r.due_on, r.agreed_annual_rate, r.description])).to.deep.equal([
      ['deposit', 100_000, '2026-03-12', null, '投标保证金'],
      ['other', 250_000, '2026-03-01', '2.5', '说明含,逗号'],
    ]);
  });

  it('refuses a file with errors, naming each by row and column, and imports nothing', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const enterpriseId = await idOf(ctx.db, 'enterprises', { credit_code: SMALL.code });
    await insertArrearsRows(ctx.db, [{ agencyId, enterpriseId, category: 'works', contractRef: 'BAD-USED', principalFen: 100, acceptedOn: '2026-01-01', description: '已登记的欠款' }], officer1.id, new Date().toISOString());
    const ok = (ref: string) => [APPROVAL.name, SMALL.code, '工程款', ref, '2026-01-05', '1000', '2026-02-01', '', '', '', '', '张伟', '说明'];
    const file = await xlsxOf([
      ok('BAD-1'),
      [APPROVAL.name, '91370200567812341X', '工程款', 'BAD-2', '2026-01-05', '1000', '2026-02-01', '', '', '', '', '张伟', '校验位错误'],
      [APPROVAL.name, UNREGISTERED_CODE, '工程款', 'BAD-3', '2026-01-05', '1000', '2026-02-01', '', '', '', '', '张伟', '未登记企业'],
      [COMMERCE.name, SMALL.code, '工程款', 'BAD-4', '2026-01-05', '1000', '2026-02-01', '', '', '', '', '张伟', '其他单位'],
      [APPROVAL.name, SMALL.code, '工程款', 'BAD-5', '2026-01-05', '1000', '2026-02-30', '', '', '', '', '张伟', '日期无效'],
      [APPROVAL.name, SMALL.code, '工程款', 'BAD-6', '2026-01-05', '1000', '2026-02-01', '', '1000.01', '', '', '张伟', '分歧超过本金'],
      ok('BAD-1'),
      ok('BAD-USED'),
      [APPROVAL.name, SMALL.code, '工程', 'BAD-9', '2026-01-05', '0', '2026-02-01', '', '', '百分之三', '没有的文号', '', '多处错误'],
    ]);
    const agent = await signIn(ctx.app, 'officer1');
    const before = await countArrears(ctx);
    const jobUrl = await upload(agent, file, 'bad.xlsx');
    await runJobs(ctx.db);
    expect(await countArrears(ctx)).to.equal(before);
    const status = (await agent.get(`${jobUrl}/status`)).body;
    expect(status).to.include({ status: 'failed', finished: true, error: '文件中有 12 处错误，没有导入任何内容。请改正后重新上传。' });

    const report = await agent.get(`${jobUrl}/errors.csv`).buffer(true).parse(binary);
    const rows = parse(report.body as Buffer, { bom: true }) as string[][];
    expect(rows[0]).to.deep.equal(['行', '列', '问题']);
    expect(rows.slice(1)).to.deep.equal([
      ['3', '债权企业统一社会信用代码', '“91370200567812341X”不是有效的统一社会信用代码。'],
      ['4', '债权企业统一社会信用代码', `统一社会信用代码 ${UNREGISTERED_CODE} 不属于平台已登记的市场主体。`],
      ['5', '债务单位', `“${COMMERCE.name}”不是本单位：只能导入本单位的欠款。`],
      ['6', '交付/验收日期', '“2026-02-30”不是有效日期，应写成 YYYY-MM-DD（如 2026-01-05），也可写成 2026/1/5 或 2026年1月5日。'],
      ['7', '有分歧金额（元）', '有分歧金额不能超过欠款本金'],
      ['8', '合同编号', '合同编号“BAD-1”与第 2 行重复。'],
      ['9', '合同编号', '本单位的欠款台账中已有合同编号为“BAD-USED”的欠款。'],
      // One row with several errors: each cell's own, the lookups', and the schema's about the other cells.
      ['10', '类别', '“工程”无效，应为 工程款、货物款、服务款、政策性资金、保证金、其他 之一。'],
      ['10', '本金（元）', '数值过小（至少 0.01）。'],
      ['10', '约定年利率（%）', '年利率请填写百分数，例如 3.45'],
      ['10', '关联承诺文号', '本单位的承诺台账中没有文号为“没有的文号”的承诺。'],
      ['10', '责任人', '此项必填。'],
    ]);
    const failure = await ctx.db('audit_log').where({ action: 'arrears.import_failed', entity_id: String(jobIdOf(jobUrl)) }).first();
    expect(failure).to.include({ actor_name: 'officer1', entity_type: 'import_job' });
    expect(JSON.parse(failure.after_json)).to.deep.equal({ agencyId, filename: 'bad.xlsx', failure: 'fileErrors', problemCount: 12 });

    const page = await agent.get(jobUrl);
    expect(page.text).to.include('文件中有 12 处错误，没有导入任何内容。');
    expect(page.text).to.match(/<td class="num">7<\/td><td>有分歧金额（元）<\/td><td>有分歧金额不能超过欠款本金<\/td>/);
    expect(page.text).to.include(`href="${jobUrl}/errors.csv"`);
    expect((await agent.get('/arrears/import')).text).to.include('12 处错误');
  });

  it('names the columns of a file headed in English as the file spells them', async () => {
    const english = ARREARS_IMPORT_COLUMNS.map((c) => ENGLISH_HEADERS[c.key]);
    const file = await xlsxOf([[APPROVAL.name, SMALL.code, 'works', 'EN-1', '2026-01-05', 'lots', '2026-02-01', '', '', '', '', '张伟', 'x']], english);
    const check = await checkArrearsFile(ctx.db, agencyId, file, 'xlsx');
    expect(check.errors.map((e) => [e.row, e.column, e.key])).to.deep.equal([[2, 'Principal (yuan)', 'spreadsheets:errors.money']]);
    const missing = await checkArrearsFile(ctx.db, agencyId, await xlsxOf([], english.slice(1)), 'xlsx');
    expect(missing.errors.map((e) => [e.row, e.column, e.key])).to.deep.equal([[1, 'Debtor agency', 'spreadsheets:errors.missingColumn']]);
  });

  it('shows a job to the officers of its agency and to auditors, to no one else', async () => {
    const jobUrl = await upload(await signIn(ctx.app, 'officer1'), await xlsxOf([]), 'empty.xlsx');
    await runJobs(ctx.db);
    const officer2 = await signIn(ctx.app, 'officer2');
    for (const url of [jobUrl, `${jobUrl}/status`, `${jobUrl}/errors.csv`]) expect((await officer2.get(url)).status, url).to.equal(404);
    expect((await officer2.get('/arrears/import')).text).not.to.include('empty.xlsx');
    const auditor = await (await signIn(ctx.app, 'auditor')).get(jobUrl);
    expect(auditor.status).to.equal(200);
    expect(auditor.text).to.include('文件中没有数据行').and.not.include('href="/arrears/import"');
    expect((await (await signIn(ctx.app, 'enterprise1')).get(jobUrl)).status).to.equal(403);
    expect((await (await signIn(ctx.app, 'officer1')).get(jobUrl)).text).to.include('文件中没有数据行');
    // Another kind of job of the same agency is not an arrears import: its id answers 404 here.
    const other = await enqueue(ctx.db, { kind: 'other.kind', async run() { return {}; } }, {}, { agencyId });
    expect((await (await signIn(ctx.app, 'officer1')).get(`/arrears/import/jobs/${other}`)).status).to.equal(404);
  });

  it('refuses uploads that are not a workbook or UTF-8 text and keeps the page; only officers upload', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const [{ n: jobsBefore }] = await ctx.db('jobs').count({ n: '*' });
    const token = await csrfFrom(agent, '/arrears/import');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const spoofed = await agent.post(uploadUrl('/arrears/import', token)).attach('file', png, { filename: 'arrears.xlsx', contentType: XLSX_TYPE });
    expect(spoofed.status).to.equal(422);
    expect(spoofed.text).to.include('“arrears.xlsx”不是 Excel 工作簿（.xlsx）或 CSV 文本文件。');
    const none = await agent.post('/arrears/import').set('X-CSRF-Token', token);
    expect(none.status).to.equal(422);
    expect(none.text).to.include('请选择要上传的文件。');
    const [{ n: jobsAfter }] = await ctx.db('jobs').count({ n: '*' });
    expect(Number(jobsAfter)).to.equal(Number(jobsBefore));
    for (const user of ['auditor', 'enterprise1']) {
      const other = await signIn(ctx.app, user);
      for (const url of ['/arrears/import', '/arrears/import/template.xlsx', '/arrears/import/template.csv']) expect((await other.get(url)).status, `${user} ${url}`).to.equal(403);
    }
    const home = await agent.get('/');
    expect(home.text).to.include('href="/arrears/import"').and.include('导入欠款');
  });
});
