import { expect } from 'chai';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { checkUploads } from '../../evidence/index.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { pdfBytes, uploadedFile } from '../../../test/files.ts';
import { idOf, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import type { ArrearsInput } from './schema.ts';
import { registerArrears } from './service/register.ts';

describe('registering arrears', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let small: number;
  let large: number;
  const input = (over: Partial<ArrearsInput> = {}): ArrearsInput => ({
    agencyId: approval,
    enterpriseId: small,
    category: 'works',
    contractRef: 'QDSP-GC-2026-01',
    principalFen: 1_000_000,
    acceptedOn: daysFromToday(-10),
    description: '政务大厅改造工程款',
    ...over,
  });
  const expectFieldErrors = async (promise: Promise<unknown>, paths: string[]) => {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors.map((e) => e.path)).to.have.members(paths);
  };

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    small = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    large = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[4].name });
  });
  after(() => ctx.close());

  it('sets the statutory due date, 30 days after acceptance, when none was agreed', async () => {
    const officer = await callerNamed(ctx.db, 'officer1');
    const result = await registerArrears(ctx, officer, input());
    expect(result).to.deep.include({ dueOn: daysFromToday(20), creditorScale: 'small', outstandingFen: 1_000_000, status: 'outstanding', ageingBucket: null, nonCompliantTerm: false, lateInterestFen: 0 });
    const row = await ctx.db('arrears').where({ id: result.id }).first();
    expect([row.agreed_due_on, row.due_on, Number(row.outstanding_fen), row.status, row.created_by]).to.deep.equal([null, daysFromToday(20), 1_000_000, 'outstanding', officer.user.id]);
  });

  it('keeps an agreed due date, and counts ageing and late interest (0.05% a day) as of today', async () => {
    const result = await registerArrears(ctx, await callerNamed(ctx.db, 'officer1'), input({ acceptedOn: daysFromToday(-100), dueOn: daysFromToday(-40) }));
    // 1,000,000 fen × 0.0005 × 40 days.
    expect(result).to.deep.include({ dueOn: daysFromToday(-40), ageingBucket: '31-90', nonCompliantTerm: false, lateInterestFen: 20_000 });
  });

  it('flags an agreed term over 60 days with an SME creditor, but not with a large one', async () => {
    const officer = await callerNamed(ctx.db, 'officer1');
    const sme = await registerArrears(ctx, officer, input({ acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85) }));
    expect(sme).to.include({ creditorScale: 'small', nonCompliantTerm: true });
    const big = await registerArrears(ctx, officer, input({ enterpriseId: large, acceptedOn: daysFromToday(-5), dueOn: daysFromToday(85) }));
    expect(big).to.include({ creditorScale: 'large', nonCompliantTerm: false });
    // Exactly 60 days is within the rule.
    expect(await registerArrears(ctx, officer, input({ acceptedOn: daysFromToday(-5), dueOn: daysFromToday(55) }))).to.include({ nonCompliantTerm: false });
  });

  it('records who registered what in the audit log, in words', async () => {
    const { id } = await registerArrears(ctx, await callerNamed(ctx.db, 'officer1'), input({ contractRef: 'AUDIT-1', disputedFen: 200_000, agreedAnnualRate: '3.45' }));
    const entry = await ctx.db('audit_log').where({ action: 'arrears.created', entity_type: 'arrears', entity_id: String(id) }).first();
    const after = JSON.parse(entry.after_json);
    expect(after).to.include({ enterprise: DEMO_ENTERPRISES[0].name, creditorScale: 'small', category: 'works', contractRef: 'AUDIT-1', principalFen: 1_000_000, disputedFen: 200_000, agreedAnnualRate: '3.45', dueOn: daysFromToday(20), nonCompliantTerm: false });
    expect(after.agency).to.equal('青岛市行政审批服务局');
  });

  it('answers 403 when an officer registers for another agency, or anyone but an officer registers, and writes nothing', async () => {
    const before = await ctx.db('arrears').count({ n: '*' }).first();
    for (const [username, agencyId] of [['officer1', commerce], ['auditor', approval], ['enterprise1', approval]] as const) {
      const err = await registerArrears(ctx, await callerNamed(ctx.db, username), input({ agencyId, contractRef: 'FOREIGN' })).then(() => null, (e: unknown) => e);
      expect(err, username).to.be.instanceOf(HttpError);
      expect((err as HttpError).status, username).to.equal(403);
    }
    expect(await ctx.db('arrears').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('refuses an unknown enterprise, and a commitment of another agency, by field', async () => {
    const officer = await callerNamed(ctx.db, 'officer1');
    await expectFieldErrors(registerArrears(ctx, officer, input({ enterpriseId: 99_999 })), ['enterpriseId']);
    const foreign = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(commerce));
    await expectFieldErrors(registerArrears(ctx, officer, input({ commitmentId: foreign.commitmentId })), ['commitmentId']);
    await expectFieldErrors(registerArrears(ctx, officer, input({ commitmentId: 99_999 })), ['commitmentId']);
    const own = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(approval));
    const { id } = await registerArrears(ctx, officer, input({ commitmentId: own.commitmentId }));
    expect((await ctx.db('arrears').where({ id }).first('commitment_id')).commitment_id).to.equal(own.commitmentId);
  });

  it('stores the evidence files with the arrears, in the same transaction', async () => {
    const bytes = await pdfBytes('验收单');
    const { files, errors } = await checkUploads([uploadedFile('竣工验收单.pdf', bytes)], 'evidence');
    expect(errors).to.deep.equal([]);
    const { id } = await registerArrears(ctx, await callerNamed(ctx.db, 'officer1'), input(), files);
    const attached = await ctx.db('evidence_attachments').where({ owner_type: 'arrears.record', owner_id: id }).select('original_name');
    expect(attached.map((a) => a.original_name)).to.deep.equal(['竣工验收单.pdf']);
    expect(await ctx.db('audit_log').where({ action: 'arrears.evidence_attached', entity_id: String(id) }).first()).to.not.equal(undefined);
    // A refused registration keeps no file.
    const { files: again } = await checkUploads([uploadedFile('另一份.pdf', bytes)], 'evidence');
    await expectFieldErrors(registerArrears(ctx, await callerNamed(ctx.db, 'officer1'), input({ enterpriseId: 99_999 }), again), ['enterpriseId']);
    expect(await ctx.db('evidence_attachments').where({ original_name: '另一份.pdf' }).first()).to.equal(undefined);
  });
});
