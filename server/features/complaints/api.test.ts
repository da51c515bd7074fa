import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { insertTestCase } from './cases-test-data.ts';

describe('complaints API /api/v1/complaints', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let approval: number;
  let commerce: number;
  let enterpriseId: number;

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
  });
  after(() => ctx.close());

  const as = (username: string) => ({
    get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`),
    post: (path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object),
  });
  const body = (over: Record<string, unknown> = {}) => ({ agencyId: approval, category: 'arrears_unpaid', statement: '工程款拖欠一年', amountClaimedFen: 3_000_000, ...over });

  describe('POST /complaints', () => {
    it('files for the enterprise and answers 201 with id, status and the acceptance due date', async () => {
      const res = await as('enterprise1').post('/complaints', body({ withholdName: true }));
      expect(res.status, res.text).to.equal(201);
      const row = await ctx.db('complaints').where({ id: res.body.id }).first();
      expect(res.body).to.deep.equal({ id: row.id, status: 'submitted', acceptDueOn: row.current_due_on });
      expect(row.current_due_on > daysFromToday(10)).to.equal(true);
    });

    it('answers 422 naming the fields, a record not linkable included, and 403 to anyone but an enterprise user', async () => {
      const bad = await as('enterprise1').post('/complaints', { agencyId: 'x', category: 'gossip', statement: '', amountClaimedFen: -5 });
      expect(bad.status).to.equal(422);
      expect(bad.body.error.code).to.equal('validation_failed');
      expect([...new Set(bad.body.error.details.map((f: { path: string }) => f.path))]).to.have.members(['agencyId', 'category', 'statement', 'amountClaimedFen']);
      const { commitmentId } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(commerce, { enterpriseId }));
      const notLinkable = await as('enterprise1').post('/complaints', body({ commitmentId, statement: 'API-NOT-LINKABLE' }));
      expect([notLinkable.status, notLinkable.body.error.details.map((f: { path: string }) => f.path)]).to.deep.equal([422, ['commitmentId']]);
      expect(await ctx.db('complaints').where({ statement: 'API-NOT-LINKABLE' }).first()).to.equal(undefined);
      for (const username of ['officer1', 'auditor', 'admin']) {
        const res = await as(username).post('/complaints', body());
        expect([res.status, res.body.error.code], username).to.deep.equal([403, 'forbidden']);
      }
    });
  });

  describe('GET /complaints and /complaints/:id', () => {
    const ids: Record<string, number> = {};
    before(async () => {
      ids.late = (await insertTestCase(ctx.db, { enterpriseId, agencyId: approval, submittedOn: daysFromToday(-40), statement: 'API-LATE' })).id;
      ids.commerce = (await insertTestCase(ctx.db, { enterpriseId, agencyId: commerce, submittedOn: daysFromToday(-3), statement: 'API-SWJ', steps: [{ action: 'accept', by: 'agency', on: daysFromToday(-2), note: '已受理' }] })).id;
    });
    const idsOf = async (username: string, query = '') => {
      const res = await as(username).get(`/complaints${query}`);
      expect(res.status, res.text).to.equal(200);
      return (res.body.items as Array<{ id: number }>).map((i) => i.id).sort((a, b) => a - b);
    };

    it('lists each caller’s scope, paged, with the stored deadline and the overdue flag', async () => {
      const all = await idsOf('auditor');
      expect(all).to.include.members([ids.late, ids.commerce]);
      expect(await idsOf('officer2')).to.deep.equal([ids.commerce]);
      expect(await idsOf('officer1')).to.not.include(ids.commerce);
      expect(await idsOf('enterprise1')).to.deep.equal(all);
      const res = await as('officer1').get('/complaints?overdue=true');
      expect(res.body).to.include({ total: 1, page: 1, pageSize: 50 });
      expect(res.body.items[0]).to.include({ id: ids.late, agencyId: approval, status: 'submitted', currentStep: 'accept', overdue: true, submittedOn: daysFromToday(-40), forwardedToAgencyId: null, withholdName: false });
      expect(res.body.items[0].complainant).to.deep.include({ id: enterpriseId });
      expect(await idsOf('auditor', `?agencyId=${commerce}&status=accepted`)).to.deep.equal([ids.commerce]);
      expect(await idsOf('officer1', `?agencyId=${commerce}`)).to.deep.equal([]);
      expect(await idsOf('auditor', '?page=2')).to.deep.equal([]);
      const bad = await as('auditor').get('/complaints?status=lost&overdue=maybe');
      expect([bad.status, bad.body.error.details.map((d: { path: string }) => d.path).sort()]).to.deep.equal([422, ['overdue', 'status']]);
      expect((await as('admin').get('/complaints')).status).to.equal(403);
    });

    it('answers one case with its events and deadlines; 404 outside the scope or for a bad id', async () => {
      const res = await as('officer2').get(`/complaints/${ids.commerce}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: ids.commerce, agencyId: commerce, status: 'accepted', statement: 'API-SWJ', acceptedOn: daysFromToday(-2), currentStep: 'resolve', overdue: false });
      expect(res.body.events.map((e: { action: string; toStatus: string }) => [e.action, e.toStatus])).to.deep.equal([['submit', 'submitted'], ['accept', 'accepted']]);
      expect(res.body.events[1]).to.include({ note: '已受理', on: daysFromToday(-2) });
      expect(res.body.deadlines.map((d: { step: string }) => d.step)).to.deep.equal(['accept', 'resolve']);
      expect(res.body.deadlines[0]).to.include({ step: 'accept', doneOn: daysFromToday(-2), late: false });
      expect(res.body.deadlines[1]).to.have.all.keys('step', 'from', 'days', 'dueOn', 'provisional', 'doneOn', 'late');
      expect(res.body.deadlines[1]).to.include({ step: 'resolve', from: daysFromToday(-2), days: 30, dueOn: res.body.currentDueOn });
      expect(res.body.deadlineDays).to.deep.equal({ acceptDays: 10, resolveDays: 30, rectifyDays: 15, followUpDays: 5, autoCloseDays: 15 });
      expect((await as('officer1').get(`/complaints/${ids.commerce}`)).status).to.equal(404);
      expect((await as('officer1').get('/complaints/abc')).status).to.equal(404);
      expect((await as('enterprise1').get('/complaints/999999')).body.error.code).to.equal('not_found');
      expect((await as('admin').get(`/complaints/${ids.commerce}`)).status).to.equal(403);
    });
  });
});
