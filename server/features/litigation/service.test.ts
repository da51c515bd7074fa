import { expect } from 'chai';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { timelineOf } from '../../audit/timeline.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { callerNamed, daysFromToday, demoUser } from '../../../test/factories.ts';
import { idOf, startTestApp, type TestContext } from '../../../test/helpers.ts';
import type { Caller } from '../../context.ts';
import { caseDetail } from './service/detail.ts';
import { recordHearing } from './service/hearings.ts';
import { recordCase, updateCase } from './service/register.ts';
import type { CaseInput, HearingInput } from './schema.ts';

/** What a refused use case answers: its status and, for a 422, the fields at fault with their messages. */
async function refusal(run: Promise<unknown>): Promise<{ status: number; fields: string[]; keys: string[] }> {
  try {
    await run;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    const fields = err instanceof ValidationError ? err.fieldErrors : [];
    return { status: err.status, fields: fields.map((f) => f.path), keys: fields.map((f) => f.key) };
  }
  throw new Error('the use case was not refused');
}

describe('litigation use cases', () => {
  let ctx: TestContext;
  let officer1: Caller;
  let officer2: Caller;
  let auditor: Caller;
  let approval: number;
  let commerce: number;
  let counter = 0;

  before(async () => {
    ctx = await startTestApp();
    officer1 = await callerNamed(ctx.db, 'officer1');
    officer2 = await callerNamed(ctx.db, 'officer2');
    auditor = await callerNamed(ctx.db, 'auditor');
    approval = officer1.user.agencyId!;
    commerce = officer2.user.agencyId!;
  });
  after(() => ctx.close());

  const caseInput = (over: Partial<CaseInput> = {}): CaseInput => ({
    agencyId: approval,
    caseNo: `（2026）鲁0202行初${++counter}号`,
    court: '青岛市市南区人民法院',
    plaintiff: '刘某某',
    plaintiffEnterpriseId: null,
    cause: '政府信息公开',
    filedOn: daysFromToday(-60),
    outcome: null,
    concludedOn: null,
    ...over,
  });
  const hearing = (over: Partial<HearingInput> = {}): HearingInput => ({ hearingOn: daysFromToday(-10), headAppeared: true, headSpoke: true, headName: '王建国', appearedInstead: null, note: null, ...over });

  describe('recording a case', () => {
    it('records a case of the officer\'s agency, audited with its number, court and plaintiff', async () => {
      const input = caseInput();
      const { id } = await recordCase(ctx, officer1, input);
      const detail = await caseDetail(ctx.db, officer1.user, id);
      expect(detail).to.include({ caseNo: input.caseNo, court: input.court, agencyId: approval, plaintiff: '刘某某', status: 'pending' });
      const [entry] = await timelineOf(ctx.db, 'litigation_case', id);
      expect(entry!.action).to.equal('litigation.case_recorded');
      expect(entry!.after).to.include({ caseNo: input.caseNo, court: input.court, plaintiff: '刘某某' });
    });

    it('takes a registered enterprise as the plaintiff, named after it unless a name is typed', async () => {
      const enterpriseId = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[1].name });
      const { id } = await recordCase(ctx, officer1, caseInput({ plaintiff: null, plaintiffEnterpriseId: enterpriseId }));
      expect(await caseDetail(ctx.db, officer1.user, id)).to.include({ plaintiff: DEMO_ENTERPRISES[1].name, plaintiffEnterpriseId: enterpriseId });
      expect(await refusal(recordCase(ctx, officer1, caseInput({ plaintiffEnterpriseId: 99_999 })))).to.deep.include({ status: 422, fields: ['plaintiffEnterpriseId'] });
    });

    it('refuses another agency (403), the auditors (403), and writes nothing', async () => {
      const foreign = caseInput({ agencyId: commerce });
      expect((await refusal(recordCase(ctx, officer1, foreign))).status).to.equal(403);
      expect((await refusal(recordCase(ctx, auditor, caseInput()))).status).to.equal(403);
      expect(await ctx.db('litigation_cases').where({ case_no: foreign.caseNo }).first()).to.equal(undefined);
    });

    it('refuses a case number the court already has, beside the number; another court may have it', async () => {
      const first = caseInput();
      await recordCase(ctx, officer1, first);
      const again = await refusal(recordCase(ctx, officer2, caseInput({ agencyId: commerce, caseNo: first.caseNo })));
      expect(again).to.deep.equal({ status: 422, fields: ['caseNo'], keys: ['litigation:errors.duplicateCaseNo'] });
      await recordCase(ctx, officer1, caseInput({ caseNo: first.caseNo, court: '青岛市中级人民法院' }));
    });

    it('refuses a filing or conclusion date later than today', async () => {
      expect((await refusal(recordCase(ctx, officer1, caseInput({ filedOn: daysFromToday(1) })))).fields).to.deep.equal(['filedOn']);
      expect((await refusal(recordCase(ctx, officer1, caseInput({ outcome: '驳回', concludedOn: daysFromToday(3) })))).fields).to.deep.equal(['concludedOn']);
    });
  });

  describe('editing a case', () => {
    it('lets the agency record the outcome, audited before and after', async () => {
      const input = caseInput();
      const { id } = await recordCase(ctx, officer1, input);
      await updateCase(ctx, officer1, id, { ...input, outcome: '判决驳回原告诉讼请求', concludedOn: daysFromToday(-1) });
      expect(await caseDetail(ctx.db, auditor.user, id)).to.include({ status: 'concluded', outcome: '判决驳回原告诉讼请求' });
      const updated = (await timelineOf(ctx.db, 'litigation_case', id)).find((e) => e.action === 'litigation.case_updated')!;
      expect(updated.before).to.include({ outcome: null });
      expect(updated.after).to.include({ outcome: '判决驳回原告诉讼请求', concludedOn: daysFromToday(-1) });
    });

    it('answers 404 to another agency\'s officer and 403 to an auditor', async () => {
      const input = caseInput();
      const { id } = await recordCase(ctx, officer1, input);
      expect((await refusal(updateCase(ctx, officer2, id, { ...input, agencyId: commerce }))).status).to.equal(404);
      expect((await refusal(updateCase(ctx, auditor, id, input))).status).to.equal(403);
      expect((await refusal(updateCase(ctx, officer1, 99_999, input))).status).to.equal(404);
    });

    it('refuses taking another case\'s number, and a filing date after a recorded hearing', async () => {
      const taken = caseInput();
      await recordCase(ctx, officer1, taken);
      const input = caseInput();
      const { id } = await recordCase(ctx, officer1, input);
      expect((await refusal(updateCase(ctx, officer1, id, { ...input, caseNo: taken.caseNo }))).fields).to.deep.equal(['caseNo']);
      await recordHearing(ctx, officer1, id, hearing({ hearingOn: daysFromToday(-30) }));
      expect(await refusal(updateCase(ctx, officer1, id, { ...input, filedOn: daysFromToday(-20) }))).to.deep.equal({ status: 422, fields: ['filedOn'], keys: ['litigation:errors.filedAfterHearing'] });
      // Saving it unchanged keeps its own number.
      await updateCase(ctx, officer1, id, input);
    });
  });

  describe('recording a hearing', () => {
    let caseId: number;
    before(async () => {
      caseId = (await recordCase(ctx, officer1, caseInput())).id;
    });

    it('records a hearing the head attended and one a deputy attended instead, each audited on the case', async () => {
      await recordHearing(ctx, officer1, caseId, hearing({ hearingOn: daysFromToday(-30) }));
      await recordHearing(ctx, officer1, caseId, hearing({ hearingOn: daysFromToday(0), headAppeared: false, headSpoke: false, headName: null, appearedInstead: '张海涛（副局长）' }));
      const detail = await caseDetail(ctx.db, auditor.user, caseId);
      expect(detail.hearings.map((h) => [h.hearingOn, h.headAppeared, h.headSpoke, h.headName, h.appearedInstead])).to.deep.equal([
        [daysFromToday(-30), true, true, '王建国', null],
        [daysFromToday(0), false, false, null, '张海涛（副局长）'],
      ]);
      const recorded = detail.timeline.filter((e) => e.action === 'litigation.hearing_recorded');
      expect(recorded.map((e) => (e.after as { headAppeared: boolean }).headAppeared)).to.deep.equal([true, false]);
    });

    it('refuses a future date, a date before filing, speaking without appearing, and the names each case needs', async () => {
      const fields = async (over: Partial<HearingInput>) => (await refusal(recordHearing(ctx, officer1, caseId, hearing(over)))).fields;
      expect(await fields({ hearingOn: daysFromToday(1) })).to.deep.equal(['hearingOn']);
      expect(await fields({ hearingOn: daysFromToday(-61) })).to.deep.equal(['hearingOn']);
      expect(await fields({ headAppeared: false, headSpoke: true, headName: null, appearedInstead: '副局长' })).to.deep.equal(['headSpoke']);
      expect(await fields({ headName: null })).to.deep.equal(['headName']);
      expect(await fields({ headAppeared: false, headSpoke: false, appearedInstead: null })).to.deep.equal(['appearedInstead']);
      expect((await caseDetail(ctx.db, officer1.user, caseId)).hearings).to.have.length(2);
    });

    it('lets only the defendant agency\'s officers add hearings (another agency 404, auditors 403)', async () => {
      expect((await refusal(recordHearing(ctx, officer2, caseId, hearing()))).status).to.equal(404);
      expect((await refusal(recordHearing(ctx, auditor, caseId, hearing()))).status).to.equal(403);
      const enterprise1 = { user: await demoUser(ctx.db, 'enterprise1'), actor: { id: null, username: 'enterprise1', ip: null } };
      expect((await refusal(recordHearing(ctx, enterprise1, caseId, hearing()))).status).to.equal(404);
    });
  });
});
