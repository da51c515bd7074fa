import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { idOf, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { daysFromToday } from '../../../test/factories.ts';

/** The counterparty is found by a search on the server, never picked from a list of every enterprise. */
describe('the counterparty picker', () => {
  let ctx: TestContext;
  let officer: request.Agent;

  const form = (over: Record<string, string> = {}): Record<string, string> => ({
    kind: 'contract', title: '港区道路改造合同', referenceNo: `PICK-${Math.random().toString(36).slice(2, 8)}`, basis: '', signedOn: daysFromToday(-10), amount: '5000',
    responsibleOfficial: '张处长', 'milestones[0][description]': '竣工验收', 'milestones[0][dueOn]': daysFromToday(60), 'milestones[0][amount]': '', ...over,
  });
  const radios = (html: string) => [...html.matchAll(/<input type="radio" name="enterpriseId" value="(\d*)"( checked)?>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);

  before(async () => {
    ctx = await startTestApp();
    officer = await signIn(ctx.app, 'officer1');
  });
  after(() => ctx.close());

  it('offers no list of every enterprise on a new form', async () => {
    const page = await officer.get('/commitments/new');
    expect(page.status).to.equal(200);
    for (const e of DEMO_ENTERPRISES) expect(page.text).to.not.include(e.name);
    expect(radios(page.text)).to.deep.equal(['*']);
  });

  it('searches by name as a step of the form, keeping every value typed, and saves the enterprise chosen', async () => {
    const fields = form({ enterpriseQuery: '海滨' });
    const step = await postForm(officer, '/commitments/new', '/commitments', { ...fields, enterpriseSearch: '1' });
    expect(step.status).to.equal(200);
    expect(step.text).to.include('名称或代码包含“海滨”的企业（1 家）');
    expect(step.text).to.include('value="港区道路改造合同"');
    expect(step.text).to.include('value="竣工验收"');
    const haibin = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[0].name });
    expect(radios(step.text)).to.deep.equal([String(haibin), '*']);
    expect(await ctx.db('commitments').where({ reference_no: fields.referenceNo }).first()).to.equal(undefined);

    const saved = await postForm(officer, '/commitments/new', '/commitments', { ...fields, enterpriseSearched: '海滨', enterpriseId: String(haibin) });
    expect(saved.status, saved.text.slice(0, 500)).to.equal(303);
    expect(await ctx.db('commitments').where({ reference_no: fields.referenceNo }).first('enterprise_id')).to.deep.equal({ enterprise_id: haibin });
  });

  it('finds an enterprise by part of its credit code, in any case, and says when a query is too broad or finds nothing', async () => {
    const code = DEMO_ENTERPRISES[1].code;
    const byCode = await postForm(officer, '/commitments/new', '/commitments', form({ enterpriseQuery: code.slice(6, 14).toLowerCase(), enterpriseSearch: '1' }));
    expect(byCode.text).to.include(DEMO_ENTERPRISES[1].name);
    const none = await postForm(officer, '/commitments/new', '/commitments', form({ enterpriseQuery: '不存在的公司', enterpriseSearch: '1' }));
    expect(none.text).to.include('没有名称或代码包含“不存在的公司”的企业。');
    const now = new Date().toISOString();
    await ctx.db('enterprises').insert(Array.from({ length: 25 }, (_, n) => ({ name: `青岛测试企业${n}`, credit_code: `TEST${String(n).padStart(14, '0')}`, type: 'private', scale: 'small', district: '市南区', created_at: now, updated_at: now })));
    const many = await postForm(officer, '/commitments/new', '/commitments', form({ enterpriseQuery: '测试企业', enterpriseSearch: '1' }));
    expect(many.text).to.include('名称或代码包含“测试企业”的企业共 25 家，以下是前 20 家');
    expect(radios(many.text)).to.have.length(21);
  });

  it('treats Enter in the search box as a search, never as a save that drops the typed name', async () => {
    const fields = form({ enterpriseQuery: '海滨' });
    const res = await postForm(officer, '/commitments/new', '/commitments', fields);
    expect(res.status).to.equal(200);
    expect(res.text).to.include(DEMO_ENTERPRISES[0].name);
    expect(await ctx.db('commitments').where({ reference_no: fields.referenceNo }).first()).to.equal(undefined);
  });

  it('shows the enterprise a commitment has when it is edited, and answers the script with the same matches', async () => {
    const haibin = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[0].name });
    const fields = form({ enterpriseId: String(haibin) });
    expect((await postForm(officer, '/commitments/new', '/commitments', fields)).status).to.equal(303);
    const id = await idOf(ctx.db, 'commitments', { reference_no: fields.referenceNo });
    const edit = await officer.get(`/commitments/${id}/edit`);
    expect(edit.text).to.include(DEMO_ENTERPRISES[0].name);
    expect(radios(edit.text)).to.deep.equal([`${haibin}*`, '']);

    const json = await officer.get('/commitments/enterprises.json?q=%E6%B5%B7%E6%BB%A8&lang=en');
    expect(json.body).to.deep.equal({ query: '海滨', matches: [{ id: haibin, name: DEMO_ENTERPRISES[0].name, creditCode: DEMO_ENTERPRISES[0].code }], total: 1, summary: 'One enterprise’s name or code contains "海滨":' });
    expect((await (await signIn(ctx.app, 'enterprise1')).get('/commitments/enterprises.json?q=a')).status).to.equal(403);
  });
});
