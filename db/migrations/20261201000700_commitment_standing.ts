import type { Knex } from 'knex';

/*
 * The facts of a commitment's status that do not depend on today, kept on the commitment so that
 * lists page and filter by status through an index instead of deriving it from every milestone:
 * - standing: terminated, breached, fulfilled (every milestone fulfilled or waived) or open;
 * - next_due_on: the earliest due date of its open (pending or partial) milestones, null once
 *   terminated or when nothing is open.
 * An open commitment is overdue once next_due_on is before today, in progress otherwise: overdue is
 * still decided by the query that knows today, never stored. The use cases keep both columns (see
 * refreshStanding in server/features/commitments/repository.ts); this fills them for existing rows
 * with the rule as it stood when it was written.
 */

const STANDING = `CASE
  WHEN commitments.terminated_on IS NOT NULL THEN 'terminated'
  WHEN EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id AND m.status = 'breached') THEN 'breached'
  WHEN EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id)
    AND NOT EXISTS (SELECT 1 FROM milestones m WHERE m.commitment_id = commitments.id AND m.status NOT IN ('fulfilled', 'waived')) THEN 'fulfilled'
  ELSE 'open'
END`;

const NEXT_DUE = `CASE WHEN commitments.terminated_on IS NULL THEN
  (SELECT MIN(m.due_on) FROM milestones m WHERE m.commitment_id = commitments.id AND m.status IN ('pending', 'partial'))
END`;

const OPEN_DUE_INDEX = 'milestones_open_due_on_index';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('commitments', (t) => {
    t.string('standing', 20).notNullable().defaultTo('open');
    t.date('next_due_on');
  });
  await db('commitments').update({ standing: db.raw(STANDING), next_due_on: db.raw(NEXT_DUE) });
  await db.schema.alterTable('commitments', (t) => {
    // Status filters (overdue: open and next due before today) over everything, and within an agency.
    t.index(['standing', 'next_due_on']);
    t.index(['agency_id', 'standing', 'next_due_on']);
    // The ledger's default order (newest signed first), over everything and within an agency.
    t.index(['signed_on', 'id']);
    t.index(['agency_id', 'signed_on']);
  });
  await db.schema.alterTable('milestones', (t) => {
    // Open milestones by due date, for the nearest overdue and due-soon ones on an officer's home. Partial, so
    // that it holds only what is still owed; a query uses it when it names the same statuses as literals.
    t.index(['due_on', 'commitment_id'], OPEN_DUE_INDEX, { predicate: db.whereRaw("status IN ('pending', 'partial')") });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('milestones', (t) => {
    t.dropIndex(['due_on', 'commitment_id'], OPEN_DUE_INDEX);
  });
  await db.schema.alterTable('commitments', (t) => {
    t.dropIndex(['agency_id', 'signed_on']);
    t.dropIndex(['signed_on', 'id']);
    t.dropIndex(['agency_id', 'standing', 'next_due_on']);
    t.dropIndex(['standing', 'next_due_on']);
  });
  await db.schema.alterTable('commitments', (t) => {
    t.dropColumn('next_due_on');
    t.dropColumn('standing');
  });
}
