import type ExcelJS from 'exceljs';
import { choiceColumn, creditCodeColumn, dateColumn, moneyColumn, textColumn, type ColumnSpec } from '../../spreadsheets/columns.ts';
import { headerKey } from '../../spreadsheets/checker.ts';
import { DEFAULT_SHEET_LIMITS } from '../../spreadsheets/reading.ts';
import { buildTemplate } from '../../spreadsheets/template.ts';
import { ARREARS_CATEGORIES, MAX_SME_TERM_DAYS, STATUTORY_TERM_DAYS, type ArrearsCategory } from './rules.ts';

/*
 * The arrears file format: the columns of the import template, with the words in their cells. Like
 * every file the platform writes, the template's headers and words are Chinese and defined here,
 * not read from the page catalogue, so that relabelling a page never changes the files. An uploaded
 * file may also use the English headers of ENGLISH_HEADERS (a spreadsheet kept by a foreign-invested
 * creditor's counterpart, say): either spelling finds the same column.
 */

export const CATEGORY_WORDS: Readonly<Record<ArrearsCategory, string>> = {
  works: '工程款', goods: '货物款', services: '服务款', policy_funds: '政策性资金', deposit: '保证金', other: '其他',
};

export const ARREARS_SHEET = '欠款台账';
export const CATEGORY_SHEET = '类别代码';

/** The credit code of the template's example creditor: a small enterprise of the demo data, so that the example imports there. */
const EXAMPLE_CREDIT_CODE = '91370200567812341J';

const agency = textColumn({
  key: 'agency', header: '债务单位', max: 200, required: true, width: 24, example: '青岛市行政审批服务局',
  guide: '必填。欠款的单位，填本单位的全称或单位代码；只能导入本单位的欠款。',
});
const enterpriseCode = creditCodeColumn({
  key: 'enterpriseCode', header: '债权企业统一社会信用代码', required: true, width: 26, example: EXAMPLE_CREDIT_CODE,
  guide: '必填。18 位统一社会信用代码，须是平台已登记的市场主体。',
});
const category = choiceColumn({
  key: 'category', header: '类别', words: CATEGORY_WORDS, aliases: Object.fromEntries(ARREARS_CATEGORIES.map((c) => [c, c])), required: true, width: 12, example: CATEGORY_WORDS.works,
  guide: `必填。填 ${Object.values(CATEGORY_WORDS).join('、')} 之一，或“${CATEGORY_SHEET}”工作表中的代码。`,
});
const contractRef = textColumn({
  key: 'contractRef', header: '合同编号', max: 100, required: true, width: 20, example: 'QDSP-CG-2026-018',
  guide: '必填，最多 100 字。同一文件中不能重复，本单位台账中已有的合同编号也不能再导入。',
});
const contractSignedOn = dateColumn({
  key: 'contractSignedOn', header: '合同签订日期', required: true, width: 12, example: '2026-01-10',
  guide: '必填。日期写成 YYYY-MM-DD，例如 2026-01-10；也可写成 2026/1/10 或 2026年1月10日。约定年利率与签订日适用的一年期 LPR 比较。',
});
const principal = moneyColumn({ key: 'principal', header: '本金（元）', required: true, width: 16, example: '850000.00', guide: '必填。欠款本金，单位为元，大于 0，最多两位小数。' });
const acceptedOn = dateColumn({
  key: 'acceptedOn', header: '交付/验收日期', required: true, width: 14, example: '2026-02-14',
  guide: '必填。货物、工程或服务交付的日期；以验收为付款条件的，填验收合格的日期。付款期限从这一天起算。',
});
const dueOn = dateColumn({
  key: 'dueOn', header: '约定付款日', width: 12, example: '2026-03-16',
  guide: `选填。合同约定的付款日，不能早于交付/验收日期。不填的，付款日为交付/验收日期后 ${STATUTORY_TERM_DAYS} 天；债权人为中小企业而约定超过 ${MAX_SME_TERM_DAYS} 天的，照样导入，并标记为付款期限不合规。`,
});
const disputed = moneyColumn({ key: 'disputed', header: '有分歧金额（元）', width: 16, example: '0', guide: '选填。双方有分歧的金额，单位为元，不超过本金；不填即为 0。' });
/** A rate may be typed with its percent sign: "3.45%" reads as "3.45". */
const rateColumn = textColumn({
  key: 'agreedAnnualRate', header: '约定年利率（%）', max: 20, width: 14, example: '3.45',
  guide: '选填。合同约定的逾期利息年利率，填百分数，例如 3.45；不填的，逾期利息按每日万分之五计算。',
});
const agreedAnnualRate: ColumnSpec<'agreedAnnualRate', string> = { ...rateColumn, parse: (text) => rateColumn.parse(text.replace(/\s*[%％]$/, '')) };
const commitmentRef = textColumn({
  key: 'commitmentRef', header: '关联承诺文号', max: 100, width: 20,
  guide: '选填。欠款出自本单位的某项承诺时，填该承诺的文号/合同编号，须是本单位承诺台账中已有的。',
});
const responsibleOfficial = textColumn({ key: 'responsibleOfficial', header: '责任人', max: 100, required: true, width: 12, example: '张伟', guide: '必填。负责清偿这笔欠款的人员姓名。' });
const description = textColumn({ key: 'description', header: '说明', max: 2000, required: true, width: 36, example: '政务服务大厅智能化改造设备采购款', guide: '必填。欠款的内容，最多 2000 字。' });

