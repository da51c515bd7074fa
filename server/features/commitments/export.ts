import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { recordAuditEvent } from '../../audit/chain.ts';
import type { ListScope } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { Role } from '../../config.ts';
import type { Caller } from '../../context.ts';
import { formatTime } from '../../i18n/formats.ts';
import { exportSheet, writeCsvZip, writeXlsxBook, type ExportSheet } from '../../spreadsheets/writers.ts';
import { filteredCommitments, toListRow, type CommitmentFilters, type CommitmentListRow, type CommitmentSort } from './queries.ts';
import { fulfilmentCounts, isMilestoneOverdue, outstandingFen, overdueDays, type DisputeStatus, type EnterpriseResponse, type MilestoneStatus } from './rules.ts';
import {
  COMMITMENT_EXPORT_COLUMNS,
  COMMITMENTS_SHEET,
  EXPORT_RECORD_COLUMNS,
  EXPORT_RECORD_SHEET,
  KIND_WORDS,
  LEDGER_SHEET,
  MILESTONE_EXPORT_COLUMNS,
  STATUS_WORDS,
  type CommitmentExportRow,
  type ExportRecordRow,
  type MilestoneExportRow,
} from './spreadsheet.ts';

/*
 * The ledger export: a real ledger rather than a copy of the list page. Its first sheet has one row
 * per milestone in the import's columns (so it imports again) with what was fulfilled, what is still
 * owed, the status and the days overdue; a second sheet sums up each commitment; a third records who
 * exported what, when and with which filters. Excel gets one workbook; CSV a ZIP of one file a sheet.
 */

/**
 * Commitments read at a time, so that no query holds the (on SQLite, only) connection for long: a
 * batch of 500 kept a page's query under 25 ms behind the export (2,000 made it wait 240 ms; bench/import.ts).
 */
const EXPORT_BATCH = 500;

export type ExportFormat = 'xlsx' | 'csv';

/** What to export for whom: the list's scope and filters, the day statuses are counted on, and who asked when. */
export interface LedgerExport {
  scope: ListScope;
  filters: CommitmentFilters;
  today: string;
  /** When the export was made (an ISO instant). */
  at: string;
  by: Pick<SessionUser, 'displayName' | 'username' | 'role' | 'agencyName' | 'enterpriseName'>;
  format: ExportFormat;
}

export function exportFileName(today: string, format: ExportFormat): string {
  return `${LEDGER_SHEET}-${today}.${format === 'xlsx' ? 'xlsx' : 'zip'}`;
}

interface ExportedMilestone {
  seq: number;
  description: string;
  dueOn: string;
  amountFen: number | null;
  status: MilestoneStatus;
  completedOn: string | null;
  fulfilledFen: number;
}

interface ExportedCommitment {
  row: CommitmentListRow;
  basis: string | null;
  enterpriseCode: string | null;
  milestones: ExportedMilestone[];
}

