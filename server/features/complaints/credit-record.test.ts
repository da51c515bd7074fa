import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { can } from '../../auth/policy.ts';
import { checkUploads, type CheckedFile } from '../../evidence/index.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { issueToken } from '../admin/service.ts';
import { registerArrears } from '../arrears/service/register.ts';
import { insertCommitment } from '../commitments/service/register.ts';
import { pdfBytes, uploadedFile } from '../../../test/files.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { csrfFrom, signIn, startTestApp, uploadUrl, type TestContext } from '../../../test/helpers.ts';
import { admin, auditor, enterpriseX, officerA, officerB } from '../../../test/users.ts';
import { insertTestCase, insertTestFinding } from './cases-test-data.ts';
import { creditRecordEntry, performanceHints, repairEntry } from './credit-record.ts';
import { CREDIT_RECORD, COMPLAINT_STATISTICS } from './policy-credit.ts';

const today = TEST_CLOCK.today();

async function evidence(name = '履约证明.pdf'): Promise<CheckedFile[]> {
  const { files, errors } = await checkUploads([uploadedFile(name, await pdfBytes(name))], 'evidence');
  expect(errors).to.deep.equal([]);
  return files;
}

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the government credit record', () => {
  it('lets auditors read every agency and repair, and officers read their own agency only', () => {
    const own = { agencyId: 10 };
    expect(can(auditor, CREDIT_RECORD.read, own)).to.equal(true);
    expect(can(auditor, CREDIT_RECORD.repair, own)).to.equal(true);
    expect(can(officerA, CREDIT_RECORD.read, own)).to.equal(true);
    expect(can(officerA, CREDIT_RECORD.repair, own)).to.equal(false);
    expect(can(officerB, CREDIT_RECORD.read, own)).to.equal(false);
    expect(can(enterpriseX, CREDIT_RECORD.read, own)).to.equal(false);
    expect(can(admin, CREDIT_RECORD.read, own)).to.equal(false);
    expect(can(officerA, COMPLAINT_STATISTICS.read, own)).to.equal(true);
    expect(can(officerB, COMPLAINT_STATISTICS.read, own)).to.equal(false);
  });

  describe('with findings against two agencies', () => {
    let ctx: TestContext;
    let approval: number;
    let commerce: number;
    let commitmentFinding: number;
    let arrearsFinding: number;
    let milestoneId: number;
    let arrearsId: number;
    let complaintId: number;
    const tokens: Record<string, string> = {};

    before(async () => {
      ctx = await startTestApp();
      const officer1 = await demoUser(ctx.db, 'officer1');
      const officer2 = await demoUser(ctx.db, 'officer2');
      approval = officer1.agencyId!;
      commerce = officer2.agencyId!;
      const enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
      const { commitmentId, milestoneIds } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(approval, { enterpriseId, referenceNo: 'XY-2026-7', milestones: [{ description: '拨付奖励资金', dueOn: daysFromToday(-40), amountFen: 500_000 }] }));
      milestoneId = milestoneIds[0]!;
      arrearsId = (await registerArrears(ctx, callerFor(officer2), { agencyId: commerce, enterpriseId, category: 'works', principalFen: 2_000_000, acceptedOn: daysFromToday(-200), contractRef: 'SW-QK-9', description: '工程款' })).id;
      complaintId = (await insertTestCase(ctx.db, {
        agencyId: approval, enterpriseId, submittedOn: daysFromToday(-90), commitmentId,
        steps: [{ action: 'accept', on: daysFromToday(-88) }, { action: 'investigate', on: daysFromToday(-85) }, { action: 'find_default', on: daysFromToday(-30) }],
      })).id;
      commitmentFinding = await insertTestFinding(ctx.db, { agencyId: approval, complaintId, commitmentId, amountFen: 500_000, foundOn: daysFromToday(-30), finding: '拒不兑现奖励资金' });
      arrearsFinding = await insertTestFinding(ctx.db, { agencyId: commerce, arrearsId, amountFen: 2_000_000, foundOn: daysFromToday(-60), finding: '长期拖欠工程款' });
      for (const username of ['admin', 'auditor', 'officer1', 'officer2', 'enterprise1']) {
        const user = await demoUser(ctx.db, username);
        tokens[username] = (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: user.id, label: `test ${username}`, days: 1 }, ctx.config)).token;
      }
    });
    after(() => ctx.close());

    const caller = async (username: string) => callerFor(await demoUser(ctx.db, username));
    const auditCount = async () => Number((await ctx.db('audit_log').count({ n: '*' }))[0]!.n);

    describe('repair (信用修复)', () => {
      it('is an auditor’s: the agency’s officers get 403, other officers and enterprises 404, and nothing changes', async () => {
        const files = await evidence();
        const input = { repairedOn: today, note: '已拨付' };
        expect((await refusal(repairEntry(ctx, await caller('officer1'), commitmentFinding, input, files))).status).to.equal(403);
        expect((await refusal(repairEntry(ctx, await caller('officer2'), commitmentFinding, input, files))).status).to.equal(404);
        expect((await refusal(repairEntry(ctx, await caller('enterprise1'), commitmentFinding, input, files))).status).to.equal(404);
        expect((await refusal(repairEntry(ctx, await caller('auditor'), 99_999, input, files))).status).to.equal(404);
        expect((await creditRecordEntry(ctx.db, commitmentFinding))!.repairedOn).to.equal(null);
      });

      it('needs the evidence of the performance, a note, and a date between the finding and today', async () => {
        const auditorCaller = await caller('auditor');
        const errorsOf = async (input: { repairedOn: string; note: string }, files: CheckedFile[]) => {
          const err = await refusal(repairEntry(ctx, auditorCaller, commitmentFinding, input, files));
          expect(err).to.be.instanceOf(ValidationError);
          return (err as ValidationError).fieldErrors.map((e) => `${e.path}:${e.key}`);
        };
        expect(await errorsOf({ repairedOn: today, note: '已拨付' }, [])).to.deep.equal(['evidence:complaints:credit.errors.evidenceRequired']);
        expect(await errorsOf({ repairedOn: daysFromToday(-31), note: '已拨付' }, await evidence())).to.deep.equal(['repairedOn:complaints:credit.errors.beforeFinding']);
        expect(await errorsOf({ repairedOn: daysFromToday(1), note: '已拨付' }, await evidence())).to.deep.equal(['repairedOn:complaints:credit.errors.futureDate']);
        expect(await errorsOf({ repairedOn: '2026-02-30', note: ' ' }, [])).to.deep.equal(['repairedOn:validation.date', 'note:validation.required', 'evidence:complaints:credit.errors.evidenceRequired']);
        expect((await creditRecordEntry(ctx.db, commitmentFinding))!.repairedOn).to.equal(null);
      });

      it('hints that the agency appears to have performed once the linked milestone is fulfilled, and leaves the decision to the auditor', async () => {
        expect(await performanceHints(ctx.db, (await creditRecordEntry(ctx.db, commitmentFinding))!)).to.deep.equal([]);
        await ctx.db('milestones').where({ id: milestoneId }).update({ status: 'fulfilled', completed_on: daysFromToday(-5) });
        expect(await performanceHints(ctx.db, (await creditRecordEntry(ctx.db, commitmentFinding))!)).to.deep.equal([{ kind: 'milestone', description: '拨付奖励资金', on: daysFromToday(-5) }]);
        const agent = await signIn(ctx.app, 'auditor');
        const page = await agent.get(`/complaints/credit-record/${commitmentFinding}/repair`);
        expect(page.status).to.equal(200);
        expect(page.text).to.include('该单位似已履行').and.include('拨付奖励资金');
        // Still unrepaired: the hint changes nothing by itself.
        expect((await creditRecordEntry(ctx.db, commitmentFinding))!.repairedOn).to.equal(null);
      });

      it('marks the entry repaired with its evidence, audited, once: a second repair answers 409 and changes nothing', async () => {
        const auditorCaller = await caller('auditor');
        await repairEntry(ctx, auditorCaller, commitmentFinding, { repairedOn: daysFromToday(-5), note: '奖励资金已全额拨付' }, await evidence('拨付凭证.pdf'));
        const entry = (await creditRecordEntry(ctx.db, commitmentFinding))!;
        expect(entry).to.include({ repairedOn: daysFromToday(-5), repairNote: '奖励资金已全额拨付' });
        expect(entry.repairedBy).to.be.a('string');
        expect(entry.repairFiles.map((f) => f.originalName)).to.deep.equal(['拨付凭证.pdf']);
        const audit = await ctx.db('audit_log').where({ entity_type: 'credit_record_entry', entity_id: String(commitmentFinding) }).orderBy('id').select('action', 'after_json');
        expect(audit.map((a) => a.action)).to.deep.equal(['credit_record.repaired', 'credit_record_entry.evidence_attached']);
        expect(JSON.parse(audit[0]!.after_json)).to.include({ repairedOn: daysFromToday(-5), repairNote: '奖励资金已全额拨付' });
        expect(await performanceHints(ctx.db, entry)).to.deep.equal([]);

        const before = await auditCount();
        const again = await refusal(repairEntry(ctx, auditorCaller, commitmentFinding, { repairedOn: today, note: '再次修复' }, await evidence()));
        expect(again.status).to.equal(409);
        expect((await creditRecordEntry(ctx.db, commitmentFinding))!.repairNote).to.equal('奖励资金已全额拨付');
        expect(await auditCount()).to.equal(before);
      });

      it('hints at cleared arrears too', async () => {
        await ctx.db('arrears').where({ id: arrearsId }).update({ status: 'cleared', cleared_on: daysFromToday(-2) });
        expect(await performanceHints(ctx.db, (await creditRecordEntry(ctx.db, arrearsFinding))!)).to.deep.equal([{ kind: 'arrears', ref: 'SW-QK-9', on: daysFromToday(-2) }]);
        await ctx.db('arrears').where({ id: arrearsId }).update({ status: 'outstanding', cleared_on: null });
      });
    });

    describe('pages', () => {
      it('lists every finding for auditors, filtered by agency, repair and year; other roles get 403', async () => {
        const agent = await signIn(ctx.app, 'auditor');
        const all = await agent.get('/complaints/credit-record');
        expect(all.status).to.equal(200);
        expect(all.text).to.include('拒不兑现奖励资金').and.include('长期拖欠工程款');
        expect(all.text).to.include(`href="/complaints/${complaintId}"`).and.include(`href="/arrears/${arrearsId}"`).and.include(`href="/agencies/${commerce}/integrity"`);
        const open = await agent.get('/complaints/credit-record?repaired=no');
        expect(open.text).to.include('长期拖欠工程款').and.not.include('拒不兑现奖励资金');
        const repaired = await agent.get('/complaints/credit-record?repaired=yes');
        expect(repaired.text).to.include('拒不兑现奖励资金').and.not.include('长期拖欠工程款');
        const byAgency = await agent.get(`/complaints/credit-record?agencyId=${commerce}`);
        expect(byAgency.text).to.include('长期拖欠工程款').and.not.include('拒不兑现奖励资金');
        const otherYear = await agent.get(`/complaints/credit-record?year=${Number(today.slice(0, 4)) - 5}`);
        expect(otherYear.text).to.not.include('长期拖欠工程款');
        expect((await agent.get('/complaints/credit-record?year=abc')).status).to.equal(422);
        for (const username of ['officer1', 'enterprise1', 'admin']) expect((await (await signIn(ctx.app, username)).get('/complaints/credit-record')).status, username).to.equal(403);
      });

      it('shows an agency’s integrity page to auditors and to its own officers (unrepaired first), 404 to other officers and 403 to enterprises', async () => {
        await insertTestFinding(ctx.db, { agencyId: approval, foundOn: daysFromToday(-100), finding: '早年未兑现的招商承诺' });
        const officer1 = await signIn(ctx.app, 'officer1');
        const own = await officer1.get(`/agencies/${approval}/integrity`);
        expect(own.status).to.equal(200);
        expect(own.text.indexOf('早年未兑现的招商承诺')).to.be.above(0).and.below(own.text.indexOf('拒不兑现奖励资金'));
        expect(own.text).to.include('拨付凭证.pdf').and.not.include('/repair"');
        expect(own.text).to.include('投诉办理情况');
        expect((await officer1.get(`/agencies/${commerce}/integrity`)).status).to.equal(404);
        expect((await officer1.get('/agencies/99999/integrity')).status).to.equal(404);
        expect((await officer1.get('/agencies/abc/integrity')).status).to.equal(404);
        expect((await (await signIn(ctx.app, 'enterprise1')).get(`/agencies/${approval}/integrity`)).status).to.equal(403);
        const auditorAgent = await signIn(ctx.app, 'auditor');
        const other = await auditorAgent.get(`/agencies/${commerce}/integrity`);
        expect(other.status).to.equal(200);
        expect(other.text).to.include('长期拖欠工程款').and.include(`/complaints/credit-record/${arrearsFinding}/repair`);
      });

      it('repairs through the form: a missing file is shown at the field, a good post redirects, a second is refused at the form', async () => {
        const agent = await signIn(ctx.app, 'auditor');
        const formUrl = `/complaints/credit-record/${arrearsFinding}/repair`;
        expect((await (await signIn(ctx.app, 'officer2')).get(formUrl)).status).to.equal(403);
        let token = await csrfFrom(agent, formUrl);
        const missing = await agent.post(uploadUrl(formUrl, token)).field('repairedOn', today).field('note', '已结清');
        expect(missing.status).to.equal(422);
        expect(missing.text).to.include('请上传至少一份履行证明材料');
        token = await csrfFrom(agent, formUrl);
        const done = await agent.post(uploadUrl(formUrl, token)).field('repairedOn', today).field('note', '工程款已结清').attach('evidence', await pdfBytes('付款回单'), { filename: '付款回单.pdf', contentType: 'application/pdf' });
        expect(done.status).to.equal(303);
        expect(done.headers.location).to.equal(`/complaints/credit-record#entry-${arrearsFinding}`);
        expect((await creditRecordEntry(ctx.db, arrearsFinding))!.repairedOn).to.equal(today);
        token = await csrfFrom(agent, `/agencies/${commerce}/integrity`);
        const again = await agent.post(uploadUrl(formUrl, token)).field('repairedOn', today).field('note', '再次').attach('evidence', await pdfBytes('x'), { filename: 'x.pdf', contentType: 'application/pdf' });
        expect(again.status).to.equal(422);
        expect(again.text).to.include('不能再次修复');
      });
      it('names the repair in the audit log in words, linked to the agency’s integrity page', async () => {
        const page = await (await signIn(ctx.app, 'auditor')).get('/audit?action=credit_record.repaired');
        expect(page.status).to.equal(200);
        expect(page.text).to.include('信用修复').and.include(`/agencies/${approval}/integrity#entry-${commitmentFinding}`).and.include('奖励资金已全额拨付');
      });
    });

    describe('GET /api/v1/agencies/:id/credit-record', () => {
      const get = (username: string | null, path: string) => {
        const req = request(ctx.app).get(`/api/v1${path}`);
        return username ? req.set('Authorization', `Bearer ${tokens[username]}`) : req;
      };

      it('answers the agency’s entries in camelCase, fen and dates, unrepaired first', async () => {
        const res = await get('auditor', `/agencies/${approval}/credit-record`);
        expect(res.status).to.equal(200);
        expect(res.body.agencyId).to.equal(approval);
        expect(res.body.items.map((e: { finding: string }) => e.finding)).to.deep.equal(['早年未兑现的招商承诺', '拒不兑现奖励资金']);
        const repaired = res.body.items[1];
        expect(repaired).to.deep.include({ id: commitmentFinding, agencyId: approval, complaintId, amountFen: 500_000, foundOn: daysFromToday(-30), repaired: true, repairedOn: daysFromToday(-5), repairNote: '奖励资金已全额拨付', arrearsId: null });
        expect(repaired.repairFiles).to.have.length(1);
        expect(repaired.repairFiles[0]).to.include({ name: '拨付凭证.pdf', mime: 'application/pdf' });
        expect(res.body.items[0]).to.include({ repaired: false, repairedOn: null });
      });

      it('scopes as the pages do: officers their own agency (404 otherwise), 403 for enterprises and admins, 401 without a token', async () => {
        expect((await get('officer1', `/agencies/${approval}/credit-record`)).status).to.equal(200);
        const other = await get('officer1', `/agencies/${commerce}/credit-record`);
        expect(other.status).to.equal(404);
        expect(other.body.error.code).to.equal('not_found');
        expect((await get('auditor', '/agencies/99999/credit-record')).status).to.equal(404);
        expect((await get('auditor', '/agencies/x/credit-record')).status).to.equal(404);
        expect((await get('enterprise1', `/agencies/${approval}/credit-record`)).status).to.equal(403);
        expect((await get('admin', `/agencies/${approval}/credit-record`)).status).to.equal(403);
        expect((await get(null, `/agencies/${approval}/credit-record`)).status).to.equal(401);
      });
    });
  });
});
