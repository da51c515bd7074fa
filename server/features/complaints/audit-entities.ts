import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';

/** The most cases an object filter matches by agency name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** How the audit log names a complaint case: its number and the agency it is against (never the complainant, who may be withheld). */
export const complaintAuditEntities: AuditEntityType[] = [
  {
    type: 'complaint',
    labelKey: 'complaints:entities.complaint',
    async describe(db, ids) {
      const rows: Array<{ id: number; name: string }> = await db('complaints as c').join('agencies as g', 'g.id', 'c.agency_id').whereIn('c.id', integerIds(ids)).select('c.id', 'g.name');
      return new Map(rows.map((r) => [String(r.id), { name: `#${r.id} ${r.name}`, href: `/complaints/${r.id}` }]));
    },
    async find(db, text) {
      const ids: number[] = await whereContains(db('complaints as c').join('agencies as g', 'g.id', 'c.agency_id'), ['g.name'], text).orderBy('c.id').limit(FIND_LIMIT).pluck('c.id');
      return ids.map(String);
    },
  },
];
