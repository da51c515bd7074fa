import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { pdfBytes } from '../../../test/files.ts';
import { csrfFrom, idOf, postForm, signIn, startTestApp, uploadUrl, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import type { ArrearsInput } from './schema.ts';
import { registerArrears } from './service/register.ts';

/** The ledger page for each role, its filters and flags, and the form that registers an arrears. */
describe('the arrears ledger and form', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let small: number;
  let large: number;
  let agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1' | 'admin', request.Agent>;
  const ids: Record<string, number> = {};

  const base = (over: Partial<ArrearsInput>): ArrearsInput => ({ agencyId: approval, enterpriseId: small, category: 'works', principalFen: 500_000, acceptedOn: daysFromToday(-10), description: '测试欠款', ...over });
  /** Contract references in the ledger's rows, in page order. */
  const refs = (html: string) => [...html.matchAll(/<a href="\/arrears\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!);

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    small = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    large = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[4].name });
    const officer1 = await callerNamed(ctx.db, 'officer1');
    const officer2 = await callerNamed(ctx.db, 'officer2');
    const add = async (ref: string, caller: typeof officer1, over: Partial<ArrearsInput>) => (ids[ref] = (await registerArrears(ctx, caller, base({ contractRef: ref, ...over }))).id);
    await add('SP-LONG-OVERDUE', officer1, { category: 'goods', acceptedOn: daysFromToday(-300), principalFen: 900_000 });
    await add('SP-NONCOMPLIANT', officer1, { acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85), description: '智慧大厅服务费' });
    await add('SP-LARGE-90', officer1, { enterpriseId: large, acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85) });
    await add('SP-DISPUTED', officer1, { acceptedOn: daysFromToday(-60), disputedFen: 100_000, category: 'services' });
    await add('SWJ-OWN', officer2, { agencyId: commerce, enterpriseId: large, acceptedOn: daysFromToday(-45) });
    agents = Object.fromEntries(await Promise.all((['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'] as const).map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
  });
  after(() => ctx.close());

  it('shows an officer its own agency’s ledger only, longest overdue first, with the flags and a button to register', async () => {
    const page = await agents.officer1.get('/arrears');
    expect(page.status).to.equal(200);
    expect(refs(page.text)).to.deep.equal(['SP-LONG-OVERDUE', 'SP-DISPUTED', 'SP-NONCOMPLIANT', 'SP-LARGE-90']);
    expect(page.text).to.include('href="/arrears/new"');
    expect(page.text).to.include('逾期 270 天');
    // The non-compliant flag is on the SME's 90-day term only.
    expect(page.text.match(/flag-non-compliant/g)).to.have.length(1);
    const rowOf = (ref: string) => page.text.slice(page.text.indexOf(`>${ref}<`), page.text.indexOf('</tr>', page.text.indexOf(`>${ref}<`)));
    expect(rowOf('SP-NONCOMPLIANT')).to.include('期限超过 60 天，不合规').and.include('小型企业 · 中小企业');
    expect(rowOf('SP-LARGE-90')).to.not.include('不合规');
    expect(rowOf('SP-LARGE-90')).to.include('大型企业').and.not.include('中小企业');
    expect(rowOf('SP-DISPUTED')).to.include('其中无分歧 4,000.00 元');
    expect((await agents.officer2.get('/arrears')).text).to.not.include('SP-');
    // The language sticks to the session: a session of its own.
    const english = (await (await signIn(ctx.app, 'officer1')).get('/arrears?lang=en')).text;
    expect(english).to.include('270 days overdue').and.include('Term over 60 days: non-compliant').and.include('term 90 days');
  });

  it('filters by category, status, ageing, overdue, dispute, term and keyword, and sorts', async () => {
    const list = async (query: string) => refs((await agents.officer1.get(`/arrears?${query}`)).text);
    expect(await list('category=goods')).to.deep.equal(['SP-LONG-OVERDUE']);
    expect(await list('ageing=181-365')).to.deep.equal(['SP-LONG-OVERDUE']);
    expect(await list('ageing=0-30')).to.deep.equal(['SP-DISPUTED']);
    expect(await list('overdue=no&sort=due_asc')).to.deep.equal(['SP-NONCOMPLIANT', 'SP-LARGE-90']);
    expect(await list('disputed=yes')).to.deep.equal(['SP-DISPUTED']);
    expect(await list('nonCompliant=yes')).to.deep.equal(['SP-NONCOMPLIANT']);
    expect(await list('q=智慧大厅')).to.deep.equal(['SP-NONCOMPLIANT']);
    expect(await list(`q=${encodeURIComponent('中德')}`)).to.deep.equal(['SP-LARGE-90']);
    expect(await list('status=cleared')).to.deep.equal([]);
    // Equal principals: the later registered first.
    expect(await list('sort=principal_desc')).to.deep.equal(['SP-LONG-OVERDUE', 'SP-DISPUTED', 'SP-LARGE-90', 'SP-NONCOMPLIANT']);
    const bad = await agents.officer1.get('/arrears?ageing=forever&category=goods');
    expect(bad.status).to.equal(422);
    expect(refs(bad.text)).to.deep.equal(['SP-LONG-OVERDUE']);
    expect(bad.text).to.include('href="/arrears/export.xlsx?ageing=forever&amp;category=goods"');
  });

  it('shows the auditor every agency with an agency filter, and no button to register', async () => {
    const page = await agents.auditor.get('/arrears');
    expect(refs(page.text)).to.have.members(['SP-LONG-OVERDUE', 'SP-NONCOMPLIANT', 'SP-LARGE-90', 'SP-DISPUTED', 'SWJ-OWN']);
    expect(page.text).to.not.include('href="/arrears/new"');
    expect(refs((await agents.auditor.get(`/arrears?agencyId=${commerce}`)).text)).to.deep.equal(['SWJ-OWN']);
  });

  it('shows an enterprise only what is owed to it, with the debtor agency', async () => {
    const page = await agents.enterprise1.get('/arrears');
    expect(page.status).to.equal(200);
    expect(refs(page.text)).to.have.members(['SP-LONG-OVERDUE', 'SP-NONCOMPLIANT', 'SP-DISPUTED']);
    expect(page.text).to.include('青岛市行政审批服务局');
    expect(refs((await agents.enterprise1.get(`/arrears?enterpriseId=${large}`)).text)).to.deep.equal([]);
    expect((await agents.admin.get('/arrears')).status).to.equal(403);
  });

  it('offers the ledger in each role’s navigation', async () => {
    expect((await agents.officer1.get('/arrears')).text).to.match(/<a href="\/arrears"[^>]*>欠款台账<\/a>/);
    expect((await agents.auditor.get('/arrears')).text).to.match(/<a href="\/arrears"[^>]*>清欠台账<\/a>/);
    expect((await agents.enterprise1.get('/arrears')).text).to.match(/<a href="\/arrears"[^>]*>欠款明细<\/a>/);
  });

  describe('the form', () => {
    const fields = (over: Record<string, string> = {}): Record<string, string> => ({
      enterpriseId: String(small), category: 'works', contractRef: `FORM-${Math.random().toString(36).slice(2, 8)}`, principal: '12,345.60', disputed: '', description: '办公楼维修工程款',
      responsibleOfficial: '李科长', acceptedOn: daysFromToday(-40), dueOn: '', contractSignedOn: '', agreedAnnualRate: '', commitmentId: '', ...over,
    });
    const post = async (agent: request.Agent, values: Record<string, string>, files: Array<{ name: string; bytes: Buffer }> = []) => {
      const token = await csrfFrom(agent, '/arrears/new');
      let req = agent.post(uploadUrl('/arrears/new', token));
      for (const [k, v] of Object.entries(values)) req = req.field(k, v);
      for (const f of files) req = req.attach('evidence', f.bytes, { filename: f.name, contentType: 'application/octet-stream' });
      return req;
    };

    it('is for officers only, with the due-date help and the agency’s commitments to link', async () => {
      await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(approval, { referenceNo: 'QDSP-LINK-1', title: '可关联的承诺' }));
      await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(commerce, { referenceNo: 'SWJ-NOT-MINE', title: '外单位的承诺' }));
      const page = await agents.officer1.get('/arrears/new');
      expect(page.text).to.include('QDSP-LINK-1 可关联的承诺').and.not.include('SWJ-NOT-MINE');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('不填即为交付或验收后 30 天');
      expect(page.text).to.include('enctype="multipart/form-data"');
      expect(page.text).to.match(/action="\/arrears\/new\?_csrf=[^"]+"/);
      for (const e of DEMO_ENTERPRISES) expect(page.text).to.not.include(e.name);
      expect((await agents.auditor.get('/arrears/new')).status).to.equal(403);
      expect((await agents.enterprise1.get('/arrears/new')).status).to.equal(403);
    });

    it('registers in yuan with the statutory due date and its evidence, then goes to the arrears page', async () => {
      const values = fields();
      const res = await post(agents.officer1, values, [{ name: '验收单.pdf', bytes: await pdfBytes('验收单') }]);
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      const row = await ctx.db('arrears').where({ contract_ref: values.contractRef }).first();
      expect(res.headers.location).to.equal(`/arrears/${row.id}`);
      expect([Number(row.principal_fen), row.due_on, row.agreed_due_on, row.agency_id]).to.deep.equal([1_234_560, daysFromToday(-10), null, approval]);
      expect(await ctx.db('evidence_attachments').where({ owner_type: 'arrears.record', owner_id: row.id }).pluck('original_name')).to.deep.equal(['验收单.pdf']);
    });

    it('reads the rate as percent text and an agreed due date', async () => {
      const values = fields({ dueOn: daysFromToday(50), agreedAnnualRate: '3.45%', disputed: '100' });
      expect((await post(agents.officer1, values)).status).to.equal(303);
      const row = await ctx.db('arrears').where({ contract_ref: values.contractRef }).first();
      expect([row.agreed_due_on, row.agreed_annual_rate, Number(row.disputed_fen)]).to.deep.equal([daysFromToday(50), '3.45', 10_000]);
    });

    it('shows every error beside its field, keeping what was typed', async () => {
      const res = await post(agents.officer1, fields({ enterpriseId: '', principal: '12.345', acceptedOn: '', agreedAnnualRate: 'abc', dueOn: daysFromToday(-100), description: '' }));
      expect(res.status).to.equal(422);
      for (const id of ['f-principal-err', 'f-acceptedOn-err', 'f-agreedAnnualRate-err', 'f-enterpriseId-err', 'f-description-err']) expect(res.text, id).to.include(`id="${id}"`);
      expect(res.text).to.include('value="12.345"');
      expect(res.text).to.include('年利率请填写百分数');
      const over = await post(agents.officer1, fields({ disputed: '99999' }));
      expect(over.status).to.equal(422);
      expect(over.text).to.include('id="f-disputed-err"').and.include('有分歧金额不能超过欠款本金');
    });

    it('finds the creditor by a search step that keeps every value', async () => {
      const res = await post(agents.officer1, fields({ enterpriseId: '', enterpriseQuery: '中德', enterpriseSearch: '1', description: '保留的事由' }));
      expect(res.status).to.equal(200);
      expect(res.text).to.include('名称或代码包含“中德”的企业（1 家）');
      expect(res.text).to.include(`<input type="radio" name="enterpriseId" value="${large}">`);
      expect(res.text).to.include('保留的事由');
    });

    it('refuses a commitment of another agency beside its field', async () => {
      const foreign = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(commerce));
      const res = await post(agents.officer1, fields({ commitmentId: String(foreign.commitmentId) }));
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="f-commitmentId-err"').and.include('只能关联本单位的承诺');
    });
  });

  it('accepts the form without files, posted plainly with its token in the body (as the API-less clients do)', async () => {
    const res = await postForm(agents.officer1, '/arrears/new', '/arrears/new', { enterpriseId: String(small), category: 'works', principal: '1', acceptedOn: daysFromToday(-1), description: '无附件', contractRef: 'PLAIN-1' });
    expect(res.status).to.equal(303);
    expect(await ctx.db('arrears').where({ contract_ref: 'PLAIN-1' }).first('id')).to.not.equal(undefined);
  });
});
