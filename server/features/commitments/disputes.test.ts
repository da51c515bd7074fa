import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, idOf, postForm, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { PNG, pdfBytes } from '../../../test/files.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { DISPUTE_EVIDENCE } from './evidence-owners.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from './service/fulfilments.ts';
import { createCommitment } from './service/register.ts';

type Agent = request.Agent;

/** An enterprise disputes a fulfilment with its own files; the auditors see both sides' evidence. */
describe('disputes with evidence', () => {
  let ctx: TestContext;
  let officer1: Agent;
  let auditor: Agent;
  let enterprise1: Agent;
  let officer2: Agent;
  let commitmentId: number;
  let milestoneIds: number[];

  async function fulfil(milestoneIndex: number, note: string, amountFen: number | null = null): Promise<number> {
    const officer = await demoUser(ctx.db, 'officer1');
    return (await recordFulfilment(ctx, callerFor(officer), commitmentId, milestoneIds[milestoneIndex]!, { fulfilledOn: daysFromToday(0), note, amountFen, complete: false })).fulfilmentId;
  }

  async function multipart(agent: Agent, action: string, fields: Record<string, string>, files: Array<{ field: string; name: string; bytes: Buffer }>) {
    const token = await csrfFrom(agent, `/commitments/${commitmentId}`);
    let req = agent.post(uploadUrl(action, token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const f of files) req = req.attach(f.field, f.bytes, { filename: f.name, contentType: 'application/octet-stream' });
    return req;
  }

  before(async () => {
    ctx = await startTestApp();
    [officer1, auditor, enterprise1, officer2] = await Promise.all(['officer1', 'auditor', 'enterprise1', 'officer2'].map((u) => signIn(ctx.app, u)));
    const officer = await demoUser(ctx.db, 'officer1');
    const enterprise = await demoUser(ctx.db, 'enterprise1');
    const milestones = [1, 2, 3].map((n) => ({ description: `第 ${n} 期补贴`, dueOn: daysFromToday(30 * n), amountFen: 100_000 }));
    commitmentId = await createCommitment(ctx, callerFor(officer), commitmentInput(officer.agencyId!, { title: '设备补贴兑现', enterpriseId: enterprise.enterpriseId, signedOn: daysFromToday(-60), milestones }));
    milestoneIds = await ctx.db('milestones').where({ commitment_id: commitmentId }).orderBy('seq').pluck('id');
  });
  after(() => ctx.close());

  it('takes the enterprise’s files with its dispute, lists them beside its answer and lets the auditors read them', async () => {
    const fulfilmentId = await fulfil(0, '补贴已拨付', 100_000);
    const evidence = await pdfBytes('银行流水');
    const res = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/response`, { response: 'not_at_all', responseComment: '款项未到账' }, [{ field: 'responseEvidence', name: '银行流水.pdf', bytes: evidence }]);
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(res.headers.location).to.equal(`/commitments/${commitmentId}#fulfilment-${fulfilmentId}`);
    const fileId = await idOf(ctx.db, 'evidence_attachments', { owner_type: DISPUTE_EVIDENCE, owner_id: fulfilmentId });
    const page = await officer1.get(`/commitments/${commitmentId}`);
    expect(page.text).to.include('企业提交的材料');
    expect(page.text).to.include(`<a href="/evidence/${fileId}" download>银行流水.pdf</a>`);
    for (const agent of [auditor, officer1, enterprise1]) expect((await agent.get(`/evidence/${fileId}`)).status).to.equal(200);
    expect((await officer2.get(`/evidence/${fileId}`)).status).to.equal(404);
    const timeline = (await enterprise1.get(`/commitments/${commitmentId}`)).text;
    expect(timeline).to.include('材料所属</span>：<ins>企业异议</ins>');
  });

  it('shows the auditors each disputed fulfilment with the agency’s proof and the enterprise’s files side by side', async () => {
    const token = await csrfFrom(officer1, `/commitments/${commitmentId}`);
    const upload = await officer1.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token))
      .field('fulfilmentMilestoneId', String(milestoneIds[1])).field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '第二期已拨付')
      .attach('fulfilmentEvidence', PNG, { filename: '拨付回单.png', contentType: 'image/png' });
    expect(upload.status).to.equal(303);
    const fulfilmentId = (await ctx.db('fulfilments').where({ milestone_id: milestoneIds[1] }).first('id')).id as number;
    const disputed = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/response`, { response: 'partly', responseComment: '只到账一半' }, [{ field: 'responseEvidence', name: '到账记录.png', bytes: PNG }]);
    expect(disputed.status).to.equal(303);
    const queue = await auditor.get('/commitments/waivers');
    const row = queue.text.slice(queue.text.indexOf(`id="dispute-${fulfilmentId}"`));
    const agencyFile = await idOf(ctx.db, 'evidence_attachments', { owner_type: 'commitments.fulfilment', owner_id: fulfilmentId });
    const enterpriseFile = await idOf(ctx.db, 'evidence_attachments', { owner_type: DISPUTE_EVIDENCE, owner_id: fulfilmentId });
    expect(row.indexOf('机关提交的证明材料')).to.be.lessThan(row.indexOf(`/evidence/${agencyFile}`));
    expect(row.indexOf(`/evidence/${agencyFile}`)).to.be.lessThan(row.indexOf('企业提交的异议材料'));
    expect(row.indexOf('企业提交的异议材料')).to.be.lessThan(row.indexOf(`/evidence/${enterpriseFile}`));
    expect(row).to.include('到账记录.png');
  });

  it('lets the enterprise add files to its open dispute, and no longer once the auditors settled it', async () => {
    const fulfilmentId = await fulfil(2, '第三期已拨付');
    const enterprise = await demoUser(ctx.db, 'enterprise1');
    await respondToFulfilment(ctx, callerFor(enterprise), commitmentId, fulfilmentId, { response: 'not_at_all', comment: '未收到' });
    const none = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/dispute-evidence`, {}, [{ field: 'disputeEvidence', name: '', bytes: Buffer.alloc(0) }]);
    expect(none.status).to.equal(422);
    expect(none.text).to.include('请选择要上传的文件。');
    const added = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/dispute-evidence`, {}, [{ field: 'disputeEvidence', name: '补充说明.png', bytes: PNG }]);
    expect(added.status, added.text.slice(0, 500)).to.equal(303);
    expect(await ctx.db('evidence_attachments').where({ owner_type: DISPUTE_EVIDENCE, owner_id: fulfilmentId }).pluck('original_name')).to.deep.equal(['补充说明.png']);
    const entry = await ctx.db('audit_log').where({ action: 'commitment.evidence_attached', entity_id: String(commitmentId) }).orderBy('id', 'desc').first('after_json');
    expect(JSON.parse(entry.after_json)).to.include({ ownerType: DISPUTE_EVIDENCE, milestone: '#3 第 3 期补贴' });

    await settleDispute(ctx, callerFor(await demoUser(ctx.db, 'auditor')), commitmentId, fulfilmentId, { decision: 'upheld', note: '银行回单为证' });
    const late = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/dispute-evidence`, {}, [{ field: 'disputeEvidence', name: '迟到的材料.png', bytes: PNG }]);
    expect(late.status).to.equal(422);
    expect(late.text).to.include('该履约记录没有待裁定的异议。');
  });

  it('takes no files with a confirmation, and none from an enterprise that is not the counterparty', async () => {
    const fulfilmentId = await fulfil(2, '补发');
    const unanswered = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/response`, { responseComment: '' }, []);
    expect(unanswered.status).to.equal(422);
    expect(unanswered.text).to.include(`<a href="#response-${fulfilmentId}-confirmed">该履约记录是否属实？</a>：请从列表中选择。`);
    expect(unanswered.text).to.include(`id="response-${fulfilmentId}-confirmed"`);
    const confirm = await multipart(enterprise1, `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/response`, { response: 'confirmed' }, [{ field: 'responseEvidence', name: '多余.png', bytes: PNG }]);
    expect(confirm.status).to.equal(422);
    expect(confirm.text).to.include('确认履行时无需上传材料');
    expect(await ctx.db('fulfilments').where({ id: fulfilmentId }).first('enterprise_response')).to.deep.equal({ enterprise_response: null });

    // enterprise1 moved to another enterprise: the commitment is no longer theirs.
    const ownEnterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId;
    await ctx.db('users').where({ username: 'enterprise1' }).update({ enterprise_id: await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[1].name }) });
    try {
      const stranger = await signIn(ctx.app, 'enterprise1');
      const res = await postForm(stranger, '/', `/commitments/${commitmentId}/fulfilments/${fulfilmentId}/response`, { response: 'not_at_all', responseComment: '不是我们的' });
      expect(res.status).to.equal(404);
    } finally {
      await ctx.db('users').where({ username: 'enterprise1' }).update({ enterprise_id: ownEnterpriseId });
    }
  });
});
