import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { addWorkingDays, buildWorkingCalendar } from '../../domain/calendar.ts';
import { issueToken } from '../admin/service.ts';
import { pdfBytes } from '../../../test/files.ts';
import { TEST_CLOCK, demoUser } from '../../../test/factories.ts';
import { csrfFrom, postForm, signIn, startTestApp, uploadUrl, type TestContext } from '../../../test/helpers.ts';
import { fileOn, handlingCast, on, rateOn, walk, type HandlingCast } from '../../../test/complaints-handling.ts';
import { STEP_EVIDENCE } from './evidence-owners.ts';
import { complaintRow } from './repository.ts';
import { appealRating } from './service/appeals.ts';

type Agent = request.Agent;

/** The handling pages and API as the users reach them; today is the test clock's. */
describe('complaint handling pages and API', () => {
  let ctx: TestContext;
  let cast: HandlingCast;
  let officer1: Agent;
  let officer2: Agent;
  let auditor: Agent;
  let enterprise1: Agent;
  let admin: Agent;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp();
    cast = await handlingCast(ctx.db);
    [officer1, officer2, auditor, enterprise1, admin] = await Promise.all(['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'].map((u) => signIn(ctx.app, u)));
  });
  after(() => ctx.close());

  const file = (over = {}) => fileOn(ctx.db, today, cast, over);

  async function multipart(agent: Agent, action: string, fields: Record<string, string>, files: Array<{ field: string; name: string; bytes: Buffer }> = []) {
    const token = await csrfFrom(agent, '/');
    let req = agent.post(uploadUrl(action, token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const f of files) req = req.attach(f.field, f.bytes, { filename: f.name, contentType: 'application/octet-stream' });
    return req;
  }

  /** The flash the next page shows. */
  const flashOf = async (agent: Agent) => /class="flash flash-success"[^>]*>([^<]*)</.exec((await agent.get('/')).text)?.[1];

  describe('step pages', () => {
    it('show the case summary with the withheld name as 匿名企业 to the agency, and only to those who take the step', async () => {
      const id = await file({ withholdName: true, statement: '展位费补助拖欠至今。' });
      const page = await officer1.get(`/complaints/${id}/steps/accept`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('匿名企业').and.include('展位费补助拖欠至今。').and.include('受理投诉').and.not.include('青岛海滨精密机械有限公司');
      // Nor the name of the complainant's user on its filing step.
      expect(page.text).to.include('提交投诉').and.not.include((await demoUser(ctx.db, 'enterprise1')).displayName);
      const forAuditor = await auditor.get(`/complaints/${id}/steps/forward`);
      expect(forAuditor.status).to.equal(200);
      expect(forAuditor.text).to.include('青岛海滨精密机械有限公司').and.include('被投诉单位没有上级机关');
      expect((await officer2.get(`/complaints/${id}/steps/accept`)).status).to.equal(404);
      expect((await officer1.get(`/complaints/${id}/steps/forward`)).status).to.equal(403);
      expect((await auditor.get(`/complaints/${id}/steps/accept`)).status).to.equal(403);
      expect((await enterprise1.get(`/complaints/${id}/steps/accept`)).status).to.equal(403);
      expect((await officer1.get(`/complaints/${id}/steps/approve`)).status).to.equal(404);
      expect((await officer1.get(`/complaints/abc/steps/accept`)).status).to.equal(404);
    });

    it('take a step with its files and go back to the case with a flash; the files are the case readers’', async () => {
      const id = await file();
      const res = await multipart(officer1, `/complaints/${id}/steps/accept`, { note: '已登记受理。' }, [{ field: 'stepEvidence', name: '受理通知书.pdf', bytes: await pdfBytes('notice') }]);
      expect(res.status, res.text.slice(0, 400)).to.equal(303);
      expect(res.headers.location).to.equal(`/complaints/${id}`);
      expect(await flashOf(officer1)).to.equal('已受理该投诉。');
      expect((await complaintRow(ctx.db, id))!.status).to.equal('accepted');
      const step = await ctx.db('complaint_steps').where({ complaint_id: id, action: 'accept' }).first();
      const attachment = await ctx.db('evidence_attachments').where({ owner_type: STEP_EVIDENCE, owner_id: step.id }).first();
      expect(attachment).to.include({ original_name: '受理通知书.pdf' });
      expect((await enterprise1.get(`/evidence/${attachment.id}`)).status).to.equal(200);
      expect((await auditor.get(`/evidence/${attachment.id}`)).status).to.equal(200);
      expect((await officer2.get(`/evidence/${attachment.id}`)).status).to.equal(404);
      const audit = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id), action: 'complaint.accept' }).first();
      expect(JSON.parse(audit.after_json).files[0]).to.include({ name: '受理通知书.pdf' });
    });

    it('show a missing note beside the field and a step the state refuses at the form, changing nothing', async () => {
      const id = await file();
      const missing = await multipart(officer1, `/complaints/${id}/steps/reject`, { note: '' });
      expect(missing.status).to.equal(422);
      expect(missing.text).to.include('不予受理理由').and.include('aria-invalid="true"');
      await walk(ctx.db, cast, id, [['accept', today]]);
      const before = await complaintRow(ctx.db, id);
      const page = await officer1.get(`/complaints/${id}/steps/accept`);
      expect(page.text).to.include('该投诉当前的办理状态下不能进行这一步').and.not.include('name="stepEvidence"');
      const again = await multipart(officer1, `/complaints/${id}/steps/accept`, { note: '再受理' });
      expect(again.status).to.equal(422);
      expect(again.text).to.include('该投诉当前的办理状态下不能进行这一步');
      expect(await complaintRow(ctx.db, id)).to.deep.equal(before);
    });
  });

  describe('rating, appeal and decision pages', () => {
    it('let the complainant rate, the agency appeal the bad review and an auditor void it from the queue', async () => {
      const id = await file();
      await walk(ctx.db, cast, id, [['accept', today], ['investigate', today], ['resolve', today]]);
      expect((await officer1.get(`/complaints/${id}/rate`)).status).to.equal(403);
      const ratePage = await enterprise1.get(`/complaints/${id}/rate`);
      expect(ratePage.text).to.include('非常不满意');
      const noReason = await postForm(enterprise1, `/complaints/${id}/rate`, `/complaints/${id}/rate`, { level: 'very_dissatisfied', comment: '' });
      expect(noReason.status).to.equal(422);
      expect(noReason.text).to.include('不满意的评价请说明理由');
      const rated = await postForm(enterprise1, `/complaints/${id}/rate`, `/complaints/${id}/rate`, { level: 'very_dissatisfied', comment: '恶意拖延' });
      expect(rated.status).to.equal(303);
      expect(await flashOf(enterprise1)).to.equal('已提交评价，投诉重新进入整改。');
      const rating = await ctx.db('complaint_ratings').where({ complaint_id: id }).first('id');

      const appealUrl = `/complaints/${id}/ratings/${rating.id}/appeal`;
      expect((await officer2.get(appealUrl)).status).to.equal(404);
      expect((await officer1.get(appealUrl)).text).to.include('恶意拖延');
      expect((await postForm(officer1, appealUrl, appealUrl, { reason: '已按期付款，有回单。' })).status).to.equal(303);
      const appeal = await ctx.db('complaint_appeals').where({ rating_id: rating.id }).first('id');

      const queue = await auditor.get('/complaints/appeals');
      expect(queue.status).to.equal(200);
      expect(queue.text).to.include('已按期付款，有回单。').and.include(`/complaints/${id}/appeals/${appeal.id}/decide?from=queue`);
      expect((await officer1.get('/complaints/appeals')).status).to.equal(403);
      const decideUrl = `/complaints/${id}/appeals/${appeal.id}/decide`;
      const decided = await postForm(auditor, `${decideUrl}?from=queue`, decideUrl, { decision: 'voided', note: '回单显示已付款。', returnTo: 'queue' });
      expect(decided.status).to.equal(303);
      expect(decided.headers.location).to.equal('/complaints/appeals');
      expect((await auditor.get('/complaints/appeals')).text).to.not.include(`/complaints/${id}/appeals/${appeal.id}/decide`);
      expect((await auditor.get(decideUrl)).text).to.include('该申诉已经裁定').and.include('<del>');
    });

    it('let an auditor disclose a withheld name, after which the agency sees it', async () => {
      const id = await file({ withholdName: true });
      expect((await officer1.get(`/complaints/${id}/disclose-name`)).status).to.equal(403);
      const res = await postForm(auditor, `/complaints/${id}/disclose-name`, `/complaints/${id}/disclose-name`, { reason: '无法核对合同原件。' });
      expect(res.status).to.equal(303);
      const page = await officer1.get(`/complaints/${id}/steps/accept`);
      expect(page.text).to.include('青岛海滨精密机械有限公司').and.not.include('匿名企业');
      const casePage = await officer1.get(`/complaints/${id}`);
      expect(/class="muted small disclosed-by">([^<]*)</.exec(casePage.text)?.[1]).to.match(/于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}.* 披露/).and.include(cast.auditor.user.displayName);
    });

    it('show on the case page the finding of default it left in the credit record, linked for those who read that record', async () => {
      const id = await file();
      await walk(ctx.db, cast, id, [['accept', today], ['investigate', today], ['find_default', today]]);
      const entry = await ctx.db('credit_record_entries').where({ complaint_id: id }).first('id');
      const link = `/agencies/${cast.approvalId}/integrity#entry-${entry.id}`;
      const seen = await officer1.get(`/complaints/${id}`);
      expect(seen.text).to.include('本案认定违约失信').and.include(link);
      const complainant = await enterprise1.get(`/complaints/${id}`);
      expect(complainant.text).to.include('本案认定违约失信').and.not.include(link);
    });
  });

  describe('the deadline set page', () => {
    it('shows the set in force to admins and saves a new version that new cases copy and old cases do not', async () => {
      const old = await file();
      expect((await officer1.get('/admin/complaint-deadlines')).status).to.equal(403);
      const page = await admin.get('/admin/complaint-deadlines');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('投诉办理时限').and.include('系统默认');
      const bad = await postForm(admin, '/admin/complaint-deadlines', '/admin/complaint-deadlines', { acceptDays: '0', resolveDays: '30', rectifyDays: '61', followUpDays: '5', autoCloseDays: 'x' });
      expect(bad.status).to.equal(422);
      expect(bad.text.match(/请填写 1–60 之间的整数/g)).to.have.length(6); // beside each of the three fields and in the summary
      const versions = await ctx.db('complaint_deadline_sets').count({ n: '*' }).first();
      const saved = await postForm(admin, '/admin/complaint-deadlines', '/admin/complaint-deadlines', { acceptDays: '5', resolveDays: '20', rectifyDays: '7', followUpDays: '3', autoCloseDays: '10', note: '依据本市优化营商环境条例' });
      expect(saved.status).to.equal(303);
      expect(Number((await ctx.db('complaint_deadline_sets').count({ n: '*' }).first())!.n)).to.equal(Number(versions!.n) + 1);
      const newer = await file();
      expect(await complaintRow(ctx.db, old)).to.include({ accept_days: 10, resolve_days: 30, rectify_days: 15, follow_up_days: 5, auto_close_days: 15 });
      expect(await complaintRow(ctx.db, newer)).to.include({ accept_days: 5, resolve_days: 20, rectify_days: 7, follow_up_days: 3, auto_close_days: 10 });
      // The old case's deadlines still count its own days after the change.
      const cal = buildWorkingCalendar({ fromYear: Number(today.slice(0, 4)), toYear: Number(today.slice(0, 4)) + 1 });
      await walk(ctx.db, cast, old, [['accept', today]]);
      expect((await complaintRow(ctx.db, old))!.current_due_on).to.equal(addWorkingDays(today, 30, cal).dueOn);
      const audit = await ctx.db('audit_log').where({ action: 'complaint_deadlines.changed' }).first();
      expect(JSON.parse(audit.before_json)).to.include({ acceptDays: 10 });
      expect(JSON.parse(audit.after_json)).to.include({ acceptDays: 5, deadlineNote: '依据本市优化营商环境条例' });
      const history = await admin.get('/admin/complaint-deadlines');
      expect(history.text).to.include('依据本市优化营商环境条例').and.include('现行');
    });
  });

  describe('API', () => {
    const tokens: Record<string, string> = {};
    before(async () => {
      for (const username of ['officer1', 'officer2', 'auditor', 'enterprise1']) {
        const user = await demoUser(ctx.db, username);
        tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
      }
    });
    const post = (username: string, path: string, body: unknown) => request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`).send(body as object);

    it('POST /complaints/:id/transitions answers the case’s state, or 409, 422, 403 and 404 in the error envelope', async () => {
      const id = await file();
      const ok = await post('officer1', `/complaints/${id}/transitions`, { action: 'accept', note: '受理' });
      expect(ok.status, ok.text).to.equal(200);
      expect(ok.body).to.include({ id, status: 'accepted', currentStep: 'resolve', rectifyDueOn: null, forwardedToAgencyId: null });
      expect(ok.body.currentDueOn).to.match(/^\d{4}-\d{2}-\d{2}$/);
      const twice = await post('officer1', `/complaints/${id}/transitions`, { action: 'accept' });
      expect(twice.status).to.equal(409);
      expect(twice.body.error).to.include({ code: 'conflict' });
      const noNote = await post('officer1', `/complaints/${id}/transitions`, { action: 'resolve' });
      expect(noNote.status).to.equal(409); // accepted: investigate first
      await post('officer1', `/complaints/${id}/transitions`, { action: 'investigate' });
      const missing = await post('officer1', `/complaints/${id}/transitions`, { action: 'resolve', note: '' });
      expect(missing.status).to.equal(422);
      expect(missing.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['note']);
      expect((await post('officer1', `/complaints/${id}/transitions`, { action: 'promote' })).status).to.equal(422);
      expect((await post('auditor', `/complaints/${id}/transitions`, { action: 'resolve', note: 'x' })).status).to.equal(403);
      expect((await post('enterprise1', `/complaints/${id}/transitions`, { action: 'resolve', note: 'x' })).status).to.equal(403);
      expect((await post('officer2', `/complaints/${id}/transitions`, { action: 'resolve', note: 'x' })).status).to.equal(404);
      const found = await post('auditor', `/complaints/${id}/transitions`, { action: 'find_default', note: '拒不整改' });
      expect(found.body).to.include({ status: 'default_found', closeKind: 'default_found', currentStep: null, currentDueOn: null });
    });

    it('POST /complaints/:id/rating answers "rectifying" with rectifyDueOn on a bad level, for the complainant only', async () => {
      const id = await file();
      await walk(ctx.db, cast, id, [['accept', today], ['investigate', today], ['resolve', today]]);
      expect((await post('officer1', `/complaints/${id}/rating`, { level: 'satisfied' })).status).to.equal(403);
      const bad = await post('enterprise1', `/complaints/${id}/rating`, { level: 'dissatisfied', comment: '没有解决' });
      expect(bad.status, bad.text).to.equal(200);
      const row = (await complaintRow(ctx.db, id))!;
      expect(bad.body).to.include({ status: 'rectifying', currentStep: 'rectify', rectifyDueOn: row.current_due_on });
      expect((await post('enterprise1', `/complaints/${id}/rating`, { level: 'satisfied' })).status).to.equal(409);
      expect((await post('enterprise1', `/complaints/${id}/rating`, { level: 'great' })).status).to.equal(422);
    });
  });

  it('keeps appeals for the handling agency: a decided one shows on the decision page without a form', async () => {
    const id = await file();
    await walk(ctx.db, cast, id, [['accept', today], ['investigate', today], ['resolve', today]]);
    await rateOn(ctx.db, cast, id, today, 'dissatisfied', '慢');
    const rating = await ctx.db('complaint_ratings').where({ complaint_id: id }).first('id');
    const { appealId } = await appealRating(on(ctx.db, today), cast.officer1, id, rating.id, { reason: '按期' });
    expect((await officer1.get(`/complaints/${id}/appeals/${appealId}/decide`)).status).to.equal(403);
    expect((await auditor.get(`/complaints/${id}/appeals/${appealId + 1000}/decide`)).status).to.equal(404);
    expect((await officer1.get(`/complaints/${id}/ratings/${rating.id}/appeal`)).text).to.include('该评价已经申诉过');
  });
});
