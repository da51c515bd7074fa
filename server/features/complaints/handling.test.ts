import { expect } from 'chai';
import type { Knex } from 'knex';
import { addWorkingDays, buildWorkingCalendar } from '../../domain/calendar.ts';
import { HttpError, ValidationError } from '../../http/errors.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { fileOn, handlingCast, officerOf, on, rateOn, walk, type HandlingCast } from '../../../test/complaints-handling.ts';
import { complaintRow } from './repository.ts';
import { COMPLAINT_ACTIONS, type ComplaintAction, type ComplaintStatus } from './rules.ts';
import { appealRating, decideAppeal } from './service/appeals.ts';
import { discloseName } from './service/disclosure.ts';
import { takeStep } from './service/transitions.ts';

/** Rejects with an HttpError of this status; answers it. */
async function refused(promise: Promise<unknown>, status: number): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(HttpError);
    expect((err as HttpError).status, (err as HttpError).key).to.equal(status);
    return err as HttpError;
  }
  throw new Error(`expected a ${status}, but it went through`);
}

/** Everything a refused step must leave as it was: the case row, its steps, ratings, the credit record and the audit log. */
async function snapshot(db: Knex, id: number) {
  const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
  return {
    row: await complaintRow(db, id),
    steps: await db('complaint_steps').where({ complaint_id: id }).orderBy('id'),
    ratings: await count('complaint_ratings'),
    credit: await count('credit_record_entries'),
    audit: await count('audit_log'),
  };
}

const cal = buildWorkingCalendar({ fromYear: 2026, toYear: 2027 });
const due = (from: string, days: number) => addWorkingDays(from, days, cal).dueOn;

