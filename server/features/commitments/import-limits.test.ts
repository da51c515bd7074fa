import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { csrfFrom, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { UPLOAD_DIR_PREFIX } from '../../http/uploads.ts';
import { testWorkbook, type TestCell } from '../../spreadsheets/testing.ts';
import { LEDGER_IMPORT_COLUMNS } from './spreadsheet.ts';

const HEADERS = LEDGER_IMPORT_COLUMNS.map((c) => c.header);
const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** Progress answers and job pages stay this small whatever the file held. */
const SMALL_POLL = 1024;
const SMALL_PAGE = 20 * 1024;

/** Five milestone rows per commitment, `rows` in all: the smallest valid ledger of that length. */
function ledgerRows(rows: number): TestCell[][] {
  return Array.from({ length: rows }, (_, i) => [`LIM-${Math.floor(i / 5)}`, '其他', '限额测试事项', '', '', '2026-01-01', '0', '吴十', '否', `第 ${(i % 5) + 1} 期`, '2026-12-31', '']);
}

/** Text that packs about as poorly as real Chinese prose, so that only the cell limit stops it. */
function variedText(length: number): string {
  const chars = '政府合同承诺履约节点支付价款验收合格质保期满剩余人才公寓补贴青岛市行政审批服务局商务局智能化改造项目会议纪要基础设施营商环境';
  let text = '';
  for (let i = 0, x = 7; i < length; i++) {
    x = (x * 48271) % 2147483647;
    text += chars[x % chars.length];
  }
  return text;
}

/**
 * Big and hostile ledger files through the whole path a user takes: the upload, the import job,
 * the progress polls and the job's page. Whatever the file holds, what is stored and answered stays
 * small, nothing is imported from a refused file, and no temporary file is left.
 */
describe('ledger import limits, end to end', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let officer: request.Agent;
  let tmp: string;
  const savedTmpDir = process.env.TMPDIR;

  before(async () => {
    ctx = await startTestApp();
    tmp = mkdtempSync(path.join(tmpdir(), 'il-import-limits-'));
    process.env.TMPDIR = tmp;
    officer = await signIn(ctx.app, 'officer1');
  });
  after(async () => {
    if (savedTmpDir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpDir;
    rmSync(tmp, { recursive: true, force: true });
    await ctx.close();
  });

  /** Uploads the file, polls once while it waits, runs the job, then reads what the user sees. */
  async function importFile(data: Buffer, filename: string) {
    const token = await csrfFrom(officer, '/commitments/import');
    const posted = await officer.post(uploadUrl('/commitments/import', token)).attach('file', data, { filename, contentType: 'application/octet-stream' });
    expect(posted.status, posted.text.slice(0, 300)).to.equal(303);
    const jobUrl = posted.headers.location!;
    const waiting = await officer.get(`${jobUrl}/status`);
    await runJobs(ctx.db);
    const status = await officer.get(`${jobUrl}/status`);
    const page = await officer.get(jobUrl);
    const job = await ctx.db('jobs').where({ id: Number(jobUrl.split('/').pop()) }).first('input', 'output', 'result', 'error');
    expect(readdirSync(tmp).filter((name) => name.startsWith(UPLOAD_DIR_PREFIX)), 'temporary folders left').to.deep.equal([]);
    expect(job.input, 'the file is dropped once the job has ended').to.equal(null);
    for (const poll of [waiting, status]) expect(poll.text.length, 'a progress answer').to.be.below(SMALL_POLL);
    expect(page.text.length, 'the job page').to.be.below(SMALL_PAGE);
    return { status: status.body as { status: string; error: string | null }, page: page.text, job };
  }

  async function refused(data: Buffer, filename: string, reason: string) {
    const before = await ctx.db('commitments').count({ n: '*' }).first();
    const outcome = await importFile(data, filename);
    expect(outcome.status.status).to.equal('failed');
    expect(outcome.page).to.include(reason);
    expect(String(outcome.job.output).length, 'the problems kept with the job').to.be.below(SMALL_PAGE);
    expect(await ctx.db('commitments').count({ n: '*' }).first()).to.deep.equal(before);
    return outcome;
  }

  it('refuses a zip bomb from its packing, before unpacking it', async () => {
    const row = `<row><c t="inlineStr"><is><t>${'A'.repeat(64)}</t></is></c></row>`;
    const bomb = await testWorkbook({ sheetXml: `<worksheet xmlns="${SHEET_NS}"><sheetData>${row.repeat(200_000)}</sheetData></worksheet>`, compressionLevel: 9 });
    expect(bomb.length).to.be.below(100_000);
    await refused(bomb, '台账.xlsx', '文件的压缩比异常');
  });

  it('refuses a 40 MB cell packed into a few kilobytes, and copies none of it into the job, its errors or a progress answer', async () => {
    const cell = `<worksheet xmlns="${SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(40_000_000)}</t></is></c></row></sheetData></worksheet>`;
    const { page } = await refused(await testWorkbook({ sheetXml: cell, compressionLevel: 9 }), '台账.xlsx', '文件的压缩比异常');
    expect(page).to.not.include('x'.repeat(300));
  });

  it('refuses a cell past Excel’s limit in a workbook packed like any other, naming where it is and quoting none of it', async () => {
    const huge = variedText(200_000);
    const workbook = await testWorkbook({ inlineStrings: true, rows: [HEADERS, ['LIM-CELL', '其他', huge, '', '', '2026-01-01', '0', '吴十', '否', '节点', '2026-12-31', '']] });
    const { page } = await refused(workbook, '台账.xlsx', '单元格内容超过 32767 个字符');
    expect(page).to.match(/<td class="num">2<\/td><td>承诺事项<\/td>/);
    expect(page).to.not.include(huge.slice(0, 50));
  });

  it('refuses a workbook of 100,001 data rows at the row past the limit, importing none of the 100,000 before it', async () => {
    const workbook = await testWorkbook({ rows: [HEADERS, ...ledgerRows(100_001)], compressionLevel: 1 });
    const { page } = await refused(workbook, '台账.xlsx', '文件超过 100000 行数据，请分成几个文件上传。');
    expect(page).to.include('<td class="num">100002</td>');
  });

  it('imports a workbook that keeps its text in the cells, without a shared-strings part', async () => {
    const workbook = await testWorkbook({ inlineStrings: true, rows: [HEADERS, ...ledgerRows(10).map((r) => [String(r[0]).replace('LIM', 'INLINE'), ...r.slice(1)])] });
    const outcome = await importFile(workbook, '内联文本.xlsx');
    expect(outcome.status.status).to.equal('done');
    expect(JSON.parse(outcome.job.result)).to.deep.equal({ totalRows: 10, commitmentsCreated: 2, milestonesCreated: 10 });
    expect(await ctx.db('milestones').join('commitments', 'commitments.id', 'milestones.commitment_id').where('commitments.reference_no', 'INLINE-1').pluck('milestones.description'))
      .to.deep.equal(['第 1 期', '第 2 期', '第 3 期', '第 4 期', '第 5 期']);
  });
});
