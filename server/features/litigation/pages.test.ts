import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, daysFromToday, demoUser } from '../../../test/factories.ts';
import type { CaseInput } from './schema.ts';
import { recordHearing } from './service/hearings.ts';
import { recordCase } from './service/register.ts';

/** The register for each role, a case's page with its hearing form, the case form and the rates page. */
describe('the litigation pages', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1' | 'admin', request.Agent>;
  const ids: Record<string, number> = {};

  /** Case numbers linked from a page, in page order. */
  const caseNos = (html: string) => [...html.matchAll(/<a href="\/litigation\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!);
  const base = (over: Partial<CaseInput>): CaseInput => ({ agencyId: approval, caseNo: 'x', court: '青岛市市南区人民法院', plaintiff: '刘某某', plaintiffEnterpriseId: null, cause: '政府信息公开', filedOn: daysFromToday(-100), outcome: null, concludedOn: null, ...over });

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    const officer1 = await callerNamed(ctx.db, 'officer1');
    const officer2 = await callerNamed(ctx.db, 'officer2');
    ids.open = (await recordCase(ctx, officer1, base({ caseNo: 'SP-OPEN' }))).id;
    ids.done = (await recordCase(ctx, officer1, base({ caseNo: 'SP-DONE', filedOn: daysFromToday(-200), outcome: '判决驳回原告诉讼请求', concludedOn: daysFromToday(-120) }))).id;
    ids.swj = (await recordCase(ctx, officer2, base({ agencyId: commerce, caseNo: 'SWJ-1', court: '青岛市市北区人民法院' }))).id;
    await recordHearing(ctx, officer1, ids.open, { hearingOn: daysFromToday(-50), headAppeared: true, headSpoke: true, headName: '王建国', appearedInstead: null, note: null });
    await recordHearing(ctx, officer1, ids.open, { hearingOn: daysFromToday(-20), headAppeared: false, headSpoke: false, headName: null, appearedInstead: '张海涛（副局长）', note: null });
    await recordHearing(ctx, officer2, ids.swj, { hearingOn: daysFromToday(-10), headAppeared: true, headSpoke: true, headName: '赵明远', appearedInstead: null, note: null });
    await recordHearing(ctx, officer2, ids.swj, { hearingOn: daysFromToday(-8), headAppeared: true, headSpoke: false, headName: '赵明远', appearedInstead: null, note: '答辩由委托律师发表' });
    agents = Object.fromEntries(await Promise.all((['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'] as const).map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
  });
  after(() => ctx.close());

  describe('the register', () => {
    it('shows an officer its own agency\'s cases, newest filed first, with the missed hearing flagged and a button to record', async () => {
      const page = await agents.officer1.get('/litigation');
      expect(page.status).to.equal(200);
      expect(caseNos(page.text)).to.deep.equal(['SP-OPEN', 'SP-DONE']);
      expect(page.text).to.include('href="/litigation/new"').and.include('负责人未出庭 1 次').and.include('已审结');
      expect(caseNos((await agents.officer2.get('/litigation')).text)).to.deep.equal(['SWJ-1']);
    });

    it('shows the auditors every agency (the same filing day: the later recorded first), with the agency filter and no button to record', async () => {
      const page = await agents.auditor.get('/litigation');
      expect(caseNos(page.text)).to.deep.equal(['SWJ-1', 'SP-OPEN', 'SP-DONE']);
      expect(page.text).to.include('青岛市商务局').and.not.include('href="/litigation/new"');
      expect(caseNos((await agents.auditor.get(`/litigation?agencyId=${commerce}`)).text)).to.deep.equal(['SWJ-1']);
      expect(caseNos((await agents.auditor.get('/litigation?status=concluded')).text)).to.deep.equal(['SP-DONE']);
      expect(caseNos((await agents.auditor.get(`/litigation?q=${encodeURIComponent('市北区')}`)).text)).to.deep.equal(['SWJ-1']);
      // A period keeps the cases pending during it: SP-DONE concluded before it began.
      expect(caseNos((await agents.auditor.get(`/litigation?from=${daysFromToday(-60)}`)).text)).to.deep.equal(['SWJ-1', 'SP-OPEN']);
      const bad = await agents.auditor.get(`/litigation?from=${daysFromToday(0)}&to=${daysFromToday(-1)}`);
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('截止日期不能早于起始日期');
    });

    it('is closed to enterprises and admins (403)', async () => {
      for (const agent of [agents.enterprise1, agents.admin]) {
        for (const path of ['/litigation', '/litigation/rates', `/litigation/${ids.open}`, '/litigation/new']) expect((await agent.get(path)).status, path).to.equal(403);
      }
    });
  });

  describe('a case\'s page', () => {
    it('shows the hearings, who appeared instead, the history, and the agency its edit link and hearing form', async () => {
      const page = await agents.officer1.get(`/litigation/${ids.open}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('张海涛（副局长）').and.include('王建国').and.include('登记庭审出庭情况').and.include('登记行政诉讼案件');
      expect(page.text).to.include(`action="/litigation/${ids.open}/hearings"`).and.include(`href="/litigation/${ids.open}/edit"`);
      const auditorPage = await agents.auditor.get(`/litigation/${ids.open}`);
      expect(auditorPage.text).to.include('张海涛（副局长）').and.not.include('/hearings"').and.not.include('/edit"');
      expect((await agents.officer2.get(`/litigation/${ids.open}`)).status).to.equal(404);
      expect((await agents.officer1.get('/litigation/abc')).status).to.equal(404);
    });

    it('records a hearing from the form, and keeps a refused one open with each error beside its field', async () => {
      const path = `/litigation/${ids.open}`;
      const refused = await postForm(agents.officer1, path, `${path}/hearings`, { hearingOn: daysFromToday(-5), headSpoke: 'on', headName: '', appearedInstead: '' });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.include('<details class="action" open>').and.include('负责人未出庭，不能勾选出声').and.include('负责人未出庭时，请填写代为出庭的人员');
      expect(refused.text).to.include('href="#f-headSpoke"');
      const saved = await postForm(agents.officer1, path, `${path}/hearings`, { hearingOn: daysFromToday(-5), headAppeared: 'on', headSpoke: 'on', headName: '王建国', note: '当庭陈述' });
      expect([saved.status, saved.headers.location]).to.deep.equal([303, `${path}#hearings`]);
      const hearings = await ctx.db('litigation_hearings').where({ case_id: ids.open }).orderBy('id');
      expect(hearings).to.have.length(3);
      expect(Boolean(hearings[2].head_spoke)).to.equal(true);
      expect((await postForm(agents.officer2, '/litigation', `${path}/hearings`, { hearingOn: daysFromToday(-1), headAppeared: 'on', headName: 'x' })).status).to.equal(404);
      expect((await postForm(agents.auditor, '/litigation', `${path}/hearings`, { hearingOn: daysFromToday(-1), headAppeared: 'on', headName: 'x' })).status).to.equal(403);
    });
  });

  it('names a case by its number in the audit log, linked to its page, and finds it by number', async () => {
    const log = await agents.auditor.get('/audit?entityType=litigation_case');
    expect(log.status).to.equal(200);
    expect(log.text).to.include(`<a href="/litigation/${ids.swj}">SWJ-1</a>`).and.include('登记庭审出庭情况').and.include('负责人出庭');
    const found = await agents.auditor.get('/audit?object=SWJ-1');
    expect(found.text).to.include(`href="/litigation/${ids.swj}"`).and.not.include(`href="/litigation/${ids.open}"`);
  });

  describe('the case form', () => {
    it('records a case with a registered enterprise as plaintiff, and refuses a number the court has, beside the number', async () => {
      const enterpriseId = (await ctx.db('enterprises').where({ name: DEMO_ENTERPRISES[3].name }).first('id')).id;
      const fields = { caseNo: '（2026）鲁0202行初77号', court: '青岛市市南区人民法院', filedOn: daysFromToday(-30), enterpriseId, cause: '行政许可' };
      const saved = await postForm(agents.officer1, '/litigation/new', '/litigation/new', fields);
      expect(saved.status, saved.text.slice(0, 500)).to.equal(303);
      const row = await ctx.db('litigation_cases').where({ case_no: fields.caseNo }).first();
      expect(row).to.include({ plaintiff: DEMO_ENTERPRISES[3].name, agency_id: approval });
      expect(saved.headers.location).to.equal(`/litigation/${row.id}`);
      const again = await postForm(agents.officer1, '/litigation/new', '/litigation/new', { ...fields, plaintiff: '另一原告' });
      expect(again.status).to.equal(422);
      expect(again.text).to.include('青岛市市南区人民法院 已登记案号 （2026）鲁0202行初77号').and.include('value="另一原告"');
      const empty = await postForm(agents.officer1, '/litigation/new', '/litigation/new', { caseNo: '', court: '', filedOn: '', concludedOn: daysFromToday(-1) });
      expect(empty.status).to.equal(422);
      expect(empty.text).to.include('请填写原告名称，或选择已登记企业').and.include('填写审结日期时，请同时填写审理结果');
    });

    it('edits a case of the officer\'s agency (another agency 404, auditors 403)', async () => {
      const edit = await agents.officer1.get(`/litigation/${ids.open}/edit`);
      expect(edit.status).to.equal(200);
      expect(edit.text).to.include('value="SP-OPEN"');
      const saved = await postForm(agents.officer1, `/litigation/${ids.open}/edit`, `/litigation/${ids.open}/edit`, { caseNo: 'SP-OPEN', court: '青岛市市南区人民法院', plaintiff: '刘某某', filedOn: daysFromToday(-100), concludedOn: daysFromToday(-1), outcome: '原告撤诉' });
      expect(saved.status).to.equal(303);
      expect(await ctx.db('litigation_cases').where({ id: ids.open }).first()).to.include({ outcome: '原告撤诉', concluded_on: daysFromToday(-1) });
      expect((await agents.officer2.get(`/litigation/${ids.open}/edit`)).status).to.equal(404);
      expect((await agents.auditor.get(`/litigation/${ids.open}/edit`)).status).to.equal(403);
    });
  });

  describe('the rates page', () => {
    it('shows the auditors every agency\'s rates with the hearings they rest on, and the city\'s', async () => {
      const page = await agents.auditor.get(`/litigation/rates?from=${daysFromToday(-365)}&to=${daysFromToday(0)}`);
      expect(page.status).to.equal(200);
      const row = (agencyId: number) => page.text.slice(page.text.indexOf(`data-agency="${agencyId}"`), page.text.indexOf('</tr>', page.text.indexOf(`data-agency="${agencyId}"`)));
      // officer1's agency: three hearings (one recorded from the form above), the head absent from one.
      expect(row(approval).match(/66\.7%（2\/3）/g)).to.have.length(2);
      expect(row(commerce)).to.include('100%（2/2）').and.include('50%（1/2）');
      expect(page.text).to.include('出庭率（4/5 次）').and.include('出声率（3/5 次）').and.include('期间内未开庭');
      const one = await agents.auditor.get(`/litigation/rates?agencyId=${commerce}&from=${daysFromToday(-365)}`);
      expect(one.text).to.include(`data-agency="${commerce}"`).and.not.include(`data-agency="${approval}"`);
    });

    it('shows an officer its own agency only (another agency 403), and the period picked', async () => {
      const page = await agents.officer1.get(`/litigation/rates?from=${daysFromToday(-30)}&to=${daysFromToday(0)}`);
      expect(page.text).to.include(`data-agency="${approval}"`).and.not.include(`data-agency="${commerce}"`);
      // Only the hearing 20 days ago and the one 5 days ago fall in the last 30 days.
      expect(page.text).to.include('50%（1/2）').and.include(`value="${daysFromToday(-30)}"`);
      expect((await agents.officer1.get(`/litigation/rates?agencyId=${commerce}`)).status).to.equal(403);
      const english = await (await signIn(ctx.app, 'officer1')).get(`/litigation/rates?lang=en&from=${daysFromToday(-30)}`);
      expect(english.text).to.include('50% (1/2)').and.include('Appearance rate');
    });
  });
});
