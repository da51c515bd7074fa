import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { addDays } from '../../domain/dates.ts';
import { issueToken } from '../admin/service.ts';
import { insertArrearsRows } from '../arrears/repository.ts';
import { daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';

describe('campaigns API /api/v1/campaigns', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let approval: number;
  let commerce: number;
  const start = daysFromToday(-40);

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const row = (agencyId: number, dueOn: string, principalFen: number) => ({ agencyId, enterpriseId, category: 'works' as const, principalFen, acceptedOn: addDays(dueOn, -30), dueOn, description: '工程款' });
    await ctx.db.transaction((trx) =>
      insertArrearsRows(trx, [row(approval, addDays(start, -5), 300_000), row(approval, addDays(start, 5), 200_000), row(commerce, addDays(start, -5), 700_000)], null, TEST_CLOCK.now().toISOString()),
    );
  });
  after(() => ctx.close());

  const as = (username: string) => ({
    get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`),
    post: (path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object),
  });
  const body = (over: Record<string, unknown> = {}) => ({ name: '清欠攻坚', startedOn: start, targetOn: daysFromToday(50), goal: '存量清零', agencyIds: [approval], ...over });

  it('creates a campaign for an auditor and answers 201 with its id and baseline counts', async () => {
    const res = await as('auditor').post('/campaigns', body());
    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.include({ name: '清欠攻坚', startedOn: start, baselineFrozen: true });
    expect(res.body.id).to.be.a('number');
    expect(res.body.baseline).to.deep.equal({ arrearsCount: 1, arrearsFen: 300_000, milestoneCount: 0, milestoneFen: 0 });
  });

  it('answers 422 with field errors for a bad body, 403 to officers, 401 without a token', async () => {
    const bad = await as('auditor').post('/campaigns', body({ agencyIds: [] }));
    expect(bad.status).to.equal(422);
    expect(bad.body.error.code).to.equal('validation_failed');
    expect(bad.body.error.details).to.deep.equal([{ path: 'agencyIds', message: '请至少选择一个参加单位' }]);
    const early = await as('auditor').post('/campaigns', body({ targetOn: start }));
    expect(early.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['targetOn']);
    expect((await as('auditor').post('/campaigns', body({ agencyIds: [999_999] }))).status).to.equal(422);
    expect((await as('officer1').post('/campaigns', body())).status).to.equal(403);
    expect((await request(ctx.app).post('/api/v1/campaigns').send(body())).status).to.equal(401);
  });

  it('answers the progress of each kind, in total and per agency, as of a date', async () => {
    const { id } = (await as('auditor').post('/campaigns', body({ agencyIds: [approval, commerce] }))).body;
    const res = await as('auditor').get(`/campaigns/${id}/progress`);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ id, asOf: TEST_CLOCK.today(), baselineFrozen: true });
    expect(res.body.arrears.total).to.deep.equal({
      baselineCount: 2,
      baselineFen: 1_000_000,
      clearedCount: 0,
      clearedFen: 0,
      openCount: 2,
      openFen: 1_000_000,
      newProblemCount: 1,
      newProblemFen: 200_000,
      clearanceRate: 0,
    });
    expect(res.body.arrears.agencies.map((a: { agencyId: number; baselineCount: number }) => [a.agencyId, a.baselineCount]).sort()).to.deep.equal([[approval, 1], [commerce, 1]].sort());
    expect(res.body.milestones.total).to.include({ baselineCount: 0, clearanceRate: null });

    const early = await as('auditor').get(`/campaigns/${id}/progress?asOf=${addDays(start, 3)}`);
    expect(early.body.arrears.total).to.include({ newProblemCount: 0 });

    const officer = await as('officer2').get(`/campaigns/${id}/progress`);
    expect(officer.status).to.equal(200);
    expect(officer.body.arrears.agencies.map((a: { agencyId: number }) => a.agencyId)).to.deep.equal([commerce]);
    expect(officer.body.arrears.total).to.include({ baselineCount: 1, baselineFen: 700_000 });
  });

  it('answers 404 to officers of agencies outside the campaign, 403 to enterprises, 422 for a date before the start', async () => {
    const { id } = (await as('auditor').post('/campaigns', body())).body;
    expect((await as('officer2').get(`/campaigns/${id}/progress`)).status).to.equal(404);
    expect((await as('enterprise1').get(`/campaigns/${id}/progress`)).status).to.equal(403);
    expect((await as('admin').get(`/campaigns/${id}/progress`)).status).to.equal(403);
    expect((await as('auditor').get(`/campaigns/${id}/progress?asOf=${addDays(start, -1)}`)).status).to.equal(422);
    expect((await as('auditor').get(`/campaigns/${id}/progress?asOf=soon`)).status).to.equal(422);
    expect((await as('auditor').get('/campaigns/999999/progress')).status).to.equal(404);
  });
});
