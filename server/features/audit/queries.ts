import type { Knex } from 'knex';
import { z } from 'zod';
import { whereContains } from '../../../db/dialect.ts';
import type { StoredEntry } from '../../audit/chain.ts';
import type { AuditEntityRegistry } from '../../audit/entities.ts';
import { addDays, shanghaiDayStart } from '../../domain/dates.ts';
import { calendarDate } from '../../http/validate.ts';

const blankToUndefined = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().max(max, 'validation.tooLong').optional());

/** The audit log's filters, from the page's query string; its CSV and Excel exports read the same. */
export const auditFiltersSchema = z.object({
  action: z.preprocess(blankToUndefined, z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'validation.invalidOption').max(64, 'validation.tooLong').optional()),
  /** A person's name or username, or part of one. */
  actor: optionalText(64),
  entityType: z.preprocess(blankToUndefined, z.string().regex(/^[a-z_]+$/, 'validation.invalidOption').max(64, 'validation.tooLong').optional()),
  /** A record's number (#12) or part of its name (a reference number, a person's name). */
  object: optionalText(100),
  /** Calendar dates in Asia/Shanghai; the times stored are UTC. */
  from: z.preprocess(blankToUndefined, calendarDate.optional()),
  to: z.preprocess(blankToUndefined, calendarDate.optional()),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;
export const AUDIT_FILTER_FIELDS = ['action', 'actor', 'entityType', 'object', 'from', 'to'] as const;

/** An audit entry with its actor's name as people know it. */
export interface AuditRow extends StoredEntry {
  display_name: string | null;
}

const ENTRY_COLUMNS = ['l.id', 'l.at', 'l.actor_id', 'l.actor_name', 'u.display_name', 'l.action', 'l.entity_type', 'l.entity_id', 'l.before_json', 'l.after_json', 'l.ip', 'l.prev_hash', 'l.hash'];

/** The records an object filter given by name stands for: their ids per entity type. */
type NamedObjects = Array<{ type: string; ids: string[] }> | null;

/**
 * An object given as a number (#12) is that record's id; anything else is looked up by name through
 * each registered entity type that can search its records (null: no lookup by name).
 */
async function objectsNamed(db: Knex, registry: AuditEntityRegistry, filters: AuditFilters): Promise<NamedObjects> {
  if (!filters.object || /^#?\d+$/.test(filters.object)) return null;
  const types = [...registry.values()].filter((t) => t.find && (!filters.entityType || t.type === filters.entityType));
  return Promise.all(types.map(async (t) => ({ type: t.type, ids: await t.find!(db, filters.object!) })));
}

/** The entries the filters select, with their actors' display names, in no particular order. */
function filteredEntries(db: Knex, filters: AuditFilters, named: NamedObjects): Knex.QueryBuilder {
  return db('audit_log as l')
    .leftJoin('users as u', 'u.id', 'l.actor_id')
    .modify((q) => {
      if (filters.action) q.where('l.action', filters.action);
      if (filters.actor) whereContains(q, ['l.actor_name', 'u.display_name'], filters.actor);
      if (filters.entityType) q.where('l.entity_type', filters.entityType);
      if (filters.object && !named) q.where('l.entity_id', filters.object.replace(/^#/, ''));
      if (named) {
        q.where((any) => {
          // No match at all selects nothing (knex writes an empty IN list as a false condition).
          if (named.every((m) => m.ids.length === 0)) any.whereIn('l.id', []);
          for (const m of named) if (m.ids.length) any.orWhere((w) => w.where('l.entity_type', m.type).whereIn('l.entity_id', m.ids));
        });
      }
      if (filters.from) q.where('l.at', '>=', shanghaiDayStart(filters.from));
      if (filters.to) q.where('l.at', '<', shanghaiDayStart(addDays(filters.to, 1)));
    });
}

/** One page of the filtered log, newest first, and how many entries the filters select. */
export async function auditPage(db: Knex, registry: AuditEntityRegistry, filters: AuditFilters, page: number, pageSize: number): Promise<{ entries: AuditRow[]; total: number }> {
  const base = filteredEntries(db, filters, await objectsNamed(db, registry, filters));
  const [{ n }] = await base.clone().count({ n: '*' });
  const entries: AuditRow[] = await base.clone().orderBy('l.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select(ENTRY_COLUMNS);
  return { entries, total: Number(n) };
}

const EXPORT_BATCH = 1000;

/**
 * The filtered log newest first, a batch at a time by id (no OFFSET that grows with the log), so that
 * no query holds the (on SQLite, only) connection while the file streams to a slow client.
 */
export async function* auditBatches(db: Knex, registry: AuditEntityRegistry, filters: AuditFilters): AsyncGenerator<AuditRow[]> {
  const base = filteredEntries(db, filters, await objectsNamed(db, registry, filters));
  let before: number | null = null;
  for (;;) {
    const q = base.clone().orderBy('l.id', 'desc').limit(EXPORT_BATCH).select(ENTRY_COLUMNS);
    if (before !== null) q.where('l.id', '<', before);
    const rows: AuditRow[] = await q;
    if (rows.length) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    before = Number(rows.at(-1)!.id);
  }
}
