import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { insertCommitment } from './service/register.ts';
import { commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';

describe('commitments API /api/v1/commitments', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let approvalAgency: number;
  let commerceAgency: number;
  let enterprise1Id: number;
  let otherEnterpriseId: number;

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    approvalAgency = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerceAgency = (await demoUser(ctx.db, 'officer2')).agencyId!;
    enterprise1Id = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    otherEnterpriseId = (await ctx.db('enterprises').whereNot('id', enterprise1Id).orderBy('id').first('id')).id;
  });
  after(() => ctx.close());

  const as = (username: string) => ({
    get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`),
    post: (path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object),
  });

  let refCounter = 0;
  const body = (over: Record<string, unknown> = {}) => ({
    kind: 'contract',
    title: '市民中心智慧导办系统采购合同',
    referenceNo: `QDSP-2026-${++refCounter}`,
    agencyId: approvalAgency,
    enterpriseId: enterprise1Id,
    basis: '青岛市政府采购合同',
    signedOn: daysFromToday(-90),
    amountFen: 1_200_000_00,
    responsibleOfficial: '李科长',
    isPublic: true,
    milestones: [
      { description: '验收合格后支付 60%', dueOn: daysFromToday(-1), amountFen: 720_000_00 },
      { description: '质保期满支付 40%', dueOn: daysFromToday(200), amountFen: 480_000_00 },
    ],
    ...over,
  });

  function expectErrorEnvelope(res: request.Response, status: number, code: string) {
    expect(res.status, res.text).to.equal(status);
    expect(res.type).to.equal('application/json');
    expect(res.body.error).to.include({ code });
    expect(res.body.error.message).to.be.a('string').and.not.equal('');
  }

  describe('POST /commitments', () => {
    it('creates a commitment for the officer’s agency and answers 201 with ids and statuses', async () => {
      const res = await as('officer1').post('/commitments', body());
      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.include({ kind: 'contract', agencyId: approvalAgency, enterpriseId: enterprise1Id, amountFen: 1_200_000_00, status: 'overdue', signedOn: daysFromToday(-90) });
      expect(res.body.id).to.be.a('number');
      expect(res.body.milestones).to.have.length(2);
      expect(res.body.milestones[0]).to.include({ status: 'pending', overdue: true, dueOn: daysFromToday(-1), amountFen: 720_000_00 });
      expect(res.body.milestones[1]).to.include({ status: 'pending', overdue: false });
      expect(res.body.milestones[0].id).to.be.a('number');
      const stored = await ctx.db('commitments').where({ id: res.body.id }).first();
      expect(stored.reference_no).to.equal(`QDSP-2026-${refCounter}`);
    });

    it('answers 403 when an officer names another agency, and creates nothing', async () => {
      const res = await as('officer1').post('/commitments', body({ agencyId: commerceAgency, referenceNo: 'FOREIGN-1' }));
      expectErrorEnvelope(res, 403, 'forbidden');
      expect(await ctx.db('commitments').where({ reference_no: 'FOREIGN-1' }).first()).to.equal(undefined);
    });

    it('answers 422 with the path of every bad field', async () => {
      const res = await as('officer1').post('/commitments', body({ title: '', milestones: [{ description: '首付', dueOn: '2026-02-30', amountFen: 1.5 }] }));
      expectErrorEnvelope(res, 422, 'validation_failed');
      const paths = res.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(['title', 'milestones.0.dueOn', 'milestones.0.amountFen']);
      expect(res.body.error.details.every((d: { message: string }) => typeof d.message === 'string' && d.message.length > 0)).to.equal(true);
    });

    it('answers 422 on milestones adding up to more than the total, saying by how much', async () => {
      const res = await as('officer1').post('/commitments', body({ amountFen: 100_00, milestones: [{ description: 'a', dueOn: daysFromToday(5), amountFen: 150_00 }] }));
      expectErrorEnvelope(res, 422, 'validation_failed');
      expect(res.body.error.details).to.deep.equal([{ path: 'milestones', message: '各履约节点金额合计超出承诺总金额 50.00 元（总金额 100.00 元）。' }]);
    });

    it('refuses enterprises, auditors and admins (403) and callers without a token (401)', async () => {
      for (const username of ['enterprise1', 'auditor', 'admin']) {
        expectErrorEnvelope(await as(username).post('/commitments', body({ agencyId: approvalAgency })), 403, 'forbidden');
      }
      expectErrorEnvelope(await request(ctx.app).post('/api/v1/commitments').send(body()), 401, 'unauthorized');
    });
  });

  describe('reading', () => {
    let ownId: number;
    let foreignId: number;
    before(async () => {
      ownId = (await as('officer1').post('/commitments', body({ title: '政务服务大厅改造工程合同' }))).body.id;
      foreignId = (await as('officer2').post('/commitments', body({ agencyId: commerceAgency, enterpriseId: otherEnterpriseId, title: '跨境电商产业园招商协议', kind: 'investment' }))).body.id;
    });

    it('answers one commitment within scope, 404 outside it', async () => {
      const own = await as('officer1').get(`/commitments/${ownId}`);
      expect(own.status).to.equal(200);
      expect(own.body).to.include({ id: ownId, title: '政务服务大厅改造工程合同' });
      expectErrorEnvelope(await as('officer1').get(`/commitments/${foreignId}`), 404, 'not_found');
      expectErrorEnvelope(await as('officer1').get('/commitments/999999'), 404, 'not_found');
      expectErrorEnvelope(await as('officer1').get('/commitments/abc'), 404, 'not_found');
      expect((await as('auditor').get(`/commitments/${foreignId}`)).status, 'auditors read everything').to.equal(200);
    });

    it('lists only the caller’s scope, with total, page and page size', async () => {
      const res = await as('officer1').get('/commitments');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ page: 1, pageSize: 50 });
      expect(res.body.total).to.equal(res.body.items.length);
      expect(res.body.items.every((c: { agencyId: number }) => c.agencyId === approvalAgency)).to.equal(true);
      expect(res.body.items.map((c: { id: number }) => c.id)).to.include(ownId).and.not.include(foreignId);
      expect(res.body.items[0]).to.have.all.keys('id', 'kind', 'title', 'referenceNo', 'agencyId', 'agencyName', 'enterpriseId', 'enterpriseName', 'signedOn', 'amountFen', 'responsibleOfficial', 'isPublic', 'terminatedOn', 'status', 'nextDueOn', 'milestoneCount');
    });

    it('filters the list by status, kind, agency, enterprise and keyword', async () => {
      const ids = async (query: string, who = 'auditor') => (await as(who).get(`/commitments?${query}`)).body.items.map((c: { id: number }) => c.id);
      expect(await ids('kind=investment')).to.deep.equal([foreignId]);
      expect(await ids(`agencyId=${commerceAgency}`)).to.deep.equal([foreignId]);
      expect(await ids(`enterpriseId=${otherEnterpriseId}`)).to.deep.equal([foreignId]);
      expect(await ids(`q=${encodeURIComponent('大厅改造')}`)).to.deep.equal([ownId]);
      expect(await ids('status=overdue&kind=investment')).to.deep.equal([foreignId]);
      expect(await ids('status=fulfilled')).to.deep.equal([]);
      expect(await ids(`agencyId=${commerceAgency}`, 'officer1'), 'a filter never widens the scope').to.deep.equal([]);
      const bad = await as('auditor').get('/commitments?status=late&page=2');
      expectErrorEnvelope(bad, 422, 'validation_failed');
      expect(bad.body.error.details[0].path).to.equal('status');
    });

    it('pages the list 50 at a time', async () => {
      const cityAgency = (await ctx.db('agencies').where({ code: 'QD-GOV' }).first('id')).id;
      for (let i = 0; i < 52; i++) await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(cityAgency, { title: `批量承诺 ${i}` }));
      const first = await as('auditor').get(`/commitments?agencyId=${cityAgency}`);
      expect(first.body).to.include({ total: 52, page: 1, pageSize: 50 });
      expect(first.body.items).to.have.length(50);
      const second = await as('auditor').get(`/commitments?agencyId=${cityAgency}&page=2`);
      expect(second.body).to.include({ total: 52, page: 2 });
      expect(second.body.items).to.have.length(2);
      const all = [...first.body.items, ...second.body.items].map((c: { title: string }) => c.title);
      expect(new Set(all).size).to.equal(52);
    });

    it('lets the enterprise read the commitments owed to it, and only those', async () => {
      const list = await as('enterprise1').get('/commitments');
      expect(list.status).to.equal(200);
      expect(list.body.items.length).to.be.greaterThan(0);
      expect(list.body.items.every((c: { enterpriseId: number }) => c.enterpriseId === enterprise1Id)).to.equal(true);
      expect((await as('enterprise1').get(`/commitments/${ownId}`)).status).to.equal(200);
      expectErrorEnvelope(await as('enterprise1').get(`/commitments/${foreignId}`), 404, 'not_found');
    });

    it('keeps the enterprise read-only (403 on every write)', async () => {
      const milestoneId = (await as('officer1').get(`/commitments/${ownId}`)).body.milestones[0].id;
      expectErrorEnvelope(await as('enterprise1').post(`/commitments/${ownId}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: TEST_CLOCK.today(), note: 'x', complete: true }), 403, 'forbidden');
      expectErrorEnvelope(await as('enterprise1').post(`/commitments/${ownId}/breach`, { reason: 'x' }), 403, 'forbidden');
      expectErrorEnvelope(await as('enterprise1').post(`/commitments/${ownId}/terminate`, { reason: 'x' }), 403, 'forbidden');
      expect((await ctx.db('fulfilments').where({ milestone_id: milestoneId })).length).to.equal(0);
    });

    it('gives admins no business scope (403)', async () => {
      expectErrorEnvelope(await as('admin').get('/commitments'), 403, 'forbidden');
      expectErrorEnvelope(await as('admin').get(`/commitments/${ownId}`), 403, 'forbidden');
    });
  });

  describe('POST /commitments/:id/milestones/:milestoneId/fulfilments', () => {
    let id: number;
    let milestoneId: number;
    before(async () => {
      const created = (await as('officer1').post('/commitments', body({ milestones: [{ description: '支付扶持资金', dueOn: daysFromToday(30), amountFen: 500_000_00 }] }))).body;
      id = created.id;
      milestoneId = created.milestones[0].id;
    });

    it('records a partial fulfilment and answers the updated milestone', async () => {
      const res = await as('officer1').post(`/commitments/${id}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: daysFromToday(-2), note: '拨付第一笔', amountFen: 300_000_00, complete: false });
      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.include({ id: milestoneId, status: 'partial', fulfilledFen: 300_000_00, overdue: false });
      expect(res.body.fulfilments).to.have.length(1);
      expect(res.body.fulfilments[0]).to.include({ fulfilledOn: daysFromToday(-2), note: '拨付第一笔', amountFen: 300_000_00, completes: false, counts: true });
    });

    it('refuses over-fulfilment with the excess and the remainder in the message', async () => {
      const res = await as('officer1').post(`/commitments/${id}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: TEST_CLOCK.today(), note: '拨付余款', amountFen: 250_000_00, complete: true });
      expectErrorEnvelope(res, 422, 'validation_failed');
      expect(res.body.error.details).to.deep.equal([{ path: 'amountFen', message: '履约金额超出该节点应履行金额 50,000.00 元：该节点最多还可登记 200,000.00 元。' }]);
      const en = await request(ctx.app)
        .post(`/api/v1/commitments/${id}/milestones/${milestoneId}/fulfilments?lang=en`)
        .set('Authorization', `Bearer ${tokens.officer1}`)
        .send({ fulfilledOn: TEST_CLOCK.today(), note: '拨付余款', amountFen: 250_000_00, complete: true });
      expect(en.body.error.details[0].message).to.equal('This is 50,000.00 yuan more than the milestone still owes: at most 200,000.00 yuan can be recorded on it.');
    });

    it('completes the milestone with the remainder', async () => {
      const res = await as('officer1').post(`/commitments/${id}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: TEST_CLOCK.today(), note: '拨付余款', amountFen: 200_000_00, complete: true });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ status: 'fulfilled', fulfilledFen: 500_000_00, completedOn: TEST_CLOCK.today() });
      expect((await as('officer1').get(`/commitments/${id}`)).body.status).to.equal('fulfilled');
    });

    it('validates the body (422) and hides other agencies’ milestones (404)', async () => {
      const bad = await as('officer1').post(`/commitments/${id}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: 'yesterday', note: '' });
      expectErrorEnvelope(bad, 422, 'validation_failed');
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['fulfilledOn', 'note', 'complete']);
      const foreign = await as('officer2').post(`/commitments/${id}/milestones/${milestoneId}/fulfilments`, { fulfilledOn: TEST_CLOCK.today(), note: 'x', complete: true });
      expectErrorEnvelope(foreign, 404, 'not_found');
    });
  });

  describe('breach and termination', () => {
    it('lets an auditor record a breach with a reason on one milestone', async () => {
      const created = (await as('officer1').post('/commitments', body())).body;
      const res = await as('auditor').post(`/commitments/${created.id}/breach`, { reason: '逾期三个月未支付', milestoneId: created.milestones[0].id });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.status).to.equal('breached');
      expect(res.body.milestones.map((m: { status: string }) => m.status)).to.deep.equal(['breached', 'pending']);
      expect(res.body.milestones[0]).to.include({ breachFindings: '逾期三个月未支付', breachedOn: TEST_CLOCK.today() });
      expectErrorEnvelope(await as('auditor').post(`/commitments/${created.id}/breach`, {}), 422, 'validation_failed');
    });

    it('lets the agency’s officer terminate with a reason, then refuses to record on it (409)', async () => {
      const created = (await as('officer1').post('/commitments', body())).body;
      expectErrorEnvelope(await as('officer2').post(`/commitments/${created.id}/terminate`, { reason: '无关单位' }), 404, 'not_found');
      expectErrorEnvelope(await as('auditor').post(`/commitments/${created.id}/terminate`, { reason: '审计' }), 403, 'forbidden');
      const res = await as('officer1').post(`/commitments/${created.id}/terminate`, { reason: '项目终止' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ status: 'terminated', terminatedOn: TEST_CLOCK.today(), terminationReason: '项目终止' });
      const again = await as('officer1').post(`/commitments/${created.id}/milestones/${created.milestones[0].id}/fulfilments`, { fulfilledOn: TEST_CLOCK.today(), note: 'x', complete: true });
      expectErrorEnvelope(again, 409, 'conflict');
      expect(again.body.error.message).to.equal(`该承诺已于 ${TEST_CLOCK.today()} 终止，不能再登记或修改。`);
    });
  });
});
