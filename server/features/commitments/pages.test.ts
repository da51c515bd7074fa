import { expect } from 'chai';
import type request from 'supertest';
import { csrfFrom, idOf, postForm, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { daysFromToday } from '../../../test/factories.ts';

type Agent = request.Agent;

/** A minimal PDF: its bytes say PDF, whatever the name says. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function commitmentFields(over: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'contract',
    title: '智能制造产业园代建合同',
    referenceNo: `REF-${Math.random().toString(36).slice(2, 10)}`,
    enterpriseId: '',
    basis: '市政府常务会议纪要〔2026〕5号',
    signedOn: daysFromToday(-120),
    amount: '1000000',
    responsibleOfficial: '张处长',
    isPublic: 'on',
    'milestones[0][description]': '完成土地交付',
    'milestones[0][dueOn]': daysFromToday(30),
    'milestones[0][amount]': '300000',
    ...over,
  };
}

async function createThroughForm(agent: Agent, fields: Record<string, string>): Promise<number> {
  const res = await postForm(agent, '/commitments/new', '/commitments', fields);
  expect(res.status, res.text.slice(0, 2000)).to.equal(303);
  const m = /^\/commitments\/(\d+)$/.exec(res.headers.location ?? '');
  expect(m, res.headers.location).to.not.equal(null);
  return Number(m![1]);
}

function milestoneIdsOn(html: string): number[] {
  return [...html.matchAll(/<tr id="milestone-(\d+)">/g)].map((m) => Number(m[1]));
}

describe('commitment pages', () => {
  let ctx: TestContext;
  let officer1: Agent;
  let officer2: Agent;
  let auditor: Agent;
  let enterprise1: Agent;
  let enterpriseId: number;

  before(async () => {
    ctx = await startTestApp();
    [officer1, officer2, auditor, enterprise1] = await Promise.all(['officer1', 'officer2', 'auditor', 'enterprise1'].map((u) => signIn(ctx.app, u)));
    enterpriseId = await idOf(ctx.db, 'enterprises', { name: '青岛海滨精密机械有限公司' });
  });
  after(() => ctx.close());

  it('lets an officer create a commitment with three milestones, skipping a blank row', async () => {
    const form = await officer1.get('/commitments/new');
    expect(form.status).to.equal(200);
    expect(form.text).to.include('name="milestones[2][dueOn]"');
    const id = await createThroughForm(officer1, commitmentFields({
      title: '高端装备产业园投资协议',
      'milestones[1][description]': '', 'milestones[1][dueOn]': '', 'milestones[1][amount]': '',
      'milestones[2][description]': '兑现设备补贴', 'milestones[2][dueOn]': daysFromToday(90), 'milestones[2][amount]': '200000.50',
      'milestones[3][description]': '完成竣工验收', 'milestones[3][dueOn]': daysFromToday(180), 'milestones[3][amount]': '',
    }));
    const page = await officer1.get(`/commitments/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('高端装备产业园投资协议');
    expect(page.text).to.include('承诺已登记。');
    expect(milestoneIdsOn(page.text)).to.have.length(3);
    for (const text of ['完成土地交付', '兑现设备补贴', '完成竣工验收', '200,000.50', '1,000,000.00']) expect(page.text).to.include(text);
    const ledger = await officer1.get('/commitments');
    expect(ledger.text).to.include('高端装备产业园投资协议');
  });

  it('re-renders a refused form with every value kept and each error beside its field', async () => {
    const res = await postForm(officer1, '/commitments/new', '/commitments', commitmentFields({
      title: '保留我的输入',
      'milestones[0][amount]': '12.345',
      'milestones[1][description]': '', 'milestones[1][dueOn]': '', 'milestones[1][amount]': '',
      'milestones[2][description]': '第二期款项', 'milestones[2][dueOn]': '2026-02-30', 'milestones[2][amount]': '5000',
    }));
    expect(res.status).to.equal(422);
    expect(res.text).to.include('value="保留我的输入"');
    expect(res.text).to.include('value="第二期款项"');
    expect(res.text).to.include('value="2026-02-30"');
    expect(res.text).to.match(/id="m-2-dueOn" name="milestones\[2\]\[dueOn\]" value="2026-02-30" aria-invalid="true"/);
    expect(res.text).to.match(/<p class="error" id="m-2-dueOn-err">请输入有效日期/);
    expect(res.text).to.match(/id="m-0-amount" name="milestones\[0\]\[amount\]" value="12.345"[^>]*aria-invalid="true"/);
    expect(res.text).to.match(/<p class="error" id="m-0-amount-err">请输入金额（元），最多两位小数。/);
    expect(res.text).to.not.match(/id="m-2-description-err"/);
    const [{ n }] = await ctx.db('commitments').where({ title: '保留我的输入' }).count({ n: '*' });
    expect(Number(n)).to.equal(0);
  });

  it('edits a commitment and its milestones; a refused edit stays on the edit form', async () => {
    const id = await createThroughForm(officer1, commitmentFields({ title: '待修改的承诺' }));
    const form = await officer1.get(`/commitments/${id}/edit`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('value="待修改的承诺"');
    expect(form.text).to.include('name="milestones[0][amount]" value="300000.00"');
    expect(form.text).to.include('name="milestones[2][description]"');
    const fields = commitmentFields({ title: '已修改的承诺', 'milestones[1][description]': '新增节点', 'milestones[1][dueOn]': daysFromToday(60), 'milestones[1][amount]': '' });
    const refused = await postForm(officer1, `/commitments/${id}/edit`, `/commitments/${id}`, { ...fields, 'milestones[1][amount]': '2000000' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include(`action="/commitments/${id}"`);
    expect(refused.text).to.include('各履约节点金额合计超出承诺总金额');
    const saved = await postForm(officer1, `/commitments/${id}/edit`, `/commitments/${id}`, fields);
    expect(saved.status).to.equal(303);
    const page = await officer1.get(`/commitments/${id}`);
    expect(page.text).to.include('已修改的承诺');
    expect(page.text).to.include('新增节点');
    expect(milestoneIdsOn(page.text)).to.have.length(2);
  });

  it('answers 404 to an officer of another agency, whether reading, editing or posting', async () => {
    const id = await createThroughForm(officer2, commitmentFields({ title: '商务局招商协议' }));
    expect((await officer2.get(`/commitments/${id}`)).status).to.equal(200);
    expect((await officer1.get(`/commitments/${id}`)).status).to.equal(404);
    expect((await officer1.get(`/commitments/${id}/edit`)).status).to.equal(404);
    const token = await csrfFrom(officer1, '/commitments/new');
    const edit = await officer1.post(`/commitments/${id}`).type('form').send({ ...commitmentFields({ title: '篡改' }), _csrf: token });
    expect(edit.status).to.equal(404);
    const terminate = await officer1.post(`/commitments/${id}/terminate`).type('form').send({ terminationReason: '越权', _csrf: token });
    expect(terminate.status).to.equal(404);
    const fulfil = await officer1.post(uploadUrl(`/commitments/${id}/fulfilments`, token)).field('fulfilmentNote', '越权').field('fulfilledOn', daysFromToday(0));
    expect(fulfil.status).to.equal(404);
    expect(await ctx.db('commitments').where({ id }).first('title', 'terminated_on')).to.deep.equal({ title: '商务局招商协议', terminated_on: null });
    expect((await officer1.get('/commitments')).text).to.not.include('商务局招商协议');
  });

  it('shows an enterprise its commitments read-only and refuses it the officer pages', async () => {
    const id = await createThroughForm(officer1, commitmentFields({ title: '海滨精密技改补贴', enterpriseId: String(enterpriseId) }));
    await createThroughForm(officer1, commitmentFields({ title: '与其他企业的协议' }));
    const ledger = await enterprise1.get('/commitments');
    expect(ledger.status).to.equal(200);
    expect(ledger.text).to.include('海滨精密技改补贴');
    expect(ledger.text).to.not.include('与其他企业的协议');
    expect(ledger.text).to.not.include('href="/commitments/new"');
    expect((await enterprise1.get('/commitments/new')).status).to.equal(403);
    const page = await enterprise1.get(`/commitments/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('海滨精密技改补贴');
    for (const action of ['fulfilments"', 'waivers"', 'breach"', 'handovers"', 'terminate"', 'edit"']) expect(page.text).to.not.include(`/commitments/${id}/${action}`);
    const token = await csrfFrom(enterprise1, `/commitments/${id}`);
    const post = await enterprise1.post(`/commitments/${id}/terminate`).type('form').send({ terminationReason: '企业无权终止', _csrf: token });
    expect(post.status).to.equal(403);
  });

  it('filters the ledger by status and reports a bad filter beside it', async () => {
    const overdue = await createThroughForm(officer1, commitmentFields({ title: '逾期的承诺', 'milestones[0][dueOn]': daysFromToday(-10) }));
    const current = await createThroughForm(officer1, commitmentFields({ title: '履约中的承诺', 'milestones[0][dueOn]': daysFromToday(10) }));
    const list = await officer1.get('/commitments?status=overdue');
    expect(list.status).to.equal(200);
    expect(list.text).to.include(`href="/commitments/${overdue}"`);
    expect(list.text).to.not.include(`href="/commitments/${current}"`);
    expect(list.text).to.include('href="/commitments/export.zip?status=overdue"');
    const inProgress = await officer1.get('/commitments?status=in_progress');
    expect(inProgress.text).to.include(`href="/commitments/${current}"`);
    expect(inProgress.text).to.not.include(`href="/commitments/${overdue}"`);
    const bad = await officer1.get('/commitments?status=bogus&dueFrom=2026-13-45');
    expect(bad.status).to.equal(422);
    expect(bad.text).to.match(/id="f-status-err">请从列表中选择/);
    expect(bad.text).to.match(/id="f-dueFrom-err">请输入有效日期/);
    expect(bad.text).to.include(`href="/commitments/${current}"`);
  });

  it('shows the auditors every agency and a per-agency summary', async () => {
    const res = await auditor.get('/commitments');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('各单位履约概况');
    expect(res.text).to.include('商务局招商协议');
    expect(res.text).to.include('高端装备产业园投资协议');
    const commerce = await idOf(ctx.db, 'agencies', { name: '青岛市商务局' });
    expect(res.text).to.include(`href="/commitments?agencyId=${commerce}&amp;status=in_progress"`);
    const filtered = await auditor.get(`/commitments?agencyId=${commerce}`);
    expect(filtered.text).to.include('商务局招商协议');
    expect(filtered.text).to.not.include('高端装备产业园投资协议');
  });

  it('takes a waiver request to the auditors’ queue and shows the milestone waived once confirmed', async () => {
    const id = await createThroughForm(officer1, commitmentFields({ title: '需要豁免的承诺' }));
    const page = await officer1.get(`/commitments/${id}`);
    const [milestoneId] = milestoneIdsOn(page.text);
    const token = await csrfFrom(officer1, `/commitments/${id}`);
    const request = await officer1.post(uploadUrl(`/commitments/${id}/waivers`, token)).field('waiverMilestoneId', String(milestoneId)).field('waiverReason', '上级政策调整，该节点不再执行');
    expect(request.status, request.text.slice(0, 500)).to.equal(303);

    const queue = await auditor.get('/commitments/waivers');
    expect(queue.status).to.equal(200);
    expect(queue.text).to.include('上级政策调整，该节点不再执行');
    const waiver = await ctx.db('waivers').where({ milestone_id: milestoneId }).first('id');
    const decide = await postForm(auditor, '/commitments/waivers', `/commitments/${id}/waivers/${waiver.id}/decision`, { decision: 'confirmed', decisionNote: '依据充分', returnTo: 'queue' });
    expect(decide.status).to.equal(303);
    expect(decide.headers.location).to.equal('/commitments/waivers');
    expect((await auditor.get('/commitments/waivers')).text).to.not.include('上级政策调整，该节点不再执行');

    const after = await officer1.get(`/commitments/${id}`);
    expect(after.text).to.match(new RegExp(`<tr id="milestone-${milestoneId}">[\\s\\S]*?status-waived[\\s\\S]*?</tr>`));
    expect(after.text).to.include('依据充分');
    expect(after.text).to.include('确认豁免');
  });

  it('records a fulfilment with a PDF whose link downloads it; a refused file or amount keeps the rest of the form', async () => {
    const id = await createThroughForm(officer1, commitmentFields({ title: '附证明材料的承诺', enterpriseId: String(enterpriseId) }));
    const [milestoneId] = milestoneIdsOn((await officer1.get(`/commitments/${id}`)).text);
    const token = await csrfFrom(officer1, `/commitments/${id}`);
    const send = (amount: string, file: { bytes: Buffer; name: string }) =>
      officer1.post(uploadUrl(`/commitments/${id}/fulfilments`, token)).field('fulfilmentMilestoneId', String(milestoneId)).field('fulfilledOn', daysFromToday(0))
        .field('fulfilmentNote', '已完成首期土地交付并签署交接单').field('fulfilmentAmount', amount)
        .attach('fulfilmentEvidence', file.bytes, { filename: file.name, contentType: 'application/pdf' });

    const spoofed = await send('100000', { bytes: Buffer.from('not a pdf at all, just text'), name: '伪装.pdf' });
    expect(spoofed.status).to.equal(422);
    expect(spoofed.text).to.match(/id="f-fulfilmentEvidence-err"><li>[^<]*“伪装.pdf”/);
    expect(spoofed.text).to.include('已完成首期土地交付并签署交接单');
    expect(spoofed.text).to.match(/<details class="action" open>\s*<summary>登记履约/);

    const over = await send('300000.01', { bytes: PDF, name: '验收报告.pdf' });
    expect(over.status).to.equal(422);
    expect(over.text).to.match(/id="f-fulfilmentAmount-err">履约金额超出该节点应履行金额 0.01 元/);
    expect(over.text).to.include('value="300000.01"');

    const ok = await send('100000', { bytes: PDF, name: '验收报告.pdf' });
    expect(ok.status, ok.text.slice(0, 500)).to.equal(303);
    const page = await officer1.get(`/commitments/${id}`);
    expect(page.text).to.include('履约情况已登记。');
    const link = /href="(\/evidence\/\d+)" download>验收报告.pdf<\/a>/.exec(page.text);
    expect(link, 'evidence link').to.not.equal(null);
    const download = await enterprise1.get(link![1]!).buffer(true);
    expect(download.status).to.equal(200);
    expect(download.headers['content-disposition']).to.match(/^attachment;/);
    expect(Buffer.compare(download.body as Buffer, PDF)).to.equal(0);
    expect((await officer2.get(link![1]!)).status).to.equal(404);
  });

  it('lets the counterparty dispute a fulfilment and the auditors settle it', async () => {
    const id = await createThroughForm(officer1, commitmentFields({ title: '有争议的承诺', enterpriseId: String(enterpriseId) }));
    const [milestoneId] = milestoneIdsOn((await officer1.get(`/commitments/${id}`)).text);
    const token = await csrfFrom(officer1, `/commitments/${id}`);
    const fulfil = await officer1.post(uploadUrl(`/commitments/${id}/fulfilments`, token)).field('fulfilmentMilestoneId', String(milestoneId))
      .field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '拨付全部款项').field('fulfilmentAmount', '300000').field('fulfilmentComplete', 'on');
    expect(fulfil.status).to.equal(303);
    const fulfilment = await ctx.db('fulfilments').where({ milestone_id: milestoneId }).first('id');

    const page = await enterprise1.get(`/commitments/${id}`);
    expect(page.text).to.include(`action="/commitments/${id}/fulfilments/${fulfilment.id}/response?_csrf=`);
    const missingComment = await postForm(enterprise1, `/commitments/${id}`, `/commitments/${id}/fulfilments/${fulfilment.id}/response`, { response: 'partly' });
    expect(missingComment.status).to.equal(422);
    expect(missingComment.text).to.match(new RegExp(`id="response-comment-${fulfilment.id}-err">此项必填`));
    expect(missingComment.text).to.match(/value="partly" checked/);
    const dispute = await postForm(enterprise1, `/commitments/${id}`, `/commitments/${id}/fulfilments/${fulfilment.id}/response`, { response: 'partly', responseComment: '只收到一半款项' });
    expect(dispute.status).to.equal(303);

    expect((await auditor.get('/commitments/waivers')).text).to.include('只收到一半款项');
    const settle = await postForm(auditor, `/commitments/${id}`, `/commitments/${id}/fulfilments/${fulfilment.id}/settlement`, { settlement: 'rejected', settlementNote: '银行流水显示仅拨付一半' });
    expect(settle.status).to.equal(303);
    expect(settle.headers.location).to.equal(`/commitments/${id}`);
    const after = await officer1.get(`/commitments/${id}`);
    expect(after.text).to.include('审计认定履行无效');
    expect(after.text).to.match(new RegExp(`<tr id="milestone-${milestoneId}">[\\s\\S]*?status-pending[\\s\\S]*?</tr>`));
  });

  it('keeps a fulfilled milestone’s history with it when the edit form removes a row above it', async () => {
    const id = await createThroughForm(officer1, commitmentFields({
      title: '三期付款合同',
      'milestones[1][description]': '第二期', 'milestones[1][dueOn]': daysFromToday(60), 'milestones[1][amount]': '300000',
      'milestones[2][description]': '第三期', 'milestones[2][dueOn]': daysFromToday(90), 'milestones[2][amount]': '300000',
    }));
    const [, , thirdId] = milestoneIdsOn((await officer1.get(`/commitments/${id}`)).text);
    const token = await csrfFrom(officer1, `/commitments/${id}`);
    await officer1.post(uploadUrl(`/commitments/${id}/fulfilments`, token)).field('fulfilmentMilestoneId', String(thirdId))
      .field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '提前支付第三期').field('fulfilmentAmount', '300000').field('fulfilmentComplete', 'on');

    const edit = await officer1.get(`/commitments/${id}/edit`);
    const fields: Record<string, string> = {};
    for (const m of edit.text.matchAll(/name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
    // A button's value is sent only when it is pressed: the save button is, the picker's search button is not.
    delete fields.enterpriseSearch;
    expect(fields['milestones[2][id]']).to.equal(String(thirdId));
    Object.assign(fields, { 'milestones[1][description]': '', 'milestones[1][dueOn]': '', 'milestones[1][amount]': '', isPublic: 'on', kind: 'contract', enterpriseId: '' });
    const saved = await postForm(officer1, `/commitments/${id}/edit`, `/commitments/${id}`, fields);
    expect(saved.status, saved.text.slice(0, 1500)).to.equal(303);

    const rows = await ctx.db('milestones').where({ commitment_id: id }).orderBy('seq').select('id', 'description', 'status');
    expect(rows.map((r: { description: string; status: string }) => [r.description, r.status])).to.deep.equal([['完成土地交付', 'pending'], ['第三期', 'fulfilled']]);
    expect(rows[1].id).to.equal(thirdId);
  });

  it('shows each role a home page with its numbers', async () => {
    const officerHome = await officer1.get('/');
    expect(officerHome.text).to.include('近 12 个月按期履约率');
    expect(officerHome.text).to.include('href="/commitments?status=overdue"');
    expect(officerHome.text).to.include('逾期的承诺');
    const auditorHome = await auditor.get('/');
    expect(auditorHome.text).to.include('待审核的豁免申请');
    expect(auditorHome.text).to.include('各单位履约概况');
    const enterpriseHome = await enterprise1.get('/');
    expect(enterpriseHome.text).to.include('href="/commitments?status=in_progress"');
  });

  it('speaks English with ?lang=en', async () => {
    const res = await officer1.get('/commitments?lang=en');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<html lang="en">');
    for (const text of ['Export CSV', 'New commitment', 'Milestone due from', 'In progress']) expect(res.text).to.include(text);
    expect(res.text).to.not.include('导出 CSV');
    const form = await officer1.get('/commitments/new?lang=en');
    expect(form.text).to.include('Add a row');
  });
});
