import { expect } from 'chai';
import request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { csrfFrom, idOf, signIn, startTestApp, type TestContext, uploadUrl } from '../../../test/helpers.ts';
import { PNG, bigPdf, binary, pdfBytes } from '../../../test/files.ts';
import { EVIDENCE_CHUNK_BYTES } from '../../evidence/store.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { createCommitment } from './service/register.ts';

type Agent = request.Agent;

/** Evidence of commitments through the one download route: who may read it, and how it is served. */
describe('commitment evidence', () => {
  let ctx: TestContext;
  let agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1' | 'admin', Agent>;
  let commitmentId: number;
  let milestoneIds: number[];
  let pdf: Buffer;
  /** Attachment ids by what they prove. */
  const files: Record<'fulfilment' | 'waiver' | 'breach' | 'otherEnterprise', number> = { fulfilment: 0, waiver: 0, breach: 0, otherEnterprise: 0 };

  async function upload(agent: Agent, id: number, action: string, fields: Record<string, string>, file: { field: string; name: string; bytes: Buffer }) {
    const token = await csrfFrom(agent, `/commitments/${id}`);
    let req = agent.post(uploadUrl(`/commitments/${id}/${action}`, token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach(file.field, file.bytes, { filename: file.name, contentType: 'application/octet-stream' });
    expect(res.status, res.text.slice(0, 800)).to.equal(303);
  }

  const attachmentIdOf = async (ownerType: string, ownerId: number) => idOf(ctx.db, 'evidence_attachments', { owner_type: ownerType, owner_id: ownerId });

  before(async () => {
    ctx = await startTestApp();
    const names = ['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'] as const;
    agents = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
    const officer1 = await demoUser(ctx.db, 'officer1');
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    const otherEnterpriseId = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[1].name });
    const milestones = [1, 2, 3].map((n) => ({ description: `第 ${n} 期`, dueOn: daysFromToday(30 * n), amountFen: 100_000 }));
    commitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { enterpriseId: enterprise1.enterpriseId, signedOn: daysFromToday(-60), milestones }));
    milestoneIds = await ctx.db('milestones').where({ commitment_id: commitmentId }).orderBy('seq').pluck('id');
    pdf = await pdfBytes('验收报告');

    await upload(agents.officer1, commitmentId, 'fulfilments',
      { fulfilmentMilestoneId: String(milestoneIds[0]), fulfilledOn: daysFromToday(0), fulfilmentNote: '首期款已拨付', fulfilmentAmount: '1000' },
      { field: 'fulfilmentEvidence', name: '拨付凭证 (盖章).pdf', bytes: pdf });
    await upload(agents.officer1, commitmentId, 'waivers', { waiverMilestoneId: String(milestoneIds[1]), waiverReason: '上级政策调整' }, { field: 'waiverEvidence', name: '政策文件.png', bytes: PNG });
    await upload(agents.auditor, commitmentId, 'breach', { breachMilestoneId: String(milestoneIds[2]), breachFindings: '逾期未履行' }, { field: 'breachEvidence', name: '核查记录.pdf', bytes: pdf });
    const fulfilment = await ctx.db('fulfilments').where({ milestone_id: milestoneIds[0] }).first('id');
    const waiver = await ctx.db('waivers').where({ milestone_id: milestoneIds[1] }).first('id');
    files.fulfilment = await attachmentIdOf('commitments.fulfilment', fulfilment.id);
    files.waiver = await attachmentIdOf('commitments.waiver', waiver.id);
    files.breach = await attachmentIdOf('commitments.breach', milestoneIds[2]!);

    const otherId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { enterpriseId: otherEnterpriseId, signedOn: daysFromToday(-60) }));
    const otherMilestone = await ctx.db('milestones').where({ commitment_id: otherId }).first('id');
    await upload(agents.officer1, otherId, 'fulfilments',
      { fulfilmentMilestoneId: String(otherMilestone.id), fulfilledOn: daysFromToday(0), fulfilmentNote: '已交付', fulfilmentAmount: '' },
      { field: 'fulfilmentEvidence', name: '交付单.pdf', bytes: pdf });
    const otherFulfilment = await ctx.db('fulfilments').where({ milestone_id: otherMilestone.id }).first('id');
    files.otherEnterprise = await attachmentIdOf('commitments.fulfilment', otherFulfilment.id);
  });
  after(() => ctx.close());

  it('lists each file under what it proves on the commitment page, linked to the one download route', async () => {
    const page = await agents.enterprise1.get(`/commitments/${commitmentId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(`<a href="/evidence/${files.fulfilment}" download>拨付凭证 (盖章).pdf</a>`);
    expect(page.text).to.include(`<a href="/evidence/${files.waiver}" download>政策文件.png</a> <span class="muted small">(${PNG.length} B)</span>`);
    expect(page.text).to.include(`<a href="/evidence/${files.breach}" download>核查记录.pdf</a>`);
    expect(page.text).to.include('上传证明材料');
  });

  it('offers an upload field that names the accepted types, size and number of files', async () => {
    const page = await agents.officer1.get(`/commitments/${commitmentId}`);
    expect(page.text).to.match(/<input type="file" id="f-fulfilmentEvidence" name="fulfilmentEvidence" multiple accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"/);
    expect(page.text).to.include('可选多个文件（最多 10 个）：PDF, JPEG, PNG, DOCX, XLSX，每个不超过 20 MB；文件类型按内容核验。');
    const english = await (await signIn(ctx.app, 'officer1')).get(`/commitments/${commitmentId}?lang=en`);
    expect(english.text).to.include('One or more files (at most 10): PDF, JPEG, PNG, DOCX, XLSX, at most 20 MB each');
  });

  it('serves the bytes as an attachment under the original Chinese name, with its type, unsniffed and never stored by the browser', async () => {
    const res = await agents.officer1.get(`/evidence/${files.fulfilment}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-length']).to.equal(String(pdf.length));
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="_ (_).pdf"; filename*=UTF-8''${encodeURIComponent('拨付凭证 ')}%28${encodeURIComponent('盖章')}%29.pdf`,
    );
    expect(Buffer.compare(res.body as Buffer, pdf)).to.equal(0);
  });

  it('sends a file of several stored chunks whole and in order', async () => {
    const large = bigPdf(EVIDENCE_CHUNK_BYTES * 2 + 12_345);
    const milestone = await ctx.db('milestones').where({ commitment_id: commitmentId }).orderBy('seq').first('id');
    await upload(agents.officer1, commitmentId, 'fulfilments',
      { fulfilmentMilestoneId: String(milestone.id), fulfilledOn: daysFromToday(0), fulfilmentNote: '扫描件较大', fulfilmentAmount: '' },
      { field: 'fulfilmentEvidence', name: '扫描件.pdf', bytes: large });
    const id = await idOf(ctx.db, 'evidence_attachments', { original_name: '扫描件.pdf' });
    const res = await agents.officer1.get(`/evidence/${id}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-length']).to.equal(String(large.length));
    expect(Buffer.compare(res.body as Buffer, large)).to.equal(0);
  });

  it('records each download in the audit log with the file’s name and digest, but not a refusal', async () => {
    const downloads = () => ctx.db('audit_log').where({ action: 'evidence.downloaded' }).orderBy('id');
    const before = (await downloads()).length;
    await agents.auditor.get(`/evidence/${files.fulfilment}`);
    await agents.officer2.get(`/evidence/${files.fulfilment}`);
    const recorded = (await downloads()).slice(before);
    const blob = await ctx.db('evidence_attachments').where({ id: files.fulfilment }).first('sha256');
    expect(recorded.map((e) => [e.actor_name, e.entity_type, Number(e.entity_id), JSON.parse(e.after_json)])).to.deep.equal([
      ['auditor', 'evidence_file', files.fulfilment, { name: '拨付凭证 (盖章).pdf', sha256: blob.sha256, ownerType: 'commitments.fulfilment', ownerId: (await ctx.db('evidence_attachments').where({ id: files.fulfilment }).first('owner_id')).owner_id }],
    ]);
  });

  it('gives every file of a commitment to its agency’s officers, the counterparty and the auditors', async () => {
    for (const who of ['officer1', 'enterprise1', 'auditor'] as const) {
      for (const [proves, id] of Object.entries({ fulfilment: files.fulfilment, waiver: files.waiver, breach: files.breach })) {
        expect((await agents[who].get(`/evidence/${id}`)).status, `${who} ${proves}`).to.equal(200);
      }
    }
  });

  it('answers 404 to another agency’s officer, another enterprise and an administrator, as if the file did not exist', async () => {
    for (const id of [files.fulfilment, files.waiver, files.breach]) {
      expect((await agents.officer2.get(`/evidence/${id}`)).status, `officer2 ${id}`).to.equal(404);
      expect((await agents.admin.get(`/evidence/${id}`)).status, `admin ${id}`).to.equal(404);
    }
    expect((await agents.enterprise1.get(`/evidence/${files.otherEnterprise}`)).status).to.equal(404);
    expect((await agents.officer1.get(`/evidence/${files.otherEnterprise}`)).status).to.equal(200);
    expect((await agents.auditor.get('/evidence/999999')).status).to.equal(404);
  });

  it('refuses a file whose owner type no feature registered, even to an auditor', async () => {
    const blob = await ctx.db('evidence_attachments').where({ id: files.fulfilment }).first('sha256');
    const [{ id }] = await ctx.db('evidence_attachments')
      .insert({ owner_type: 'ghosts.record', owner_id: 1, sha256: blob.sha256, original_name: '无主.pdf', uploaded_by: null, created_at: new Date().toISOString() })
      .returning('id');
    expect((await agents.auditor.get(`/evidence/${id}`)).status).to.equal(404);
  });

  it('sends those who are not signed in to sign in first', async () => {
    const res = await request(ctx.app).get(`/evidence/${files.fulfilment}`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(`/evidence/${files.fulfilment}`)}`);
  });

  it('refuses the files past ten by name and records nothing, keeping the form', async () => {
    const token = await csrfFrom(agents.officer1, `/commitments/${commitmentId}`);
    let req = agents.officer1.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token))
      .field('fulfilmentMilestoneId', String(milestoneIds[0])).field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '第二次拨付').field('fulfilmentAmount', '');
    for (let n = 1; n <= 11; n++) req = req.attach('fulfilmentEvidence', PNG, { filename: `照片${n}.png`, contentType: 'image/png' });
    const before = await ctx.db('evidence_attachments').count({ n: '*' }).first();
    const res = await req;
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="f-fulfilmentEvidence-err"><li>“照片11.png”未上传：一次最多上传 10 个文件。<\/li><\/ul>/);
    expect(res.text).to.include('第二次拨付');
    expect(await ctx.db('evidence_attachments').count({ n: '*' }).first()).to.deep.equal(before);
    expect(await ctx.db('fulfilments').where({ note: '第二次拨付' }).first()).to.equal(undefined);
  });

  it('refuses outright, with 413, a request carrying more files than any form has', async () => {
    const token = await csrfFrom(agents.officer1, `/commitments/${commitmentId}`);
    let req = agents.officer1.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token));
    for (let n = 1; n <= 101; n++) req = req.attach('fulfilmentEvidence', PNG, { filename: `${n}.png`, contentType: 'image/png' });
    const res = await req;
    expect(res.status).to.equal(413);
    expect(res.text).to.include('提交的内容过大。');
  });

  it('redirects an old commitment evidence link to the one download route, which still checks the reader', async () => {
    const old = await agents.officer2.get(`/commitments/${commitmentId}/evidence/${files.fulfilment}`);
    expect(old.status).to.equal(301);
    expect(old.headers.location).to.equal(`/evidence/${files.fulfilment}`);
    expect((await agents.officer2.get(old.headers.location!)).status).to.equal(404);
  });
});
