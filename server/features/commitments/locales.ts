import type { Catalogue } from '../../i18n/types.ts';
import { commitmentFilesCatalogue } from './locales-files.ts';
import { commitmentPagesCatalogue } from './locales-pages.ts';

/** Labels of the commitment records and the errors their service raises. */
const recordStrings: Catalogue = {
  'zh-CN': {
    kinds: { contract: '政府合同', policy: '政策承诺', investment: '招商引资协议', other: '其他' },
    status: { in_progress: '履约中', overdue: '已逾期', breached: '已违约', fulfilled: '已履约', terminated: '已终止' },
    milestoneStatus: { pending: '待履行', partial: '部分履行', fulfilled: '已履行', waived: '已豁免', breached: '已违约' },
    overdue: '已逾期',
    overdueAfterHandover: '交接后逾期（新官不理旧账）',
    responses: { none: '待企业确认', confirmed: '企业确认已履行', partly: '企业认为仅部分履行', not_at_all: '企业认为未履行' },
    disputes: { open: '异议待审计裁定', upheld: '审计认定履行有效', rejected: '审计认定履行无效' },
    waiverDecisions: { pending: '豁免待审核', confirmed: '豁免已确认', refused: '豁免已驳回' },
    visibility: { public: '公开', internal: '内部' },
    fields: {
      kind: '类型', title: '承诺事项', referenceNo: '文号/合同编号', agency: '责任单位', enterprise: '相对企业', basis: '依据', signedOn: '签订日期',
      amount: '总金额（元）', responsibleOfficial: '责任人', isPublic: '是否公开', status: '状态', nextDueOn: '最近到期日', milestoneCount: '履约节点数',
      terminatedOn: '终止日期', terminationReason: '终止原因', milestone: '履约节点', dueOn: '到期日', milestoneAmount: '节点金额（元）',
      fulfilledOn: '履约日期', note: '履约情况', fulfilmentAmount: '履约金额（元）', complete: '本节点已全部履行', findings: '违约认定情况', reason: '理由',
    },
    events: {
      created: '登记承诺', updated: '修改承诺', fulfilment_recorded: '登记履约', waiver_requested: '申请豁免', waiver_confirmed: '确认豁免', waiver_refused: '驳回豁免',
      breach_recorded: '记录违约', terminated: '终止承诺', handed_over: '责任人变更', fulfilment_confirmed: '企业确认履约', fulfilment_disputed: '企业对履约提出异议',
      dispute_settled: '审计裁定异议', evidence_attached: '上传证明材料',
    },
    errors: {
      noMilestones: '至少需要一个履约节点。',
      milestonesExceedTotal: '各履约节点金额合计超出承诺总金额 {{excess}} 元（总金额 {{total}} 元）。',
      overFulfilled: '履约金额超出该节点应履行金额 {{excess}} 元：该节点最多还可登记 {{remaining}} 元。',
      amountBelowFulfilled: '该节点已登记履约 {{fulfilled}} 元，节点金额不能低于此数。',
      duplicateReference: '本单位已有文号/合同编号为“{{referenceNo}}”的承诺。',
      milestoneHasHistory: '履约节点“{{description}}”已有履约、豁免或违约记录，不能删除。',
      unknownMilestone: '该行不是本承诺的履约节点，请刷新页面后重新编辑。',
      terminated: '该承诺已于 {{date}} 终止，不能再登记或修改。',
      milestoneNotOpen: '履约节点“{{description}}”已办结（已履行、已豁免或已违约），不能再登记。',
      noOpenMilestones: '该承诺没有尚未办结的履约节点。',
      waiverPending: '该履约节点已有待审核的豁免申请。',
      waiverDecided: '该豁免申请已经审核。',
      alreadyResponded: '企业已对该履约记录作出回应。',
      noOpenDispute: '该履约记录没有待裁定的异议。',
      futureDate: '日期不能晚于今天（{{today}}）。',
      beforeSigned: '日期不能早于承诺签订日期（{{date}}）。',
      beforeLastHandover: '日期不能早于上一次责任人变更（{{date}}）。',
      sameOfficial: '“{{name}}”已是现任责任人。',
    },
  },
  en: {
    kinds: { contract: 'Government contract', policy: 'Policy promise', investment: 'Investment agreement', other: 'Other' },
    status: { in_progress: 'In progress', overdue: 'Overdue', breached: 'Breached', fulfilled: 'Fulfilled', terminated: 'Terminated' },
    milestoneStatus: { pending: 'Pending', partial: 'Partly fulfilled', fulfilled: 'Fulfilled', waived: 'Waived', breached: 'Breached' },
    overdue: 'Overdue',
    overdueAfterHandover: 'Overdue after handover (legacy commitment ignored)',
    responses: { none: 'Awaiting the enterprise', confirmed: 'Confirmed by the enterprise', partly: 'Enterprise says partly fulfilled', not_at_all: 'Enterprise says not fulfilled' },
    disputes: { open: 'Dispute awaiting the auditors', upheld: 'Auditors upheld the fulfilment', rejected: 'Auditors rejected the fulfilment' },
    waiverDecisions: { pending: 'Waiver awaiting review', confirmed: 'Waiver confirmed', refused: 'Waiver refused' },
    visibility: { public: 'Public', internal: 'Internal' },
    fields: {
      kind: 'Kind', title: 'Commitment', referenceNo: 'Reference no.', agency: 'Responsible agency', enterprise: 'Counterparty', basis: 'Basis', signedOn: 'Signed on',
      amount: 'Total amount (yuan)', responsibleOfficial: 'Responsible official', isPublic: 'Public', status: 'Status', nextDueOn: 'Next due', milestoneCount: 'Milestones',
      terminatedOn: 'Terminated on', terminationReason: 'Reason for termination', milestone: 'Milestone', dueOn: 'Due on', milestoneAmount: 'Milestone amount (yuan)',
      fulfilledOn: 'Fulfilled on', note: 'What was done', fulfilmentAmount: 'Amount (yuan)', complete: 'This completes the milestone', findings: 'Findings', reason: 'Reason',
    },
    events: {
      created: 'Commitment registered', updated: 'Commitment edited', fulfilment_recorded: 'Fulfilment recorded', waiver_requested: 'Waiver requested', waiver_confirmed: 'Waiver confirmed',
      waiver_refused: 'Waiver refused', breach_recorded: 'Breach recorded', terminated: 'Commitment terminated', handed_over: 'Responsible official changed',
      fulfilment_confirmed: 'Enterprise confirmed a fulfilment', fulfilment_disputed: 'Enterprise disputed a fulfilment', dispute_settled: 'Auditors settled a dispute', evidence_attached: 'Evidence uploaded',
    },
    errors: {
      noMilestones: 'At least one milestone is required.',
      milestonesExceedTotal: 'The milestones add up to {{excess}} yuan more than the total amount ({{total}} yuan).',
      overFulfilled: 'This is {{excess}} yuan more than the milestone still owes: at most {{remaining}} yuan can be recorded on it.',
      amountBelowFulfilled: '{{fulfilled}} yuan has already been fulfilled on this milestone; its amount cannot be lower.',
      duplicateReference: 'Your agency already has a commitment with reference no. "{{referenceNo}}".',
      milestoneHasHistory: 'Milestone "{{description}}" has fulfilments, waivers or a breach and cannot be removed.',
      unknownMilestone: 'This row is not a milestone of this commitment; reload the page and edit again.',
      terminated: 'This commitment was terminated on {{date}}; nothing more can be recorded or changed.',
      milestoneNotOpen: 'Milestone "{{description}}" is closed (fulfilled, waived or breached); nothing more can be recorded on it.',
      noOpenMilestones: 'This commitment has no open milestones.',
      waiverPending: 'A waiver for this milestone is already awaiting review.',
      waiverDecided: 'This waiver has already been decided.',
      alreadyResponded: 'The enterprise has already responded to this fulfilment.',
      noOpenDispute: 'This fulfilment has no open dispute.',
      futureDate: 'The date cannot be later than today ({{today}}).',
      beforeSigned: 'The date cannot be earlier than the signing date ({{date}}).',
      beforeLastHandover: 'The date cannot be earlier than the previous handover ({{date}}).',
      sameOfficial: '"{{name}}" is already the responsible official.',
    },
  },
};

/** The feature's one namespace, `commitments`: record labels at the top, `pages.*` and `files.*` beside them. */
export const commitmentsCatalogue: Catalogue = {
  'zh-CN': { ...recordStrings['zh-CN'], pages: commitmentPagesCatalogue['zh-CN'], files: commitmentFilesCatalogue['zh-CN'] },
  en: { ...recordStrings.en, pages: commitmentPagesCatalogue.en, files: commitmentFilesCatalogue.en },
};
