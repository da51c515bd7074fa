import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';

/** The most records an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** How the audit log names a litigation case: by its case number (案号), linked to its page. */
export const litigationAuditEntities: AuditEntityType[] = [
  {
    type: 'litigation_case',
    labelKey: 'litigation:entities.litigation_case',
    async describe(db, ids) {
      const rows: Array<{ id: number; case_no: string }> = await db('litigation_cases').whereIn('id', integerIds(ids)).select('id', 'case_no');
      return new Map(rows.map((r) => [String(r.id), { name: r.case_no, href: `/litigation/${r.id}` }]));
    },
    async find(db, text) {
      const ids: number[] = await whereContains(db('litigation_cases'), ['case_no', 'plaintiff'], text).orderBy('id').limit(FIND_LIMIT).pluck('id');
      return ids.map(String);
    },
  },
];
