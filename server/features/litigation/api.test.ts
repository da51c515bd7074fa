import { expect } from 'chai';
import request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { idOf, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';

describe('litigation API /api/v1/litigation', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let approval: number;
  let commerce: number;
  let enterprise: number;

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    enterprise = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[2].name });
  });
  after(() => ctx.close());

  const as = (username: string) => ({
    get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`),
    post: (path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object),
  });
  const body = (over: Record<string, unknown> = {}) => ({
    agencyId: approval, caseNo: '（2026）鲁02行初8号', court: '青岛市中级人民法院', plaintiffEnterpriseId: enterprise, cause: '行政处罚', filedOn: daysFromToday(-60), ...over,
  });
  const hearing = (over: Record<string, unknown> = {}) => ({ hearingOn: daysFromToday(-20), headAppeared: true, headSpoke: true, headName: '王建国', ...over });

  function expectError(res: request.Response, status: number, code: string) {
    expect(res.status, res.text).to.equal(status);
    expect(res.type).to.equal('application/json');
    expect(res.body.error).to.include({ code });
  }

  describe('POST /litigation', () => {
    it('records a case of the officer\'s agency and answers 201 with the case', async () => {
      const res = await as('officer1').post('/litigation', body());
      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.deep.equal({
        id: res.body.id, caseNo: '（2026）鲁02行初8号', court: '青岛市中级人民法院', agencyId: approval, agencyName: '青岛市行政审批服务局',
        plaintiff: DEMO_ENTERPRISES[2].name, plaintiffEnterpriseId: enterprise, cause: '行政处罚', filedOn: daysFromToday(-60),
        outcome: null, concludedOn: null, status: 'pending', hearings: [],
      });
    });

    it('answers 422 with each field at fault, the duplicate number among them', async () => {
      const bad = await as('officer1').post('/litigation', body({ caseNo: '', court: '', filedOn: '2026-02-30', plaintiffEnterpriseId: null, outcome: '驳回' }));
      expectError(bad, 422, 'validation_failed');
      expect(bad.body.error.details.map((f: { path: string }) => f.path)).to.have.members(['caseNo', 'court', 'filedOn', 'plaintiff', 'concludedOn']);
      const twice = await as('officer1').post('/litigation', body());
      expectError(twice, 422, 'validation_failed');
      expect(twice.body.error.details).to.deep.equal([{ path: 'caseNo', message: twice.body.error.details[0].message }]);
    });

    it('refuses another agency, the auditors, enterprises and admins (403), and callers without a token (401)', async () => {
      expectError(await as('officer1').post('/litigation', body({ agencyId: commerce, caseNo: 'FOREIGN' })), 403, 'forbidden');
      expect(await ctx.db('litigation_cases').where({ case_no: 'FOREIGN' }).first()).to.equal(undefined);
      for (const username of ['auditor', 'enterprise1', 'admin']) expectError(await as(username).post('/litigation', body({ caseNo: username })), 403, 'forbidden');
      expectError(await request(ctx.app).post('/api/v1/litigation').send(body()), 401, 'unauthorized');
    });
  });

  describe('POST /litigation/:id/hearings', () => {
    let caseId: number;
    before(async () => {
      caseId = (await as('officer1').post('/litigation', body({ caseNo: 'API-HEARINGS', filedOn: daysFromToday(-100) }))).body.id;
    });

    it('records hearings and answers 201 with the case and its hearings', async () => {
      const first = await as('officer1').post(`/litigation/${caseId}/hearings`, hearing({ hearingOn: daysFromToday(-50) }));
      expect(first.status, first.text).to.equal(201);
      const second = await as('officer1').post(`/litigation/${caseId}/hearings`, hearing({ headAppeared: false, headSpoke: false, headName: null, appearedInstead: '张海涛（副局长）', note: '局长出差' }));
      expect(second.status, second.text).to.equal(201);
      expect(second.body.case.hearings).to.deep.equal([
        { id: first.body.id, hearingOn: daysFromToday(-50), headAppeared: true, headSpoke: true, headName: '王建国', appearedInstead: null, note: null },
        { id: second.body.id, hearingOn: daysFromToday(-20), headAppeared: false, headSpoke: false, headName: null, appearedInstead: '张海涛（副局长）', note: '局长出差' },
      ]);
    });

    it('answers 422 for a future date or a head who spoke without appearing, 404 to another agency, 403 to auditors', async () => {
      const future = await as('officer1').post(`/litigation/${caseId}/hearings`, hearing({ hearingOn: daysFromToday(1) }));
      expectError(future, 422, 'validation_failed');
      expect(future.body.error.details.map((f: { path: string }) => f.path)).to.deep.equal(['hearingOn']);
      const spoke = await as('officer1').post(`/litigation/${caseId}/hearings`, hearing({ headAppeared: false, headName: null, appearedInstead: '律师' }));
      expect(spoke.body.error.details.map((f: { path: string }) => f.path)).to.deep.equal(['headSpoke']);
      const missing = await as('officer1').post(`/litigation/${caseId}/hearings`, { hearingOn: daysFromToday(-1) });
      expect(missing.body.error.details.map((f: { path: string }) => f.path)).to.have.members(['headAppeared', 'headSpoke']);
      expectError(await as('officer2').post(`/litigation/${caseId}/hearings`, hearing()), 404, 'not_found');
      expectError(await as('auditor').post(`/litigation/${caseId}/hearings`, hearing()), 403, 'forbidden');
      expectError(await as('officer1').post('/litigation/abc/hearings', hearing()), 404, 'not_found');
      expect((await ctx.db('litigation_hearings').where({ case_id: caseId })).length).to.equal(2);
    });
  });

  describe('GET /litigation', () => {
    before(async () => {
      const { body: c } = await as('officer2').post('/litigation', body({ agencyId: commerce, caseNo: 'API-SWJ', filedOn: daysFromToday(-30) }));
      await as('officer2').post(`/litigation/${c.id}/hearings`, hearing({ hearingOn: daysFromToday(-10), headName: '赵明远', headSpoke: false }));
    });
    const caseNos = (res: request.Response) => (res.body.items as Array<{ caseNo: string }>).map((c) => c.caseNo).sort();

    it('gives an officer its agency\'s cases with hearings and rates, and 403 for another agency', async () => {
      const res = await as('officer1').get(`/litigation?from=${daysFromToday(-365)}&to=${daysFromToday(0)}`);
      expect(res.status, res.text).to.equal(200);
      expect(caseNos(res)).to.deep.equal(['API-HEARINGS', '（2026）鲁02行初8号']);
      expect(res.body.items.find((c: { caseNo: string }) => c.caseNo === 'API-HEARINGS').hearings).to.have.length(2);
      expect(res.body.rates).to.deep.include({ from: daysFromToday(-365), to: daysFromToday(0), agencyId: null, hearings: 2, headAppeared: 1, headSpoke: 1, appearanceRate: 0.5, speakingRate: 0.5 });
      expect(res.body.rates.byAgency.map((a: { agencyId: number }) => a.agencyId)).to.deep.equal([approval]);
      expectError(await as('officer1').get(`/litigation?agencyId=${commerce}`), 403, 'forbidden');
    });

    it('gives the auditors every agency, or the one asked for with its rates', async () => {
      const all = await as('auditor').get(`/litigation?from=${daysFromToday(-365)}`);
      expect(caseNos(all)).to.deep.equal(['API-HEARINGS', 'API-SWJ', '（2026）鲁02行初8号']);
      expect(all.body.rates).to.include({ hearings: 3, headAppeared: 2, headSpoke: 1 });
      const one = await as('auditor').get(`/litigation?agencyId=${commerce}&from=${daysFromToday(-365)}&to=${daysFromToday(0)}`);
      expect(caseNos(one)).to.deep.equal(['API-SWJ']);
      expect(one.body.rates).to.include({ agencyId: commerce, hearings: 1, appearanceRate: 1, speakingRate: 0 });
    });

    it('counts only the period\'s hearings, and refuses a bad period (422) and enterprises (403)', async () => {
      const early = await as('auditor').get(`/litigation?from=${daysFromToday(-60)}&to=${daysFromToday(-40)}`);
      expect(early.body.rates).to.include({ hearings: 1, appearanceRate: 1 });
      const reversed = await as('auditor').get(`/litigation?from=${daysFromToday(0)}&to=${daysFromToday(-1)}`);
      expectError(reversed, 422, 'validation_failed');
      expectError(await as('enterprise1').get('/litigation'), 403, 'forbidden');
    });
  });
});