/** Everything the export writes of a batch of commitments, in the order of `ids`: four queries a batch. */
async function exportBatch(db: Knex, scope: ListScope, filters: CommitmentFilters, today: string, ids: number[]): Promise<ExportedCommitment[]> {
  const [rows, extras, milestones, fulfilments] = await Promise.all([
    filteredCommitments(db, scope, filters, today).clearOrder().whereIn('x.id', ids) as Promise<Array<Record<string, unknown>>>,
    db('commitments as c').leftJoin('enterprises as e', 'e.id', 'c.enterprise_id').whereIn('c.id', ids).select('c.id', 'c.basis', 'e.credit_code') as Promise<Array<{ id: number; basis: string | null; credit_code: string | null }>>,
    db('milestones').whereIn('commitment_id', ids).orderBy([{ column: 'commitment_id' }, { column: 'seq' }])
      .select('id', 'commitment_id', 'seq', 'description', 'due_on', 'amount_fen', 'status', 'completed_on') as Promise<Array<{ id: number; commitment_id: number; seq: number; description: string; due_on: string; amount_fen: number | string | null; status: MilestoneStatus; completed_on: string | null }>>,
    db('fulfilments as f').join('milestones as m', 'm.id', 'f.milestone_id').whereIn('m.commitment_id', ids)
      .select('f.milestone_id', 'f.amount_fen', 'f.enterprise_response', 'f.dispute_status') as Promise<Array<{ milestone_id: number; amount_fen: number | string | null; enterprise_response: EnterpriseResponse | null; dispute_status: DisputeStatus | null }>>,
  ]);
  // What the counted fulfilments paid on each milestone: the same rule as the commitment page.
  const fulfilled = new Map<number, number>();
  for (const f of fulfilments) {
    if (!fulfilmentCounts({ enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status })) continue;
    fulfilled.set(Number(f.milestone_id), (fulfilled.get(Number(f.milestone_id)) ?? 0) + Number(f.amount_fen ?? 0));
  }
  const milestonesOf = new Map<number, ExportedMilestone[]>();
  for (const m of milestones) {
    const list = milestonesOf.get(Number(m.commitment_id)) ?? [];
    list.push({ seq: m.seq, description: m.description, dueOn: m.due_on, amountFen: m.amount_fen === null ? null : Number(m.amount_fen), status: m.status, completedOn: m.completed_on, fulfilledFen: fulfilled.get(Number(m.id)) ?? 0 });
    milestonesOf.set(Number(m.commitment_id), list);
  }
  const extraOf = new Map(extras.map((e) => [Number(e.id), e]));
  const rowOf = new Map(rows.map((raw) => [Number(raw.id), toListRow(raw)]));
  return ids.flatMap((id) => {
    const row = rowOf.get(id);
    if (!row) return [];
    return [{ row, basis: extraOf.get(id)?.basis ?? null, enterpriseCode: extraOf.get(id)?.credit_code ?? null, milestones: milestonesOf.get(id) ?? [] }];
  });
}

/**
 * The commitments in list order, a batch at a time. The ordered ids come first in one query; each
 * batch is then read by id, so no batch re-sorts the whole list, and the connection is free between
 * batches while the file streams to a slow client.
 */
async function* exportedCommitments(db: Knex, e: LedgerExport): AsyncGenerator<ExportedCommitment> {
  const ids: number[] = (await filteredCommitments(db, e.scope, e.filters, e.today).clearSelect().select('x.id')).map((r: { id: number }) => Number(r.id));
  for (let start = 0; start < ids.length; start += EXPORT_BATCH) yield* await exportBatch(db, e.scope, e.filters, e.today, ids.slice(start, start + EXPORT_BATCH));
}

/** Overdue is about what is still owed: a terminated commitment owes nothing more, so none of its milestones is overdue. */
function milestoneOverdueDays(c: ExportedCommitment, m: ExportedMilestone, today: string): number | null {
  return c.row.terminatedOn ? null : overdueDays(m, today);
}

function milestoneRow(c: ExportedCommitment, m: ExportedMilestone, seq: number, today: string): MilestoneExportRow {
  const r = c.row;
  return {
    seq,
    referenceNo: r.referenceNo, kind: r.kind, title: r.title, enterpriseCode: c.enterpriseCode, basis: c.basis, signedOn: r.signedOn, amount: r.amountFen,
    responsibleOfficial: r.responsibleOfficial, isPublic: r.isPublic, milestone: m.description, dueOn: m.dueOn, milestoneAmount: m.amountFen,
    milestoneSeq: m.seq,
    fulfilledAmount: m.fulfilledFen,
    outstandingAmount: outstandingFen(m, m.fulfilledFen),
    milestoneStatus: m.status,
    overdueDays: milestoneOverdueDays(c, m, today),
    completedOn: m.completedOn,
    agency: r.agencyName,
    enterprise: r.enterpriseName,
    status: r.status,
  };
}

