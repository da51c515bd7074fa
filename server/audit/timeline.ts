import type { Knex } from 'knex';

export interface TimelineEntry {
  at: string;
  actorName: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** A record's own history: every audit entry about it, oldest first, with the actor's display name. */
export async function timelineOf(db: Knex, entityType: string, entityId: number | string): Promise<TimelineEntry[]> {
  const rows: Array<{ at: string; actor_name: string | null; display_name: string | null; action: string; before_json: string | null; after_json: string | null }> = await db('audit_log as l')
    .leftJoin('users as u', 'u.id', 'l.actor_id')
    .where({ 'l.entity_type': entityType, 'l.entity_id': String(entityId) })
    .orderBy('l.id')
    .select('l.at', 'l.actor_name', 'u.display_name', 'l.action', 'l.before_json', 'l.after_json');
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    actorName: r.display_name ?? r.actor_name,
    action: r.action,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
  }));
}
