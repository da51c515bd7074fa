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
import type { CommitmentStatus, MilestoneStatus } from './rules.ts';
import { COMMITMENT_KINDS, type CommitmentKind } from './schema.ts';

/*
 * The ledger's file format: the columns of the import template and of the list export, and the
 * words in their cells. They are defined here, not read from the page catalogue, so that
 * relabelling a page never changes the files and an older file still imports.
 */

export const KIND_WORDS: Readonly<Record<CommitmentKind, string>> = { contract: '政府合同', policy: '政策承诺', investment: '招商引资协议', other: '其他' };
export const STATUS_WORDS: Readonly<Record<CommitmentStatus, string>> = { in_progress: '履约中', overdue: '已逾期', breached: '已违约', fulfilled: '已履约', terminated: '已终止' };
export const MILESTONE_STATUS_WORDS: Readonly<Record<MilestoneStatus, string>> = { pending: '待履行', partial: '部分履行', fulfilled: '已履行', waived: '已豁免', breached: '已违约' };

/** The import reads the first sheet: an export's first sheet is the ledger, one row per milestone, in the import's columns. */
export const LEDGER_SHEET = '承诺台账';
export const COMMITMENTS_SHEET = '承诺汇总';
export const EXPORT_RECORD_SHEET = '导出记录';

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

const seq = integerColumn({ key: 'seq', header: '序号', width: 8, guide: '导出顺序。' });
const agency = textColumn({ key: 'agency', header: '责任单位', max: 200, width: 26, guide: '承诺的责任单位。' });
const enterprise = textColumn({ key: 'enterprise', header: '对方企业', max: 200, width: 30, guide: '对方企业名称。' });
const commitmentStatusColumn = choiceColumn({ key: 'status', header: '承诺状态', words: STATUS_WORDS, width: 10, guide: '导出当天的承诺状态。' });
const fulfilledAmount = moneyColumn({ key: 'fulfilledAmount', header: '已履行金额（元）', width: 16, guide: '经企业确认或未被异议、审计未否定的履约金额合计。' });
const outstandingAmount = moneyColumn({ key: 'outstandingAmount', header: '未履行金额（元）', width: 16, guide: '金额减去已履行金额；已履行或已豁免的节点为 0；没有金额的节点不填。' });

/**
 * The ledger export, one row per milestone: the import's columns first (so that the file imports
 * again, into another agency's ledger say), then what happened to each milestone by the day of export.
 */
export const MILESTONE_EXPORT_COLUMNS = [
  seq,
  ...LEDGER_IMPORT_COLUMNS,
  integerColumn({ key: 'milestoneSeq', header: '节点序号', width: 8, guide: '该节点在承诺中的序号。' }),
  fulfilledAmount,
  outstandingAmount,
  choiceColumn({ key: 'milestoneStatus', header: '节点状态', words: MILESTONE_STATUS_WORDS, width: 10, guide: '导出当天的节点状态。' }),
  integerColumn({ key: 'overdueDays', header: '逾期天数', width: 10, guide: '尚未办结且已过到期日的天数；未逾期不填。' }),
  dateColumn({ key: 'completedOn', header: '履行完毕日期', width: 12, guide: '完成该节点的履约日期。' }),
  agency,
  enterprise,
  commitmentStatusColumn,
] as const;

/** The summary sheet: one row per commitment, as the ledger page lists them, with its milestones' amounts added up. */
export const COMMITMENT_EXPORT_COLUMNS = [
  seq,
  referenceNo,
  kind,
  { ...title, width: 40 },
  agency,
  enterprise,
  enterpriseCode,
  signedOn,
  amount,
  integerColumn({ key: 'milestoneCount', header: '履约节点数', width: 10, guide: '承诺的履约节点个数。' }),
  fulfilledAmount,
  outstandingAmount,
  integerColumn({ key: 'overdueMilestones', header: '逾期节点数', width: 10, guide: '导出当天已逾期的节点个数。' }),
  responsibleOfficial,
  { ...commitmentStatusColumn, header: '状态' },
  dateColumn({ key: 'nextDueOn', header: '最近到期日', width: 12, guide: '尚未办结的履约节点中最早的到期日。' }),
  isPublic,
] as const;

/** Who exported what, when and with which filters: one item a row. */
export const EXPORT_RECORD_COLUMNS = [
  textColumn({ key: 'item', header: '项目', max: 50, width: 18, guide: '' }),
  textColumn({ key: 'value', header: '内容', max: 2000, width: 60, guide: '' }),
] as const;

export type MilestoneExportRow = ExportRow<typeof MILESTONE_EXPORT_COLUMNS>;
export type CommitmentExportRow = ExportRow<typeof COMMITMENT_EXPORT_COLUMNS>;
export type ExportRecordRow = ExportRow<typeof EXPORT_RECORD_COLUMNS>;

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
