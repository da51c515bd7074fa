import type { Knex } from 'knex';
import { SYSTEM_ACTOR, recordAuditEntries, type AuditActor } from '../../server/audit/chain.ts';
import type { SessionUser } from '../../server/auth/types.ts';
import type { Caller } from '../../server/context.ts';
import { fixedClock, systemClock, type Clock } from '../../server/domain/clock.ts';
import { addDays, shanghaiDayStart } from '../../server/domain/dates.ts';
import { insertArrearsRows } from '../../server/features/arrears/repository.ts';
import type { ArrearsCategory } from '../../server/features/arrears/rules.ts';
import type { ArrearsInput } from '../../server/features/arrears/schema.ts';
import { reviseDisputedPart } from '../../server/features/arrears/service/disputed-part.ts';
import { recordHandover } from '../../server/features/arrears/service/handovers.ts';
import { recordPayment, respondToPayment, reversePayment, settlePaymentDispute } from '../../server/features/arrears/service/payments.ts';
import { saveRepaymentPlan } from '../../server/features/arrears/service/plans.ts';
import { demoUser } from './commitments.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

type AgencyKey = (typeof DEMO_AGENCIES)[number]['key'];

/** Ten thousand yuan (万元) in fen. */
const wan = (n: number) => Math.round(n * 10_000 * 100);

/** What happens to a demo arrears after it is registered; days are counted from today (negative: past). */
type DemoEvent =
  | { pay: number; on: number; voucher: string; note?: string }
  | { reverse: number; reason: string } // the nth payment recorded on this arrears
  | { confirm: number } // enterprise1 confirms the nth payment
  | { dispute: number; reason: string; settle?: { outcome: 'upheld' | 'rejected'; note: string } }
  | { plan: number[]; savedOn: number; note: string } // due days of equal instalments of what is outstanding on savedOn
  | { handover: string; on: number; note: string }
  | { revise: number; reason: string }; // a new disputed part

interface DemoArrears {
  agency: AgencyKey;
  /** Index into DEMO_ENTERPRISES (0 is enterprise1's company, a small enterprise; 4 is the large one). */
  enterprise: number;
  category: ArrearsCategory;
  ref: string;
  description: string;
  principal: number;
  accepted: number;
  /** The agreed due date; without one the statutory 30 days apply. */
  due?: number;
  signed?: number;
  rate?: string;
  official?: string;
  events?: DemoEvent[];
}

