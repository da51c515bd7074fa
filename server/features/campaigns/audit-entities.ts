import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityType } from '../../context.ts';

/** The most records an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** How the audit log names a campaign: by its name, linked to its page. */
export const campaignAuditEntities: AuditEntityType[] = [
  {
    type: 'campaign',
    labelKey: 'campaigns:entities.campaign',
    async describe(db, ids) {
      const rows: Array<{ id: number; name: string }> = await db('campaigns').whereIn('id', integerIds(ids)).select('id', 'name');
      return new Map(rows.map((r) => [String(r.id), { name: r.name, href: `/campaigns/${r.id}` }]));
    },
    async find(db: Knex, text) {
      const ids: number[] = await whereContains(db('campaigns'), ['name', 'goal'], text).orderBy('id').limit(FIND_LIMIT).pluck('id');
      return ids.map(String);
    },
  },
];
