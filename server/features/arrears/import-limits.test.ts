import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { testWorkbook, type TestCell } from '../../spreadsheets/testing.ts';
import { ARREARS_IMPORT_COLUMNS } from './spreadsheet.ts';

const HEADERS = ARREARS_IMPORT_COLUMNS.map((c) => c.header);
const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const AGENCY = DEMO_AGENCIES.find((a) => a.key === 'approval')!.name;
const CODE = DEMO_ENTERPRISES[0].code;
/** Progress answers and job pages stay this small whatever the file held. */
const SMALL_POLL = 1024;
const SMALL_PAGE = 20 * 1024;

function arrearsRows(rows: number, prefix: string): TestCell[][] {
  return Array.from({ length: rows }, (_, i) => [AGENCY, CODE, '货物款', `${prefix}-${i}`, '2026-01-01', '100', '2026-02-01', '', '', '', '', '吴十', '限额测试']);
}

/** Text that packs about as poorly as real Chinese prose, so that only the cell limit stops it. */
function variedText(length: number): string {
  const chars = '政府合同欠款清偿交付验收合格质保期满剩余货物工程服务保证金青岛市行政审批服务局商务局智能化改造项目会议纪要基础设施营商环境';
  let text = '';
  for (let i = 0, x = 7; i < length; i++) {
    x = (x * 48271) % 2147483647;
    text += chars[x % chars.length];
  }
  return text;
}

/**
 * Big and hostile arrears files through the path a user takes: the upload, the import job, the
 * progress polls and the job's page. The shared readers' limits stop them; nothing is imported
 * from a refused file and what is stored and answered stays small.
 */
describe('arrears import limits, end to end', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let officer: request.Agent;

  before(async () => {
    ctx = await startTestApp();
    officer = await signIn(ctx.app, 'officer1');
  });
  after(() => ctx.close());

  async function importFile(data: Buffer, filename: string) {
    const token = await csrfFrom(officer, '/arrears/import');
    const posted = await officer.post(uploadUrl('/arrears/import', token)).attach('file', data, { filename, contentType: 'application/octet-stream' });
    expect(posted.status, posted.text.slice(0, 300)).to.equal(303);
    const jobUrl = posted.headers.location!;
    await runJobs(ctx.db);
    const status = await officer.get(`${jobUrl}/status`);
    const page = await officer.get(jobUrl);
    const job = await ctx.db('jobs').where({ id: Number(jobUrl.split('/').pop()) }).first('input', 'output', 'result');
    expect(job.input, 'the file is dropped once the job has ended').to.equal(null);
    expect(status.text.length, 'a progress answer').to.be.below(SMALL_POLL);
    expect(page.text.length, 'the job page').to.be.below(SMALL_PAGE);
    return { status: status.body as { status: string }, page: page.text, job };
  }

  async function refused(data: Buffer, filename: string, reason: string) {
    const before = await ctx.db('arrears').count({ n: '*' }).first();
    const outcome = await importFile(data, filename);
    expect(outcome.status.status).to.equal('failed');
    expect(outcome.page).to.include(reason);
    expect(String(outcome.job.output).length, 'the problems kept with the job').to.be.below(SMALL_PAGE);
    expect(await ctx.db('arrears').count({ n: '*' }).first()).to.deep.equal(before);
    return outcome;
  }

  it('refuses a zip bomb from its packing, before unpacking it', async () => {
    const row = `<row><c t="inlineStr"><is><t>${'A'.repeat(64)}</t></is></c></row>`;
    const bomb = await testWorkbook({ sheetXml: `<worksheet xmlns="${SHEET_NS}"><sheetData>${row.repeat(200_000)}</sheetData></worksheet>`, compressionLevel: 9 });
    expect(bomb.length).to.be.below(100_000);
    await refused(bomb, '欠款.xlsx', '文件的压缩比异常');
  });

  it('refuses a cell past Excel’s limit, naming where it is and quoting none of it', async () => {
    const huge = variedText(200_000);
    const row = arrearsRows(1, 'LIM-CELL')[0]!;
    row[12] = huge;
    const { page } = await refused(await testWorkbook({ inlineStrings: true, rows: [HEADERS, row] }), '欠款.xlsx', '单元格内容超过 32767 个字符');
    expect(page).to.match(/<td class="num">2<\/td><td>说明<\/td>/);
    expect(page).to.not.include(huge.slice(0, 50));
  });

  it('refuses a workbook of 100,001 data rows at the row past the limit, importing none of the rows before it', async () => {
    const workbook = await testWorkbook({ rows: [HEADERS, ...arrearsRows(100_001, 'LIM')], compressionLevel: 1 });
    const { page } = await refused(workbook, '欠款.xlsx', '文件超过 100000 行数据，请分成几个文件上传。');
    expect(page).to.include('<td class="num">100002</td>');
  });

  it('imports a workbook of a thousand rows that keeps its text in the cells', async () => {
    const outcome = await importFile(await testWorkbook({ inlineStrings: true, rows: [HEADERS, ...arrearsRows(1000, 'INLINE')] }), '内联文本.xlsx');
    expect(outcome.status.status).to.equal('done');
    expect(JSON.parse(outcome.job.result)).to.deep.equal({ totalRows: 1000, arrearsCreated: 1000 });
    const { n } = (await ctx.db('arrears').where('contract_ref', 'like', 'INLINE-%').count({ n: '*' }).first())!;
    expect(Number(n)).to.equal(1000);
  });
});