describe('complaint handling', () => {
  let ctx: TestContext;
  let cast: HandlingCast;

  before(async () => {
    ctx = await startTestApp();
    cast = await handlingCast(ctx.db);
  });
  after(() => ctx.close());

  /** A case walked to the state, filed on 2 March 2026. */
  async function caseIn(status: ComplaintStatus): Promise<number> {
    const id = await fileOn(ctx.db, '2026-03-02', cast);
    const paths: Record<ComplaintStatus, Array<[ComplaintAction, string]>> = {
      submitted: [],
      accepted: [['accept', '2026-03-03']],
      rejected: [['reject', '2026-03-03']],
      investigating: [['accept', '2026-03-03'], ['investigate', '2026-03-04']],
      rectifying: [['accept', '2026-03-03'], ['investigate', '2026-03-04'], ['rectify', '2026-03-05']],
      resolved: [['accept', '2026-03-03'], ['investigate', '2026-03-04'], ['resolve', '2026-03-06']],
      closed: [['accept', '2026-03-03'], ['investigate', '2026-03-04'], ['resolve', '2026-03-06']],
      default_found: [['accept', '2026-03-03'], ['investigate', '2026-03-04'], ['find_default', '2026-03-09']],
    };
    await walk(ctx.db, cast, id, paths[status]);
    if (status === 'closed') await rateOn(ctx.db, cast, id, '2026-03-10', 'satisfied');
    return id;
  }

  describe('steps', () => {
    it('accept, investigate, rectify and resolve in turn, each a step on the timeline with its stored deadline and audit entry', async () => {
      const id = await fileOn(ctx.db, '2026-03-02', cast);
      expect(await complaintRow(ctx.db, id)).to.include({ status: 'submitted', current_step: 'accept', current_due_on: due('2026-03-02', 10) });
      await walk(ctx.db, cast, id, [['accept', '2026-03-03']]);
      expect(await complaintRow(ctx.db, id)).to.include({ status: 'accepted', accepted_on: '2026-03-03', current_step: 'resolve', current_due_on: due('2026-03-03', 30) });
      await walk(ctx.db, cast, id, [['investigate', '2026-03-05'], ['rectify', '2026-03-09'], ['resolve', '2026-03-20']]);
      const row = (await complaintRow(ctx.db, id))!;
      expect(row).to.include({ status: 'resolved', resolved_on: '2026-03-20', current_step: 'rate', current_due_on: due('2026-03-20', 15) });
      const steps = await ctx.db('complaint_steps').where({ complaint_id: id }).orderBy('id').select('action', 'from_status', 'to_status', 'step_on', 'actor_id');
      expect(steps.map((s) => [s.action, s.from_status, s.to_status, s.step_on])).to.deep.equal([
        ['submit', null, 'submitted', '2026-03-02'],
        ['accept', 'submitted', 'accepted', '2026-03-03'],
        ['investigate', 'accepted', 'investigating', '2026-03-05'],
        ['rectify', 'investigating', 'rectifying', '2026-03-09'],
        ['resolve', 'rectifying', 'resolved', '2026-03-20'],
      ]);
      expect(steps.slice(1).every((s) => Number(s.actor_id) === cast.officer1.user.id)).to.equal(true);
      const audit = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id) }).orderBy('id').pluck('action');
      expect(audit).to.deep.equal(['complaint.submitted', 'complaint.accept', 'complaint.investigate', 'complaint.rectify', 'complaint.resolve']);
    });

    it('refuses every step its state does not allow with 409, changing nothing', async () => {
      const allowed: Record<ComplaintAction, ComplaintStatus[]> = {
        accept: ['submitted'],
        reject: ['submitted'],
        investigate: ['accepted'],
        rectify: ['investigating'],
        resolve: ['investigating', 'rectifying'],
        follow_up: [],
        forward: ['submitted', 'accepted', 'investigating', 'rectifying', 'resolved'],
        find_default: ['investigating', 'rectifying'],
      };
      const statuses: ComplaintStatus[] = ['submitted', 'accepted', 'rejected', 'investigating', 'rectifying', 'resolved', 'closed', 'default_found'];
      let refusals = 0;
      for (const status of statuses) {
        const id = await caseIn(status);
        for (const action of COMPLAINT_ACTIONS) {
          if (allowed[action].includes(status)) continue;
          const by = action === 'forward' || action === 'find_default' ? cast.auditor : cast.officer1;
          const before = await snapshot(ctx.db, id);
          const err = await refused(takeStep(on(ctx.db, '2026-03-11'), by, id, { action, note: '说明' }), 409);
          expect(err.key, `${action} from ${status}`).to.equal(action === 'follow_up' && status === 'resolved' ? 'complaints:handling.errors.followUpNotDue' : 'complaints:handling.errors.notAllowedFromState');
          expect(await snapshot(ctx.db, id), `${action} from ${status}`).to.deep.equal(before);
          refusals++;
        }
      }
      const allowedPairs = Object.values(allowed).reduce((n, from) => n + from.length, 0);
      expect(refusals).to.equal(statuses.length * COMPLAINT_ACTIONS.length - allowedPairs);
    });

    it('takes the agency’s steps from its officers only and the auditor’s from auditors only (403), and hides other agencies’ cases (404)', async () => {
      const id = await caseIn('investigating');
      const before = await snapshot(ctx.db, id);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.auditor, id, { action: 'resolve', note: '结果' }), 403);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.officer1, id, { action: 'find_default', note: '认定' }), 403);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.officer1, id, { action: 'forward', note: '转办' }), 403);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.enterprise1, id, { action: 'resolve', note: '结果' }), 403);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.officer2, id, { action: 'resolve', note: '结果' }), 404);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.admin, id, { action: 'resolve', note: '结果' }), 404);
      await refused(takeStep(on(ctx.db, '2026-03-11'), cast.officer1, 999_999, { action: 'resolve', note: '结果' }), 404);
      expect(await snapshot(ctx.db, id)).to.deep.equal(before);
    });

    it('needs a note to reject, resolve, record a visit, forward and find a default (422 naming the note)', async () => {
      const cases: Array<[ComplaintStatus, ComplaintAction]> = [['submitted', 'reject'], ['investigating', 'resolve'], ['investigating', 'find_default'], ['submitted', 'forward']];
      for (const [status, action] of cases) {
        const id = await caseIn(status);
        const before = await snapshot(ctx.db, id);
        const by = action === 'forward' || action === 'find_default' ? cast.auditor : cast.officer1;
        const err = await refused(takeStep(on(ctx.db, '2026-03-11'), by, id, { action, note: '   ' }), 422);
        expect((err as ValidationError).fieldErrors, action).to.deep.equal([{ path: 'note', key: 'validation.required', params: {} }]);
        expect(await snapshot(ctx.db, id)).to.deep.equal(before);
      }
      const rectified = await caseIn('resolved');
      await rateOn(ctx.db, cast, rectified, '2026-03-10', 'dissatisfied', '没解决');
      await walk(ctx.db, cast, rectified, [['resolve', '2026-03-12']]);
      const visit = await refused(takeStep(on(ctx.db, '2026-03-13'), cast.officer1, rectified, { action: 'follow_up', note: '' }), 422);
      expect((visit as ValidationError).fieldErrors[0]).to.include({ path: 'note' });
      // accepting needs none
      const id = await caseIn('submitted');
      await takeStep(on(ctx.db, '2026-03-11'), cast.officer1, id, { action: 'accept', note: null });
      expect((await complaintRow(ctx.db, id))!.status).to.equal('accepted');
    });
  });

  describe('forwarding', () => {
    it('forwards a case to the agency’s superior, whose officers then read it and act on it; once', async () => {
      const street = await ctx.db('agencies').where({ code: 'QD-SN-ZS' }).first('id', 'parent_id');
      const districtOfficer = await officerOf(ctx.db, 'QD-SN-GOV', 'shinan-officer');
      const cityOfficer = await officerOf(ctx.db, 'QD-GOV', 'city-officer');
      const id = await fileOn(ctx.db, '2026-03-02', cast, { agencyId: street.id });
      await refused(takeStep(on(ctx.db, '2026-03-03'), districtOfficer, id, { action: 'accept' }), 404);
      const row = await takeStep(on(ctx.db, '2026-03-20'), cast.auditor, id, { action: 'forward', note: '街道逾期未受理，转区政府督办。' });
      expect(row).to.include({ status: 'submitted', forwarded_to_agency_id: street.parent_id });
      const step = await ctx.db('complaint_steps').where({ complaint_id: id, action: 'forward' }).first();
      expect(step).to.include({ from_status: 'submitted', to_status: 'submitted' });
      const entry = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id), action: 'complaint.forward' }).first();
      expect(JSON.parse(entry.after_json)).to.include({ forwardedTo: '市南区人民政府' });
      // The superior's officers act; the superior's superior is not involved.
      await refused(takeStep(on(ctx.db, '2026-03-21'), cityOfficer, id, { action: 'accept' }), 404);
      await takeStep(on(ctx.db, '2026-03-23'), districtOfficer, id, { action: 'accept' });
      expect((await complaintRow(ctx.db, id))!.status).to.equal('accepted');
      const again = await refused(takeStep(on(ctx.db, '2026-03-24'), cast.auditor, id, { action: 'forward', note: '再次转办' }), 409);
      expect(again.key).to.equal('complaints:handling.errors.alreadyForwarded');
    });

    it('answers 422 when the agency has no superior, changing nothing', async () => {
      const id = await caseIn('submitted'); // against 青岛市行政审批服务局, which has no parent
      const before = await snapshot(ctx.db, id);
      const err = await refused(takeStep(on(ctx.db, '2026-03-11'), cast.auditor, id, { action: 'forward', note: '转办' }), 422);
      expect((err as ValidationError).fieldErrors[0]).to.include({ path: 'action', key: 'complaints:handling.errors.noSuperior' });
      expect(await snapshot(ctx.db, id)).to.deep.equal(before);
    });
  });

  describe('finding of default', () => {
    it('closes the case and enters the finding in the agency’s credit record, audited', async () => {
      const id = await caseIn('rectifying');
      const row = await takeStep(on(ctx.db, '2026-03-16'), cast.auditor, id, { action: 'find_default', note: '经督促仍拒不支付，认定违约失信。' });
      expect(row).to.include({ status: 'default_found', closed_on: '2026-03-16', close_kind: 'default_found', current_step: null });
      const entry = await ctx.db('credit_record_entries').where({ complaint_id: id }).first();
      expect(entry).to.include({ agency_id: cast.approvalId, found_on: '2026-03-16', finding: '经督促仍拒不支付，认定违约失信。', found_by: cast.auditor.user.id, repaired_on: null });
      expect(Number(entry.amount_fen)).to.equal(1_200_000);
      const audit = await ctx.db('audit_log').where({ action: 'credit_record.created', entity_id: String(entry.id) }).first();
      expect(audit).to.include({ entity_type: 'credit_record_entry', actor_id: cast.auditor.user.id });
    });
  });

  describe('rating', () => {
    it('reopens the case as rectifying on a bad review with the rectification deadline; after the rectification and the visit the complainant rates again', async () => {
      const id = await caseIn('resolved');
      const bad = await rateOn(ctx.db, cast, id, '2026-03-10', 'dissatisfied', '问题没有解决');
      expect(bad).to.include({ status: 'rectifying', bad_review_on: '2026-03-10', current_step: 'rectify', current_due_on: due('2026-03-10', 15) });
      // Not before the rectification, nor before the visit.
      await refused(rateOn(ctx.db, cast, id, '2026-03-11', 'satisfied'), 409);
      await walk(ctx.db, cast, id, [['resolve', '2026-03-20']]);
      expect(await complaintRow(ctx.db, id)).to.include({ status: 'resolved', rectified_on: '2026-03-20', current_step: 'follow_up', current_due_on: due('2026-03-20', 5) });
      const early = await refused(rateOn(ctx.db, cast, id, '2026-03-21', 'satisfied'), 409);
      expect(early.key).to.equal('complaints:handling.errors.visitPending');
      await walk(ctx.db, cast, id, [['follow_up', '2026-03-23']]);
      await refused(takeStep(on(ctx.db, '2026-03-24'), cast.officer1, id, { action: 'follow_up', note: '再次回访' }), 409);
      const good = await rateOn(ctx.db, cast, id, '2026-03-24', 'very_satisfied');
      expect(good).to.include({ status: 'closed', close_kind: 'rated', closed_on: '2026-03-24', current_step: null });
      const ratings = await ctx.db('complaint_ratings').where({ complaint_id: id }).orderBy('round').select('round', 'level', 'rated_on');
      expect(ratings).to.deep.equal([{ round: 1, level: 'dissatisfied', rated_on: '2026-03-10' }, { round: 2, level: 'very_satisfied', rated_on: '2026-03-24' }]);
      const audit = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id), action: 'complaint.rated' }).orderBy('id');
      expect(audit.map((a) => JSON.parse(a.after_json))).to.deep.equal([
        { ratingRound: 1, ratingLevel: 'dissatisfied', ratingComment: '问题没有解决', caseStatus: 'rectifying' },
        { ratingRound: 2, ratingLevel: 'very_satisfied', ratingComment: '评价意见', caseStatus: 'closed' },
      ]);
    });

    it('is the complainant’s alone, on a resolved case, and a bad review says why', async () => {
      const id = await caseIn('resolved');
      await refused(rateOn(ctx.db, { ...cast, enterprise1: cast.officer1 }, id, '2026-03-10', 'satisfied'), 403);
      await refused(rateOn(ctx.db, { ...cast, enterprise1: cast.auditor }, id, '2026-03-10', 'satisfied'), 403);
      const open = await caseIn('investigating');
      expect((await refused(rateOn(ctx.db, cast, open, '2026-03-10', 'satisfied'), 409)).key).to.equal('complaints:handling.errors.notRateable');
      const err = await refused(rateOn(ctx.db, cast, id, '2026-03-10', 'very_dissatisfied', ' '), 422);
      expect((err as ValidationError).fieldErrors[0]).to.include({ path: 'comment' });
      expect((await complaintRow(ctx.db, id))!.status).to.equal('resolved');
    });
  });

  describe('appeals', () => {
    it('lets the agency appeal a bad review once; an auditor voiding it marks it voided and leaves the case where it is', async () => {
      const id = await caseIn('resolved');
      await rateOn(ctx.db, cast, id, '2026-03-10', 'very_dissatisfied', '恶意差评');
      const rating = await ctx.db('complaint_ratings').where({ complaint_id: id }).first('id');
      await refused(appealRating(on(ctx.db, '2026-03-11'), cast.officer2, id, rating.id, { reason: '不是我们的' }), 404);
      await refused(appealRating(on(ctx.db, '2026-03-11'), cast.enterprise1, id, rating.id, { reason: '撤回' }), 403);
      const { appealId } = await appealRating(on(ctx.db, '2026-03-11'), cast.officer1, id, rating.id, { reason: '款项已于评价前付清，有银行回单。' });
      expect((await refused(appealRating(on(ctx.db, '2026-03-12'), cast.officer1, id, rating.id, { reason: '再申诉' }), 409)).key).to.equal('complaints:appeals.errors.alreadyAppealed');
      await refused(decideAppeal(on(ctx.db, '2026-03-12'), cast.officer1, id, appealId, { decision: 'voided', note: '自己裁定' }), 403);
      await decideAppeal(on(ctx.db, '2026-03-13'), cast.auditor, id, appealId, { decision: 'voided', note: '银行回单显示评价前已付清，差评与事实不符。' });
      expect(await ctx.db('complaint_ratings').where({ id: rating.id }).first()).to.include({ level: 'very_dissatisfied' });
      expect(Boolean((await ctx.db('complaint_ratings').where({ id: rating.id }).first()).voided)).to.equal(true);
      expect(await ctx.db('complaint_appeals').where({ id: appealId }).first()).to.include({ decision: 'voided', decided_by: cast.auditor.user.id });
      // The case stays where the bad review took it.
      expect((await complaintRow(ctx.db, id))!.status).to.equal('rectifying');
      expect((await refused(decideAppeal(on(ctx.db, '2026-03-14'), cast.auditor, id, appealId, { decision: 'upheld', note: '改判' }), 409)).key).to.equal('complaints:appeals.errors.alreadyDecided');
      const audit = await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id) }).whereIn('action', ['complaint.appealed', 'complaint.appeal_decided']).orderBy('id').pluck('action');
      expect(audit).to.deep.equal(['complaint.appealed', 'complaint.appeal_decided']);
    });

    it('keeps an upheld review counting, and refuses appeals of good reviews', async () => {
      const id = await caseIn('resolved');
      await rateOn(ctx.db, cast, id, '2026-03-10', 'dissatisfied', '慢');
      const bad = await ctx.db('complaint_ratings').where({ complaint_id: id }).first('id');
      const { appealId } = await appealRating(on(ctx.db, '2026-03-11'), cast.officer1, id, bad.id, { reason: '按期办理' });
      await decideAppeal(on(ctx.db, '2026-03-12'), cast.auditor, id, appealId, { decision: 'upheld', note: '办理确有拖延。' });
      expect(Boolean((await ctx.db('complaint_ratings').where({ id: bad.id }).first()).voided)).to.equal(false);
      const closed = await caseIn('closed');
      const good = await ctx.db('complaint_ratings').where({ complaint_id: closed }).first('id');
      expect((await refused(appealRating(on(ctx.db, '2026-03-11'), cast.officer1, closed, good.id, { reason: '好评也申诉' }), 409)).key).to.equal('complaints:appeals.errors.notAppealable');
    });
  });

  describe('name disclosure', () => {
    it('lets an auditor disclose a withheld name once, with the reason, while the case is handled', async () => {
      const id = await fileOn(ctx.db, '2026-03-02', cast, { withholdName: true });
      await refused(discloseName(on(ctx.db, '2026-03-03'), cast.officer1, id, { reason: '想知道' }), 403);
      await discloseName(on(ctx.db, '2026-03-03'), cast.auditor, id, { reason: '不核对签约企业无法调取合同原件。' });
      const row = await ctx.db('complaints').where({ id }).first();
      expect(row).to.include({ name_disclosed_reason: '不核对签约企业无法调取合同原件。', name_disclosed_by: cast.auditor.user.id });
      expect(row.name_disclosed_at).to.not.equal(null);
      expect((await refused(discloseName(on(ctx.db, '2026-03-04'), cast.auditor, id, { reason: '再披露' }), 409)).key).to.equal('complaints:handling.errors.nameAlreadyDisclosed');
      expect(await ctx.db('audit_log').where({ entity_type: 'complaint', entity_id: String(id), action: 'complaint.name_disclosed' }).first()).to.not.equal(undefined);
      const open = await caseIn('submitted');
      expect((await refused(discloseName(on(ctx.db, '2026-03-04'), cast.auditor, open, { reason: '无' }), 409)).key).to.equal('complaints:handling.errors.nameNotWithheld');
    });
  });
});
