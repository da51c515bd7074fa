import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { recordAuditEvent } from '../../audit/chain.ts';
import type { ListScope } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { Role } from '../../config.ts';
import type { Caller } from '../../context.ts';
import { formatTime } from '../../i18n/formats.ts';
import { exportSheet, writeCsvZip, writeXlsxBook, type ExportSheet } from '../../spreadsheets/writers.ts';
import { ARREARS_LEDGER_ENTITY } from './audit-entities.ts';
import { arrearsRowsByIds, filteredArrearsIds, lateInterestOf, type ArrearsListRow } from './queries.ts';
import type { ArrearsFilters, ArrearsSort } from './schema.ts';
import {
  AGEING_WORDS,
  ARREARS_EXPORT_COLUMNS,
  ARREARS_SHEET,
  CATEGORY_WORDS,
  EXPORT_RECORD_COLUMNS,
  EXPORT_RECORD_SHEET,
  STATUS_WORDS,
  type ArrearsExportRow,
  type ExportRecordRow,
} from './spreadsheet-export.ts';

/*
 * The ledger export: one row per arrears in the list's order, with what it owes, its flags and the
 * late interest as of the day of export, then a sheet recording who exported what, when and with
 * which filters. Excel gets one workbook; CSV a ZIP of one file a sheet (the record beside the ledger).
 */

/** Arrears read at a time, so that no query holds the (on SQLite, only) connection for long. */
const EXPORT_BATCH = 500;

export type ExportFormat = 'xlsx' | 'csv';

export interface ArrearsExport {
  scope: ListScope;
  filters: ArrearsFilters;
  today: string;
  /** When the export was made (an ISO instant). */
  at: string;
  by: Pick<SessionUser, 'displayName' | 'username' | 'role' | 'agencyName' | 'enterpriseName'>;
  format: ExportFormat;
}

export function exportFileName(today: string, format: ExportFormat): string {
  return `${ARREARS_SHEET}-${today}.${format === 'xlsx' ? 'xlsx' : 'zip'}`;
}

/** A batch of arrears with their interest as of the day of export (the rules over their payments). */
async function exportBatch(db: Knex, ids: number[], today: string): Promise<Array<{ row: ArrearsListRow; interestFen: number }>> {
  const rows = await arrearsRowsByIds(db, ids, today);
  const interest = await lateInterestOf(db, rows, today);
  return rows.map((row) => ({ row, interestFen: interest.get(row.id)! }));
}

function exportRow(r: ArrearsListRow, interestFen: number, seq: number): ArrearsExportRow {
  return {
    seq,
    agency: r.agencyName,
    creditor: r.enterpriseName,
    creditCode: r.creditCode,
    scale: r.creditorScale,
    category: r.category,
    contractRef: r.contractRef ?? '',
    description: r.description,
    principal: r.principalFen,
    paid: r.paidFen,
    outstanding: r.outstandingFen,
    disputed: r.disputedFen,
    acceptedOn: r.acceptedOn,
    dueOn: r.dueOn,
    termDays: r.termDays,
    nonCompliant: r.nonCompliantTerm,
    status: r.status,
    daysOverdue: r.daysPastDue,
    ageing: r.ageingBucket,
    interest: interestFen,
  };
}

// The record sheet is in the file's own words (Chinese), like its headers, whatever the page language.
const ROLE_WORDS: Record<Role, string> = { admin: '系统管理员', auditor: '监督审计', officer: '机关经办人', enterprise: '企业用户' };
const SORT_WORDS: Record<ArrearsSort, string> = { overdue_desc: '逾期最久优先', due_asc: '付款期限（早→晚）', due_desc: '付款期限（晚→早）', outstanding_desc: '未付金额（高→低）', principal_desc: '本金（高→低）' };
const FORMAT_WORDS: Record<ExportFormat, string> = { xlsx: 'Excel 工作簿（两个工作表）', csv: 'ZIP 包内的 CSV 文件（UTF-8，每个工作表一个文件）' };
const YES_NO_WORDS = {
  overdue: { label: '是否逾期', yes: '已逾期', no: '未逾期' },
  disputed: { label: '有无分歧', yes: '有分歧', no: '无分歧' },
  nonCompliant: { label: '付款期限', yes: '超过 60 天（不合规）', no: '合规' },
} as const;

