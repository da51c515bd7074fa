import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';
import { LEDGER_ENTITY } from './export.ts';

/** The most records an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** How the audit log names what commitments' entries are about: a commitment by its reference number, an import by its file. */
export const commitmentAuditEntities: AuditEntityType[] = [
  {
    type: 'commitment',
    labelKey: 'commitments:entities.commitment',
    async describe(db, ids) {
      const rows: Array<{ id: number; reference_no: string }> = await db('commitments').whereIn('id', integerIds(ids)).select('id', 'reference_no');
      return new Map(rows.map((r) => [String(r.id), { name: r.reference_no, href: `/commitments/${r.id}` }]));
    },
    async find(db: Knex, text) {
      const ids: number[] = await whereContains(db('commitments'), ['reference_no', 'title'], text).orderBy('id').limit(FIND_LIMIT).pluck('id');
      return ids.map(String);
    },
  },
  {
    type: 'import_job',
    labelKey: 'commitments:entities.import',
    async describe(db, ids) {
      const rows: Array<{ id: number; payload: string }> = await db('jobs').whereIn('id', integerIds(ids)).select('id', 'payload');
      return new Map(rows.map((r) => [String(r.id), { name: String((JSON.parse(r.payload) as { filename?: string }).filename ?? `#${r.id}`) }]));
    },
  },
  { type: LEDGER_ENTITY, labelKey: 'commitments:entities.ledger' },
];
