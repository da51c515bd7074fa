import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';
import { CREDIT_RECORD_ENTITY } from './credit-record.ts';
import { STATISTICS_ENTITY } from './statistics-export.ts';

/** The most entries an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** How the audit log names a credit record entry (its agency and finding date, linked to the agency's integrity page) and the statistics. */
export const creditAuditEntities: AuditEntityType[] = [
  {
    type: CREDIT_RECORD_ENTITY,
    labelKey: 'complaints:entities.credit_record_entry',
    async describe(db, ids) {
      const rows: Array<{ id: number; agency_id: number; found_on: string; name: string }> = await db('credit_record_entries as e')
        .join('agencies as g', 'g.id', 'e.agency_id')
        .whereIn('e.id', integerIds(ids))
        .select('e.id', 'e.agency_id', 'e.found_on', 'g.name');
      return new Map(rows.map((r) => [String(r.id), { name: `${r.name} ${r.found_on}`, href: `/agencies/${r.agency_id}/integrity#entry-${r.id}` }]));
    },
    async find(db: Knex, text) {
      const ids: number[] = await whereContains(db('credit_record_entries as e').join('agencies as g', 'g.id', 'e.agency_id'), ['g.name', 'e.finding'], text).orderBy('e.id').limit(FIND_LIMIT).pluck('e.id');
      return ids.map(String);
    },
  },
  { type: STATISTICS_ENTITY, labelKey: 'complaints:entities.complaint_statistics' },
];