/** The filters as the ledger page showed them, in words: names rather than ids. */
async function filterWords(db: Knex, f: ArrearsFilters): Promise<Array<[string, string]>> {
  const words: Array<[string, string]> = [];
  if (f.agencyId) words.push(['欠款单位', (await db('agencies').where({ id: f.agencyId }).first('name'))?.name ?? `#${f.agencyId}`]);
  if (f.enterpriseId) {
    const e = await db('enterprises').where({ id: f.enterpriseId }).first('name', 'credit_code');
    words.push(['债权企业', e ? `${e.name}（${e.credit_code}）` : `#${f.enterpriseId}`]);
  }
  if (f.category) words.push(['欠款类别', CATEGORY_WORDS[f.category]]);
  if (f.status) words.push(['清偿状态', STATUS_WORDS[f.status]]);
  if (f.ageing) words.push(['账龄', AGEING_WORDS[f.ageing]]);
  for (const key of ['overdue', 'disputed', 'nonCompliant'] as const) {
    const value = f[key];
    if (value) words.push([YES_NO_WORDS[key].label, YES_NO_WORDS[key][value]]);
  }
  if (f.q) words.push(['关键词', f.q]);
  return words;
}

function scopeWords(e: ArrearsExport): string {
  switch (e.scope.kind) {
    case 'all': return '全部单位';
    case 'agency': return `本单位欠款：${e.by.agencyName ?? ''}`;
    case 'enterprise': return `被拖欠本企业的款项：${e.by.enterpriseName ?? ''}`;
    default: return '无';
  }
}

async function recordRows(db: Knex, e: ArrearsExport, count: number): Promise<ExportRecordRow[]> {
  const filters = await filterWords(db, e.filters);
  const unit = e.by.agencyName ?? e.by.enterpriseName;
  return [
    { item: '导出时间', value: `${formatTime(e.at, 'zh-CN', { seconds: true })}（北京时间）` },
    { item: '导出人', value: `${e.by.displayName}（账号 ${e.by.username}）` },
    { item: '角色', value: unit ? `${ROLE_WORDS[e.by.role]} · ${unit}` : ROLE_WORDS[e.by.role] },
    { item: '数据范围', value: scopeWords(e) },
    ...(filters.length ? filters.map(([label, value]) => ({ item: `筛选条件：${label}`, value })) : [{ item: '筛选条件', value: '无（范围内全部欠款）' }]),
    { item: '排序', value: SORT_WORDS[e.filters.sort ?? 'overdue_desc'] },
    { item: '计算日', value: `${e.today}（逾期天数、账龄和逾期利息均按这一天计算）` },
    { item: '欠款笔数', value: String(count) },
    { item: '文件格式', value: FORMAT_WORDS[e.format] },
    { item: ARREARS_SHEET, value: '每行一笔欠款，金额单位为元。' },
  ];
}

/** The two sheets of an export; the record is written after the ledger, from what the ledger read. */
function ledgerSheets(db: Knex, e: ArrearsExport): ExportSheet[] {
  let count = 0;
  let ledgerWritten: () => void = () => undefined;
  const ledgerDone = new Promise<void>((resolve) => (ledgerWritten = resolve));

  async function* arrears(): AsyncGenerator<ArrearsExportRow> {
    const ids = await filteredArrearsIds(db, e.scope, e.filters, e.today);
    for (let start = 0; start < ids.length; start += EXPORT_BATCH) {
      for (const { row, interestFen } of await exportBatch(db, ids.slice(start, start + EXPORT_BATCH), e.today)) yield exportRow(row, interestFen, ++count);
    }
    ledgerWritten();
  }
  async function* record(): AsyncGenerator<ExportRecordRow> {
    await ledgerDone;
    yield* await recordRows(db, e, count);
  }
  return [exportSheet(ARREARS_SHEET, ARREARS_EXPORT_COLUMNS, arrears()), exportSheet(EXPORT_RECORD_SHEET, EXPORT_RECORD_COLUMNS, record())];
}

/** The export as an Excel workbook, written row by row to `out`. */
export async function writeXlsxExport(db: Knex, e: ArrearsExport, out: Writable): Promise<void> {
  await writeXlsxBook(out, ledgerSheets(db, e));
}

/** The export as a ZIP of CSV files, one a sheet, streamed to `out`. */
export async function writeCsvExport(db: Knex, e: ArrearsExport, out: Writable): Promise<void> {
  await writeCsvZip(out, ledgerSheets(db, e));
}

/** Every export is in the audit log too: who took which part of the ledger out, in which format; the agency and enterprise filtered by are named. */
export async function recordArrearsExport(db: Knex, caller: Caller, e: Pick<ArrearsExport, 'format' | 'filters'>): Promise<void> {
  const nameOf = async (table: 'agencies' | 'enterprises', id: number | undefined): Promise<string | undefined> => (id ? (await db(table).where({ id }).first('name'))?.name : undefined);
  const filters = { ...e.filters, agency: await nameOf('agencies', e.filters.agencyId), enterprise: await nameOf('enterprises', e.filters.enterpriseId) };
  await recordAuditEvent(db, caller.actor, { action: 'arrears.exported', entityType: ARREARS_LEDGER_ENTITY, after: { format: e.format, filters } });
}
