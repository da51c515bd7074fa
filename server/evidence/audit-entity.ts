import { integerIds } from '../audit/entities.ts';
import type { AuditEntityType } from '../context.ts';
import { EVIDENCE_FILE_ENTITY } from './routes.ts';
import { evidenceDownloadPath } from './store.ts';

/** How the audit log names an evidence file: by its original name, linked to the one download route (which checks access). */
export const evidenceAuditEntity: AuditEntityType = {
  type: EVIDENCE_FILE_ENTITY,
  labelKey: 'evidence:entity',
  async describe(db, ids) {
    const rows: Array<{ id: number; original_name: string }> = await db('evidence_attachments').whereIn('id', integerIds(ids)).select('id', 'original_name');
    return new Map(rows.map((r) => [String(r.id), { name: r.original_name, href: evidenceDownloadPath(Number(r.id)) }]));
  },
};
