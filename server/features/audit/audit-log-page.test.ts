import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { createCommitment } from '../commitments/service/register.ts';
import { recordHandover } from '../commitments/service/lifecycle.ts';
import { AUDIT_EXPORT_COLUMNS } from './spreadsheet.ts';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The table rows of the audit page, as text, one string per row. */
function rowsOf(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** An entry written straight into the log at a chosen time (the chain does not matter to the page). */
async function entryAt(ctx: TestContext, at: string, entityId: string): Promise<void> {
  await ctx.db('audit_log').insert({ at, actor_id: null, actor_name: 'tester', action: 'test.dated', entity_type: 'thing', entity_id: entityId, prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) });
}

describe('the audit log page', () => {
  let ctx: TestContext;
  let auditor: request.Agent;
  let commitmentId: number;
  let otherId: number;

  before(async () => {
    ctx = await startTestApp();
    const officer1 = await demoUser(ctx.db, 'officer1');
    const officer2 = await demoUser(ctx.db, 'officer2');
    commitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { referenceNo: '青审批补〔2025〕31号', title: '政务大厅改造' }));
    otherId = await createCommitment(ctx, callerFor(officer2), commitmentInput(officer2.agencyId!, { referenceNo: '青商务〔2025〕8号', title: '外贸奖励' }));
    await recordHandover(ctx, callerFor(officer1), commitmentId, { toOfficial: '刘科长', handedOverOn: daysFromToday(0) });
    // Just before, at and just after midnight in Shanghai, around 10 March 2026.
    await entryAt(ctx, '2026-03-09T15:59:59.000Z', 'd1');
    await entryAt(ctx, '2026-03-09T16:00:00.000Z', 'd2');
    await entryAt(ctx, '2026-03-10T15:59:59.999Z', 'd3');
    await entryAt(ctx, '2026-03-10T16:00:00.000Z', 'd4');
    auditor = await signIn(ctx.app, 'auditor');
  });
  after(() => ctx.close());

  it('reads as words: the action in the page’s language, the actor’s name, the object linked by its reference number, the change as old → new', async () => {
    const zh = await auditor.get(`/audit?entityType=commitment&object=%23${commitmentId}`);
    expect(zh.status).to.equal(200);
    const [handover, created] = rowsOf(zh.text);
    expect(handover).to.include('李经办 officer1').and.include('责任人变更').and.include('承诺 青审批补〔2025〕31号').and.include('责任人 ： 张处长 → 刘科长');
    expect(created).to.include('登记承诺');
    expect(zh.text).to.include(`<a href="/commitments/${commitmentId}">青审批补〔2025〕31号</a>`);

    const en = await (await signIn(ctx.app, 'auditor')).get(`/audit?entityType=commitment&object=%23${commitmentId}&lang=en`);
    expect(rowsOf(en.text)[0]).to.include('Responsible official changed').and.include('Commitment 青审批补〔2025〕31号').and.include('Responsible official : 张处长 → 刘科长');
  });

  it('keeps IP and hashes in each row’s expandable details', async () => {
    const page = await auditor.get(`/audit?object=%23${commitmentId}&entityType=commitment`);
    const entry = await ctx.db('audit_log').where({ action: 'commitment.handed_over' }).first();
    const details = /<details>([\s\S]*?)<\/details>/.exec(page.text)![1]!;
    expect(details).to.include('127.0.0.1').and.include(entry.hash).and.include(entry.prev_hash).and.include('commitment.handed_over');
    expect(page.text.replace(/<details>[\s\S]*?<\/details>/g, '')).to.not.include(entry.hash);
  });

  it('offers every labelled action by its label, and filters by it', async () => {
    const page = await auditor.get('/audit?action=commitment.handed_over');
    expect(page.text).to.include('<option value="commitment.handed_over" selected>责任人变更</option>');
    expect(page.text).to.include('<option value="evidence.downloaded" >下载证明材料</option>');
    expect(rowsOf(page.text).map((r) => r.includes('责任人变更'))).to.deep.equal([true]);
  });

  it('finds an actor by display name or username, and an object by part of its reference number or by number', async () => {
    const byName = rowsOf((await auditor.get('/audit?actor=赵经办')).text);
    expect(byName).to.have.length(1);
    expect(byName[0]).to.include('青商务〔2025〕8号');
    expect(rowsOf((await auditor.get('/audit?actor=officer2')).text)).to.deep.equal(byName);

    const byReference = rowsOf((await auditor.get('/audit?object=' + encodeURIComponent('审批补'))).text);
    expect(byReference).to.have.length(2);
    expect(byReference.every((r) => r.includes('青审批补〔2025〕31号'))).to.equal(true);
    expect(rowsOf((await auditor.get(`/audit?entityType=commitment&object=${otherId}`)).text)).to.have.length(1);
    expect(rowsOf((await auditor.get('/audit?object=' + encodeURIComponent('无此文号'))).text)).to.deep.equal(['暂无记录']);
  });

  it('filters by calendar dates in Beijing time, both ends included', async () => {
    const dated = async (query: string) => rowsOf((await auditor.get(`/audit?action=test.dated&${query}`)).text).map((r) => r.match(/#(d\d)/)?.[1] ?? r);
    expect(await dated('from=2026-03-10&to=2026-03-10')).to.deep.equal(['d3', 'd2']);
    expect(await dated('to=2026-03-09')).to.deep.equal(['d1']);
    expect(await dated('from=2026-03-11')).to.deep.equal(['d4']);
  });

  it('reports a bad filter beside its field and lists with the others', async () => {
    const page = await auditor.get('/audit?from=2026-02-30&actor=赵经办');
    expect(page.status).to.equal(422);
    expect(page.text).to.include('id="f-from-err"');
    expect(rowsOf(page.text)).to.have.length(1);
  });

  it('exports the filtered log as CSV and Excel in the file format’s Chinese words, and records the export', async () => {
    const csv = await (await signIn(ctx.app, 'auditor')).get(`/audit/export.csv?entityType=commitment&object=%23${commitmentId}&lang=en`).buffer(true).parse(binary);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-disposition']).to.include(encodeURIComponent('审计日志'));
    const rows: string[][] = parse(csv.body as Buffer, { bom: true });
    expect(rows[0]).to.deep.equal(AUDIT_EXPORT_COLUMNS.map((c) => c.header));
    expect(rows.slice(1).map((r) => [r[2], r[3], r[4], r[5], r[6], r[7]])).to.deep.equal([
      ['李经办', 'officer1', '责任人变更', 'commitment.handed_over', '承诺 青审批补〔2025〕31号', `责任人：张处长 → 刘科长；交接日期：${daysFromToday(0)}`],
      ['李经办', 'officer1', '登记承诺', 'commitment.created', '承诺 青审批补〔2025〕31号', rows[2]![7]!],
    ]);
    expect(rows[1]![1]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const xlsx = await auditor.get('/audit/export.xlsx?action=test.dated&from=2026-03-10&to=2026-03-10').buffer(true).parse(binary);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).to.equal('审计日志');
    expect(sheet.getRow(2).getCell(2).value).to.equal('2026-03-10 23:59:59');
    expect(sheet.getRow(3).getCell(2).value).to.equal('2026-03-10 00:00:00');
    expect(sheet.rowCount).to.equal(3);

    const exports = await ctx.db('audit_log').where({ action: 'audit_log.exported' }).orderBy('id');
    expect(exports.map((e) => [e.actor_name, JSON.parse(e.after_json)])).to.deep.equal([
      ['auditor', { format: 'csv', filters: { entityType: 'commitment', object: `#${commitmentId}` } }],
      ['auditor', { format: 'xlsx', filters: { action: 'test.dated', from: '2026-03-10', to: '2026-03-10' } }],
    ]);
  });

  it('is the auditors’ alone', async () => {
    for (const who of ['admin', 'officer1', 'enterprise1']) {
      const agent = await signIn(ctx.app, who);
      expect((await agent.get('/audit')).status, who).to.equal(403);
      expect((await agent.get('/audit/export.csv')).status, who).to.equal(403);
    }
  });
});
