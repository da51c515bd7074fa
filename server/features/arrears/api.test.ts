import { expect } from 'chai';
import request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { idOf, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';

describe('arrears API /api/v1/arrears', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  let approval: number;
  let commerce: number;
  let small: number;
  let large: number;

  before(async () => {
    ctx = await startTestApp();
    for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    small = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    large = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[4].name });
  });
  after(() => ctx.close());

  const as = (username: string) => ({
    get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`),
    post: (path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object),
  });
  const body = (over: Record<string, unknown> = {}) => ({
    agencyId: approval, enterpriseId: small, category: 'goods', principalFen: 2_000_000, acceptedOn: daysFromToday(-100), description: '办公设备采购款', contractRef: 'API-1', ...over,
  });

  describe('POST /arrears', () => {
    it('registers with the statutory due date and answers 201 with where it stands today', async () => {
      const res = await as('officer1').post('/arrears', body());
      expect(res.status, res.text).to.equal(201);
      // Due 70 days ago: 2,000,000 × 0.0005 × 70 = 70,000 fen.
      expect(res.body).to.deep.equal({ id: res.body.id, dueOn: daysFromToday(-70), creditorScale: 'small', outstandingFen: 2_000_000, status: 'outstanding', ageingBucket: '31-90', nonCompliantTerm: false, lateInterestFen: 70_000 });
      expect(res.body.id).to.be.a('number');
    });

    it('flags a 90-day term with an SME, not with a large creditor, and counts an agreed rate', async () => {
      const sme = await as('officer1').post('/arrears', body({ contractRef: 'API-SME', acceptedOn: daysFromToday(-10), dueOn: daysFromToday(80) }));
      expect(sme.body).to.include({ nonCompliantTerm: true, ageingBucket: null, lateInterestFen: 0 });
      const big = await as('officer1').post('/arrears', body({ contractRef: 'API-LARGE', enterpriseId: large, acceptedOn: daysFromToday(-10), dueOn: daysFromToday(80) }));
      expect(big.body).to.include({ creditorScale: 'large', nonCompliantTerm: false });
      // 3.65% a year on 2,000,000 fen for 10 days: 2,000,000 × 0.0365 × 10 / 365 = 2,000 fen.
      const rated = await as('officer1').post('/arrears', body({ contractRef: 'API-RATE', acceptedOn: daysFromToday(-40), agreedAnnualRate: '3.65' }));
      expect(rated.body).to.include({ dueOn: daysFromToday(-10), lateInterestFen: 2_000 });
    });

    it('answers 422 with the field errors, and 403 for another agency or a non-officer', async () => {
      const bad = await as('officer1').post('/arrears', body({ principalFen: -1, acceptedOn: '2026-02-30', category: 'bribes', description: '' }));
      expect(bad.status).to.equal(422);
      expect(bad.body.error.code).to.equal('validation_failed');
      expect([...new Set(bad.body.error.details.map((f: { path: string }) => f.path))]).to.have.members(['principalFen', 'acceptedOn', 'category', 'description']);
      const unknown = await as('officer1').post('/arrears', body({ enterpriseId: 99_999 }));
      expect([unknown.status, unknown.body.error.details.map((f: { path: string }) => f.path)]).to.deep.equal([422, ['enterpriseId']]);
      const foreign = await as('officer1').post('/arrears', body({ agencyId: commerce, contractRef: 'API-FOREIGN' }));
      expect([foreign.status, foreign.body.error.code]).to.deep.equal([403, 'forbidden']);
      expect(await ctx.db('arrears').where({ contract_ref: 'API-FOREIGN' }).first()).to.equal(undefined);
      expect((await as('auditor').post('/arrears', body())).status).to.equal(403);
      expect((await as('enterprise1').post('/arrears', body())).status).to.equal(403);
    });
  });

  describe('GET /arrears', () => {
    before(async () => {
      await as('officer2').post('/arrears', body({ agencyId: commerce, enterpriseId: large, contractRef: 'API-SWJ', acceptedOn: daysFromToday(-400) }));
    });
    const refsOf = async (username: string, query = '') => {
      const res = await as(username).get(`/arrears${query}`);
      expect(res.status, res.text).to.equal(200);
      return (res.body.items as Array<{ contractRef: string }>).map((i) => i.contractRef).sort();
    };

    it('lists each caller’s scope with the same fields, paged', async () => {
      expect(await refsOf('officer1')).to.deep.equal(['API-1', 'API-LARGE', 'API-RATE', 'API-SME']);
      expect(await refsOf('officer2')).to.deep.equal(['API-SWJ']);
      expect(await refsOf('enterprise1')).to.deep.equal(['API-1', 'API-RATE', 'API-SME']);
      expect(await refsOf('auditor')).to.have.length(5);
      const res = await as('officer2').get('/arrears');
      expect(res.body).to.include({ total: 1, page: 1, pageSize: 50 });
      expect(res.body.items[0]).to.include({ agencyId: commerce, enterpriseId: large, creditorScale: 'large', principalFen: 2_000_000, outstandingFen: 2_000_000, status: 'outstanding', dueOn: daysFromToday(-370), overdue: true, daysPastDue: 370, ageingBucket: '365+', nonCompliantTerm: false, lateInterestFen: 370_000 });
      const second = (await as('auditor').get('/arrears?page=2')).body;
      expect([second.page, second.total, second.items.length]).to.deep.equal([2, 5, 0]);
      // Each item carries what registering answered, as of today.
      const rated = (await as('officer1').get('/arrears')).body.items.find((i: { contractRef: string }) => i.contractRef === 'API-RATE');
      expect(rated).to.include({ dueOn: daysFromToday(-10), creditorScale: 'small', outstandingFen: 2_000_000, status: 'outstanding', ageingBucket: '0-30', nonCompliantTerm: false, lateInterestFen: 2_000 });
      expect((await as('admin').get('/arrears')).status).to.equal(403);
    });

    it('filters by agency, enterprise, status and ageing, within the caller’s scope', async () => {
      expect(await refsOf('auditor', `?agencyId=${commerce}`)).to.deep.equal(['API-SWJ']);
      expect(await refsOf('auditor', `?enterpriseId=${large}`)).to.deep.equal(['API-LARGE', 'API-SWJ']);
      expect(await refsOf('auditor', '?ageing=31-90')).to.deep.equal(['API-1']);
      expect(await refsOf('auditor', '?ageing=0-30&status=outstanding')).to.deep.equal(['API-RATE']);
      expect(await refsOf('officer1', `?agencyId=${commerce}`)).to.deep.equal([]);
      expect(await refsOf('enterprise1', `?enterpriseId=${large}`)).to.deep.equal([]);
      const bad = await as('auditor').get('/arrears?ageing=old');
      expect([bad.status, bad.body.error.details[0].path]).to.deep.equal([422, 'ageing']);
    });
  });
});
