import type { Knex } from 'knex';
import { whereContains } from '../../../db/dialect.ts';
import { integerIds } from '../../audit/entities.ts';
import type { AuditEntityName, AuditEntityType } from '../../context.ts';

/** The most records an object filter matches by name: enough to find one, bounded for the query it feeds. */
const FIND_LIMIT = 500;

/** Names of the rows of `table` with these ids (the admin pages are not the auditors', so no links). */
function namesFrom(table: string, columns: string[], nameOf: (row: Record<string, string>) => string = (r) => r[columns[0]!]!) {
  return async (db: Knex, ids: string[]): Promise<Map<string, AuditEntityName>> => {
    const rows: Array<Record<string, string>> = await db(table).whereIn('id', integerIds(ids)).select('id', ...columns);
    return new Map(rows.map((r) => [String(r.id), { name: nameOf(r) }]));
  };
}

function idsNamed(table: string, columns: string[]) {
  return async (db: Knex, text: string): Promise<string[]> => {
    const ids: number[] = await whereContains(db(table), columns, text).orderBy('id').limit(FIND_LIMIT).pluck('id');
    return ids.map(String);
  };
}

/** How the audit log names the accounts and reference data the administrators keep. */
export const adminAuditEntities: AuditEntityType[] = [
  { type: 'user', labelKey: 'admin:entities.user', describe: namesFrom('users', ['display_name', 'username'], (r) => `${r.display_name} (${r.username})`), find: idsNamed('users', ['display_name', 'username']) },
  { type: 'agency', labelKey: 'admin:entities.agency', describe: namesFrom('agencies', ['name']), find: idsNamed('agencies', ['name', 'code']) },
  { type: 'enterprise', labelKey: 'admin:entities.enterprise', describe: namesFrom('enterprises', ['name']), find: idsNamed('enterprises', ['name', 'credit_code']) },
  { type: 'api_token', labelKey: 'admin:entities.apiToken', describe: namesFrom('api_tokens', ['label']) },
];