const DEMO_ARREARS: DemoArrears[] = [
  // 青岛市行政审批服务局 (officer1)
  {
    agency: 'approval', enterprise: 0, category: 'goods', ref: 'QDSP-CQ-2025-001', description: '政务大厅自助终端备件采购款', principal: wan(18), accepted: -200, official: '王建国',
    events: [{ pay: wan(18), on: -165, voucher: 'GK-2025-10231', note: '国库集中支付' }, { confirm: 0 }],
  },
  {
    agency: 'approval', enterprise: 1, category: 'services', ref: 'QDSP-CQ-2025-004', description: '电子证照系统运维服务费', principal: wan(32), accepted: -160, official: '刘洋',
    events: [{ pay: wan(12), on: -100, voucher: 'GK-2025-11872' }],
  },
  {
    agency: 'approval', enterprise: 2, category: 'works', ref: 'QDSP-CQ-2024-017', description: '政务服务大厅改造工程竣工结算款', principal: wan(276), accepted: -520, official: '王建国',
    events: [{ pay: wan(76), on: -300, voucher: 'GK-2025-03315', note: '先行支付部分结算款，余款待财政资金到位' }],
  },
  {
    agency: 'approval', enterprise: 0, category: 'goods', ref: 'QDSP-CQ-2025-023', description: '智能导办机器人采购款', principal: wan(24), accepted: -70, official: '陈立新',
    events: [
      { pay: wan(10), on: -20, voucher: 'GK-2026-00412' },
      { dispute: 0, reason: '企业账户仅收到 6 万元，另 4 万元未到账，请核实支付凭证。' },
    ],
  },
  {
    // A 90-day term with a small enterprise: over the 60 days the regulations allow.
    agency: 'approval', enterprise: 0, category: 'services', ref: 'QDSP-HT-2025-061', description: '自助设备年度维保服务费（合同约定验收后 90 日付款）', principal: wan(15), accepted: -120, due: -30, official: '陈立新',
  },
  {
    // The same 90 days with a large enterprise: the agreed date stands and nothing is flagged.
    agency: 'approval', enterprise: 4, category: 'goods', ref: 'QDSP-HT-2025-070', description: '政务云服务器采购款（合同约定验收后 90 日付款）', principal: wan(120), accepted: -100, due: -10, official: '刘洋',
  },
  {
    agency: 'approval', enterprise: 2, category: 'works', ref: 'QDSP-CQ-2025-031', description: '数据机房改造工程款', principal: wan(90), accepted: -200, official: '王建国',
    events: [
      { plan: [-90, -45, 15, 45], savedOn: -120, note: '财政资金分批到位，经协商分四期偿还' },
      { pay: wan(10), on: -92, voucher: 'GK-2025-14020', note: '第一期部分款项' },
    ],
  },
  {
    agency: 'approval', enterprise: 1, category: 'services', ref: 'QDSP-CQ-2025-036', description: '审批档案数字化外包服务费', principal: wan(60), accepted: -70, official: '王建国',
    events: [{ handover: '刘洋', on: -60, note: '原责任人王建国调任，由刘洋接续负责清欠' }],
  },
  {
    agency: 'approval', enterprise: 0, category: 'goods', ref: 'QDSP-CQ-2025-040', description: '窗口办公家具采购款', principal: wan(40), accepted: -80, official: '陈立新',
    events: [
      { pay: wan(20), on: -30, voucher: 'GK-2026-00233' },
      { confirm: 0 },
      { revise: wan(8), reason: '企业交付的 20 套座椅与样品不符，双方对该部分货款有分歧，其余款项照常支付。' },
    ],
  },
  {
    // An agreed late-interest rate below the one-year LPR in force when the contract was signed.
    agency: 'approval', enterprise: 3, category: 'services', ref: 'QDSP-HT-2024-088', description: '政务服务质量第三方检测服务费', principal: wan(35), signed: -420, accepted: -300, rate: '2.50', official: '刘洋',
  },
  {
    agency: 'approval', enterprise: 5, category: 'services', ref: 'QDSP-CQ-2026-002', description: '窗口工作人员工作餐配送费', principal: wan(1.2), accepted: -20, official: '陈立新',
  },
  {
    agency: 'approval', enterprise: 0, category: 'policy_funds', ref: '青审批补〔2025〕31号', description: '智能化改造设备购置补贴', principal: wan(50), accepted: -45, official: '陈立新',
    events: [
      { pay: wan(50), on: -14, voucher: 'GK-2026-00391' },
      { reverse: 0, reason: '误将另一笔补贴的支付凭证登记在本笔名下，冲正后按实际拨付重新登记。' },
      { pay: wan(50), on: -5, voucher: 'GK-2026-00507' },
      { confirm: 1 },
    ],
  },
  {
    agency: 'approval', enterprise: 2, category: 'deposit', ref: 'QDSP-BZJ-2024-006', description: '大厅改造工程履约保证金退还', principal: wan(20), accepted: -400, official: '王建国',
  },

  // 青岛市商务局 (officer2)
  {
    agency: 'commerce', enterprise: 1, category: 'services', ref: 'QDSW-CQ-2025-021', description: '消费品博览会展会服务尾款', principal: wan(75), accepted: -95, official: '孙海波',
    events: [{ pay: wan(75), on: -60, voucher: 'GK-2025-15543' }],
  },
  {
    agency: 'commerce', enterprise: 0, category: 'policy_funds', ref: '青商发〔2025〕9号', description: '外贸稳增长出口增量奖励', principal: wan(15), accepted: -60, official: '周敏',
    events: [
      { pay: wan(15), on: -25, voucher: 'GK-2026-00288' },
      { dispute: 0, reason: '企业对账单未见该笔入账。', settle: { outcome: 'upheld', note: '经核对国库支付回单及银行流水，款项已于当日到账，企业对账有误。' } },
    ],
  },
  {
    agency: 'commerce', enterprise: 2, category: 'works', ref: 'QDSW-CQ-2025-006', description: '商务服务中心装修改造工程竣工结算尾款', principal: wan(104), accepted: -45, official: '孙海波',
    events: [{ pay: wan(40), on: -10, voucher: 'GK-2026-00611' }],
  },
  {
    agency: 'commerce', enterprise: 4, category: 'goods', ref: 'QDSW-CQ-2025-002', description: '展馆智能化设备采购款', principal: wan(260), accepted: -380, official: '孙海波',
  },
  {
    agency: 'commerce', enterprise: 5, category: 'other', ref: 'QDSW-BC-2026-001', description: '夜间经济街区施工期间商户经营补偿', principal: wan(2), accepted: -10, official: '周敏',
  },
  {
    agency: 'commerce', enterprise: 3, category: 'deposit', ref: 'QDSW-BZJ-2024-003', description: '招商引资项目投标保证金退还', principal: wan(10), accepted: -600, official: '周敏',
  },
  {
    agency: 'commerce', enterprise: 0, category: 'policy_funds', ref: '青商补〔2026〕2号', description: '进口博览会参展展位费补助', principal: wan(6), accepted: -50, official: '周敏',
    events: [
      { pay: wan(6), on: -21, voucher: 'GK-2026-00355' },
      { dispute: 0, reason: '补助款被退回，企业账户未收到。', settle: { outcome: 'rejected', note: '银行回单显示该笔支付因账户信息错误被退票，付款未完成。' } },
    ],
  },
  {
    agency: 'commerce', enterprise: 1, category: 'services', ref: 'QDSW-HT-2025-019', description: '电商直播基地运营服务费（合同约定验收后 90 日付款）', principal: wan(30), accepted: -100, due: -10, official: '周敏',
  },
  {
    agency: 'commerce', enterprise: 3, category: 'goods', ref: 'QDSW-CQ-2026-004', description: '进口检验检测试剂采购款', principal: wan(12), signed: -60, accepted: -35, rate: '4.35', official: '孙海波',
  },

  // Other agencies: no demo officer signs in for them, so their records need no officer's action.
  { agency: 'city', enterprise: 4, category: 'works', ref: '青政工〔2025〕12号', description: '中德产业园配套道路工程款', principal: wan(1800), accepted: -250, official: '赵志刚' },
  { agency: 'city', enterprise: 3, category: 'policy_funds', ref: '青政协〔2024〕5号', description: '生物医药产业化扶持资金', principal: wan(500), accepted: -210, official: '赵志刚' },
  { agency: 'city', enterprise: 2, category: 'services', ref: '青政采〔2026〕3号', description: '城市更新规划咨询服务费', principal: wan(80), accepted: -15, official: '赵志刚' },
  { agency: 'shinan', enterprise: 2, category: 'works', ref: 'SNQ-HT-2025-017', description: '老旧小区改造配套工程结算款', principal: wan(680), accepted: -400, official: '钱晓东' },
  { agency: 'shinan', enterprise: 0, category: 'policy_funds', ref: '南科补〔2025〕4号', description: '精密制造研发投入补贴', principal: wan(20), accepted: -40, official: '钱晓东' },
  { agency: 'shinan', enterprise: 5, category: 'goods', ref: 'SNQ-CG-2025-031', description: '社区食堂食材采购款', principal: wan(3), accepted: -65, official: '钱晓东' },
  { agency: 'zhanshan', enterprise: 5, category: 'services', ref: 'ZSJD-HT-2025-009', description: '辖区环境卫生保洁服务费', principal: wan(4.5), accepted: -100, official: '孙丽' },
  { agency: 'zhanshan', enterprise: 5, category: 'other', ref: 'ZSJD-BC-2025-003', description: '道路施工期间临街商户经营补偿', principal: wan(3), accepted: -80, official: '孙丽' },
  { agency: 'zhanshan', enterprise: 1, category: 'goods', ref: 'ZSJD-CG-2026-001', description: '社区服务中心办公设备采购款', principal: wan(2.4), accepted: -25, official: '孙丽' },
];