function commitmentRow(c: ExportedCommitment, seq: number, today: string): CommitmentExportRow {
  const r = c.row;
  const outstanding = c.milestones.map((m) => outstandingFen(m, m.fulfilledFen)).filter((fen): fen is number => fen !== null);
  return {
    seq,
    referenceNo: r.referenceNo, kind: r.kind, title: r.title, agency: r.agencyName, enterprise: r.enterpriseName, enterpriseCode: c.enterpriseCode,
    signedOn: r.signedOn, amount: r.amountFen,
    milestoneCount: c.milestones.length,
    fulfilledAmount: c.milestones.reduce((sum, m) => sum + m.fulfilledFen, 0),
    outstandingAmount: outstanding.length ? outstanding.reduce((a, b) => a + b, 0) : null,
    overdueMilestones: r.terminatedOn ? 0 : c.milestones.filter((m) => isMilestoneOverdue(m, today)).length,
    responsibleOfficial: r.responsibleOfficial,
    status: r.status,
    nextDueOn: r.nextDueOn,
    isPublic: r.isPublic,
  };
}

// The record sheet is in the file's own words (Chinese), like its headers, whatever the page language.
const ROLE_WORDS: Record<Role, string> = { admin: '系统管理员', auditor: '监督审计', officer: '机关经办人', enterprise: '企业用户' };
const SORT_WORDS: Record<CommitmentSort, string> = { signed_desc: '签订日期（新→旧）', signed_asc: '签订日期（旧→新）', next_due_asc: '最近到期优先', amount_desc: '金额（高→低）', title_asc: '承诺事项（按名称）' };
const FORMAT_WORDS: Record<ExportFormat, string> = { xlsx: 'Excel 工作簿（三个工作表）', csv: 'ZIP 包内的 CSV 文件（UTF-8，每个工作表一个文件）' };

/** The filters as the list page showed them, in words: names rather than ids. */
async function filterWords(db: Knex, filters: CommitmentFilters): Promise<Array<[string, string]>> {
  const words: Array<[string, string]> = [];
  if (filters.agencyId) words.push(['责任单位', (await db('agencies').where({ id: filters.agencyId }).first('name'))?.name ?? `#${filters.agencyId}`]);
  if (filters.kind) words.push(['承诺类型', KIND_WORDS[filters.kind]]);
  if (filters.status) words.push(['状态', STATUS_WORDS[filters.status]]);
  if (filters.dueFrom) words.push(['节点到期自', filters.dueFrom]);
  if (filters.dueTo) words.push(['节点到期至', filters.dueTo]);
  if (filters.enterpriseId) {
    const e = await db('enterprises').where({ id: filters.enterpriseId }).first('name', 'credit_code');
    words.push(['对方企业', e ? `${e.name}（${e.credit_code}）` : `#${filters.enterpriseId}`]);
  }
  if (filters.q) words.push(['关键词', filters.q]);
  return words;
}

function scopeWords(e: LedgerExport): string {
  switch (e.scope.kind) {
    case 'all': return '全部单位';
    case 'agency': return `本单位：${e.by.agencyName ?? ''}`;
    case 'enterprise': return `对本企业的承诺：${e.by.enterpriseName ?? ''}`;
    default: return '无';
  }
}

