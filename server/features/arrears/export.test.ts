import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { binary } from '../../../test/files.ts';
import { idOf, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { refreshArrears } from './repository.ts';
import type { ArrearsInput } from './schema.ts';
import { registerArrears } from './service/register.ts';
import { ARREARS_EXPORT_COLUMNS } from './spreadsheet-export.ts';

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

const midnight = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('arrears ledger exports', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();
  let small: number;
  let large: number;

  before(async () => {
    ctx = await startTestApp();
    const officer1 = await callerNamed(ctx.db, 'officer1');
    const officer2 = await callerNamed(ctx.db, 'officer2');
    small = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    large = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[4].name });
    const base = (over: Partial<ArrearsInput>): ArrearsInput => ({ agencyId: officer1.user.agencyId!, enterpriseId: small, category: 'works', principalFen: 1_000_000, acceptedOn: daysFromToday(-10), description: '工程款', ...over });
    // Due 30 days ago; 400,000 fen paid 20 days ago (10 days late): interest 400,000 × 0.0005 × 10 + 600,000 × 0.0005 × 30 = 11,000 fen.
    const { id } = await registerArrears(ctx, officer1, base({ contractRef: 'SP-PAID', acceptedOn: daysFromToday(-60), description: '=HYPERLINK("http://evil")' }));
    await ctx.db('arrears_payments').insert({ arrears_id: id, amount_fen: 400_000, paid_on: daysFromToday(-20), voucher_no: 'PZ-1', created_at: TEST_CLOCK.now().toISOString() });
    await refreshArrears(ctx.db, [id], TEST_CLOCK.now().toISOString());
    await registerArrears(ctx, officer1, base({ contractRef: 'SP-90DAYS', category: 'services', acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85), principalFen: 250_050 }));
    await registerArrears(ctx, officer1, base({ contractRef: 'SP-LARGE', enterpriseId: large, acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85) }));
    await registerArrears(ctx, officer2, base({ agencyId: officer2.user.agencyId!, contractRef: 'SW-OTHER', enterpriseId: large }));
  });
  after(() => ctx.close());

  it('exports the officer’s filtered ledger as a workbook with real dates, yuan, flags and interest as of today', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get('/arrears/export.xlsx?sort=due_asc').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).to.include(`filename*=UTF-8''${encodeURIComponent('欠款台账')}-${today}.xlsx`);
    const wb = await workbook(res.body as Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['欠款台账', '导出记录']);
    const rows = sheetRows(wb.worksheets[0]!);
    expect(rows[0]).to.deep.equal(ARREARS_EXPORT_COLUMNS.map((c) => c.header));
    const at = (header: string) => (rows[0] as string[]).indexOf(header);
    const cells = (headers: string[]) => rows.slice(1).map((r) => headers.map((h) => r[at(h)]));
    expect(cells(['合同编号', '欠款单位', '企业划型', '欠款类别', '本金（元）', '已付（元）', '未付（元）', '付款期限', '期限天数', '期限不合规', '清偿状态', '逾期天数', '账龄', '逾期利息（元）'])).to.deep.equal([
      ['SP-PAID', '青岛市行政审批服务局', '小型', '工程款', 10000, 4000, 6000, midnight(daysFromToday(-30)), 30, '否', '部分清偿', 30, '30 天以内', 110],
      ['SP-90DAYS', '青岛市行政审批服务局', '小型', '服务款', 2500.5, 0, 2500.5, midnight(daysFromToday(85)), 90, '是', '未清偿', undefined, undefined, 0],
      ['SP-LARGE', '青岛市行政审批服务局', '大型', '工程款', 10000, 0, 10000, midnight(daysFromToday(85)), 90, '否', '未清偿', undefined, undefined, 0],
    ]);
    const due = wb.worksheets[0]!.getRow(2).getCell(at('付款期限') + 1);
    expect([due.type, due.numFmt]).to.deep.equal([ExcelJS.ValueType.Date, 'yyyy-mm-dd']);
    expect(rows[1]![at('统一社会信用代码')]).to.equal(DEMO_ENTERPRISES[0].code);
  });

  it('exports CSV as a ZIP with the record of who exported what, keeping formulas inert, and audits it', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get(`/arrears/export.csv?nonCompliant=no&enterpriseId=${small}&q=SP&sort=outstanding_desc`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.include(`${encodeURIComponent('欠款台账')}-${today}.zip`);
    const sheets = await zipSheets(res.body as Buffer);
    expect(Object.keys(sheets)).to.deep.equal(['欠款台账.csv', '导出记录.csv']);
    const ledger = sheets['欠款台账.csv']!;
    const at = (header: string) => ledger[0]!.indexOf(header);
    expect(ledger.slice(1).map((r) => [r[at('合同编号')], r[at('欠款事由')], r[at('未付（元）')], r[at('交付或验收日期')]])).to.deep.equal([
      ['SP-PAID', `'=HYPERLINK("http://evil")`, '6000.00', daysFromToday(-60)],
    ]);
    const record = Object.fromEntries(sheets['导出记录.csv']!.slice(1));
    expect(record).to.include({
      导出人: '王审计（账号 auditor）',
      数据范围: '全部单位',
      '筛选条件：付款期限': '合规',
      '筛选条件：债权企业': `${DEMO_ENTERPRISES[0].name}（${DEMO_ENTERPRISES[0].code}）`,
      '筛选条件：关键词': 'SP',
      排序: '未付金额（高→低）',
      欠款笔数: '1',
    });
    expect(record['导出时间']).to.match(new RegExp(`^${today} \\d{2}:\\d{2}:\\d{2}（北京时间）$`));
    const entry = await ctx.db('audit_log').where({ action: 'arrears.exported' }).orderBy('id', 'desc').first('actor_name', 'entity_type', 'after_json');
    expect([entry.actor_name, entry.entity_type]).to.deep.equal(['auditor', 'arrears_ledger']);
    expect(JSON.parse(entry.after_json)).to.deep.equal({ format: 'csv', filters: { nonCompliant: 'no', enterpriseId: small, q: 'SP', sort: 'outstanding_desc', enterprise: DEMO_ENTERPRISES[0].name } });
  });

  it('keeps each exporter to its scope, and refuses bad filters and admins', async () => {
    const refsOf = async (username: string) => {
      const res = await (await signIn(ctx.app, username)).get('/arrears/export.csv').buffer(true).parse(binary);
      const ledger = (await zipSheets(res.body as Buffer))['欠款台账.csv']!;
      return ledger.slice(1).map((r) => r[ledger[0]!.indexOf('合同编号')]).sort();
    };
    expect(await refsOf('officer2')).to.deep.equal(['SW-OTHER']);
    expect(await refsOf('enterprise1')).to.deep.equal(['SP-90DAYS', 'SP-PAID']);
    expect((await (await signIn(ctx.app, 'officer1')).get('/arrears/export.xlsx?ageing=forever')).status).to.equal(422);
    expect((await (await signIn(ctx.app, 'admin')).get('/arrears/export.csv')).status).to.equal(403);
  });
});
