import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { recordAuditEvent } from '../../audit/chain.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { Role } from '../../config.ts';
import type { Caller } from '../../context.ts';
import { formatTime } from '../../i18n/formats.ts';
import type { CellCheck, ColumnSpec } from '../../spreadsheets/columns.ts';
import { integerColumn, textColumn } from '../../spreadsheets/columns.ts';
import { exportSheet, writeCsvZip, writeXlsxBook, type ExportRow, type ExportSheet } from '../../spreadsheets/writers.ts';
import type { HandlingFigures } from './rules.ts';
import type { AgencyStatistics, HandlingRates, StatisticsReport } from './statistics.ts';

/*
 * The statistics export: one row per agency (and the total for auditors) with the figures and rates
 * the page shows, then a sheet recording who exported what, when and for which period. In the file's
 * own words (Chinese) whatever the page language, like every file the platform writes.
 */

export const STATISTICS_SHEET = '投诉办理统计';
export const EXPORT_RECORD_SHEET = '导出记录';
/** The audit log's entity type for the statistics as a whole (what an export takes away). */
export const STATISTICS_ENTITY = 'complaint_statistics';

export type ExportFormat = 'xlsx' | 'csv';

/** What a rate cell writes when there was nothing to rate: never 0, which would claim a value. */
const NO_RATE = '—';

/** A share (0..1) written as a percentage with one decimal; an export-only column. */
function rateColumn<K extends string>(o: { key: K; header: string; guide: string; width?: number }): ColumnSpec<K, number> {
  return {
    key: o.key,
    header: o.header,
    required: false,
    width: o.width ?? 12,
    example: '',
    guide: o.guide,
    parse: (text): CellCheck<number> => (/^\d{1,3}(\.\d)?$/.test(text) ? { ok: true, value: Number(text) / 100 } : { ok: false, key: 'validation.invalid' }),
    format: (share) => (share === null || share === undefined ? NO_RATE : Math.round(share * 1000) / 10),
    decimals: 1,
    blankWords: [NO_RATE],
  };
}

export const STATISTICS_COLUMNS = [
  textColumn({ key: 'agency', header: '单位', max: 200, width: 26, guide: '被投诉的机关或单位；转交上级机关的案件仍计入原单位。' }),
  integerColumn({ key: 'cases', header: '投诉件数', width: 10, guide: '统计期间内提交的投诉。' }),
  integerColumn({ key: 'acceptanceDue', header: '应受理件数', width: 10, guide: '受理期限在统计期间内、已受理（或不予受理）或已过期限的案件。' }),
  integerColumn({ key: 'acceptedOnTime', header: '按期受理件数', width: 12, guide: '在受理期限（工作日）内受理或不予受理的案件。' }),
  rateColumn({ key: 'acceptedOnTimeRate', header: '按期受理率（%）', guide: '按期受理件数 ÷ 应受理件数。' }),
  integerColumn({ key: 'resolutionDue', header: '应办结件数', width: 10, guide: '办结期限在统计期间内、已办结或已过期限的案件（含认定违约失信的案件）。' }),
  integerColumn({ key: 'resolvedOnTime', header: '按期办结件数', width: 12, guide: '在办结期限（工作日）内办结的案件。' }),
  rateColumn({ key: 'resolvedOnTimeRate', header: '按期办结率（%）', guide: '按期办结件数 ÷ 应办结件数。' }),
  integerColumn({ key: 'ratings', header: '评价次数', width: 10, guide: '统计期间内的评价，不含经申诉撤销的评价。' }),
  integerColumn({ key: 'goodRatings', header: '好评次数', width: 10, guide: '非常满意、满意、基本满意。' }),
  integerColumn({ key: 'badRatings', header: '差评次数', width: 10, guide: '不满意、非常不满意。' }),
  rateColumn({ key: 'goodReviewRate', header: '好评率（%）', guide: '好评次数 ÷ 评价次数。' }),
  integerColumn({ key: 'badRectified', header: '差评已整改次数', width: 12, guide: '已整改的差评。' }),
  rateColumn({ key: 'badReviewRectificationRate', header: '差评整改率（%）', guide: '差评已整改次数 ÷ 差评次数。' }),
  integerColumn({ key: 'rectifications', header: '整改次数', width: 10, guide: '已整改的差评。' }),
  integerColumn({ key: 'followedUp', header: '已回访次数', width: 10, guide: '整改后已回访的次数。' }),
  rateColumn({ key: 'followUpRate', header: '回访率（%）', guide: '已回访次数 ÷ 整改次数。' }),
] as const;