async function recordRows(db: Knex, e: LedgerExport, counts: { commitments: number; milestones: number }): Promise<ExportRecordRow[]> {
  const filters = await filterWords(db, e.filters);
  const unit = e.by.agencyName ?? e.by.enterpriseName;
  return [
    { item: '导出时间', value: `${formatTime(e.at, 'zh-CN', { seconds: true })}（北京时间）` },
    { item: '导出人', value: `${e.by.displayName}（账号 ${e.by.username}）` },
    { item: '角色', value: unit ? `${ROLE_WORDS[e.by.role]} · ${unit}` : ROLE_WORDS[e.by.role] },
    { item: '数据范围', value: scopeWords(e) },
    ...(filters.length ? filters.map(([label, value]) => ({ item: `筛选条件：${label}`, value })) : [{ item: '筛选条件', value: '无（范围内全部承诺）' }]),
    { item: '排序', value: SORT_WORDS[e.filters.sort ?? 'signed_desc'] },
    { item: '状态计算日', value: `${e.today}（承诺状态、节点状态和逾期天数均按这一天计算）` },
    { item: '承诺数', value: String(counts.commitments) },
    { item: '履约节点数', value: String(counts.milestones) },
    { item: '文件格式', value: FORMAT_WORDS[e.format] },
    { item: LEDGER_SHEET, value: '每行一个履约节点，金额单位为元。与批量导入模板同名的列可直接导入，其余列导入时忽略。' },
    { item: COMMITMENTS_SHEET, value: '每行一项承诺，其履约节点的金额已合计。' },
  ];
}

/**
 * The three sheets of an export. The ledger sheet is read from the database as it is written; the
 * summary and the record are written after it from what it read, so the sheets agree with each other.
 */
function ledgerSheets(db: Knex, e: LedgerExport): ExportSheet[] {
  const summaries: CommitmentExportRow[] = [];
  const counts = { commitments: 0, milestones: 0 };
  let ledgerWritten: () => void = () => undefined;
  const ledgerDone = new Promise<void>((resolve) => (ledgerWritten = resolve));

  async function* milestones(): AsyncGenerator<MilestoneExportRow> {
    for await (const c of exportedCommitments(db, e)) {
      summaries.push(commitmentRow(c, ++counts.commitments, e.today));
      for (const m of c.milestones) yield milestoneRow(c, m, ++counts.milestones, e.today);
    }
    ledgerWritten();
  }
  async function* commitments(): AsyncGenerator<CommitmentExportRow> {
    await ledgerDone;
    yield* summaries;
  }
  async function* record(): AsyncGenerator<ExportRecordRow> {
    await ledgerDone;
    yield* await recordRows(db, e, counts);
  }
  return [
    exportSheet(LEDGER_SHEET, MILESTONE_EXPORT_COLUMNS, milestones()),
    exportSheet(COMMITMENTS_SHEET, COMMITMENT_EXPORT_COLUMNS, commitments()),
    exportSheet(EXPORT_RECORD_SHEET, EXPORT_RECORD_COLUMNS, record()),
  ];
}

/** The export as an Excel workbook, written row by row to `out`. */
export async function writeXlsxExport(db: Knex, e: LedgerExport, out: Writable): Promise<void> {
  await writeXlsxBook(out, ledgerSheets(db, e));
}

/** The export as a ZIP of CSV files, one a sheet, streamed to `out`. */
export async function writeCsvExport(db: Knex, e: LedgerExport, out: Writable): Promise<void> {
  await writeCsvZip(out, ledgerSheets(db, e));
}

/** Every export is in the audit log too: who took which part of the ledger out, in which format; the agency and enterprise filtered by are named. */
/** The audit log's entity type for the ledger as a whole (what an export takes away). */
export const LEDGER_ENTITY = 'ledger';

export async function recordLedgerExport(db: Knex, caller: Caller, e: Pick<LedgerExport, 'format' | 'filters'>): Promise<void> {
  const nameOf = async (table: 'agencies' | 'enterprises', id: number | undefined): Promise<string | undefined> => (id ? (await db(table).where({ id }).first('name'))?.name : undefined);
  const filters = { ...e.filters, agency: await nameOf('agencies', e.filters.agencyId), enterprise: await nameOf('enterprises', e.filters.enterpriseId) };
  await recordAuditEvent(db, caller.actor, { action: 'commitments.exported', entityType: LEDGER_ENTITY, after: { format: e.format, filters } });
}
