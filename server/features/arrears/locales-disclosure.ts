import type { Catalogue } from '../../i18n/types.ts';

/** The annual disclosure's strings (`arrears:disclosure.*`) and its audit labels. */
export const disclosureCatalogue: Catalogue = {
  'zh-CN': {
    disclosure: {
      nav: '年度公示',
      title: '年度逾期未支付中小企业款项公示',
      intro: '每年 3 月 31 日前，各单位公示上一年度逾期未支付中小企业款项的合同数量和金额（按 12 月 31 日的情况统计，仅计中小微企业债权人，不含有分歧部分）。',
      year: '年度', show: '查看', compute: '计算本年度数据', recompute: '重新计算草稿',
      computeHint: '计算或重新计算所有单位的草稿；已公示的数据不再变动。已确认的数据如有变化，将退回单位重新确认。',
      deadline: '公示截止日期：{{date}}', agency: '单位', count: '逾期合同数', amount: '逾期金额（元）', status: '状态', late: '逾期公示', note: '单位意见',
      publishAll: '公示全部已确认数据', publish: '公示', review: '确认', reviewNote: '确认意见（可选）', reviewHint: '请核对本单位数据，无误后确认；如有异议请在意见中说明。',
      empty: '本年度尚未计算', publishedOn: '公示日期', reviewedBy: '{{name}} 于 {{time}} 确认', notComputed: '本年度数据尚未计算，请等待审计部门计算。',
      statuses: { draft: '待单位确认', reviewed: '单位已确认', published: '已公示' },
      flash: { computed: '已计算 {{count}} 个单位的数据', reviewed: '已确认本单位数据', published: '已公示 {{count}} 个单位的数据' },
      errors: {
        year: '请选择 {{first}} 至 {{last}} 年之间已结束的年度',
        published: '该数据已公示，不能再修改',
        notReviewed: '单位尚未确认，不能公示',
        nothingReviewed: '{{year}} 年度没有已确认待公示的数据',
      },
    },
    entities: { arrears_disclosure: '年度公示' },
    fields: {
      year: '年度', overdueCount: '逾期合同数', overdueFen: '逾期金额', disclosureStatus: '公示状态', reviewNote: '确认意见', publishedOn: '公示日期', late: '逾期公示',
    },
    values: { disclosureStatus: { draft: '待单位确认', reviewed: '单位已确认', published: '已公示' } },
    events: { arrears: { disclosure_computed: '计算年度公示数据', disclosure_reviewed: '单位确认年度公示数据', disclosure_published: '公示年度数据' } },
  },
  en: {
    disclosure: {
      nav: 'Annual disclosure',
      title: 'Annual disclosure of overdue payments to SMEs',
      intro: 'By 31 March each agency discloses the number and amount of its contracts with small, medium and micro enterprises still overdue and unpaid on 31 December of the year before (the disputed part left out).',
      year: 'Year', show: 'Show', compute: 'Compute this year', recompute: 'Recompute drafts',
      computeHint: 'Computes or recomputes every agency’s draft; published figures no longer change. Reviewed figures that changed go back to the agency for review.',
      deadline: 'Deadline: {{date}}', agency: 'Agency', count: 'Overdue contracts', amount: 'Overdue amount (yuan)', status: 'Status', late: 'Late', note: 'Agency’s note',
      publishAll: 'Publish every reviewed row', publish: 'Publish', review: 'Confirm', reviewNote: 'Note (optional)', reviewHint: 'Check your agency’s figures and confirm them; explain any objection in the note.',
      empty: 'Not computed for this year yet', publishedOn: 'Published on', reviewedBy: 'confirmed by {{name}} at {{time}}', notComputed: 'This year’s figures have not been computed yet; the auditors compute them.',
      statuses: { draft: 'Awaiting the agency', reviewed: 'Confirmed by the agency', published: 'Published' },
      flash: { computed: 'Figures computed for {{count}} agencies', reviewed: 'Your agency’s figures are confirmed', published: 'Published the figures of {{count}} agencies' },
      errors: {
        year: 'Choose a year that has ended, from {{first}} to {{last}}',
        published: 'These figures are published and can no longer change',
        notReviewed: 'The agency has not confirmed these figures yet',
        nothingReviewed: 'No confirmed figures of {{year}} are waiting to be published',
      },
    },
    entities: { arrears_disclosure: 'Annual disclosure' },
    fields: {
      year: 'Year', overdueCount: 'Overdue contracts', overdueFen: 'Overdue amount', disclosureStatus: 'Disclosure status', reviewNote: 'Review note', publishedOn: 'Published on', late: 'Late',
    },
    values: { disclosureStatus: { draft: 'Awaiting the agency', reviewed: 'Confirmed by the agency', published: 'Published' } },
    events: { arrears: { disclosure_computed: 'Computed annual disclosure figures', disclosure_reviewed: 'Agency confirmed annual disclosure figures', disclosure_published: 'Published annual disclosure figures' } },
  },
};
