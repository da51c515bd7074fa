import type { Catalogue } from '../../i18n/types.ts';

/** The clearance dashboard (auditors), what agencies owe an enterprise, and the summary API's errors. */
export const arrearsDashboardCatalogue: Catalogue = {
  'zh-CN': {
    dashboard: {
      nav: '清欠看板',
      title: '清欠工作看板',
      intro: '截至 {{asOf}} 的清欠情况：只计入当日及以前支付且有效的款项（已冲正的、企业提出异议而审计未认定的不计）。',
      pickers: '选择日期', asOf: '截至日期', since: '新增拖欠起算日', sinceHint: '此日期之后到期、截至日期仍逾期未付的欠款', show: '查看',
      ledgerToday: '台账链接显示的是今天的情况。',
      cards: { owed: '欠款本金（元）', paid: '已清偿（元）', confirmed: '企业已确认（元）', outstanding: '未清偿（元）', rate: '清偿率', overdue: '逾期未付（元）', nonCompliant: '付款期限超 60 天', newArrears: '{{since}} 以来新增拖欠' },
      byAgency: '各单位清欠情况', agency: '单位', count: '笔数', owed: '本金（元）', paid: '已清偿（元）', confirmed: '已确认（元）', outstanding: '未清偿（元）', rate: '清偿率',
      overdue: '逾期未付（元）', nonCompliant: '期限超 60 天', newArrears: '新增拖欠', total: '合计', noRate: '—',
      countAmount: '{{count}} 笔 · {{amount}} 元', none: '没有欠款记录。',
      ageingTitle: '账龄分布', ageingHelp: '逾期未付的无争议部分，按逾期天数分组；每一组可在台账中打开（按今天计算）。', bucket: '账龄', ageingCount: '笔数', ageingAmount: '金额（元）',
      related: '相关工作', disputes: '待裁定的付款异议', campaigns: '专项清理行动',
      errors: { otherAgency: '您只能查看本单位的清欠情况。', sinceAfterAsOf: '起算日不能晚于截止日期。' },
    },
    owed: {
      nav: '应收欠款',
      title: '政府部门欠本企业的款项',
      intro: '截至今天（{{today}}）各单位欠本企业的款项。逾期利息按约定利率计算；未约定利率的，按每日万分之五自到期次日起计算，只计无争议的未付部分。',
      agency: '单位', count: '笔数', owed: '本金（元）', paid: '已付（元）', confirmed: '本企业已确认（元）', outstanding: '未付（元）', overdue: '逾期未付（元）', interest: '逾期利息（元）',
      byAgency: '各单位欠款', total: '合计', none: '没有政府部门欠本企业款项的记录。',
      arrears: '欠款明细', contract: '合同或说明', dueOn: '到期日', status: '状态', overdueBadge: '已逾期',
      awaiting: '待您确认的付款（{{count}}）', awaitingHelp: '机关登记了以下付款：请核对到账情况后确认，或提出异议。', noneAwaiting: '没有待确认的付款。', respond: '确认或提出异议',
      paidOn: '{{date}} 支付', amount: '{{amount}} 元', voucher: '凭证号 {{voucher}}',
    },
  },
  en: {
    dashboard: {
      nav: 'Clearance dashboard',
      title: 'Arrears clearance dashboard',
      intro: 'Arrears cleared as of {{asOf}}: only valid payments made on or before that day count (reversed payments, and payments the creditor disputed and the auditors did not uphold, do not).',
      pickers: 'Choose dates', asOf: 'As of', since: 'New arrears since', sinceHint: 'Arrears that fell due after this date and are still overdue on the as-of date', show: 'Show',
      ledgerToday: 'The ledger links show today’s position.',
      cards: { owed: 'Owed (principal, yuan)', paid: 'Paid (yuan)', confirmed: 'Confirmed by creditors (yuan)', outstanding: 'Outstanding (yuan)', rate: 'Clearance rate', overdue: 'Overdue and unpaid (yuan)', nonCompliant: 'Terms over 60 days', newArrears: 'New arrears since {{since}}' },
      byAgency: 'Clearance by agency', agency: 'Agency', count: 'Arrears', owed: 'Owed (yuan)', paid: 'Paid (yuan)', confirmed: 'Confirmed (yuan)', outstanding: 'Outstanding (yuan)', rate: 'Cleared',
      overdue: 'Overdue (yuan)', nonCompliant: 'Terms over 60 days', newArrears: 'New arrears', total: 'Total', noRate: '-',
      countAmount: '{{count}} · {{amount}} yuan', none: 'No arrears are recorded.',
      ageingTitle: 'Ageing', ageingHelp: 'The undisputed overdue money, by days past due; each bucket opens in the ledger (as of today).', bucket: 'Days overdue', ageingCount: 'Arrears', ageingAmount: 'Amount (yuan)',
      related: 'Related work', disputes: 'Disputed payments to settle', campaigns: 'Clean-up campaigns',
      errors: { otherAgency: 'You may only see your own agency’s arrears.', sinceAfterAsOf: 'The start date cannot be after the as-of date.' },
    },
    owed: {
      nav: 'Owed to us',
      title: 'What government agencies owe your enterprise',
      intro: 'What each agency owes your enterprise as of today ({{today}}). Late interest runs at the agreed rate or, where none was agreed, at 0.05% a day from the day after the due date, on the undisputed unpaid part only.',
      agency: 'Agency', count: 'Arrears', owed: 'Owed (yuan)', paid: 'Paid (yuan)', confirmed: 'Confirmed by us (yuan)', outstanding: 'Unpaid (yuan)', overdue: 'Overdue (yuan)', interest: 'Late interest (yuan)',
      byAgency: 'By agency', total: 'Total', none: 'No agency owes your enterprise anything on record.',
      arrears: 'The arrears', contract: 'Contract or description', dueOn: 'Due', status: 'Status', overdueBadge: 'Overdue',
      awaiting: 'Payments for you to confirm ({{count}})', awaitingHelp: 'Agencies recorded these payments: check that the money arrived and confirm, or dispute.', noneAwaiting: 'No payments wait for your answer.', respond: 'Confirm or dispute',
      paidOn: 'paid on {{date}}', amount: '{{amount}} yuan', voucher: 'voucher {{voucher}}',
    },
  },
};
