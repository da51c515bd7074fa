import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';

/** The most records an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** The audit log's entity type for the arrears ledger as a whole (what an export takes away). */
export const ARREARS_LEDGER_ENTITY = 'arrears_ledger';

/** How the audit log names an arrears (by its contract reference, or its number), the ledger, an LPR quotation and a disclosure row. */
export const arrearsAuditEntities: AuditEntityType[] = [
  {
    type: 'arrears',
    labelKey: 'arrears:entities.arrears',
    async describe(db, ids) {
      const rows: Array<{ id: number; contract_ref: string | null }> = await db('arrears').whereIn('id', integerIds(ids)).select('id', 'contract_ref');
      return new Map(rows.map((r) => [String(r.id), { name: r.contract_ref ?? `#${r.id}`, href: `/arrears/${r.id}` }]));
    },
    async find(db: Knex, text) {
      const ids: number[] = await whereContains(db('arrears'), ['contract_ref', 'description'], text).orderBy('id').limit(FIND_LIMIT).pluck('id');
      return ids.map(String);
    },
  },
  { type: ARREARS_LEDGER_ENTITY, labelKey: 'arrears:entities.ledger' },
  {
    type: 'lpr_rate',
    labelKey: 'arrears:entities.lpr_rate',
    async describe(db, ids) {
      const rows: Array<{ id: number; effective_on: string; one_year_percent: string }> = await db('lpr_rates').whereIn('id', integerIds(ids)).select('id', 'effective_on', 'one_year_percent');
      return new Map(rows.map((r) => [String(r.id), { name: `${r.effective_on} ${r.one_year_percent}%`, href: '/arrears/lpr' }]));
    },
  },
  {
    type: 'arrears_disclosure',
    labelKey: 'arrears:entities.arrears_disclosure',
    async describe(db, ids) {
      const rows: Array<{ id: number; year: number; name: string }> = await db('arrears_disclosures as d').join('agencies as g', 'g.id', 'd.agency_id').whereIn('d.id', integerIds(ids)).select('d.id', 'd.year', 'g.name');
      return new Map(rows.map((r) => [String(r.id), { name: `${r.year} ${r.name}`, href: `/arrears/disclosures?year=${r.year}` }]));
    },
  },
];
