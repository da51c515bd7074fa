import type { Catalogue } from '../../i18n/types.ts';

export const homeCatalogue: Catalogue = {
  'zh-CN': {
    welcome: '{{name}}，您好', roleLine: '您的角色：{{role}}', canDo: '您可以', today: '今天是 {{date}}',
    allCommitments: '全部承诺', openLedger: '打开承诺台账',
    overdue: '已逾期的履约节点（{{count}}）', noOverdue: '没有逾期的履约节点。',
    dueSoon: '30 天内到期的履约节点（{{count}}）', noDueSoon: '未来 30 天内没有到期的履约节点。',
    dueSoonToUs: '30 天内应向本企业履行的节点（{{count}}）',
    latestShown: '共 {{total}} 个，以下是最近逾期的 {{shown}} 个。', nearestShown: '共 {{total}} 个，以下是最先到期的 {{shown}} 个。', seeInLedger: '在承诺台账中查看这些承诺',
    onTimeTitle: '近 12 个月按期履约率', onTimeNone: '近 12 个月没有到期的履约节点。', onTimeLine: '近 12 个月到期的 {{due}} 个节点中，{{onTime}} 个按期履行（已豁免的节点不计）。',
    pendingWaivers: '待审核的豁免申请', openDisputes: '待裁定的履约异议',
    enterpriseIntro: '以下是政府部门对本企业作出的承诺。您可以在每条履约记录上确认或提出异议。',
    todo: {
      title: '待办事项',
      awaitingAnswer: '待您确认的履约记录（{{count}}）', awaitingAnswerHelp: '机关已登记以下履约情况：请核对后确认，或提出异议并上传材料。', noneAwaiting: '没有待确认的履约记录。', answer: '确认或提出异议',
      openDisputes: '待审计裁定的异议（{{count}}）', openDisputesHelp: '以下异议正在等待监督审计裁定；裁定前可以补充材料。', noOpenDisputes: '没有待裁定的异议。', addFiles: '补充材料',
      milestone: '节点 {{seq}}：{{description}}', fulfilledOn: '{{date}} 履约', amount: '{{amount}} 元', disputedAt: '{{at}} 提出异议',
    },
    arrears: {
      title: '本单位清欠情况', cityTitle: '全市清欠情况', owed: '欠款本金（元）', paid: '已清偿（元）', clearedThisYear: '今年已清偿（元）', rate: '清偿率', noRate: '—',
      overdue: '逾期未付（元，{{count}} 笔）', missedInstalments: '还款计划中逾期未还的期数', openLedger: '打开清欠台账', openDashboard: '打开清欠看板',
      awaitingAnswer: '待您确认的付款（{{count}}）', awaitingAnswerHelp: '机关登记了以下付款：请核对到账情况后确认，或提出异议并上传材料。', noneAwaiting: '没有待确认的付款。', answer: '确认或提出异议',
      openDisputes: '待审计裁定的付款异议（{{count}}）', openDisputesHelp: '以下付款异议正在等待监督审计裁定。', noOpenDisputes: '没有待裁定的付款异议。', view: '查看',
      payment: '{{date}} 付款 {{amount}} 元', voucher: '凭证号 {{voucher}}', owedToUs: '查看各单位欠本企业的款项',
    },
    duties: {
      admin: ['管理机关单位及其市、区、街道层级', '管理市场主体（校验统一社会信用代码）', '创建用户、分配角色与范围、锁定和重置密码', '为系统对接签发和吊销 API 令牌'],
      auditor: ['查看全部机关单位的承诺台账与履约情况', '审核豁免申请、处理争议', '查验审计日志的完整性（哈希链）'],
      officer: ['登记本单位的政府合同、政策承诺和招商引资协议及其履约节点', '记录履约情况并上传佐证材料', '办理责任人交接，做到“新官理旧账”'],
      enterprise: ['查看政府对本企业作出的承诺及其履约进度', '确认或对履约记录提出异议'],
    },
  },
  en: {
    welcome: 'Welcome, {{name}}', roleLine: 'Your role: {{role}}', canDo: 'What you can do', today: 'Today is {{date}}',
    allCommitments: 'All commitments', openLedger: 'Open the ledger',
    overdue: 'Overdue milestones ({{count}})', noOverdue: 'No milestones are overdue.',
    dueSoon: 'Milestones due in the next 30 days ({{count}})', noDueSoon: 'Nothing falls due in the next 30 days.',
    dueSoonToUs: 'Owed to us in the next 30 days ({{count}})',
    latestShown: 'The {{shown}} most recently lapsed of {{total}}.', nearestShown: 'The {{shown}} falling due first of {{total}}.', seeInLedger: 'See their commitments in the ledger',
    onTimeTitle: 'On-time fulfilment, last 12 months', onTimeNone: 'No milestones fell due in the last 12 months.', onTimeLine: '{{onTime}} of the {{due}} milestones due in the last 12 months were fulfilled on time (waived ones are left out).',
    pendingWaivers: 'Waiver requests to decide', openDisputes: 'Disputed fulfilments to settle',
    enterpriseIntro: 'These are the commitments government agencies made to your enterprise. You can confirm or dispute each recorded fulfilment.',
    todo: {
      title: 'To do',
      awaitingAnswer: 'Fulfilments for you to confirm ({{count}})', awaitingAnswerHelp: 'Agencies recorded what they did: check each and confirm it, or dispute it with files.', noneAwaiting: 'No fulfilments wait for your answer.', answer: 'Confirm or dispute',
      openDisputes: 'Your disputes before the auditors ({{count}})', openDisputesHelp: 'The auditors have not settled these yet; you can still add files.', noOpenDisputes: 'None of your disputes is waiting.', addFiles: 'Add files',
      milestone: 'Milestone {{seq}}: {{description}}', fulfilledOn: 'done on {{date}}', amount: '{{amount}} yuan', disputedAt: 'disputed {{at}}',
    },
    arrears: {
      title: 'Your agency’s arrears', cityTitle: 'Arrears across the city', owed: 'Owed (principal, yuan)', paid: 'Paid (yuan)', clearedThisYear: 'Paid this year (yuan)', rate: 'Clearance rate', noRate: '-',
      overdue: 'Overdue and unpaid (yuan, {{count}} arrears)', missedInstalments: 'Missed repayment-plan instalments', openLedger: 'Open the arrears ledger', openDashboard: 'Open the clearance dashboard',
      awaitingAnswer: 'Payments for you to confirm ({{count}})', awaitingAnswerHelp: 'Agencies recorded these payments: check that the money arrived and confirm, or dispute with files.', noneAwaiting: 'No payments wait for your answer.', answer: 'Confirm or dispute',
      openDisputes: 'Your disputed payments before the auditors ({{count}})', openDisputesHelp: 'The auditors have not settled these disputes yet.', noOpenDisputes: 'None of your payment disputes is waiting.', view: 'View',
      payment: '{{amount}} yuan paid on {{date}}', voucher: 'voucher {{voucher}}', owedToUs: 'See what each agency owes your enterprise',
    },
    duties: {
      admin: ['Manage agencies and their city / district / street hierarchy', 'Manage enterprises (the unified social credit code is checked)', 'Create users, give roles and scopes, lock accounts and reset passwords', 'Issue and revoke API tokens for system integrations'],
      auditor: ['Watch every agency’s commitments ledger and fulfilment', 'Decide waiver requests and settle disputes', 'Verify the audit log’s hash chain'],
      officer: ['Register your agency’s contracts, policy promises and investment agreements with their milestones', 'Record fulfilment with evidence files', 'Hand over responsibility when staff change, so that old promises are kept'],
      enterprise: ['See what the government promised your enterprise and how far it has delivered', 'Confirm or dispute recorded fulfilment'],
    },
  },
};
