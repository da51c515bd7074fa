import type { Knex } from 'knex';
import type { SessionUser } from '../../server/auth/types.ts';
import { loadSessionUser } from '../../server/auth/users.ts';
import { addDays } from '../../server/domain/dates.ts';
import { systemClock, type Clock } from '../../server/domain/clock.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../../server/audit/chain.ts';
import type { CommitmentKind } from '../../server/features/commitments/schema.ts';
import type { Caller } from '../../server/context.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from '../../server/features/commitments/service/fulfilments.ts';
import { recordBreach, recordHandover, terminateCommitment } from '../../server/features/commitments/service/lifecycle.ts';
import { insertCommitment } from '../../server/features/commitments/service/register.ts';
import { decideWaiver, requestWaiver } from '../../server/features/commitments/service/waivers.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

type AgencyKey = (typeof DEMO_AGENCIES)[number]['key'];

/** Ten thousand yuan (万元) in fen. */
const wan = (n: number) => Math.round(n * 10_000 * 100);

/** What happens to a demo commitment after it is registered; days are counted from today (negative: past). */
type DemoEvent =
  | { fulfil: number; on: number; note: string; amount?: number; complete?: boolean }
  | { confirm: number } // enterprise1 confirms the nth fulfilment recorded on this commitment
  | { dispute: number; response: 'partly' | 'not_at_all'; comment: string; settle?: { decision: 'upheld' | 'rejected'; note: string } }
  | { waive: number; reason: string; decision?: 'confirmed' | 'refused'; note?: string }
  | { breach: number | null; findings: string; on: number; by: 'officer' | 'auditor' }
  | { handover: string; on: number; note: string }
  | { terminate: string; on: number };

interface DemoCommitment {
  agency: AgencyKey;
  kind: CommitmentKind;
  title: string;
  ref: string;
  /** Index into DEMO_ENTERPRISES (0 is enterprise1's company), or null. */
  enterprise: number | null;
  basis: string;
  signed: number;
  amount: number;
  official: string;
  isPublic?: boolean;
  milestones: Array<{ description: string; due: number; amount?: number }>;
  events?: DemoEvent[];
}

