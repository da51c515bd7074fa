import type { Catalogue } from '../../i18n/types.ts';

/** The LPR table page's strings (`arrears:lpr.*`) and its audit labels. */
export const lprCatalogue: Catalogue = {
  'zh-CN': {
    lpr: {
      nav: 'LPR 利率',
      title: '一年期贷款市场报价利率（LPR）',
      intro: '约定的逾期利率低于合同订立时适用的一年期 LPR 的，系统予以提示。LPR 由全国银行间同业拆借中心受权公布。',
      effectiveOn: '执行日期', percent: '一年期 LPR（%）', addedBy: '录入人', seeded: '系统预置',
      add: '录入新报价', addHint: '按公布的百分数录入，例如 3.00；同一日期只能录入一次，不能晚于今天。', submit: '保存',
      flash: { added: '已录入 {{date}} 的 LPR 报价' },
      errors: { future: '执行日期不能晚于今天（{{today}}）', duplicate: '{{date}} 的报价已录入', zero: '利率须大于 0' },
    },
    entities: { lpr_rate: 'LPR 报价' },
    fields: { effectiveOn: '执行日期', percent: '一年期 LPR（%）' },
    events: { arrears: { lpr_added: '录入 LPR 报价' } },
  },
  en: {
    lpr: {
      nav: 'LPR table',
      title: 'One-year loan prime rate (LPR)',
      intro: 'An agreed late-interest rate below the one-year LPR in force when the contract was signed is flagged. The National Interbank Funding Center publishes the LPR.',
      effectiveOn: 'Effective from', percent: 'One-year LPR (%)', addedBy: 'Added by', seeded: 'Preset',
      add: 'Add a quotation', addHint: 'Enter the published percentage, for example 3.00; one quotation per date, not later than today.', submit: 'Save',
      flash: { added: 'LPR quotation of {{date}} added' },
      errors: { future: 'The date cannot be later than today ({{today}})', duplicate: 'A quotation for {{date}} is already recorded', zero: 'The rate must be above 0' },
    },
    entities: { lpr_rate: 'LPR quotation' },
    fields: { effectiveOn: 'Effective from', percent: 'One-year LPR (%)' },
    events: { arrears: { lpr_added: 'Added an LPR quotation' } },
  },
};