/** One row per arrears. */
export const ARREARS_IMPORT_COLUMNS = [
  agency, enterpriseCode, category, contractRef, contractSignedOn, principal, acceptedOn, dueOn, disputed, agreedAnnualRate, commitmentRef, responsibleOfficial, description,
] as const;

export type ArrearsColumns = typeof ARREARS_IMPORT_COLUMNS;
export type ArrearsColumnKey = ArrearsColumns[number]['key'];

/** The headers an uploaded file may use instead of the Chinese ones (compared without case, spaces or bracket width). */
export const ENGLISH_HEADERS: Readonly<Record<ArrearsColumnKey, string>> = {
  agency: 'Debtor agency',
  enterpriseCode: 'Creditor credit code',
  category: 'Category',
  contractRef: 'Contract no.',
  contractSignedOn: 'Contract signed on',
  principal: 'Principal (yuan)',
  acceptedOn: 'Delivered or accepted on',
  dueOn: 'Agreed payment date',
  disputed: 'Disputed amount (yuan)',
  agreedAnnualRate: 'Agreed annual rate (%)',
  commitmentRef: 'Commitment reference no.',
  responsibleOfficial: 'Responsible official',
  description: 'Description',
};

const englishKey = (name: string) => headerKey(name).toLowerCase();

/**
 * The import's columns as a file spells its headers: a column the file heads in English takes the
 * file's own spelling, so that the checker finds it and every error names it as the user sees it.
 * A column the file lacks keeps its Chinese header, or its English one when the file is mostly in English.
 */
export function columnsForHeader(header: readonly string[]): ArrearsColumns {
  const present = new Set(header.map(headerKey));
  const english = new Map<string, string>();
  for (const name of header) if (!english.has(englishKey(name))) english.set(englishKey(name), name);
  let chineseFound = 0;
  let englishFound = 0;
  const spelled = ARREARS_IMPORT_COLUMNS.map((c) => {
    if (present.has(headerKey(c.header))) {
      chineseFound++;
      return c.header;
    }
    const own = english.get(englishKey(ENGLISH_HEADERS[c.key]));
    if (own !== undefined) englishFound++;
    return own;
  });
  const fallback = (c: ArrearsColumns[number]) => (englishFound > chineseFound ? ENGLISH_HEADERS[c.key] : c.header);
  return ARREARS_IMPORT_COLUMNS.map((c, i) => ({ ...c, header: spelled[i] ?? fallback(c) })) as unknown as ArrearsColumns;
}

const TEMPLATE_NOTES = [
  '每行是一笔欠款，只能填本单位的欠款。',
  `类别可以填中文名称，也可以填“${CATEGORY_SHEET}”工作表中的代码。`,
  '日期写成 YYYY-MM-DD（也可写成 2026/1/5 或 2026年1月5日）；金额以元为单位，最多两位小数。',
  `导入时先检查全部行：只要有一处错误，整个文件都不导入，并列出每处错误的行号和列名（表头为第 1 行）。最多 ${DEFAULT_SHEET_LIMITS.maxRows} 行。`,
  '也可以上传 UTF-8 编码的 CSV 文件（Excel 中“另存为 → CSV UTF-8（逗号分隔）”），第一行为同样的列名。',
  `表头也可以用英文：${ARREARS_IMPORT_COLUMNS.map((c) => ENGLISH_HEADERS[c.key]).join('、')}。`,
  '只读取第一个工作表；示例行请在填写前删除。',
];

/** The example row: in the downloading officer's agency, so that the template as downloaded imports. */
export function templateExample(agencyName: string): Partial<Record<ArrearsColumnKey, string>> {
  return { agency: agencyName };
}

/** The workbook officers download, fill in and upload: the data sheet with an example row, the guide, and the category codes. */
export function arrearsTemplate(agencyName: string): ExcelJS.Workbook {
  const workbook = buildTemplate({ sheetName: ARREARS_SHEET, columns: ARREARS_IMPORT_COLUMNS, examples: [templateExample(agencyName)], notes: TEMPLATE_NOTES });
  const codes = workbook.addWorksheet(CATEGORY_SHEET);
  codes.columns = [{ header: '代码', width: 16 }, { header: '类别', width: 16 }];
  codes.getRow(1).font = { bold: true };
  for (const code of ARREARS_CATEGORIES) codes.addRow([code, CATEGORY_WORDS[code]]);
  return workbook;
}

/** The CSV template: the header and the example row, as the cells of the workbook's first sheet. */
export function csvTemplateRows(agencyName: string): string[][] {
  const example = templateExample(agencyName);
  return [ARREARS_IMPORT_COLUMNS.map((c) => c.header), ARREARS_IMPORT_COLUMNS.map((c) => example[c.key] ?? c.example)];
}
