import type ExcelJS from 'exceljs';
import {
  choiceColumn,
  creditCodeColumn,
  dateColumn,
  integerColumn,
  moneyColumn,
  NO,
  textColumn,
  YES,
  yesNoColumn,
} from '../../spreadsheets/columns.ts';
import { DEFAULT_SHEET_LIMITS } from '../../spreadsheets/reading.ts';
import { buildTemplate } from '../../spreadsheets/template.ts';
import type { ExportRow } from '../../spreadsheets/writers.ts';
import type { CommitmentListRow } from './queries.ts';
import type { CommitmentStatus } from './rules.ts';
import { COMMITMENT_KINDS, type CommitmentKind } from './schema.ts';

/*
 * The ledger's file format: the columns of the import template and of the list export, and the
 * words in their cells. They are defined here, not read from the page catalogue, so that
 * relabelling a page never changes the files and an older file still imports.
 */

export const KIND_WORDS: Readonly<Record<CommitmentKind, string>> = { contract: '政府合同', policy: '政策承诺', investment: '招商引资协议', other: '其他' };
export const STATUS_WORDS: Readonly<Record<CommitmentStatus, string>> = { in_progress: '履约中', overdue: '已逾期', breached: '已违约', fulfilled: '已履约', terminated: '已终止' };

export const LEDGER_SHEET = '承诺台账';

const referenceNo = textColumn({
  key: 'referenceNo', header: '文号/合同编号', max: 100, required: true, width: 22, example: 'QDSP-HT-2026-001',
  guide: '必填。同一文号/合同编号的各行合为一项承诺，每行是它的一个履约节点；本单位台账中已有的文号不能再导入。',
});
const kind = choiceColumn({
  key: 'kind', header: '承诺类型', words: KIND_WORDS, aliases: Object.fromEntries(COMMITMENT_KINDS.map((k) => [k, k])), required: true, allowBlank: true, width: 14, example: KIND_WORDS.contract,
  guide: `必填。填 ${Object.values(KIND_WORDS).join('、')} 之一。`,
});
const title = textColumn({ key: 'title', header: '承诺事项', max: 300, required: true, allowBlank: true, width: 36, example: '政务服务大厅智能化改造项目', guide: '必填，最多 300 字。' });
const enterpriseCode = creditCodeColumn({
  key: 'enterpriseCode', header: '对方企业统一社会信用代码', width: 26,
  guide: '选填（政策承诺可不填）。18 位统一社会信用代码，须是平台已登记的市场主体。',
});
const basis = textColumn({ key: 'basis', header: '依据', max: 2000, width: 30, example: '《政务服务大厅智能化改造采购合同》', guide: '选填。承诺所依据的文件、合同或会议纪要，最多 2000 字。' });
const signedOn = dateColumn({ key: 'signedOn', header: '签订日期', required: true, allowBlank: true, width: 12, example: '2026-01-15', guide: '必填。日期写成 YYYY-MM-DD，例如 2026-01-15；也可写成 2026/1/15 或 2026年1月15日。' });
const amount = moneyColumn({ key: 'amount', header: '总金额（元）', required: true, allowBlank: true, width: 16, example: '1200000.00', guide: '必填。单位为元，最多两位小数，不填千分位也可；无金额的承诺填 0。' });
const responsibleOfficial = textColumn({ key: 'responsibleOfficial', header: '责任人', max: 100, required: true, allowBlank: true, width: 12, example: '张伟', guide: '必填。承诺的责任人姓名。' });
const isPublic = yesNoColumn({ key: 'isPublic', header: '是否公开', required: true, allowBlank: true, width: 10, example: YES, guide: `必填。填“${YES}”或“${NO}”。` });
const milestone = textColumn({ key: 'milestone', header: '节点内容', max: 500, required: true, width: 36, example: '验收合格后支付合同价款的 30%', guide: '必填。本行履约节点应履行的内容，最多 500 字。' });
const dueOn = dateColumn({ key: 'dueOn', header: '节点到期日', required: true, width: 12, example: '2026-03-31', guide: '必填。日期写法同“签订日期”。' });
const milestoneAmount = moneyColumn({ key: 'milestoneAmount', header: '节点金额（元）', width: 16, example: '360000.00', guide: '选填。单位为元，最多两位小数；各节点金额之和不能超过总金额。' });

