import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { fixedClock } from '../../domain/clock.ts';
import { binary } from '../../../test/files.ts';
import { demoUser } from '../../../test/factories.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { insertTestCase, type TestStep } from './cases-test-data.ts';
import { EXPORT_RECORD_SHEET, STATISTICS_COLUMNS, STATISTICS_SHEET } from './statistics-export.ts';

const TODAY = '2026-11-20';
const PERIOD = 'from=2026-09-01&to=2026-11-20';

async function zipSheets(body: Buffer): Promise<Record<string, string[][]>> {
  const zip = await JSZip.loadAsync(body);
  const sheets: Record<string, string[][]> = {};
  for (const name of Object.keys(zip.files)) sheets[name] = parse(await zip.file(name)!.async('nodebuffer'), { bom: true });
  return sheets;
}

describe('complaint statistics pages and exports', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  const headers = STATISTICS_COLUMNS.map((c) => c.header);

  before(async () => {
    ctx = await startTestApp({ clock: fixedClock(new Date(`${TODAY}T04:00:00Z`)) });
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const add = (agencyId: number, submittedOn: string, steps: TestStep[]) => insertTestCase(ctx.db, { agencyId, enterpriseId, submittedOn, steps });
    const resolved: TestStep[] = [{ action: 'accept', on: '2026-10-08' }, { action: 'investigate', on: '2026-10-09' }, { action: 'resolve', on: '2026-10-20' }];
    // 审批局: one accepted on time across National Day, one late; one good and one voided bad review.
    await add(approval, '2026-09-28', [{ action: 'accept', on: '2026-10-16' }]);
    await add(approval, '2026-09-28', [{ action: 'accept', on: '2026-10-19' }]);
    await add(approval, '2026-09-29', [...resolved, { rate: 'satisfied', on: '2026-10-21' }]);
    await add(approval, '2026-09-29', [...resolved, { rate: 'very_dissatisfied', on: '2026-10-21', voided: true }]);
    // 商务局: one case still waiting, not yet due.
    await add(commerce, '2026-11-18', []);
  });
  after(() => ctx.close());

  it('shows auditors every agency with the total, or the one they choose', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get(`/complaints/statistics?${PERIOD}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include(`id="agency-${approval}"`).and.include(`id="agency-${commerce}"`).and.include('class="total"');
    const row = /<tr class="" id="agency-(\d+)">([\s\S]*?)<\/tr>/g;
    const approvalRow = [...res.text.matchAll(row)].find((m) => Number(m[1]) === approval)![2]!;
    expect(approvalRow).to.include('<span class="figure-cases">4</span>').and.include('3 / 4').and.include('75%').and.include('1 / 1').and.include('100%');
    const one = await agent.get(`/complaints/statistics?${PERIOD}&agencyId=${commerce}`);
    expect(one.text).to.include(`id="agency-${commerce}"`).and.not.include(`id="agency-${approval}"`).and.not.include('class="total"');
    expect((await agent.get('/complaints/statistics?from=2026-11-01&to=2026-10-01')).status).to.equal(422);
  });

  it('shows an officer its own agency only, whatever agency it asks for; enterprises and admins get 403', async () => {
    const agent = await signIn(ctx.app, 'officer2');
    const res = await agent.get(`/complaints/statistics?${PERIOD}&agencyId=${approval}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include(`id="agency-${commerce}"`).and.include(`/agencies/${commerce}/integrity`);
    expect(res.text).to.not.include(`id="agency-${approval}"`);
    for (const username of ['enterprise1', 'admin']) expect((await (await signIn(ctx.app, username)).get('/complaints/statistics')).status).to.equal(403);
    expect((await (await signIn(ctx.app, 'enterprise1')).get('/complaints/statistics/export.csv')).status).to.equal(403);
  });

  it('exports what the page shows as CSV files in a ZIP, with rates in per cent and a record of the export, and audits it', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await agent.get(`/complaints/statistics/export.csv?${PERIOD}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.include(encodeURIComponent(`${STATISTICS_SHEET}-2026-09-01-2026-11-20.zip`));
    const sheets = await zipSheets(res.body as Buffer);
    expect(Object.keys(sheets)).to.deep.equal([`${STATISTICS_SHEET}.csv`, `${EXPORT_RECORD_SHEET}.csv`]);
    const [head, ...rows] = sheets[`${STATISTICS_SHEET}.csv`]!;
    expect(head).to.deep.equal(headers);
    const approvalName = (await ctx.db('agencies').where({ id: approval }).first('name')).name;
    const line = Object.fromEntries(head!.map((h, i) => [h, rows.find((r) => r[0] === approvalName)![i]]));
    expect(line).to.include({ 投诉件数: '4', 应受理件数: '4', 按期受理件数: '3', '按期受理率（%）': '75.0', 评价次数: '1', 好评次数: '1', '好评率（%）': '100.0', '差评整改率（%）': '—' });
    expect(rows.at(-1)![0]).to.equal('合计');
    expect(sheets[`${EXPORT_RECORD_SHEET}.csv`]!.map((r) => r[1]).join('\n')).to.include('2026-09-01 至 2026-11-20');
    const audit = await ctx.db('audit_log').where({ action: 'complaint_statistics.exported' }).orderBy('id', 'desc').first('entity_type', 'after_json', 'actor_name');
    expect(audit.entity_type).to.equal('complaint_statistics');
    expect(JSON.parse(audit.after_json)).to.include({ exportFormat: 'csv', statisticsFrom: '2026-09-01', statisticsTo: '2026-11-20' });
  });

  it('exports an officer’s own agency as an Excel workbook', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const res = await agent.get(`/complaints/statistics/export.xlsx?${PERIOD}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal([STATISTICS_SHEET, EXPORT_RECORD_SHEET]);
    const sheet = wb.getWorksheet(STATISTICS_SHEET)!;
    expect(sheet.rowCount).to.equal(2);
    const values = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(values[0]).to.equal((await ctx.db('agencies').where({ id: approval }).first('name')).name);
    expect(values[headers.indexOf('按期受理率（%）')]).to.equal(75);
    expect(values[headers.indexOf('回访率（%）')]).to.equal('—');
    const audit = await ctx.db('audit_log').where({ action: 'complaint_statistics.exported' }).orderBy('id', 'desc').first('after_json', 'actor_name');
    expect(audit.actor_name).to.equal('officer1');
    expect(JSON.parse(audit.after_json)).to.deep.include({ exportFormat: 'xlsx', statisticsAgencies: [values[0]] });
  });
});
