import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../../server/audit/chain.ts';
import type { Caller } from '../../server/context.ts';
import { systemClock, type Clock } from '../../server/domain/clock.ts';
import { addDays } from '../../server/domain/dates.ts';
import { clockOn } from '../../server/features/complaints/cases-test-data.ts';
import { autoCloseDueCases } from '../../server/features/complaints/auto-close-job.ts';
import type { ComplaintAction, ComplaintCategory, RatingLevel } from '../../server/features/complaints/rules.ts';
import { appealRating, decideAppeal } from '../../server/features/complaints/service/appeals.ts';
import { discloseName } from '../../server/features/complaints/service/disclosure.ts';
import { enterComplaint, fileComplaint } from '../../server/features/complaints/service/file.ts';
import { rateCase } from '../../server/features/complaints/service/rating.ts';
import { takeStep } from '../../server/features/complaints/service/transitions.ts';
import { demoUser } from './commitments.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

type AgencyKey = (typeof DEMO_AGENCIES)[number]['key'];

/** Ten thousand yuan (万元) in fen. */
const wan = (n: number) => Math.round(n * 10_000 * 100);

/** What happens to a demo case after it is filed; `on` counts days from today (negative: past). */
type DemoEvent =
  | { step: ComplaintAction; on: number; note?: string }
  | { rate: RatingLevel; on: number; comment?: string }
  | { appeal: number; on: number; reason: string } // the nth rating of the case
  | { decide: number; on: number; decision: 'upheld' | 'voided'; note: string } // the appeal of the nth rating
  | { disclose: string; on: number }
  | { sweep: true; on: number }; // the auto-close sweep runs on that day

interface DemoCase {
  agency: AgencyKey;
  /** Index into DEMO_ENTERPRISES (0 is enterprise1's company: the only demo enterprise with an account, so every rated case is its). */
  enterprise: number;
  category: ComplaintCategory;
  filed: number;
  statement: string;
  amount?: number;
  withholdName?: boolean;
  /** Links the case to the enterprise's arrears with this contract reference. */
  arrearsRef?: string;
  events?: DemoEvent[];
}

