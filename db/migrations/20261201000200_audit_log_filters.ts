import type { Knex } from 'knex';

/** The audit log page filters by action and by date; both counts and pages would otherwise read the whole log. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.index(['action'], 'audit_log_action_index');
    t.index(['at'], 'audit_log_at_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['action'], 'audit_log_action_index');
    t.dropIndex(['at'], 'audit_log_at_index');
  });
}
