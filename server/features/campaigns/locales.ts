import type { Catalogue } from '../../i18n/types.ts';

/** The strings of clean-up campaigns (专项清理): pages, audit labels and errors. */
export const campaignsCatalogue: Catalogue = {
  'zh-CN': {
    nav: { campaigns: '专项清理' },
    entities: { campaign: '专项清理' },
    phase: { upcoming: '未开始', running: '进行中', past_target: '已过目标日期' },
    itemTypes: { arrears: '拖欠账款', milestone: '承诺履约节点' },
    states: { open: '遗留问题', new: '新增问题', cleared: '已清理' },
    fields: {
      name: '名称', startedOn: '开始日期', targetOn: '目标完成日期', goal: '工作目标', agencies: '参加单位', agencyIds: '参加单位',
      arrearsCount: '基线欠款笔数', arrearsFen: '基线欠款金额', milestoneCount: '基线履约节点数', milestoneFen: '基线节点金额',
      itemType: '事项类型', dueOn: '办结期限', instruction: '调度要求', agency: '责任单位', item: '事项', asOf: '统计日期',
    },
    values: { itemType: { arrears: '拖欠账款', milestone: '承诺履约节点' } },
    events: { campaign: { created: '创建专项清理', baseline_frozen: '冻结专项清理基线', assigned: '调度交办事项' } },
    errors: {
      noAgencies: '请至少选择一个参加单位',
      targetNotAfterStart: '目标完成日期须晚于开始日期',
      asOfBeforeStart: '统计日期不能早于开始日期 {{date}}',
      duePast: '办结期限不能早于今天（{{today}}）',
      itemCleared: '该事项已清理，无需调度',
    },
    pages: {
      list: {
        title: '专项清理', new: '新建专项清理', empty: '暂无专项清理', period: '期间', agencyCount: '参加单位数', status: '状态', daysLeft: '剩余天数',
        agencyCountValue: '{{count}} 个',
      },
      form: {
        title: '新建专项清理', allAgencies: '全部单位', agenciesHint: '勾选参加本次专项清理的单位，或勾选“全部单位”。',
        startHint: '开始日期为今天或以前的，创建时即按开始日期冻结基线；开始日期在以后的，于开始日期当天冻结。', submit: '创建',
      },
      show: {
        period: '{{from}} 至 {{to}}', daysLeft: '距目标完成日期还有 {{count}} 天', dueToday: '今天是目标完成日期', daysPast: '已超过目标完成日期 {{count}} 天',
        notFrozen: '基线将于开始日期 {{date}} 冻结，届时开始统计进展。', frozenAt: '基线冻结于 {{time}}，按 {{date}} 的情况确定。',
        asOf: '统计日期', show: '查看',
        newProblems: '新增问题 {{count}} 项，金额 {{amount}} 元', newProblemsNone: '截至统计日期未发现新增问题。',
        newProblemsRule: '专项清理要求不得新增拖欠、不得新增违约：开始日期以后到期而未办结的事项均列为新增问题。',
        arrearsTable: '拖欠账款', milestonesTable: '承诺履约节点', total: '合计',
        baseline: '基线', cleared: '已清理', open: '遗留问题', newProblem: '新增问题', rate: '清理率', count: '数量', amount: '金额（元）',
        needsAction: '需办理事项', needsActionHint: '遗留问题和新增问题，按到期日排列；最多显示 {{max}} 项。', allItems: '查看全部事项',
        assignments: '调度交办', assignmentsEmpty: '暂无调度交办事项', overdue: '已逾期', assignedBy: '{{name}} 交办',
        myAgencyOnly: '仅显示本单位（{{agency}}）的情况。', noItems: '暂无需办理事项',
      },
      items: {
        title: '{{name}}：事项清单', state: '情况', allStates: '全部情况', allAgencies: '全部单位', allTypes: '全部类型', due: '到期日',
        baselineAmount: '基线金额（元）', currentAmount: '尚欠金额（元）', assign: '调度', empty: '没有符合条件的事项', back: '返回专项清理',
      },
      assign: {
        title: '调度交办', item: '事项', submit: '交办', hint: '交办给事项所属单位，并写明办结期限和要求。',
      },
      flash: { created: '专项清理已创建', assigned: '已调度交办' },
    },
  },
  en: {
    nav: { campaigns: 'Campaigns' },
    entities: { campaign: 'Campaign' },
    phase: { upcoming: 'Upcoming', running: 'Running', past_target: 'Past target date' },
    itemTypes: { arrears: 'Arrears', milestone: 'Commitment milestone' },
    states: { open: 'Still open', new: 'New problem', cleared: 'Cleared' },
    fields: {
      name: 'Name', startedOn: 'Start date', targetOn: 'Target date', goal: 'Goal', agencies: 'Agencies', agencyIds: 'Agencies',
      arrearsCount: 'Arrears in baseline', arrearsFen: 'Arrears amount in baseline', milestoneCount: 'Milestones in baseline', milestoneFen: 'Milestone amount in baseline',
      itemType: 'Item type', dueOn: 'Due by', instruction: 'Instruction', agency: 'Agency', item: 'Item', asOf: 'As of',
    },
    values: { itemType: { arrears: 'Arrears', milestone: 'Commitment milestone' } },
    events: { campaign: { created: 'Created a campaign', baseline_frozen: 'Froze a campaign baseline', assigned: 'Assigned a campaign item' } },
    errors: {
      noAgencies: 'Choose at least one agency',
      targetNotAfterStart: 'The target date must be after the start date',
      asOfBeforeStart: 'The date cannot be before the start date, {{date}}',
      duePast: 'The due date cannot be before today ({{today}})',
      itemCleared: 'This item has been cleared and needs no assignment',
    },
    pages: {
      list: {
        title: 'Campaigns', new: 'New campaign', empty: 'No campaigns yet', period: 'Period', agencyCount: 'Agencies', status: 'Status', daysLeft: 'Days left',
        agencyCountValue: '{{count}}',
      },
      form: {
        title: 'New campaign', allAgencies: 'All agencies', agenciesHint: 'Tick the agencies this campaign covers, or "All agencies".',
        startHint: 'A campaign starting today or earlier freezes its baseline at once, as of its start date; a later one freezes it on its start date.', submit: 'Create',
      },
      show: {
        period: '{{from}} to {{to}}', daysLeft: '{{count}} days to the target date', dueToday: 'Today is the target date', daysPast: '{{count}} days past the target date',
        notFrozen: 'The baseline will be frozen on the start date, {{date}}; progress is counted from then.', frozenAt: 'Baseline frozen at {{time}}, as things stood on {{date}}.',
        asOf: 'As of', show: 'Show',
        newProblems: '{{count}} new problems, {{amount}} yuan', newProblemsNone: 'No new problems as of this date.',
        newProblemsRule: 'A campaign must add no new arrears and no new breaches: every item that fell due from the start date on and was not met is a new problem.',
        arrearsTable: 'Arrears', milestonesTable: 'Commitment milestones', total: 'Total',
        baseline: 'Baseline', cleared: 'Cleared', open: 'Still open', newProblem: 'New problems', rate: 'Clearance rate', count: 'Count', amount: 'Amount (yuan)',
        needsAction: 'Items needing action', needsActionHint: 'Items still open and new problems, by due date; at most {{max}} shown.', allItems: 'All items',
        assignments: 'Assignments', assignmentsEmpty: 'No assignments yet', overdue: 'Overdue', assignedBy: 'assigned by {{name}}',
        myAgencyOnly: 'Only your agency ({{agency}}) is shown.', noItems: 'No items need action',
      },
      items: {
        title: '{{name}}: items', state: 'Standing', allStates: 'All', allAgencies: 'All agencies', allTypes: 'All types', due: 'Due',
        baselineAmount: 'At the start (yuan)', currentAmount: 'Still owed (yuan)', assign: 'Assign', empty: 'No items match', back: 'Back to the campaign',
      },
      assign: {
        title: 'Assign an item', item: 'Item', submit: 'Assign', hint: 'The item goes to its own agency, with a due date and what is to be done.',
      },
      flash: { created: 'Campaign created', assigned: 'Item assigned' },
    },
  },
};