export const EXPORT_RECORD_COLUMNS = [
  textColumn({ key: 'item', header: '项目', max: 50, width: 18, guide: '' }),
  textColumn({ key: 'value', header: '内容', max: 2000, width: 60, guide: '' }),
] as const;

type StatisticsRow = ExportRow<typeof STATISTICS_COLUMNS>;
type RecordRow = ExportRow<typeof EXPORT_RECORD_COLUMNS>;

export interface StatisticsExport {
  report: StatisticsReport;
  /** Whether the total row is written (several agencies). */
  withTotal: boolean;
  today: string;
  /** When the export was made (an ISO instant). */
  at: string;
  by: Pick<SessionUser, 'displayName' | 'username' | 'role' | 'agencyName'>;
  format: ExportFormat;
}

export function statisticsFileName(e: Pick<StatisticsExport, 'report' | 'format'>): string {
  return `${STATISTICS_SHEET}-${e.report.period.from}-${e.report.period.to}.${e.format === 'xlsx' ? 'xlsx' : 'zip'}`;
}

function rowOf(agency: string, figures: HandlingFigures, rates: HandlingRates): StatisticsRow {
  return { agency, ...figures, ...rates };
}

const ROLE_WORDS: Record<Role, string> = { admin: '系统管理员', auditor: '监督审计', officer: '机关经办人', enterprise: '企业用户' };
const FORMAT_WORDS: Record<ExportFormat, string> = { xlsx: 'Excel 工作簿（两个工作表）', csv: 'ZIP 包内的 CSV 文件（UTF-8，每个工作表一个文件）' };

function recordRows(e: StatisticsExport): RecordRow[] {
  const { period, agencies } = e.report;
  return [
    { item: '导出时间', value: `${formatTime(e.at, 'zh-CN', { seconds: true })}（北京时间）` },
    { item: '导出人', value: `${e.by.displayName}（账号 ${e.by.username}）` },
    { item: '角色', value: e.by.agencyName ? `${ROLE_WORDS[e.by.role]} · ${e.by.agencyName}` : ROLE_WORDS[e.by.role] },
    { item: '统计期间', value: `${period.from} 至 ${period.to}` },
    { item: '单位', value: agencies.length === 1 ? agencies[0]!.agencyName : `全部单位（${agencies.length} 个）` },
    { item: '计算日', value: `${e.today}（未到期且未办理的环节不计入）` },
    { item: '文件格式', value: FORMAT_WORDS[e.format] },
    { item: STATISTICS_SHEET, value: '每行一个单位；比率为百分数，无可计算的件数时为“—”；经申诉撤销的评价不计入。' },
  ];
}

async function* rowsOf<R>(rows: R[]): AsyncGenerator<R> {
  yield* rows;
}

function statisticsSheets(e: StatisticsExport): ExportSheet[] {
  const rows = e.report.agencies.map((a: AgencyStatistics) => rowOf(a.agencyName, a.figures, a.rates));
  if (e.withTotal) rows.push(rowOf('合计', e.report.total.figures, e.report.total.rates));
  return [exportSheet(STATISTICS_SHEET, STATISTICS_COLUMNS, rowsOf(rows)), exportSheet(EXPORT_RECORD_SHEET, EXPORT_RECORD_COLUMNS, rowsOf(recordRows(e)))];
}

/** The statistics as an Excel workbook, or a ZIP of CSV files (one a sheet), written to `out`. */
export async function writeStatisticsExport(e: StatisticsExport, out: Writable): Promise<void> {
  if (e.format === 'xlsx') await writeXlsxBook(out, statisticsSheets(e));
  else await writeCsvZip(out, statisticsSheets(e));
}

/** Every export is in the audit log: who took which agencies' figures for which period, in which format. */
export async function recordStatisticsExport(db: Knex, caller: Caller, e: Pick<StatisticsExport, 'report' | 'format'>): Promise<void> {
  const { period, agencies } = e.report;
  await recordAuditEvent(db, caller.actor, {
    action: 'complaint_statistics.exported',
    entityType: STATISTICS_ENTITY,
    after: { exportFormat: e.format, statisticsFrom: period.from, statisticsTo: period.to, statisticsAgencies: agencies.map((a) => a.agencyName) },
  });
}
