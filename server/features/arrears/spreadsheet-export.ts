import { choiceColumn, creditCodeColumn, dateColumn, integerColumn, moneyColumn, textColumn, yesNoColumn } from '../../spreadsheets/columns.ts';
import type { ExportRow } from '../../spreadsheets/writers.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import type { AgeingBucket, ArrearsCategory, ArrearsStatus } from './rules.ts';

/*
 * The ledger export's file format: its columns and the words in its cells, in the file's own words
 * (Chinese) whatever the page language, like every file the platform writes.
 */

export const CATEGORY_WORDS: Readonly<Record<ArrearsCategory, string>> = { works: '工程款', goods: '货物款', services: '服务款', policy_funds: '政策性资金', deposit: '保证金', other: '其他' };
export const SCALE_WORDS: Readonly<Record<EnterpriseScale, string>> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
export const STATUS_WORDS: Readonly<Record<ArrearsStatus, string>> = { outstanding: '未清偿', partly_cleared: '部分清偿', cleared: '已清偿' };
export const AGEING_WORDS: Readonly<Record<AgeingBucket, string>> = { '0-30': '30 天以内', '31-90': '31–90 天', '91-180': '91–180 天', '181-365': '181–365 天', '365+': '1 年以上' };

export const ARREARS_SHEET = '欠款台账';
export const EXPORT_RECORD_SHEET = '导出记录';

/** One row per arrears, as the ledger lists it, with what stands on the day of export. */
export const ARREARS_EXPORT_COLUMNS = [
  integerColumn({ key: 'seq', header: '序号', width: 8, guide: '导出顺序。' }),
  textColumn({ key: 'agency', header: '欠款单位', max: 200, width: 26, guide: '欠款的机关或单位。' }),
  textColumn({ key: 'creditor', header: '债权企业', max: 200, width: 30, guide: '被拖欠款项的企业。' }),
  creditCodeColumn({ key: 'creditCode', header: '统一社会信用代码', width: 22, guide: '债权企业的统一社会信用代码。' }),
  choiceColumn({ key: 'scale', header: '企业划型', words: SCALE_WORDS, width: 10, guide: '大型、中型、小型或微型；中小微企业适用 30/60 天付款期限规则。' }),
  choiceColumn({ key: 'category', header: '欠款类别', words: CATEGORY_WORDS, width: 12, guide: '工程款、货物款、服务款、政策性资金、保证金或其他。' }),
  textColumn({ key: 'contractRef', header: '合同编号', max: 100, width: 20, guide: '合同编号；没有则空。' }),
  textColumn({ key: 'description', header: '欠款事由', max: 2000, width: 36, guide: '欠款事由。' }),
  moneyColumn({ key: 'principal', header: '本金（元）', width: 16, guide: '欠款本金。' }),
  moneyColumn({ key: 'paid', header: '已付（元）', width: 16, guide: '未冲正、未被企业异议（或经审计认定有效）的付款合计。' }),
  moneyColumn({ key: 'outstanding', header: '未付（元）', width: 16, guide: '本金减去已付。' }),
  moneyColumn({ key: 'disputed', header: '有分歧金额（元）', width: 16, guide: '双方有分歧的部分；其余部分到期应付。' }),
  dateColumn({ key: 'acceptedOn', header: '交付或验收日期', width: 14, guide: '付款期限自此起算。' }),
  dateColumn({ key: 'dueOn', header: '付款期限', width: 12, guide: '约定付款日，未约定的为交付或验收后 30 天。' }),
  integerColumn({ key: 'termDays', header: '期限天数', width: 10, guide: '交付或验收日至付款期限的天数。' }),
  yesNoColumn({ key: 'nonCompliant', header: '期限不合规', width: 10, guide: '中小微企业且期限超过 60 天为“是”。' }),
  choiceColumn({ key: 'status', header: '清偿状态', words: STATUS_WORDS, width: 10, guide: '未清偿、部分清偿或已清偿。' }),
  integerColumn({ key: 'daysOverdue', header: '逾期天数', width: 10, guide: '无分歧的未付款项已过付款期限的天数；未逾期不填。' }),
  choiceColumn({ key: 'ageing', header: '账龄', words: AGEING_WORDS, width: 12, guide: '按逾期天数分段；未逾期不填。' }),
  moneyColumn({ key: 'interest', header: '逾期利息（元）', width: 16, guide: '截至导出当天的逾期利息：约定利率，未约定的按每日万分之五。' }),
] as const;

/** Who exported what, when and with which filters: one item a row. */
export const EXPORT_RECORD_COLUMNS = [
  textColumn({ key: 'item', header: '项目', max: 50, width: 18, guide: '' }),
  textColumn({ key: 'value', header: '内容', max: 2000, width: 60, guide: '' }),
] as const;

export type ArrearsExportRow = ExportRow<typeof ARREARS_EXPORT_COLUMNS>;
export type ExportRecordRow = ExportRow<typeof EXPORT_RECORD_COLUMNS>;
