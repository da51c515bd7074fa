import type { Knex } from 'knex';
import type { AuditEntityName, AuditEntityType } from '../context.ts';

/*
 * What audit entries are about, in words: each feature registers the kinds of record its entries
 * name (`entity_type`) with a label and, where it can, the records' names and pages. The audit log
 * then reads "承诺 青审批补〔2025〕31号" linked to the commitment, not "commitment #12".
 */

export type AuditEntityRegistry = ReadonlyMap<string, AuditEntityType>;

/** Every registered entity type by name; a type registered twice stops start-up. */
export function auditEntityRegistry(types: readonly AuditEntityType[]): AuditEntityRegistry {
  const registry = new Map<string, AuditEntityType>();
  for (const type of types) {
    if (registry.has(type.type)) throw new Error(`audit entity type "${type.type}" is registered twice`);
    registry.set(type.type, type);
  }
  return registry;
}

/** The names of the records a page of entries is about: one lookup per entity type. */
export async function describeEntities(
  db: Knex,
  registry: AuditEntityRegistry,
  entries: ReadonlyArray<{ entity_type: string; entity_id: string | null }>,
): Promise<(type: string, id: string | null) => AuditEntityName | null> {
  const idsByType = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.entity_id === null || !registry.get(e.entity_type)?.describe) continue;
    let ids = idsByType.get(e.entity_type);
    if (!ids) idsByType.set(e.entity_type, (ids = new Set()));
    ids.add(e.entity_id);
  }
  const names = new Map<string, Map<string, AuditEntityName>>();
  await Promise.all([...idsByType].map(async ([type, ids]) => names.set(type, await registry.get(type)!.describe!(db, [...ids]))));
  return (type, id) => (id === null ? null : (names.get(type)?.get(id) ?? null));
}

/** Whole-number ids among entity ids (they are stored as text), for looking records up by their integer keys. */
export function integerIds(ids: string[]): number[] {
  return ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
}