const DEMO_CASES: DemoCase[] = [
  // Closed unrated: resolved long ago and nobody rated it in the window; the sweep of that time closed it.
  {
    agency: 'approval', enterprise: 1, category: 'contract_breached', filed: -110, amount: wan(8),
    statement: '电子证照系统运维合同约定的年度服务评价早已完成，但合同约定的续签承诺未兑现，也未书面说明原因。',
    events: [{ step: 'accept', on: -108 }, { step: 'investigate', on: -105, note: '调取合同及续签审批材料。' }, { step: 'resolve', on: -75, note: '经核实，续签因预算调整延后，已书面向企业说明并约定下一年度优先续签。' }, { sweep: true, on: -30 }],
  },
  // Submitted, within its acceptance deadline.
  {
    agency: 'approval', enterprise: 0, category: 'policy_not_honoured', filed: -2, amount: wan(5),
    statement: '2025 年度“专精特新”企业奖励资金 5 万元已公示，但至今未拨付。',
  },
  // Submitted and past its acceptance deadline (10 working days).
  {
    agency: 'commerce', enterprise: 1, category: 'policy_not_honoured', filed: -30, amount: wan(12),
    statement: '跨境电商扶持政策承诺的仓储补贴 12 万元，申报材料提交后半年无答复。',
  },
  // Accepted.
  {
    agency: 'approval', enterprise: 2, category: 'contract_breached', filed: -20, amount: wan(46),
    statement: '政务服务大厅改造工程变更签证已确认，但变更部分价款迟迟不予结算。',
    events: [{ step: 'accept', on: -16, note: '已登记，转工程科核查变更签证。' }],
  },
  // Rejected, with the reason.
  {
    agency: 'commerce', enterprise: 3, category: 'other', filed: -40,
    statement: '要求商务局协调解决与合作方之间的货款纠纷。',
    events: [{ step: 'reject', on: -36, note: '该事项属企业之间的民事合同纠纷，不属于政务失信投诉受理范围，建议通过诉讼或仲裁解决。' }],
  },
  // Under investigation; the complainant asked for its name to be withheld and an auditor disclosed it.
  {
    agency: 'approval', enterprise: 0, category: 'legacy_ignored', filed: -25, amount: wan(30), withholdName: true,
    statement: '前任领导任内签订的智慧政务平台二期合作协议，新任负责人以“不了解情况”为由不予履行。',
    events: [
      { step: 'accept', on: -22 },
      { step: 'investigate', on: -20, note: '调阅协议原件及会议纪要。' },
      { disclose: '协议为企业与审批局双方签订，不核对签约企业无法调取协议原件，经审计人员同意披露企业名称。', on: -18 },
    ],
  },
  // Rectifying, before any review: the agency put it right after the investigation.
  {
    agency: 'commerce', enterprise: 4, category: 'policy_not_honoured', filed: -35, amount: wan(80),
    statement: '外资企业增资奖励已通过审核，兑现时被要求补充与原政策无关的材料。',
    events: [{ step: 'accept', on: -33 }, { step: 'investigate', on: -30 }, { step: 'rectify', on: -12, note: '经核实额外要求补充的材料没有政策依据，已责令业务处室按原政策兑现。' }],
  },
  // Resolved, waiting for enterprise1's rating.
  {
    agency: 'approval', enterprise: 0, category: 'contract_breached', filed: -30, amount: wan(3.6),
    statement: '自助终端维保合同约定的季度巡检已连续两个季度未安排。',
    events: [{ step: 'accept', on: -28 }, { step: 'investigate', on: -25 }, { step: 'resolve', on: -3, note: '已补做两个季度巡检并调整维保排期，巡检记录附后。' }],
  },
  // Closed on a good rating.
  {
    agency: 'commerce', enterprise: 0, category: 'arrears_unpaid', filed: -80, amount: wan(15),
    statement: '外贸稳增长出口增量奖励已确认，迟迟未拨付。',
    events: [{ step: 'accept', on: -78 }, { step: 'investigate', on: -75 }, { step: 'resolve', on: -60, note: '奖励资金已拨付到账。' }, { rate: 'satisfied', on: -58, comment: '已到账，办理及时。' }],
  },
  // A bad review under rectification, its deadline counting.
  {
    agency: 'approval', enterprise: 0, category: 'arrears_unpaid', filed: -50, amount: wan(24),
    statement: '智能导办机器人采购款验收后一直未付清。',
    events: [
      { step: 'accept', on: -48 },
      { step: 'investigate', on: -45 },
      { step: 'resolve', on: -20, note: '已制订还款计划，承诺分期支付。' },
      { rate: 'very_dissatisfied', on: -6, comment: '还款计划的首期已经逾期，问题没有解决。' },
    ],
  },
  // An appealed review waiting for an auditor.
  {
    agency: 'commerce', enterprise: 0, category: 'policy_not_honoured', filed: -60, amount: wan(6),
    statement: '进口博览会参展展位费补助申请被以材料不全为由退回三次。',
    events: [
      { step: 'accept', on: -58 },
      { step: 'investigate', on: -55 },
      { step: 'resolve', on: -16, note: '补助已于上月拨付，并书面答复了历次退回的原因。' },
      { rate: 'dissatisfied', on: -10, comment: '对退回三次不满意。' },
      { appeal: 0, on: -8, reason: '补助已足额拨付，历次退回均因申报材料缺少发票原件，有退件记录为证，评价与事实不符。' },
    ],
  },
  // A review voided on appeal, then the rectification, the follow-up visit and a good rating.
  {
    agency: 'approval', enterprise: 0, category: 'contract_breached', filed: -100, amount: wan(9),
    statement: '政务大厅自助终端备件采购合同约定的质保金到期未退还。',
    events: [
      { step: 'accept', on: -98 },
      { step: 'investigate', on: -95 },
      { step: 'resolve', on: -80, note: '质保金已退还。' },
      { rate: 'very_dissatisfied', on: -76, comment: '退还太慢。' },
      { appeal: 0, on: -74, reason: '质保金在到期后 5 个工作日内退还，符合合同约定。' },
      { decide: 0, on: -70, decision: 'voided', note: '退还时间符合合同约定，差评理由与事实不符，撤销该评价。' },
      { step: 'resolve', on: -66, note: '补充说明了退还时间的合同依据，并优化了退还流程。' },
      { step: 'follow_up', on: -62, note: '电话回访企业财务负责人，企业认可说明。' },
      { rate: 'basically_satisfied', on: -60, comment: '解释清楚了。' },
    ],
  },
  // Forwarded by an auditor to the street office's superior, the district government.
  {
    agency: 'zhanshan', enterprise: 5, category: 'arrears_unpaid', filed: -25, amount: wan(1.8),
    statement: '街道食堂餐费 1.8 万元结算后一年未付。',
    events: [{ step: 'forward', on: -5, note: '街道办事处逾期未受理，转市南区人民政府督办。' }],
  },
  // A finding of default: the agency refused to pay after the investigation.
  {
    agency: 'commerce', enterprise: 0, category: 'arrears_unpaid', filed: -70, amount: wan(6), arrearsRef: '青商补〔2026〕2号',
    statement: '展位费补助经确认后拖欠至今，多次催告无果。',
    events: [
      { step: 'accept', on: -68 },
      { step: 'investigate', on: -64, note: '核实补助资金已列入预算。' },
      { step: 'find_default', on: -40, note: '补助资金已确认且列入预算，被投诉单位经督促仍拒不支付，认定违约失信。' },
    ],
  },
];