const DEMO_COMMITMENTS: DemoCommitment[] = [
  // 青岛市行政审批服务局 (officer1)
  {
    agency: 'approval', kind: 'contract', title: '政务服务“一网通办”平台升级改造合同', ref: 'QDSP-HT-2025-011', enterprise: 1, basis: '青岛市政府采购合同（公开招标）', signed: -300, amount: wan(380), official: '王建国',
    milestones: [
      { description: '合同签订后支付 30% 预付款', due: -280, amount: wan(114) },
      { description: '系统上线试运行后支付 40%', due: -12, amount: wan(152) },
      { description: '终验合格后支付 30%', due: 120, amount: wan(114) },
    ],
    events: [{ fulfil: 0, on: -282, note: '已通过国库集中支付拨付预付款', amount: wan(114), complete: true }],
  },
  {
    agency: 'approval', kind: 'contract', title: '市民中心自助服务终端采购合同', ref: 'QDSP-HT-2025-018', enterprise: 0, basis: '青岛市政府采购合同', signed: -240, amount: wan(86), official: '王建国',
    milestones: [
      { description: '到货验收后支付 70%', due: -180, amount: wan(60.2) },
      { description: '质保金（验收满半年）', due: -10, amount: wan(25.8) },
    ],
    events: [
      { fulfil: 0, on: -185, note: '验收合格，支付货款 70%', amount: wan(60.2), complete: true },
      { confirm: 0 },
      { fulfil: 1, on: -12, note: '质保期满无质量问题，退还质保金', amount: wan(25.8), complete: true },
      { confirm: 1 },
    ],
  },
  {
    agency: 'approval', kind: 'policy', title: '企业开办“一日办结”服务承诺', ref: '青审批发〔2025〕12号', enterprise: null, basis: '青岛市优化营商环境条例', signed: -200, amount: 0, official: '陈立新',
    milestones: [
      { description: '企业开办全流程一日办结上线运行', due: -150 },
      { description: '开展半年度办件时效评估并公开结果', due: 25 },
    ],
    events: [{ fulfil: 0, on: -152, note: '全流程上线，平均办结时长 0.6 天', complete: true }],
  },
  {
    agency: 'approval', kind: 'policy', title: '智能化改造设备购置补贴兑现', ref: '青审批补〔2025〕31号', enterprise: 0, basis: '青岛市支持企业技术改造若干政策', signed: -120, amount: wan(50), official: '陈立新',
    milestones: [{ description: '拨付设备购置补贴', due: 15, amount: wan(50) }],
    events: [
      { fulfil: 0, on: -5, note: '补贴资金已拨付至企业账户', amount: wan(50), complete: true },
      { dispute: 0, response: 'not_at_all', comment: '截至目前企业账户未收到该笔补贴，请核实拨付账户。' },
    ],
  },
  {
    agency: 'approval', kind: 'contract', title: '政务服务大厅改造工程施工合同', ref: 'QDSP-HT-2024-036', enterprise: 2, basis: '青岛市建设工程施工合同', signed: -420, amount: wan(920), official: '王建国',
    milestones: [
      { description: '开工预付款', due: -400, amount: wan(184) },
      { description: '主体完工进度款', due: -200, amount: wan(460) },
      { description: '竣工验收结算款', due: -20, amount: wan(276) },
    ],
    events: [
      { fulfil: 0, on: -402, note: '支付开工预付款', amount: wan(184), complete: true },
      { fulfil: 1, on: -198, note: '支付主体完工进度款', amount: wan(460), complete: true },
      { handover: '刘洋', on: -60, note: '原责任人王建国调任，由刘洋接续负责' },
    ],
  },
  {
    agency: 'approval', kind: 'contract', title: '电子证照系统运维服务合同', ref: 'QDSP-HT-2025-044', enterprise: 1, basis: '青岛市政府采购合同（竞争性磋商）', signed: -180, amount: wan(64), official: '刘洋',
    milestones: [
      { description: '上半年运维服务费', due: -90, amount: wan(32) },
      { description: '第三方安全测评及下半年运维费', due: -3, amount: wan(32) },
    ],
    events: [
      { fulfil: 0, on: -92, note: '支付上半年运维费', amount: wan(32), complete: true },
      { waive: 1, reason: '安全测评改由市大数据局统一组织，本合同不再实施该项，拟与服务商协商核减。' },
    ],
  },
  {
    agency: 'approval', kind: 'policy', title: '工程建设项目审批提速承诺', ref: '青审批发〔2025〕5号', enterprise: null, basis: '工程建设项目审批制度改革实施方案', signed: -330, amount: 0, official: '陈立新',
    milestones: [
      { description: '社会投资项目审批时限压减至 30 个工作日', due: -240 },
      { description: '上线施工图联审系统', due: -100 },
    ],
    events: [
      { fulfil: 0, on: -245, note: '已发布新版办事指南，审批时限 30 个工作日', complete: true },
      { waive: 1, reason: '施工图联审改由省级统一平台建设，本市不再单独建设。', decision: 'confirmed', note: '经核实，省住建厅已统一部署，同意豁免。' },
    ],
  },
  {
    agency: 'approval', kind: 'investment', title: '中德智能制造项目全程代办服务协议', ref: 'QDSP-ZS-2025-003', enterprise: 4, basis: '青岛市重点项目帮办代办工作机制', signed: -260, amount: wan(30), official: '刘洋',
    milestones: [
      { description: '完成立项及用地审批代办', due: -200, amount: wan(10) },
      { description: '完成施工许可代办', due: -60, amount: wan(20) },
    ],
    events: [
      { fulfil: 0, on: -205, note: '立项及用地审批已办结', amount: wan(10), complete: true },
      { terminate: '企业调整投资计划，项目暂缓建设，双方协商解除代办协议。', on: -70 },
    ],
  },
  {
    agency: 'approval', kind: 'other', title: '技改项目“拿地即开工”审批服务承诺', ref: 'QDSP-FW-2025-007', enterprise: 0, basis: '青岛市“拿地即开工”改革实施意见', signed: -90, amount: 0, official: '刘洋',
    milestones: [
      { description: '出具用地规划许可', due: -60 },
      { description: '同步核发施工许可', due: 40 },
    ],
    events: [{ fulfil: 0, on: -62, note: '用地规划许可证已核发', complete: true }, { confirm: 0 }],
  },
  {
    agency: 'approval', kind: 'contract', title: '审批档案数字化外包服务合同', ref: 'QDSP-HT-2024-052', enterprise: 1, basis: '青岛市政府采购合同', signed: -400, amount: wan(120), official: '王建国',
    milestones: [
      { description: '首批档案数字化验收付款', due: -300, amount: wan(60) },
      { description: '全部档案数字化验收付款', due: -150, amount: wan(60) },
    ],
    events: [
      { fulfil: 0, on: -290, note: '首批验收后付款（晚于约定 10 日）', amount: wan(60), complete: true },
      { breach: 1, findings: '合同约定的尾款逾期 150 日未支付，亦未办理延期或变更，专项清理中认定违约。', on: -20, by: 'auditor' },
    ],
  },
  {
    agency: 'approval', kind: 'contract', title: '12345 政务服务热线知识库建设合同', ref: 'QDSP-HT-2025-003', enterprise: 1, basis: '青岛市政府采购合同', signed: -350, amount: wan(45), official: '陈立新',
    milestones: [{ description: '项目验收后一次性付款', due: -200, amount: wan(45) }],
    events: [{ fulfil: 0, on: -185, note: '验收后付款（逾期 15 日）', amount: wan(45), complete: true }],
  },
  {
    agency: 'approval', kind: 'contract', title: '窗口工作人员服务礼仪培训合同', ref: 'QDSP-HT-2026-002', enterprise: 1, basis: '青岛市政府采购合同', signed: -30, amount: wan(8), official: '陈立新',
    milestones: [
      { description: '首期培训完成后付款', due: 20, amount: wan(4) },
      { description: '第二期培训完成后付款', due: 80, amount: wan(4) },
    ],
  },
  {
    agency: 'approval', kind: 'policy', title: '惠企政策“免申即享”兑现承诺', ref: '青审批发〔2025〕22号', enterprise: null, basis: '青岛市惠企政策直达快享实施方案', signed: -160, amount: wan(200), official: '陈立新',
    milestones: [{ description: '首批 200 家企业免申兑现', due: -30, amount: wan(200) }],
    events: [{ fulfil: 0, on: -40, note: '已向 126 家企业兑现', amount: wan(126), complete: false }],
  },
  {
    agency: 'approval', kind: 'other', title: '技改项目审批“绿色通道”服务承诺', ref: 'QDSP-FW-2025-002', enterprise: 0, basis: '青岛市重点项目审批绿色通道制度', signed: -210, amount: 0, official: '刘洋',
    milestones: [{ description: '5 个工作日内完成技改项目备案', due: -190 }],
    events: [{ fulfil: 0, on: -195, note: '3 个工作日完成备案', complete: true }, { confirm: 0 }],
  },
  {
    agency: 'approval', kind: 'contract', title: '政务服务中心公务车辆租赁合同', ref: 'QDSP-HT-2025-029', enterprise: 5, basis: '青岛市政府采购合同', signed: -150, amount: wan(12), official: '刘洋', isPublic: false,
    milestones: [{ description: '支付全年租赁费', due: -25, amount: wan(12) }],
    events: [{ waive: 0, reason: '预算调整，拟缓付。', decision: 'refused', note: '预算调整不构成豁免理由，请按合同支付。' }],
  },
  {
    agency: 'approval', kind: 'other', title: '不动产登记“即时办结”服务承诺', ref: 'QDSP-FW-2026-001', enterprise: null, basis: '不动产登记便民利企改革方案', signed: -20, amount: 0, official: '陈立新',
    milestones: [{ description: '一般登记事项即时办结上线', due: 45 }],
  },

  // 青岛市商务局 (officer2)
  {
    agency: 'commerce', kind: 'investment', title: '中德智能制造产业园项目招商引资协议', ref: 'QDSW-ZS-2024-008', enterprise: 4, basis: '青岛市招商引资优惠政策', signed: -500, amount: wan(3000), official: '孙海波',
    milestones: [
      { description: '交付项目用地', due: -400 },
      { description: '兑现设备投资补助', due: -45, amount: wan(1200) },
      { description: '兑现首年税收贡献奖励', due: 200, amount: wan(1800) },
    ],
    events: [{ fulfil: 0, on: -405, note: '项目用地已完成交付', complete: true }],
  },
  {
    agency: 'commerce', kind: 'policy', title: '跨境电商综合试验区扶持资金兑现', ref: '青商发〔2025〕18号', enterprise: null, basis: '青岛跨境电商综试区扶持政策', signed: -100, amount: wan(500), official: '孙海波',
    milestones: [
      { description: '上半年扶持资金兑现', due: 10, amount: wan(250) },
      { description: '下半年扶持资金兑现', due: 190, amount: wan(250) },
    ],
  },
  {
    agency: 'commerce', kind: 'investment', title: '崂山生物医药研发中心落户协议', ref: 'QDSW-ZS-2024-015', enterprise: 3, basis: '青岛市招商引资优惠政策', signed: -450, amount: wan(800), official: '周敏',
    milestones: [
      { description: '兑现研发用房租金补贴', due: -300, amount: wan(300) },
      { description: '兑现研发投入奖励', due: -120, amount: wan(500) },
    ],
    events: [
      { fulfil: 0, on: -310, note: '租金补贴已拨付', amount: wan(300), complete: true },
      { breach: 1, findings: '研发投入奖励逾期 4 个月未兑现，未说明理由，企业已提出投诉。', on: -5, by: 'officer' },
    ],
  },
  {
    agency: 'commerce', kind: 'policy', title: '外贸稳增长出口奖励兑现', ref: '青商发〔2025〕9号', enterprise: 0, basis: '青岛市外贸稳增长若干措施', signed: -200, amount: wan(40), official: '周敏',
    milestones: [{ description: '拨付出口增量奖励', due: -15, amount: wan(40) }],
    events: [{ fulfil: 0, on: -30, note: '拨付第一批奖励资金', amount: wan(15), complete: false }, { confirm: 0 }],
  },
  {
    agency: 'commerce', kind: 'contract', title: '青岛国际消费品博览会展会服务采购合同', ref: 'QDSW-HT-2025-021', enterprise: 1, basis: '青岛市政府采购合同', signed: -190, amount: wan(150), official: '孙海波',
    milestones: [
      { description: '布展完成后支付 50%', due: -120, amount: wan(75) },
      { description: '展会结束验收后支付 50%', due: -90, amount: wan(75) },
    ],
    events: [
      { fulfil: 0, on: -121, note: '支付布展款', amount: wan(75), complete: true },
      { fulfil: 1, on: -92, note: '支付尾款', amount: wan(75), complete: true },
    ],
  },
  {
    agency: 'commerce', kind: 'policy', title: '商贸流通企业纾困资金兑现', ref: '青商发〔2025〕3号', enterprise: 5, basis: '青岛市促进消费若干措施', signed: -280, amount: wan(5), official: '周敏',
    milestones: [{ description: '拨付纾困资金', due: -250, amount: wan(5) }],
    events: [{ fulfil: 0, on: -251, note: '纾困资金已拨付', amount: wan(5), complete: true }],
  },
  {
    agency: 'commerce', kind: 'policy', title: '进口博览会参展费用补助', ref: '青商补〔2026〕2号', enterprise: 0, basis: '青岛市支持企业参加境内外重点展会办法', signed: -40, amount: wan(6), official: '周敏',
    milestones: [{ description: '拨付参展展位费补助', due: 20, amount: wan(6) }],
  },
  {
    agency: 'commerce', kind: 'contract', title: '商务服务中心装修改造工程合同', ref: 'QDSW-HT-2025-006', enterprise: 2, basis: '青岛市建设工程施工合同', signed: -260, amount: wan(260), official: '孙海波',
    milestones: [
      { description: '进度款', due: -150, amount: wan(156) },
      { description: '竣工结算尾款', due: -15, amount: wan(104) },
    ],
    events: [{ fulfil: 0, on: -152, note: '支付进度款', amount: wan(156), complete: true }],
  },
  {
    agency: 'commerce', kind: 'investment', title: '中德智能制造二期增资协议', ref: 'QDSW-ZS-2025-011', enterprise: 4, basis: '青岛市招商引资优惠政策', signed: -150, amount: wan(600), official: '孙海波',
    milestones: [{ description: '兑现增资奖励', due: 60, amount: wan(600) }],
    events: [{ terminate: '企业书面放弃二期增资计划，协议目的无法实现，双方协商终止。', on: -10 }],
  },
  {
    agency: 'commerce', kind: 'contract', title: '台东夜间经济示范街区建设合同', ref: 'QDSW-HT-2026-001', enterprise: 2, basis: '青岛市夜间经济发展三年行动', signed: -60, amount: wan(420), official: '周敏',
    milestones: [
      { description: '开工预付款', due: -50, amount: wan(126) },
      { description: '完工验收款', due: 150, amount: wan(294) },
    ],
    events: [{ fulfil: 0, on: -50, note: '支付预付款', amount: wan(126), complete: true }],
  },
  {
    agency: 'commerce', kind: 'policy', title: '老字号企业传承发展扶持资金', ref: '青商发〔2025〕27号', enterprise: 5, basis: '青岛市老字号保护发展办法', signed: -220, amount: wan(10), official: '周敏',
    milestones: [
      { description: '拨付门店改造补助', due: -160, amount: wan(6) },
      { description: '拨付品牌推广补助', due: -60, amount: wan(4) },
    ],
    events: [
      { fulfil: 0, on: -165, note: '门店改造补助已拨付', amount: wan(6), complete: true },
      { waive: 1, reason: '企业书面申请放弃品牌推广补助，转为参加市级统一推介活动。', decision: 'confirmed', note: '企业放弃声明真实，同意豁免。' },
    ],
  },
  {
    agency: 'commerce', kind: 'policy', title: '外资招引中介奖励兑现承诺', ref: '青商发〔2025〕14号', enterprise: 4, basis: '青岛市招商引资中介奖励办法', signed: -230, amount: wan(80), official: '孙海波',
    milestones: [{ description: '兑现中介奖励', due: -70, amount: wan(80) }],
  },
  {
    agency: 'commerce', kind: 'policy', title: '电商直播基地运营补贴', ref: '青商补〔2025〕19号', enterprise: 1, basis: '青岛市直播电商发展行动方案', signed: -130, amount: wan(30), official: '周敏',
    milestones: [{ description: '拨付年度运营补贴', due: 35, amount: wan(30) }],
    events: [{ fulfil: 0, on: -20, note: '拨付第一批运营补贴', amount: wan(10), complete: false }],
  },
  {
    agency: 'commerce', kind: 'policy', title: '出口信用保险保费补贴', ref: '青商补〔2025〕7号', enterprise: 0, basis: '青岛市外贸稳增长若干措施', signed: -170, amount: wan(12), official: '周敏',
    milestones: [{ description: '拨付保费补贴', due: -100, amount: wan(12) }],
    events: [
      { fulfil: 0, on: -105, note: '保费补贴已拨付', amount: wan(12), complete: true },
      { dispute: 0, response: 'partly', comment: '实际到账 9 万元，差额 3 万元未到。', settle: { decision: 'upheld', note: '经核对国库支付凭证，12 万元已全额拨付，差额系企业账户被银行扣划手续费及欠款所致。' } },
    ],
  },
  {
    agency: 'commerce', kind: 'investment', title: '海洋科技产业项目招商引资协议', ref: 'QDSW-ZS-2025-020', enterprise: 3, basis: '青岛市海洋经济发展规划', signed: -80, amount: wan(1500), official: '孙海波',
    milestones: [
      { description: '协助完成项目环评审批', due: 30 },
      { description: '兑现落户奖励', due: 240, amount: wan(1500) },
    ],
  },
  {
    agency: 'commerce', kind: 'other', title: '商贸企业用电成本补贴', ref: '青商补〔2025〕25号', enterprise: 5, basis: '青岛市降低企业成本若干措施', signed: -140, amount: wan(2), official: '周敏',
    milestones: [{ description: '拨付一季度用电补贴', due: -40, amount: wan(2) }],
  },

  // Other agencies: no demo officer signs in for them, so their records need no officer's action.
  {
    agency: 'city', kind: 'policy', title: '总部经济扶持政策承诺', ref: '青政发〔2025〕6号', enterprise: null, basis: '青岛市促进总部经济发展若干政策', signed: -180, amount: wan(3000), official: '赵志刚',
    milestones: [{ description: '兑现年度总部经济奖励', due: 100, amount: wan(3000) }],
  },
  {
    agency: 'city', kind: 'investment', title: '中德智能制造重大项目投资合作协议', ref: '青政协〔2024〕2号', enterprise: 4, basis: '市政府与企业签订的投资合作协议', signed: -600, amount: wan(5000), official: '赵志刚',
    milestones: [
      { description: '配套道路及管网建成', due: -90 },
      { description: '兑现固定资产投资奖励', due: 300, amount: wan(5000) },
    ],
  },
  {
    agency: 'city', kind: 'investment', title: '崂山生物医药产业化项目合作协议', ref: '青政协〔2024〕5号', enterprise: 3, basis: '市政府与企业签订的合作协议', signed: -550, amount: wan(2000), official: '赵志刚',
    milestones: [{ description: '兑现产业化扶持资金', due: -200, amount: wan(2000) }],
    events: [{ breach: null, findings: '扶持资金逾期 200 日未兑现，未办理变更或说明，专项清理中认定违约。', on: -10, by: 'auditor' }],
  },
  {
    agency: 'shinan', kind: 'contract', title: '老旧小区改造配套工程施工合同', ref: 'SNQ-HT-2025-017', enterprise: 2, basis: '市南区建设工程施工合同', signed: -320, amount: wan(680), official: '钱晓东',
    milestones: [{ description: '竣工验收结算款', due: -35, amount: wan(680) }],
  },
  {
    agency: 'shinan', kind: 'policy', title: '小微企业房租减免政策', ref: '南政发〔2026〕1号', enterprise: null, basis: '市南区助企纾困若干措施', signed: -25, amount: wan(300), official: '钱晓东',
    milestones: [{ description: '兑现上半年房租减免', due: 75, amount: wan(300) }],
  },
  {
    agency: 'shinan', kind: 'policy', title: '精密制造研发投入补贴', ref: '南科补〔2025〕4号', enterprise: 0, basis: '市南区科技创新扶持办法', signed: -70, amount: wan(20), official: '钱晓东',
    milestones: [{ description: '拨付研发投入补贴', due: 12, amount: wan(20) }],
  },
  {
    agency: 'zhanshan', kind: 'contract', title: '辖区环境卫生保洁服务合同', ref: 'ZSJD-HT-2026-001', enterprise: 5, basis: '湛山街道服务采购合同', signed: -45, amount: wan(18), official: '孙丽',
    milestones: [{ description: '季度保洁服务费', due: 45, amount: wan(4.5) }],
  },
  {
    agency: 'zhanshan', kind: 'other', title: '道路施工期间临街商户经营补偿', ref: 'ZSJD-BC-2025-003', enterprise: 5, basis: '湛山街道道路施工补偿方案', signed: -110, amount: wan(3), official: '孙丽',
    milestones: [{ description: '支付经营损失补偿', due: -50, amount: wan(3) }],
  },
];

