import { expect } from 'chai';
import request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, demoUser } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { fileComplaint } from './service/file.ts';

/**
 * A complainant that asked for its name to be withheld is "匿名企业" to the agency: on every list, on the
 * case page and in the API, with no trace of its name, credit code, user or linked record; auditors
 * and the complainant see it, and the agency does once an auditor disclosed it.
 */
describe('a withheld complainant name', () => {
  let ctx: TestContext;
  let id: number;
  const tokens: Record<string, string> = {};
  const enterprise = DEMO_ENTERPRISES[0];
  /** Everything that would name the complainant: its name, its credit code, its user's name and the linked record. */
  const traces = [enterprise.name, '海滨精密', enterprise.code, '陈总', 'WITHHELD-LINK', '机床维保合同'];
  const api = (username: string, path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`);

  before(async () => {
    ctx = await startTestApp();
    const approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const { commitmentId } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(approval, { enterpriseId, referenceNo: 'WITHHELD-LINK', title: '机床维保合同' }));
    ({ id } = await fileComplaint(ctx, await callerNamed(ctx.db, 'enterprise1'), { agencyId: approval, category: 'contract_breached', statement: '维保费用拖欠半年', commitmentId, withholdName: true }));
    for (const username of ['officer1', 'auditor', 'enterprise1']) {
      const user = await demoUser(ctx.db, username);
      tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
    }
  });
  after(() => ctx.close());

  it('appears nowhere in what the agency’s officer reads: list, case page, API list and API case', async () => {
    const officer = await signIn(ctx.app, 'officer1');
    const responses = [await officer.get('/complaints'), await officer.get(`/complaints/${id}`), await api('officer1', '/complaints'), await api('officer1', `/complaints/${id}`)];
    for (const [i, res] of responses.entries()) {
      expect(res.status).to.equal(200);
      for (const trace of traces) expect(res.text, `response ${i}: ${trace}`).to.not.include(trace);
    }
    expect(responses[0]!.text).to.include('匿名企业');
    expect(responses[1]!.text).to.include('匿名企业').and.include('维保费用拖欠半年').and.include('关联记录随企业名称一并隐去');
    expect(responses[2]!.body.items[0]).to.include({ id, complainant: null, withholdName: true });
    expect(responses[3]!.body).to.include({ complainant: null, commitment: null, linkWithheld: true, withholdName: true, nameDisclosed: false });
    expect(responses[3]!.body.events[0].actor).to.deep.equal({ role: 'enterprise', name: null });
    const english = await (await signIn(ctx.app, 'officer1')).get(`/complaints/${id}?lang=en`);
    expect(english.text).to.include('Anonymous enterprise');
    for (const trace of traces) expect(english.text).to.not.include(trace);
  });

  it('is shown to the auditors and to the complainant itself', async () => {
    for (const username of ['auditor', 'enterprise1']) {
      const page = await (await signIn(ctx.app, username)).get(`/complaints/${id}`);
      expect(page.text, username).to.include('WITHHELD-LINK').and.include('对被投诉单位隐去名称');
      expect((await api(username, `/complaints/${id}`)).body.complainant, username).to.deep.include({ name: enterprise.name });
    }
    expect((await (await signIn(ctx.app, 'auditor')).get('/complaints')).text).to.include(enterprise.name);
  });

  it('reaches the agency once an auditor disclosed it, with the reason', async () => {
    await ctx.db('complaints').where({ id }).update({ name_disclosed_reason: '核实合同履行情况需要企业名称', name_disclosed_at: new Date().toISOString() });
    const page = await (await signIn(ctx.app, 'officer1')).get(`/complaints/${id}`);
    expect(page.text).to.include(enterprise.name).and.include('核实合同履行情况需要企业名称').and.include('WITHHELD-LINK');
    expect((await api('officer1', '/complaints')).body.items[0].complainant).to.deep.include({ name: enterprise.name });
  });
});
