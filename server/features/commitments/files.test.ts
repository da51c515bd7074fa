import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, runJobs, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { recordFulfilment } from './service/fulfilments.ts';
import { createCommitment } from './service/register.ts';
import { COMMITMENT_EXPORT_COLUMNS, MILESTONE_EXPORT_COLUMNS } from './spreadsheet.ts';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}

function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The CSV files of an exported ZIP, by name, parsed. */
async function zipSheets(body: Buffer): Promise<Record<string, string[][]>> {
  const zip = await JSZip.loadAsync(body);
  const sheets: Record<string, string[][]> = {};
  for (const name of Object.keys(zip.files)) sheets[name] = parse(await zip.file(name)!.async('nodebuffer'), { bom: true });
  return sheets;
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('commitment exports', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp();
    const officer1 = await demoUser(ctx.db, 'officer1');
    const officer2 = await demoUser(ctx.db, 'officer2');
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    const register = (officer: typeof officer1, over: Parameters<typeof commitmentInput>[1]) =>
      createCommitment(ctx, callerFor(officer), commitmentInput(officer.agencyId!, { signedOn: daysFromToday(-400), ...over }));
    const overdue = [{ description: '支付首期款', dueOn: daysFromToday(-10), amountFen: 100_000 }, { description: '支付尾款', dueOn: daysFromToday(60), amountFen: 200_000 }];
    const future = [{ description: '竣工验收', dueOn: daysFromToday(20), amountFen: null }];
    const first = await register(officer1, { referenceNo: 'SP-OVERDUE-1', title: '=HYPERLINK("http://example.com")', kind: 'investment', amountFen: 1_234_560, basis: '会议纪要〔2025〕3号', enterpriseId: enterprise1.enterpriseId, milestones: overdue });
    await register(officer1, { referenceNo: 'SP-OVERDUE-2', title: '政务云扩容合同', kind: 'contract', amountFen: 300_000, isPublic: false, milestones: overdue });
    await register(officer1, { referenceNo: 'SP-FUTURE-1', title: '人才公寓补贴', kind: 'policy', enterpriseId: enterprise1.enterpriseId, milestones: future });
    await register(officer2, { referenceNo: 'SW-OVERDUE-1', title: '外贸企业出口奖励', kind: 'policy', amountFen: 999_999, milestones: overdue });
    await register(officer2, { referenceNo: 'SW-FUTURE-1', title: '会展中心运营协议', kind: 'contract', enterpriseId: enterprise1.enterpriseId, milestones: future });
    const firstMilestone = (await ctx.db('milestones').where({ commitment_id: first, seq: 1 }).first('id')).id;
    await recordFulfilment(ctx, callerFor(officer1), first, firstMilestone, { fulfilledOn: daysFromToday(-12), note: '首期款付了四成', amountFen: 40_000, complete: false });
  });
  after(() => ctx.close());

  it('exports CSV as a ZIP: the ledger one row per milestone with fulfilled, outstanding, status and days overdue, then the commitments', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get('/commitments/export.zip?status=overdue&sort=amount_desc').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="_-${today}.zip"; filename*=UTF-8''${encodeURIComponent('承诺台账')}-${today}.zip`);
    const sheets = await zipSheets(res.body as Buffer);
    expect(Object.keys(sheets)).to.deep.equal(['承诺台账.csv', '承诺汇总.csv', '导出记录.csv']);
    const ledger = sheets['承诺台账.csv']!;
    expect(ledger[0]).to.deep.equal(MILESTONE_EXPORT_COLUMNS.map((c) => c.header));
    const at = (header: string) => ledger[0]!.indexOf(header);
    const pick = (row: string[]) => ['文号/合同编号', '承诺事项', '节点序号', '节点内容', '节点到期日', '节点金额（元）', '已履行金额（元）', '未履行金额（元）', '节点状态', '逾期天数', '承诺状态'].map((h) => row[at(h)]);
    expect(ledger.slice(1).map(pick)).to.deep.equal([
      ['SP-OVERDUE-1', `'=HYPERLINK("http://example.com")`, '1', '支付首期款', daysFromToday(-10), '1000.00', '400.00', '600.00', '部分履行', '10', '已逾期'],
      ['SP-OVERDUE-1', `'=HYPERLINK("http://example.com")`, '2', '支付尾款', daysFromToday(60), '2000.00', '0.00', '2000.00', '待履行', '', '已逾期'],
      ['SP-OVERDUE-2', '政务云扩容合同', '1', '支付首期款', daysFromToday(-10), '1000.00', '0.00', '1000.00', '待履行', '10', '已逾期'],
      ['SP-OVERDUE-2', '政务云扩容合同', '2', '支付尾款', daysFromToday(60), '2000.00', '0.00', '2000.00', '待履行', '', '已逾期'],
    ]);
    expect(ledger[1]![at('对方企业统一社会信用代码')]).to.equal(DEMO_ENTERPRISES[0].code);
    expect(ledger[1]![at('依据')]).to.equal('会议纪要〔2025〕3号');

    const commitments = sheets['承诺汇总.csv']!;
    expect(commitments[0]).to.deep.equal(COMMITMENT_EXPORT_COLUMNS.map((c) => c.header));
    expect(commitments.slice(1).map((r) => [r[1], r[8], r[9], r[10], r[11], r[12], r[14]])).to.deep.equal([
      ['SP-OVERDUE-1', '12345.60', '2', '400.00', '2600.00', '1', '已逾期'],
      ['SP-OVERDUE-2', '3000.00', '2', '0.00', '3000.00', '1', '已逾期'],
    ]);
  });

  it('records who exported what, when and with which filters, in the file and in the audit log', async () => {
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get(`/commitments/export.zip?status=overdue&enterpriseId=${enterprise1.enterpriseId}&q=SP&sort=amount_desc`).buffer(true).parse(binary);
    const record = Object.fromEntries((await zipSheets(res.body as Buffer))['导出记录.csv']!.slice(1));
    expect(record).to.include({
      导出人: '王审计（账号 auditor）',
      角色: '监督审计',
      数据范围: '全部单位',
      '筛选条件：状态': '已逾期',
      '筛选条件：对方企业': `${DEMO_ENTERPRISES[0].name}（${DEMO_ENTERPRISES[0].code}）`,
      '筛选条件：关键词': 'SP',
      排序: '金额（高→低）',
      承诺数: '1',
      履约节点数: '2',
    });
    expect(record['导出时间']).to.match(new RegExp(`^${today} \\d{2}:\\d{2}:\\d{2}（北京时间）$`));
    const entry = await ctx.db('audit_log').where({ action: 'commitments.exported' }).orderBy('id', 'desc').first('actor_name', 'after_json');
    expect(entry.actor_name).to.equal('auditor');
    expect(JSON.parse(entry.after_json)).to.deep.equal({ format: 'csv', filters: { status: 'overdue', enterpriseId: enterprise1.enterpriseId, q: 'SP', sort: 'amount_desc', enterprise: DEMO_ENTERPRISES[0].name } });
  });

  it('exports the auditor’s filtered list across agencies as a workbook of three sheets with real dates', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get('/commitments/export.xlsx?status=overdue&sort=amount_desc').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).to.include(`filename*=UTF-8''${encodeURIComponent('承诺台账')}-${today}.xlsx`);
    const wb = await workbook(res.body as Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['承诺台账', '承诺汇总', '导出记录']);
    const ledger = sheetRows(wb.worksheets[0]!);
    const at = (header: string) => (ledger[0] as string[]).indexOf(header);
    expect(ledger.slice(1).map((r) => [r[at('文号/合同编号')], r[at('责任单位')], r[at('节点到期日')], r[at('未履行金额（元）')]])).to.deep.equal([
      ['SP-OVERDUE-1', '青岛市行政审批服务局', day(daysFromToday(-10)), 600],
      ['SP-OVERDUE-1', '青岛市行政审批服务局', day(daysFromToday(60)), 2000],
      ['SW-OVERDUE-1', '青岛市商务局', day(daysFromToday(-10)), 1000],
      ['SW-OVERDUE-1', '青岛市商务局', day(daysFromToday(60)), 2000],
      ['SP-OVERDUE-2', '青岛市行政审批服务局', day(daysFromToday(-10)), 1000],
      ['SP-OVERDUE-2', '青岛市行政审批服务局', day(daysFromToday(60)), 2000],
    ]);
    const signed = wb.worksheets[0]!.getRow(2).getCell(at('签订日期') + 1);
    expect([signed.type, signed.numFmt]).to.deep.equal([ExcelJS.ValueType.Date, 'yyyy-mm-dd']);
    expect(sheetRows(wb.worksheets[1]!).slice(1).map((r) => r[1])).to.deep.equal(['SP-OVERDUE-1', 'SW-OVERDUE-1', 'SP-OVERDUE-2']);
  });

  it('gives an enterprise only the commitments made to it, with the other filters applied', async () => {
    const agent = await signIn(ctx.app, 'enterprise1');
    const wb = await workbook((await agent.get('/commitments/export.xlsx?sort=title_asc').buffer(true).parse(binary)).body as Buffer);
    expect(sheetRows(wb.worksheets[1]!).slice(1).map((r) => r[1]).sort()).to.deep.equal(['SP-FUTURE-1', 'SP-OVERDUE-1', 'SW-FUTURE-1']);
    const sheets = await zipSheets((await agent.get('/commitments/export.zip?kind=policy').buffer(true).parse(binary)).body as Buffer);
    expect(sheets['承诺汇总.csv']!.slice(1).map((r) => [r[1], r[2], r[14]])).to.deep.equal([['SP-FUTURE-1', '政策承诺', '履约中']]);
    expect(Object.fromEntries(sheets['导出记录.csv']!.slice(1))['数据范围']).to.equal(`对本企业的承诺：${DEMO_ENTERPRISES[0].name}`);
  });

  it('re-imports: another agency imports an exported ledger and gets the same commitments and milestones', async () => {
    const exported = (await (await signIn(ctx.app, 'officer1')).get('/commitments/export.xlsx?q=SP-OVERDUE').buffer(true).parse(binary)).body as Buffer;
    const officer2 = await signIn(ctx.app, 'officer2');
    const token = await csrfFrom(officer2, '/commitments/import');
    const upload = await officer2.post(uploadUrl('/commitments/import', token)).attach('file', exported, { filename: '审批局台账.xlsx', contentType: 'application/octet-stream' });
    expect(upload.status, upload.text.slice(0, 400)).to.equal(303);
    await runJobs(ctx.db);
    const job = await officer2.get(upload.headers.location!);
    expect(job.text, job.text.slice(job.text.indexOf('<main'), job.text.indexOf('<main') + 3000)).to.include('已完成');
    const agencyId = (await demoUser(ctx.db, 'officer2')).agencyId;
    const imported = await ctx.db('commitments as c').join('milestones as m', 'm.commitment_id', 'c.id').where('c.agency_id', agencyId).whereIn('c.reference_no', ['SP-OVERDUE-1', 'SP-OVERDUE-2'])
      .orderBy(['c.reference_no', 'm.seq']).select('c.reference_no', 'c.title', 'c.amount_fen', 'c.basis', 'c.signed_on', 'c.is_public', 'm.description', 'm.due_on', 'm.amount_fen as milestone_fen');
    expect(imported.map((r) => [r.reference_no, r.title, Number(r.amount_fen), r.basis, r.signed_on, Boolean(r.is_public), r.description, r.due_on, Number(r.milestone_fen)])).to.deep.equal([
      ['SP-OVERDUE-1', '=HYPERLINK("http://example.com")', 1_234_560, '会议纪要〔2025〕3号', daysFromToday(-400), true, '支付首期款', daysFromToday(-10), 100_000],
      ['SP-OVERDUE-1', '=HYPERLINK("http://example.com")', 1_234_560, '会议纪要〔2025〕3号', daysFromToday(-400), true, '支付尾款', daysFromToday(60), 200_000],
      ['SP-OVERDUE-2', '政务云扩容合同', 300_000, null, daysFromToday(-400), false, '支付首期款', daysFromToday(-10), 100_000],
      ['SP-OVERDUE-2', '政务云扩容合同', 300_000, null, daysFromToday(-400), false, '支付尾款', daysFromToday(60), 200_000],
    ]);
  });

  it('records who exported which rows, as CSV or Excel, in the audit log, and nothing for a refused export', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const agent = await signIn(ctx.app, 'officer1');
    const entries = () => ctx.db('audit_log').where({ action: 'commitments.exported' }).orderBy('id');
    const before = (await entries()).length;
    await agent.get('/commitments/export.zip?status=overdue&kind=contract&sort=amount_desc').buffer(true).parse(binary);
    await agent.get('/commitments/export.xlsx?q=政务云').buffer(true).parse(binary);
    await agent.get('/commitments/export.zip?status=late');
    const recorded = (await entries()).slice(before);
    expect(recorded.map((e) => [e.actor_id, e.entity_type, JSON.parse(e.after_json)])).to.deep.equal([
      [officer1.id, 'ledger', { format: 'csv', filters: { status: 'overdue', kind: 'contract', sort: 'amount_desc' } }],
      [officer1.id, 'ledger', { format: 'xlsx', filters: { q: '政务云' } }],
    ]);
    expect(recorded[0].ip).to.be.a('string');
  });

  it('refuses administrators and rejects a malformed filter', async () => {
    expect((await (await signIn(ctx.app, 'admin')).get('/commitments/export.zip')).status).to.equal(403);
    expect((await (await signIn(ctx.app, 'officer1')).get('/commitments/export.xlsx?status=late')).status).to.equal(422);
  });
});