/** A demo account as the service sees it (the seed acts as these users). */
export async function demoUser(db: Knex, username: string): Promise<SessionUser> {
  const row = await db('users').where({ username }).first('id');
  const user = row && (await loadSessionUser(db, row.id));
  if (!user) throw new Error(`demo user ${username} is missing`);
  return user;
}

const callerFor = (user: SessionUser): Caller => ({ user, actor: { id: user.id, username: user.username, ip: null } });

/**
 * About forty commitments across the demo agencies, dated relative to today, of every kind and
 * status. They are made through the service so that statuses and audit entries are what real
 * use would leave behind.
 */
export async function seedDemoCommitments(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const agencies: Array<{ id: number; code: string }> = await db('agencies').select('id', 'code');
  const agencyId = (key: AgencyKey) => agencies.find((a) => a.code === DEMO_AGENCIES.find((d) => d.key === key)!.code)!.id;
  const enterprises: Array<{ id: number; credit_code: string }> = await db('enterprises').select('id', 'credit_code');
  const enterpriseId = (index: number) => enterprises.find((e) => e.credit_code === DEMO_ENTERPRISES[index]!.code)!.id;
  const officers: Partial<Record<AgencyKey, SessionUser>> = { approval: await demoUser(db, 'officer1'), commerce: await demoUser(db, 'officer2') };
  const auditor = await demoUser(db, 'auditor');
  const enterprise1 = await demoUser(db, 'enterprise1');

  await db.transaction(async (trx) => {
    const ctx = { db: trx, clock };
    for (const c of DEMO_COMMITMENTS) {
      const officer = officers[c.agency];
      const registrar: AuditActor = officer ? callerFor(officer).actor : SYSTEM_ACTOR;
      const { commitmentId, milestoneIds } = await insertCommitment(ctx, registrar, {
        kind: c.kind,
        title: c.title,
        referenceNo: c.ref,
        agencyId: agencyId(c.agency),
        enterpriseId: c.enterprise === null ? null : enterpriseId(c.enterprise),
        basis: c.basis,
        signedOn: day(c.signed),
        amountFen: c.amount,
        responsibleOfficial: c.official,
        isPublic: c.isPublic ?? true,
        milestones: c.milestones.map((m) => ({ description: m.description, dueOn: day(m.due), amountFen: m.amount ?? null })),
      });
      const fulfilmentIds: number[] = [];
      for (const e of c.events ?? []) {
        const needOfficer = () => {
          if (!officer) throw new Error(`demo commitment ${c.ref}: no officer for ${c.agency}`);
          return officer;
        };
        if ('fulfil' in e) {
          const { fulfilmentId } = await recordFulfilment(ctx, callerFor(needOfficer()), commitmentId, milestoneIds[e.fulfil]!, {
            fulfilledOn: day(e.on),
            note: e.note,
            amountFen: e.amount ?? null,
            complete: e.complete ?? true,
          });
          fulfilmentIds.push(fulfilmentId);
        } else if ('confirm' in e) {
          await respondToFulfilment(ctx, callerFor(enterprise1), commitmentId, fulfilmentIds[e.confirm]!, { response: 'confirmed' });
        } else if ('dispute' in e) {
          await respondToFulfilment(ctx, callerFor(enterprise1), commitmentId, fulfilmentIds[e.dispute]!, { response: e.response, comment: e.comment });
          if (e.settle) await settleDispute(ctx, callerFor(auditor), commitmentId, fulfilmentIds[e.dispute]!, e.settle);
        } else if ('waive' in e) {
          const { waiverId } = await requestWaiver(ctx, callerFor(needOfficer()), commitmentId, milestoneIds[e.waive]!, e.reason);
          if (e.decision) await decideWaiver(ctx, callerFor(auditor), commitmentId, waiverId, e.decision, e.note);
        } else if ('breach' in e) {
          const by = e.by === 'auditor' ? auditor : needOfficer();
          await recordBreach(ctx, callerFor(by), commitmentId, { findings: e.findings, milestoneId: e.breach === null ? null : milestoneIds[e.breach], breachedOn: day(e.on) });
        } else if ('handover' in e) {
          await recordHandover(ctx, callerFor(needOfficer()), commitmentId, { toOfficial: e.handover, handedOverOn: day(e.on), note: e.note });
        } else {
          await terminateCommitment(ctx, callerFor(needOfficer()), commitmentId, { reason: e.terminate, terminatedOn: day(e.on) });
        }
      }
    }
  });
}