/**
 * Complaint cases for the demo agencies in every state, dated relative to today: one past its
 * acceptance deadline, one under rectification after a bad review, an appealed review waiting for an
 * auditor and a voided one, a forwarded case, a finding of default, a withheld name disclosed, and
 * closings rated and unrated. Every step after filing goes through the use cases on the clock of its
 * day, so that the stored deadlines, the credit record and the audit log are what real use leaves.
 */
export async function seedDemoComplaints(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const agencies: Array<{ id: number; code: string }> = await db('agencies').select('id', 'code');
  const agencyId = (key: AgencyKey) => agencies.find((a) => a.code === DEMO_AGENCIES.find((d) => d.key === key)!.code)!.id;
  const enterprises: Array<{ id: number; credit_code: string }> = await db('enterprises').select('id', 'credit_code');
  const enterpriseId = (index: number) => enterprises.find((e) => e.credit_code === DEMO_ENTERPRISES[index]!.code)!.id;
  const callerOf = async (username: string): Promise<Caller> => {
    const user = await demoUser(db, username);
    return { user, actor: { id: user.id, username: user.username, ip: null } };
  };
  const officers: Partial<Record<AgencyKey, Caller>> = { approval: await callerOf('officer1'), commerce: await callerOf('officer2') };
  const auditor = await callerOf('auditor');
  const enterprise1 = await callerOf('enterprise1');

  await db.transaction(async (trx) => {
    for (const c of DEMO_CASES) {
      const agency = agencyId(c.agency);
      const enterprise = enterpriseId(c.enterprise);
      const arrears = c.arrearsRef ? await trx('arrears').where({ agency_id: agency, enterprise_id: enterprise, contract_ref: c.arrearsRef }).first('id') : undefined;
      const filed = { db: trx, clock: clockOn(day(c.filed)) };
      const input = {
        agencyId: agency,
        category: c.category,
        statement: c.statement,
        amountClaimedFen: c.amount ?? null,
        arrearsId: arrears ? Number(arrears.id) : null,
        withholdName: c.withholdName ?? false,
      };
      // Only enterprise1's company has an account; the others' cases are entered as the system.
      const { id } = c.enterprise === 0 ? await fileComplaint(filed, enterprise1, input) : await enterComplaint(filed, SYSTEM_ACTOR, enterprise, input);
      const ratingIds: number[] = [];
      const ratingsOfCase = async () => (await trx('complaint_ratings').where({ complaint_id: id }).orderBy('round').pluck('id')).map(Number);
      for (const e of c.events ?? []) {
        const on = { db: trx, clock: clockOn(day(e.on)) };
        if ('step' in e) {
          const by = e.step === 'forward' || e.step === 'find_default' ? auditor : officers[c.agency];
          if (!by) throw new Error(`demo complaint against ${c.agency}: no officer to ${e.step}`);
          await takeStep(on, by, id, { action: e.step, note: e.note ?? null });
        } else if ('rate' in e) {
          await rateCase(on, enterprise1, id, { level: e.rate, comment: e.comment ?? null });
          ratingIds.splice(0, ratingIds.length, ...(await ratingsOfCase()));
        } else if ('appeal' in e) {
          await appealRating(on, officers[c.agency]!, id, ratingIds[e.appeal]!, { reason: e.reason });
        } else if ('decide' in e) {
          const appeal = await trx('complaint_appeals').where({ rating_id: ratingIds[e.decide]! }).first('id');
          await decideAppeal(on, auditor, id, Number(appeal.id), { decision: e.decision, note: e.note });
        } else if ('disclose' in e) {
          await discloseName(on, auditor, id, { reason: e.disclose });
        } else {
          await autoCloseDueCases(on);
        }
      }
    }
  });
}