const callerFor = (user: SessionUser): Caller => ({ user, actor: { id: user.id, username: user.username, ip: null } });

/** A clock standing at noon (Beijing) of a past day, for what the demo did back then (a plan saved months ago). */
const clockOn = (date: string): Clock => fixedClock(new Date(Date.parse(shanghaiDayStart(date)) + 12 * 3_600_000));

/**
 * About thirty arrears across the demo agencies, enterprises and categories, dated relative to today:
 * cleared, partly paid, long overdue, payments confirmed, disputed (open, upheld, rejected) and
 * reversed, SME terms over 60 days and a large creditor's that is not flagged, a plan with a missed
 * instalment, a handover with arrears that fell due after it, a disputed part, an agreed rate below
 * the LPR. Everything after registration goes through the use cases, so that the stored positions
 * and the audit log are what real use would leave behind.
 */
export async function seedDemoArrears(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const agencies: Array<{ id: number; code: string }> = await db('agencies').select('id', 'code');
  const agencyId = (key: AgencyKey) => agencies.find((a) => a.code === DEMO_AGENCIES.find((d) => d.key === key)!.code)!.id;
  const enterprises: Array<{ id: number; credit_code: string }> = await db('enterprises').select('id', 'credit_code');
  const enterpriseId = (index: number) => enterprises.find((e) => e.credit_code === DEMO_ENTERPRISES[index]!.code)!.id;
  const officers: Partial<Record<AgencyKey, SessionUser>> = { approval: await demoUser(db, 'officer1'), commerce: await demoUser(db, 'officer2') };
  const auditor = callerFor(await demoUser(db, 'auditor'));
  const enterprise1 = callerFor(await demoUser(db, 'enterprise1'));

  await db.transaction(async (trx) => {
    const ctx = { db: trx, clock };
    for (const a of DEMO_ARREARS) {
      const officerUser = officers[a.agency];
      const registrar: AuditActor = officerUser ? callerFor(officerUser).actor : SYSTEM_ACTOR;
      const input: ArrearsInput = {
        agencyId: agencyId(a.agency),
        enterpriseId: enterpriseId(a.enterprise),
        category: a.category,
        contractRef: a.ref,
        contractSignedOn: a.signed === undefined ? null : day(a.signed),
        principalFen: a.principal,
        acceptedOn: day(a.accepted),
        dueOn: a.due === undefined ? null : day(a.due),
        agreedAnnualRate: a.rate ?? null,
        responsibleOfficial: a.official ?? null,
        description: a.description,
      };
      const [id] = await insertArrearsRows(trx, [input], registrar.id, clock.now().toISOString());
      const row = await trx('arrears').where({ id }).first('due_on');
      await recordAuditEntries(trx, registrar, [{ action: 'arrears.created', entityType: 'arrears', entityId: id!, after: { contractRef: a.ref, principalFen: a.principal, acceptedOn: input.acceptedOn, dueOn: row.due_on } }]);

      const paymentIds: number[] = [];
      const officer = () => {
        if (!officerUser) throw new Error(`demo arrears ${a.ref}: no officer for ${a.agency}`);
        return callerFor(officerUser);
      };
      for (const e of a.events ?? []) {
        if ('pay' in e) {
          const { payment } = await recordPayment(ctx, officer(), id!, { amountFen: e.pay, paidOn: day(e.on), voucherNo: e.voucher, note: e.note ?? null });
          paymentIds.push(payment.id);
        } else if ('reverse' in e) {
          await reversePayment(ctx, officer(), id!, paymentIds[e.reverse]!, { reason: e.reason });
        } else if ('confirm' in e) {
          await respondToPayment(ctx, enterprise1, id!, paymentIds[e.confirm]!, { response: 'confirmed' });
        } else if ('dispute' in e) {
          await respondToPayment(ctx, enterprise1, id!, paymentIds[e.dispute]!, { response: 'disputed', comment: e.reason });
          if (e.settle) await settlePaymentDispute(ctx, auditor, id!, paymentIds[e.dispute]!, e.settle);
        } else if ('plan' in e) {
          const outstanding = Number((await trx('arrears').where({ id }).first('outstanding_fen')).outstanding_fen);
          const share = Math.floor(outstanding / e.plan.length);
          const instalments = e.plan.map((due, i) => ({ dueOn: day(due), amountFen: i === e.plan.length - 1 ? outstanding - share * (e.plan.length - 1) : share }));
          await saveRepaymentPlan({ db: trx, clock: clockOn(day(e.savedOn)) }, officer(), id!, { instalments, note: e.note });
        } else if ('handover' in e) {
          await recordHandover(ctx, officer(), id!, { toOfficial: e.handover, handedOverOn: day(e.on), note: e.note });
        } else {
          await reviseDisputedPart(ctx, officer(), id!, { disputedFen: e.revise, reason: e.reason });
        }
      }
    }
  });
}
