import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { createCommitment } from './service/register.ts';
import { checkSheet } from '../../spreadsheets/checker.ts';
import { LEDGER_EXPORT_COLUMNS, LEDGER_IMPORT_COLUMNS } from './spreadsheet.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function workbookRows(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  const sheet = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

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
    await register(officer1, { referenceNo: 'SP-OVERDUE-1', title: '=HYPERLINK("http://example.com")', kind: 'investment', amountFen: 1_234_560, enterpriseId: enterprise1.enterpriseId, milestones: overdue });
    await register(officer1, { referenceNo: 'SP-OVERDUE-2', title: '政务云扩容合同', kind: 'contract', amountFen: 300_000, isPublic: false, milestones: overdue });
    await register(officer1, { referenceNo: 'SP-FUTURE-1', title: '人才公寓补贴', kind: 'policy', enterpriseId: enterprise1.enterpriseId, milestones: future });
    await register(officer2, { referenceNo: 'SW-OVERDUE-1', title: '外贸企业出口奖励', kind: 'policy', amountFen: 999_999, milestones: overdue });
    await register(officer2, { referenceNo: 'SW-FUTURE-1', title: '会展中心运营协议', kind: 'contract', enterpriseId: enterprise1.enterpriseId, milestones: future });
  });
  after(() => ctx.close());

  it('exports the officer’s filtered list as UTF-8 CSV with a BOM, Chinese headers and yuan amounts', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get('/commitments/export.csv?status=overdue&sort=amount_desc').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="_-${today}.csv"; filename*=UTF-8''${encodeURIComponent('承诺台账')}-${today}.csv`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(body, { bom: true });
    expect(rows[0]).to.deep.equal(LEDGER_EXPORT_COLUMNS.map((c) => c.header));
    expect(rows.slice(1)).to.deep.equal([
      ['1', 'SP-OVERDUE-1', '招商引资协议', `'=HYPERLINK("http://example.com")`, '青岛市行政审批服务局', '青岛海滨精密机械有限公司', daysFromToday(-400), '12345.60', '张处长', '已逾期', daysFromToday(-10), '是'],
      ['2', 'SP-OVERDUE-2', '政府合同', '政务云扩容合同', '青岛市行政审批服务局', '', daysFromToday(-400), '3000.00', '张处长', '已逾期', daysFromToday(-10), '否'],
    ]);
  });

  it('exports the auditor’s filtered list across agencies as an Excel workbook that opens', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get('/commitments/export.xlsx?status=overdue&sort=amount_desc').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).to.include(`filename*=UTF-8''${encodeURIComponent('承诺台账')}-${today}.xlsx`);
    const rows = await workbookRows(res.body as Buffer);
    expect(rows[0]).to.deep.equal(LEDGER_EXPORT_COLUMNS.map((c) => c.header));
    expect(rows.slice(1).map((r) => [r[1], r[4], r[7], r[9]])).to.deep.equal([
      ['SP-OVERDUE-1', '青岛市行政审批服务局', 12345.6, '已逾期'],
      ['SW-OVERDUE-1', '青岛市商务局', 9999.99, '已逾期'],
      ['SP-OVERDUE-2', '青岛市行政审批服务局', 3000, '已逾期'],
    ]);
  });

  it('gives an enterprise only the commitments made to it, with the other filters applied', async () => {
    const agent = await signIn(ctx.app, 'enterprise1');
    const all = await workbookRows((await agent.get('/commitments/export.xlsx?sort=title_asc').buffer(true).parse(binary)).body as Buffer);
    expect(all.slice(1).map((r) => r[1]).sort()).to.deep.equal(['SP-FUTURE-1', 'SP-OVERDUE-1', 'SW-FUTURE-1']);
    const csv = await agent.get('/commitments/export.csv?kind=policy').buffer(true).parse(binary);
    const rows: string[][] = parse(csv.body as Buffer, { bom: true });
    expect(rows.slice(1).map((r) => [r[1], r[2], r[9]])).to.deep.equal([['SP-FUTURE-1', '政策承诺', '履约中']]);
  });

  it('writes the words an import reads: the columns both files share parse back to the same values', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const body = (await agent.get('/commitments/export.csv?sort=title_asc').buffer(true).parse(binary)).body as Buffer;
    const shared = LEDGER_IMPORT_COLUMNS.filter((c) => LEDGER_EXPORT_COLUMNS.some((e) => e.header === c.header)).map((c) => ({ ...c, required: false }));
    expect(shared.map((c) => c.key)).to.deep.equal(['referenceNo', 'kind', 'title', 'signedOn', 'amount', 'responsibleOfficial', 'isPublic']);
    const read: unknown[] = [];
    const check = await checkSheet(body, 'csv', shared, { onRow: (row) => read.push(row.values) });
    expect(check.errors.kept).to.deep.equal([]);
    expect(read).to.deep.include({ referenceNo: 'SP-OVERDUE-2', kind: 'contract', title: '政务云扩容合同', signedOn: daysFromToday(-400), amount: 300_000, responsibleOfficial: '张处长', isPublic: false });
    expect(read).to.have.length(3);
  });

  it('records who exported which rows, as CSV or Excel, in the audit log, and nothing for a refused export', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const agent = await signIn(ctx.app, 'officer1');
    const entries = () => ctx.db('audit_log').where({ action: 'commitments.exported' }).orderBy('id');
    const before = (await entries()).length;
    await agent.get('/commitments/export.csv?status=overdue&kind=contract&sort=amount_desc').buffer(true).parse(binary);
    await agent.get('/commitments/export.xlsx?q=政务云').buffer(true).parse(binary);
    await agent.get('/commitments/export.csv?status=late');
    const recorded = (await entries()).slice(before);
    expect(recorded.map((e) => [e.actor_id, e.entity_type, JSON.parse(e.after_json)])).to.deep.equal([
      [officer1.id, 'ledger', { format: 'csv', filters: { status: 'overdue', kind: 'contract' } }],
      [officer1.id, 'ledger', { format: 'xlsx', filters: { q: '政务云' } }],
    ]);
    expect(recorded[0].ip).to.be.a('string');
  });

  it('refuses administrators and rejects a malformed filter', async () => {
    expect((await (await signIn(ctx.app, 'admin')).get('/commitments/export.csv')).status).to.equal(403);
    expect((await (await signIn(ctx.app, 'officer1')).get('/commitments/export.csv?status=late')).status).to.equal(422);
  });
});
