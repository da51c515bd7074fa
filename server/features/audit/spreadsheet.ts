import { integerColumn, textColumn } from '../../spreadsheets/columns.ts';
import type { ExportRow } from '../../spreadsheets/writers.ts';
import type { ChangeLine } from '../../audit/labels.ts';
import { TIME_ZONE } from '../../domain/dates.ts';
import type { AuditEntryView } from './present.ts';

/*
 * The audit log's export format: its headers and words are Chinese whatever the page language, like
 * every file the platform writes, so that an exported log reads the same for every auditor.
 */

export const AUDIT_SHEET = '审计日志';
const LONG_TEXT = 32_767;

export const AUDIT_EXPORT_COLUMNS = [
  integerColumn({ key: 'id', header: '序号', width: 10, guide: '审计日志中的记录序号，即哈希链的顺序。' }),
  textColumn({ key: 'at', header: '时间（北京时间）', max: 19, width: 20, guide: '记录写入的时间，北京时间，精确到秒。' }),
  textColumn({ key: 'actor', header: '操作人', max: 200, width: 16, guide: '操作人的姓名，或“系统”。' }),
  textColumn({ key: 'username', header: '账号', max: 64, width: 14, guide: '操作人的登录账号。' }),
  textColumn({ key: 'action', header: '操作', max: 200, width: 20, guide: '操作的名称。' }),
  textColumn({ key: 'actionCode', header: '操作代码', max: 64, width: 26, guide: '操作在日志中的代码。' }),
  textColumn({ key: 'object', header: '对象', max: 500, width: 30, guide: '操作涉及的记录。' }),
  textColumn({ key: 'changes', header: '变更', max: LONG_TEXT, width: 60, guide: '逐项列出“字段：原值 → 新值”。' }),
  textColumn({ key: 'ip', header: 'IP 地址', max: 64, width: 16, guide: '操作人的 IP 地址。' }),
  textColumn({ key: 'hash', header: '哈希', max: 64, width: 66, guide: '本条记录在哈希链中的哈希值。' }),
] as const;

const secondsFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** An instant as Beijing time to the second, "2026-11-29 10:05:07". */
export function beijingTime(iso: string): string {
  return secondsFormat.format(new Date(iso));
}

export function changesText(changes: ChangeLine[]): string {
  return changes.map((c) => `${c.field}：${c.before === null ? '' : `${c.before} → `}${c.after ?? '—'}`).join('；');
}

export function auditExportRow(entry: AuditEntryView, actionLabel: string, changes: ChangeLine[]): ExportRow<typeof AUDIT_EXPORT_COLUMNS> {
  return {
    id: entry.id,
    at: beijingTime(entry.at),
    actor: entry.actor,
    username: entry.username ?? '',
    action: actionLabel,
    actionCode: entry.action,
    object: [entry.object.kind, entry.object.name].filter(Boolean).join(' '),
    changes: changesText(changes),
    ip: entry.ip ?? '',
    hash: entry.hash,
  };
}
