import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { buildWorkingCalendar, addWorkingDays } from '../../domain/calendar.ts';
import { checkUploads } from '../../evidence/index.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { pdfBytes, uploadedFile } from '../../../test/files.ts';
import { csrfFrom, idOf, signIn, startTestApp, uploadUrl, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { registerArrears } from '../arrears/service/register.ts';
import type { ComplaintInput } from './schema.ts';
import { fileComplaint } from './service/file.ts';

/** Filing a complaint: for the user's own enterprise only, links to its own records with the agency, evidence, the deadline set copied. */
describe('filing a complaint', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let own: number;
  let other: number;
  const links: Record<string, number> = {};
  const input = (over: Partial<ComplaintInput> = {}): ComplaintInput => ({ agencyId: approval, category: 'contract_breached', statement: '合同约定的尾款逾期未付', ...over });
  const expectFieldErrors = async (promise: Promise<unknown>, paths: string[]) => {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors.map((e) => e.path)).to.have.members(paths);
  };

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    own = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    other = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[2].name });
    const commitment = async (agencyId: number, enterpriseId: number, referenceNo: string) => (await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, { enterpriseId, referenceNo }))).commitmentId;
    links.ownWithApproval = await commitment(approval, own, 'LINK-OWN-SP');
    links.ownWithCommerce = await commitment(commerce, own, 'LINK-OWN-SWJ');
    links.otherWithApproval = await commitment(approval, other, 'LINK-OTHER-SP');
    const arrears = async (agency: string, enterpriseId: number, contractRef: string) =>
      (await registerArrears(ctx, await callerNamed(ctx.db, agency), { agencyId: (await demoUser(ctx.db, agency)).agencyId!, enterpriseId, category: 'works', principalFen: 100_000, acceptedOn: daysFromToday(-40), description: '工程款', contractRef })).id;
    links.arrearsOwnWithApproval = await arrears('officer1', own, 'AR-OWN-SP');
    links.arrearsOwnWithCommerce = await arrears('officer2', own, 'AR-OWN-SWJ');
    links.arrearsOtherWithApproval = await arrears('officer1', other, 'AR-OTHER-SP');
  });
  after(() => ctx.close());

  it('opens the case as submitted for the user’s own enterprise, copying the deadline set, with the acceptance due date stored and answered', async () => {
    const filed = await fileComplaint(ctx, await callerNamed(ctx.db, 'enterprise1'), input({ amountClaimedFen: 12_345_600, withholdName: true }));
    const due = addWorkingDays(TEST_CLOCK.today(), 10, buildWorkingCalendar({ fromYear: Number(TEST_CLOCK.today().slice(0, 4)), toYear: Number(TEST_CLOCK.today().slice(0, 4)) + 2 })).dueOn;
    expect(filed).to.deep.equal({ id: filed.id, status: 'submitted', acceptDueOn: due });
    const row = await ctx.db('complaints').where({ id: filed.id }).first();
    expect(row).to.include({ enterprise_id: own, agency_id: approval, status: 'submitted', submitted_on: TEST_CLOCK.today(), current_step: 'accept', current_due_on: due, accept_days: 10, resolve_days: 30, rectify_days: 15, follow_up_days: 5, auto_close_days: 15 });
    expect(Boolean(row.withhold_name)).to.equal(true);
    expect(Number(row.amount_claimed_fen)).to.equal(12_345_600);
    const step = await ctx.db('complaint_steps').where({ complaint_id: filed.id }).first();
    expect(step).to.include({ action: 'submit', from_status: null, to_status: 'submitted' });
    const entry = await ctx.db('audit_log').where({ action: 'complaint.submitted', entity_type: 'complaint', entity_id: String(filed.id) }).first();
    expect(JSON.parse(entry.after_json)).to.include({ agency: '青岛市行政审批服务局', enterprise: DEMO_ENTERPRISES[0].name, category: 'contract_breached', withholdName: true, amountClaimedFen: 12_345_600, acceptDueOn: due });
  });

  it('keeps the deadlines a case was opened under when an admin saves a new set; a new case takes the new one', async () => {
    const enterprise = await callerNamed(ctx.db, 'enterprise1');
    const before = await fileComplaint(ctx, enterprise, input());
    await ctx.db('complaint_deadline_sets').insert({ accept_days: 5, resolve_days: 20, rectify_days: 7, follow_up_days: 3, auto_close_days: 10, note: 'local rules', created_at: new Date().toISOString() });
    const after = await fileComplaint(ctx, enterprise, input());
    const [a, b] = await Promise.all([ctx.db('complaints').where({ id: before.id }).first(), ctx.db('complaints').where({ id: after.id }).first()]);
    expect([a.accept_days, a.rectify_days]).to.deep.equal([10, 15]);
    expect([b.accept_days, b.rectify_days, b.resolve_days]).to.deep.equal([5, 7, 20]);
    expect(after.acceptDueOn < before.acceptDueOn).to.equal(true);
    // Back to the defaults for the other tests: sets are never deleted, a newer one replaces them.
    await ctx.db('complaint_deadline_sets').insert({ accept_days: 10, resolve_days: 30, rectify_days: 15, follow_up_days: 5, auto_close_days: 15, note: 'defaults again', created_at: new Date().toISOString() });
  });

  it('is for enterprise users only: an officer, an auditor or an admin gets 403 and nothing is written', async () => {
    const count = async () => Number((await ctx.db('complaints').count({ n: '*' }))[0]!.n);
    const before = await count();
    for (const username of ['officer1', 'auditor', 'admin']) {
      const err = await fileComplaint(ctx, await callerNamed(ctx.db, username), input()).then(() => null, (e: unknown) => e);
      expect((err as HttpError).status, username).to.equal(403);
    }
    expect(await count()).to.equal(before);
  });

  it('links only a commitment or arrears of the enterprise with the agency complained of, by field, without saying whose another is', async () => {
    const enterprise = await callerNamed(ctx.db, 'enterprise1');
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ commitmentId: links.ownWithCommerce })), ['commitmentId']);
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ commitmentId: links.otherWithApproval })), ['commitmentId']);
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ commitmentId: 99_999 })), ['commitmentId']);
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ arrearsId: links.arrearsOwnWithCommerce, commitmentId: links.otherWithApproval })), ['arrearsId', 'commitmentId']);
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ arrearsId: links.arrearsOtherWithApproval })), ['arrearsId']);
    await expectFieldErrors(fileComplaint(ctx, enterprise, input({ agencyId: 99_999 })), ['agencyId']);
    const linked = await fileComplaint(ctx, enterprise, input({ commitmentId: links.ownWithApproval, arrearsId: links.arrearsOwnWithApproval, category: 'arrears_unpaid' }));
    expect(await ctx.db('complaints').where({ id: linked.id }).first('commitment_id', 'arrears_id')).to.deep.equal({ commitment_id: links.ownWithApproval, arrears_id: links.arrearsOwnWithApproval });
  });

  it('stores the evidence with the case in the same transaction; a refused filing keeps no file', async () => {
    const bytes = await pdfBytes('催款函');
    const { files } = await checkUploads([uploadedFile('催款函.pdf', bytes)], 'evidence');
    const { id } = await fileComplaint(ctx, await callerNamed(ctx.db, 'enterprise1'), input(), files);
    expect((await ctx.db('evidence_attachments').where({ owner_type: 'complaints.case', owner_id: id })).map((a) => a.original_name)).to.deep.equal(['催款函.pdf']);
    expect(await ctx.db('audit_log').where({ action: 'complaint.evidence_attached', entity_id: String(id) }).first()).to.not.equal(undefined);
    const { files: again } = await checkUploads([uploadedFile('另一份.pdf', bytes)], 'evidence');
    await expectFieldErrors(fileComplaint(ctx, await callerNamed(ctx.db, 'enterprise1'), input({ commitmentId: links.otherWithApproval }), again), ['commitmentId']);
    expect(await ctx.db('evidence_attachments').where({ original_name: '另一份.pdf' }).first()).to.equal(undefined);
  });

  describe('the form', () => {
    let agents: Record<'enterprise1' | 'officer1' | 'officer2' | 'auditor', request.Agent>;
    before(async () => {
      agents = Object.fromEntries(await Promise.all((['enterprise1', 'officer1', 'officer2', 'auditor'] as const).map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
    });
    const post = async (values: Record<string, string>, files: Array<{ name: string; bytes: Buffer }> = []) => {
      const token = await csrfFrom(agents.enterprise1, '/complaints/new');
      let req = agents.enterprise1.post(uploadUrl('/complaints/new', token));
      for (const [k, v] of Object.entries(values)) req = req.field(k, v);
      for (const f of files) req = req.attach('evidence', f.bytes, { filename: f.name, contentType: 'application/octet-stream' });
      return req;
    };

    it('is for enterprise users, offering its own commitments and arrears with their agencies and the withhold-name choice explained', async () => {
      const page = await agents.enterprise1.get('/complaints/new');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('LINK-OWN-SP').and.include('LINK-OWN-SWJ').and.include('AR-OWN-SP').and.not.include('LINK-OTHER-SP').and.not.include('AR-OTHER-SP');
      expect(page.text).to.include('name="withholdName"').and.include('被投诉单位只看到“匿名企业”');
      expect(page.text).to.match(/action="\/complaints\/new\?_csrf=[^"]+"/);
      for (const agent of [agents.officer1, agents.auditor]) expect((await agent.get('/complaints/new')).status).to.equal(403);
    });

    it('files in yuan with the evidence and goes to the case page, which says when the agency must accept', async () => {
      const res = await post({ agencyId: String(approval), category: 'policy_not_honoured', statement: '表单提交的投诉：奖补资金未兑现', amountClaimed: '1,234.50', commitmentId: String(links.ownWithApproval), arrearsId: '', withholdName: 'on' }, [{ name: '政策文件.pdf', bytes: await pdfBytes('政策') }]);
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      const row = await ctx.db('complaints').where({ statement: '表单提交的投诉：奖补资金未兑现' }).first();
      expect(res.headers.location).to.equal(`/complaints/${row.id}`);
      expect([Number(row.amount_claimed_fen), Boolean(row.withhold_name), row.commitment_id, row.category]).to.deep.equal([123_450, true, links.ownWithApproval, 'policy_not_honoured']);
      const page = await agents.enterprise1.get(res.headers.location!);
      expect(page.text).to.include(`投诉已提交（第 ${row.id} 号）`).and.include('政策文件.pdf').and.include('LINK-OWN-SP');
    });

    it('shows each error beside its field and keeps the input', async () => {
      const res = await post({ agencyId: String(approval), category: '', statement: '', amountClaimed: '12.345', commitmentId: String(links.ownWithCommerce), arrearsId: '' });
      expect(res.status).to.equal(422);
      for (const field of ['category', 'statement', 'amountClaimed']) expect(res.text).to.match(new RegExp(`id="f-${field}-err"`));
      expect(res.text).to.include('12.345');
      const linkError = await post({ agencyId: String(approval), category: 'other', statement: '关联外单位承诺', amountClaimed: '', commitmentId: String(links.ownWithCommerce), arrearsId: String(links.arrearsOwnWithCommerce) });
      expect(linkError.status).to.equal(422);
      expect(linkError.text).to.include('只能关联本企业与被投诉单位之间的承诺。').and.include('只能关联被投诉单位拖欠本企业的欠款。');
      expect(await ctx.db('complaints').where({ statement: '关联外单位承诺' }).first()).to.equal(undefined);
    });
  });
});