/** The import: one row per milestone; rows sharing a reference number form one commitment. */
export const LEDGER_IMPORT_COLUMNS = [referenceNo, kind, title, enterpriseCode, basis, signedOn, amount, responsibleOfficial, isPublic, milestone, dueOn, milestoneAmount] as const;

/** Columns that describe the commitment (the same on every row of a reference number) rather than the row's milestone. */
export const COMMITMENT_LEVEL_COLUMNS = [kind, title, enterpriseCode, basis, signedOn, amount, responsibleOfficial, isPublic] as const;
export const MILESTONE_COLUMNS = [milestone, dueOn, milestoneAmount] as const;

/** The list export: one row per commitment, as the ledger page lists them. */
export const LEDGER_EXPORT_COLUMNS = [
  integerColumn({ key: 'seq', header: '序号', width: 8, guide: '导出顺序。' }),
  referenceNo,
  kind,
  { ...title, width: 40 },
  textColumn({ key: 'agency', header: '责任单位', max: 200, width: 26, guide: '承诺的责任单位。' }),
  textColumn({ key: 'enterprise', header: '对方企业', max: 200, width: 30, guide: '对方企业名称。' }),
  signedOn,
  amount,
  responsibleOfficial,
  choiceColumn({ key: 'status', header: '状态', words: STATUS_WORDS, width: 10, guide: '导出当天的承诺状态。' }),
  dateColumn({ key: 'nextDueOn', header: '最近到期日', width: 12, guide: '尚未办结的履约节点中最早的到期日。' }),
  isPublic,
] as const;

export function ledgerExportRow(row: CommitmentListRow, seq: number): ExportRow<typeof LEDGER_EXPORT_COLUMNS> {
  return {
    seq,
    referenceNo: row.referenceNo,
    kind: row.kind,
    title: row.title,
    agency: row.agencyName,
    enterprise: row.enterpriseName,
    signedOn: row.signedOn,
    amount: row.amountFen,
    responsibleOfficial: row.responsibleOfficial,
    status: row.status,
    nextDueOn: row.nextDueOn,
    isPublic: row.isPublic,
  };
}

const TEMPLATE_NOTES = [
  '每行是一个履约节点；文号/合同编号相同的各行合为一项承诺（可以不相邻）。',
  '同一承诺各行的承诺类型、承诺事项、对方企业、依据、签订日期、总金额、责任人、是否公开须一致；第二行起这些列可以留空。',
  '日期写成 YYYY-MM-DD（也可写成 2026/1/5 或 2026年1月5日）；金额以元为单位，最多两位小数。',
  `导入时先检查全部行：只要有一处错误，整个文件都不导入，并列出每处错误的行号和列名（表头为第 1 行）。最多 ${DEFAULT_SHEET_LIMITS.maxRows} 行。`,
  '也可以上传 UTF-8 编码的 CSV 文件（Excel 中“另存为 → CSV UTF-8（逗号分隔）”），第一行为同样的列名。',
  '只读取第一个工作表；示例行请在填写前删除。',
];

/** The workbook officers download, fill in and upload: two example rows make one commitment with two milestones. */
export function ledgerTemplate(): ExcelJS.Workbook {
  return buildTemplate({
    sheetName: LEDGER_SHEET,
    columns: LEDGER_IMPORT_COLUMNS,
    examples: [{}, { milestone: '质保期满后支付剩余价款', dueOn: '2026-09-30', milestoneAmount: '840000.00' }],
    notes: TEMPLATE_NOTES,
  });
}
