import { mergeCatalogues } from '../../i18n/merge.ts';
import type { Catalogue } from '../../i18n/types.ts';
import { arrearsDashboardCatalogue } from './locales-dashboard.ts';
import { arrearsDetailCatalogue } from './locales-detail.ts';
import { disclosureCatalogue } from './locales-disclosure.ts';
import { arrearsImportCatalogue } from './locales-import.ts';
import { arrearsLedgerCatalogue } from './locales-ledger.ts';
import { lprCatalogue } from './locales-lpr.ts';
import { arrearsPaymentsCatalogue } from './locales-payments.ts';

/** Labels of the arrears records and the errors their rules and service raise. */
const recordStrings: Catalogue = {
  'zh-CN': {
    categories: { works: '工程款', goods: '货物款', services: '服务款', policy_funds: '政策性资金', deposit: '保证金', other: '其他' },
    status: { outstanding: '未清偿', partly_cleared: '部分清偿', cleared: '已清偿' },
    scales: { large: '大型企业', medium: '中型企业', small: '小型企业', micro: '微型企业' },
    ageing: { '0-30': '逾期 30 天以内', '31-90': '逾期 31–90 天', '91-180': '逾期 91–180 天', '181-365': '逾期 181–365 天', '365+': '逾期 1 年以上' },
    entities: { arrears: '欠款' },
    errors: {
      rate: '年利率请填写百分数，例如 3.45',
      dueBeforeAccepted: '约定付款日不能早于交付或验收日期',
      disputedOverPrincipal: '有分歧金额不能超过欠款本金',
    },
  },
  en: {
    categories: { works: 'Works', goods: 'Goods', services: 'Services', policy_funds: 'Policy funds', deposit: 'Deposit', other: 'Other' },
    status: { outstanding: 'Outstanding', partly_cleared: 'Partly cleared', cleared: 'Cleared' },
    scales: { large: 'Large enterprise', medium: 'Medium enterprise', small: 'Small enterprise', micro: 'Micro enterprise' },
    ageing: { '0-30': 'Up to 30 days overdue', '31-90': '31–90 days overdue', '91-180': '91–180 days overdue', '181-365': '181–365 days overdue', '365+': 'Over a year overdue' },
    entities: { arrears: 'Arrears' },
    errors: {
      rate: 'Give the annual rate as a percentage, for example 3.45',
      dueBeforeAccepted: 'The agreed due date cannot be before delivery or acceptance',
      disputedOverPrincipal: 'The disputed amount cannot exceed the principal',
    },
  },
};

/** The feature's one namespace, `arrears`: record labels, and each part's strings from its own file. */
export const arrearsCatalogue: Catalogue = mergeCatalogues(recordStrings, arrearsLedgerCatalogue, arrearsPaymentsCatalogue, arrearsImportCatalogue, arrearsDetailCatalogue, arrearsDashboardCatalogue, disclosureCatalogue, lprCatalogue);
